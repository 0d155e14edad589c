/**
 * The configuration a website owner writes into `window.difyChatbotConfig`.
 *
 * Every option of Dify's own `embed.js` keeps its meaning (docs/PROTOCOL.md §5.2); options marked
 * "Beyond Dify" are additive. Unknown keys are ignored with a console note that names the nearest known option.
 */
export interface DifyChatbotConfig {
  /**
   * The app's public site token: the last path segment of `https://<web-host>/chatbot/<token>`.
   * Required. Never a secret API key (`app-…`): the widget refuses to start with one.
   */
  token: string;
  /**
   * Origin of the Dify web app, e.g. `https://dify.example.com` for a self-hosted install.
   * The web API is expected under `<baseUrl>/api`.
   * @defaultValue `https://udify.app` (or `https://dev.udify.app` when `isDev` is true)
   */
  baseUrl?: string;
  /** Use Dify Cloud's development host when no `baseUrl` is given. @defaultValue false */
  isDev?: boolean;
  /**
   * Values for the app's input form variables (`user_input_form`), by variable name.
   * They are sent in the `inputs` of every chat request, as JSON: strings, numbers and booleans
   * (as Dify's console snippet writes them), or objects and arrays for `json_object` and file
   * variables. Values JSON cannot carry (functions, symbols, BigInts, cycles) and the names
   * `__proto__`, `constructor` and `prototype` are refused with a console message.
   */
  inputs?: Record<string, InputValue>;
  /** Dify system variables. */
  systemVariables?: {
    /** Stable id of the visitor on your site; becomes Dify's `sys.user_id` and keys stored conversations. */
    user_id?: string;
    /** Open this conversation (a UUID) instead of the visitor's last one. Hides "new conversation". */
    conversation_id?: string;
    /** UI language, e.g. `en-US`, `zh-Hans`. */
    locale?: string;
  };
  /** Shown for the visitor's own messages; never sent to the server. */
  userVariables?: {
    /** Avatar image URL of the visitor (http/https only). */
    avatar_url?: string;
    /** Display name of the visitor. */
    name?: string;
  };
  /**
   * Applied to the bubble element as Dify's embed does: `className` (space-separated) is added,
   * `style` (object or CSS string) is applied, functions whose key starts with `on` become event
   * listeners, other keys are assigned as element properties.
   */
  containerProps?: ContainerProps;
  /** Let the visitor drag the bubble (mouse, touch, pen; arrow keys when focused). @defaultValue false */
  draggable?: boolean;
  /** Axis the bubble may be dragged along. @defaultValue 'both' */
  dragAxis?: 'x' | 'y' | 'both';
  /**
   * Dify's embed needs this when the script is injected after the page loaded. This widget works
   * either way (it never touches `document.body.onload`); the option is accepted for compatibility.
   * @defaultValue false
   */
  dynamicScript?: boolean;
  /**
   * Beyond Dify: the web API base, when it is not `<baseUrl>/api`.
   * @defaultValue `<baseUrl>/api`
   */
  apiBaseUrl?: string;
  /**
   * Beyond Dify: a CSP nonce for the `<style>` fallback used by browsers without constructable
   * stylesheets. Not needed in current Chromium, Firefox or Safari.
   */
  nonce?: string;
  /**
   * Beyond Dify: fetch the chat's code when the page is idle, so the first open is instant.
   * Nothing is sent to Dify before the visitor shows interest (hover, focus, touch, click).
   * @defaultValue true
   */
  prefetch?: boolean;
  /**
   * Beyond Dify: which images in answers load by themselves. An image URL reaches whoever it
   * names with the visitor's IP address and the time they read the answer, and answers are
   * model output that injected text can steer.
   * - `'all'`: any http(s) image, as Dify does;
   * - `'dify'`: only files served by the app's own Dify (the `/files/…` routes of the API origin);
   * - `'none'`: no image loads; each is shown as a link the visitor may follow;
   * - an array of origins (`['https://cdn.example.com']`): only images from those origins.
   *
   * Under every policy a relative image URL is used only when it points into Dify's file routes,
   * and an image the policy refuses is shown as a link. A value that is none of these is reported
   * and `'none'` is used.
   * @defaultValue 'all'
   */
  images?: ImagePolicy;
  /**
   * Beyond Dify: where the widget keeps the visitor's data (passport, conversation ids, drafts,
   * the bubble's position; README "What the widget stores").
   * - `'local'`: localStorage, kept across visits, as Dify does;
   * - `'session'`: sessionStorage, gone when the tab closes;
   * - `'memory'`: nothing written to the page's storage; kept for the page's life only
   *   (for shared and public computers).
   *
   * A value that is none of these is reported and `'memory'` is used.
   * @defaultValue 'local'
   */
  storage?: StorageKind;
}

/** Which answer images load by themselves: see {@link DifyChatbotConfig.images}. */
export type ImagePolicy = 'all' | 'dify' | 'none' | string[];

/** Where the visitor's data is kept: see {@link DifyChatbotConfig.storage}. */
export type StorageKind = 'local' | 'session' | 'memory';

/** A value JSON can carry: what an `inputs` variable may hold. */
export type InputValue = string | number | boolean | null | InputValue[] | { [key: string]: InputValue };

/** Props applied to the bubble's host element (see {@link DifyChatbotConfig.containerProps}). */
export interface ContainerProps {
  className?: string;
  style?: string | Partial<Record<string, string>>;
  [key: string]: unknown;
}

/** The validated configuration the widget runs on: every field present, every value checked. */
export interface ResolvedConfig {
  token: string;
  baseUrl: string;
  apiBase: string;
  inputs: Record<string, InputValue>;
  systemVariables: { user_id?: string; conversation_id?: string; locale?: string };
  userVariables: { avatar_url?: string; name?: string };
  containerProps: ContainerProps;
  draggable: boolean;
  dragAxis: 'x' | 'y' | 'both';
  dynamicScript: boolean;
  prefetch: boolean;
  /** The `images` policy; a list holds origins as the URL parser writes them (`https://cdn.example.com`). */
  images: ImagePolicy;
  storage: StorageKind;
  nonce?: string;
}

declare global {
  interface Window {
    /** Configuration read by the Dify chatbot embed (`embed.js` / `embed.min.js`). */
    difyChatbotConfig?: DifyChatbotConfig;
  }
}
