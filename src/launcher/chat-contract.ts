import type { ResolvedConfig } from '../config/types.ts';
import type { SafeStorage } from '../util/storage.ts';
import type { adoptStyles, createShadowHost } from './shadow-host.ts';
import type { viewportSize } from './viewport.ts';

/** How the launcher puts the widget into the page (shadow-host.ts, viewport.ts); lent to the chat. */
export interface MountHelpers {
  createShadowHost: typeof createShadowHost;
  adoptStyles: typeof adoptStyles;
  viewportSize: typeof viewportSize;
}

/**
 * The seam between the two stages (docs/ARCHITECTURE.md §3): the launcher (config, bubble, dragging) ships
 * in embed.min.js to every page view; the chat (window, panel, API client, markdown) is fetched
 * only when the visitor shows intent. This is everything the chat may know about the launcher.
 * Plain values and callbacks only: the two stages do not share a signals library.
 */
export interface ChatContext {
  config: ResolvedConfig;
  /** The UI locale the launcher chose (config, then browser). */
  locale: string | undefined;
  /** The bubble's host element: the window opens next to it. */
  bubble: HTMLElement;
  /** Tells when the visitor starts or stops dragging the bubble: Dify hides the window meanwhile. */
  onDragging(listener: (dragging: boolean) => void): () => void;
  /** The visitor closed the window from inside (close button, Escape). */
  requestClose(): void;
  /** Gives focus back to the bubble (after closing from inside the window). */
  focusBubble(): void;
  /**
   * The launcher's own mounting helpers and guarded storage (local, session or memory, as the
   * `storage` option says; it drops writes once the widget is destroyed): the window is mounted
   * the way the bubble is, and the chat file, which every chatting visitor downloads, carries no
   * second copy of them.
   */
  mount: MountHelpers;
  storage: SafeStorage;
}

export interface ChatInstance {
  /** Start what the chat needs from the network (site, parameters, history). Idempotent. */
  prepare(): void;
  /** Show the window (creating it the first time) and move focus into it. Returns the window's host. */
  show(): HTMLElement;
  /** Hide the window; focus returns to the bubble if it was inside. */
  hide(): void;
  /** Stop streams and timers, remove the window. */
  destroy(): void;
}

export interface ChatModule {
  createChat(context: ChatContext): ChatInstance;
}

/**
 * The chat file's own copies of preact/hooks and the JSX runtime, for the parts it loads later
 * (embed/handoff.ts): a part must not bring second copies, whose hook state and vnode ids would
 * not be Preact's. By the specifier a part imports them with (build.mjs maps them).
 */
export type ChatSharedModules = Record<'preact/hooks' | 'preact/jsx-runtime', Readonly<Record<string, unknown>>>;
