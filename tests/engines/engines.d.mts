/** Types of engines.mjs: the thin layer every engine's driver implements, and the engine list. */

export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** Keys by their Playwright/Puppeteer names (' ' is Space). */
export type KeyName = 'Tab' | 'Enter' | 'Escape' | ' ';

/**
 * One browser with one page, 1280×800, driven the way a visitor uses it: keys to the focused
 * element, clicks at viewport coordinates (they reach into shadow roots, where some WebDriver
 * element commands do not), and script in the page for what a test reads.
 */
export interface Driver {
  readonly engine: EngineName;
  /** e.g. "Firefox 153.8.0esr". */
  readonly version: string;
  /**
   * A CSS font-family naming the desktop's UI font as this engine draws it: `system-ui` where the
   * engine implements it; for WebKitGTK, which draws `system-ui` in its default font, the font its
   * driver sets as the GTK desktop font.
   */
  readonly systemFont: string;
  /** Navigates and resolves once the page's load event has fired. */
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /**
   * Runs `fn(arg)` in the page and resolves with its (awaited, JSON-serialisable) result. `fn` is
   * sent as source: it must be self-contained (no imports, no closures over test variables).
   */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  /** Presses and releases one key, sent to the focused element. */
  press(key: KeyName): Promise<void>;
  /** Types text into the focused element, key by key. */
  type(text: string): Promise<void>;
  /** A primary-button click at viewport coordinates (CSS pixels). */
  click(x: number, y: number): Promise<void>;
  /** A PNG of the viewport. */
  screenshot(): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface Engine {
  name: EngineName;
  /** The engine as the README's browser table names it. */
  label: string;
  /** Null when it can run here, else what is missing and how to install it. */
  missing(): string | null;
  launch(): Promise<Driver>;
}

export const ENGINES: Engine[];
export const VIEWPORT: { width: number; height: number };

/**
 * Polls `check` in the page until it returns a truthy value, which it resolves with; rejects
 * naming `what` after `timeoutMs` (default 15 s).
 */
export function waitInPage<R, A>(
  driver: Driver,
  check: (arg: A) => R | Promise<R>,
  arg: A,
  options: { what: string; timeoutMs?: number },
): Promise<NonNullable<R>>;
