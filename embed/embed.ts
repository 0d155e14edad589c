/**
 * The script a website owner pastes (dist/embed.js, dist/embed.min.js): reads
 * `window.difyChatbotConfig`, mounts the chat bubble and publishes `window.difyChatbot`. The only
 * module with side effects on import (docs/ARCHITECTURE.md §4). Nothing here may throw into the host page.
 */
import type { Launcher } from '../src/launcher/launcher.ts';
import { mount, reportAlreadyMounted } from '../src/mount.ts';
import { chatScriptUrl, loadChatScript } from './load-chat.ts';

declare const __CHAT_FILE__: string;

/** `window.difyChatbot`: the widget's small JavaScript API (README "JavaScript API"). */
export interface DifyChatbotApi {
  open(): void;
  close(): void;
  toggle(): void;
  /** Removes the widget: elements, listeners, timers, streams. */
  destroy(): void;
  /** Mounts again after destroy(), with `window.difyChatbotConfig` or the given config. */
  mount(config?: unknown): void;
  /** destroy(), and removes every key the widget wrote for its token (README "What the widget stores"). */
  forget(): void;
}

declare global {
  interface Window {
    difyChatbot?: DifyChatbotApi | unknown;
  }
}

// Read while this script runs: document.currentScript is null once we are in a callback.
const self = document.currentScript as HTMLScriptElement | null;
const embedSrc = self?.src || null;
const scriptNonce = self?.nonce || undefined;
let launcher: Launcher | null = null;
/** The latest widget mounted, kept after destroy() so that forget() still knows its token. */
let latest: Launcher | null = null;

function start(config: unknown): void {
  try {
    // The widget this script mounted stays as it is; mount() does nothing until destroy().
    if (launcher) reportAlreadyMounted();
    else
      launcher = mount(config, {
        loadChat: (container, resolved) =>
          loadChatScript(chatScriptUrl(embedSrc, resolved.baseUrl, __CHAT_FILE__), container, scriptNonce ?? resolved.nonce),
      });
    latest = launcher ?? latest;
  } catch (error) {
    console.error('[dify-chatbot] The chatbot failed to start:', error);
  }
}

/** Calls into the widget never throw into the page. */
const guarded = (name: string, call: () => void) => () => {
  try {
    call();
  } catch (error) {
    console.error(`[dify-chatbot] difyChatbot.${name}() failed:`, error);
  }
};

const api: DifyChatbotApi = {
  open: guarded('open', () => launcher?.open()),
  close: guarded('close', () => launcher?.close()),
  toggle: guarded('toggle', () => launcher?.toggle()),
  destroy: guarded('destroy', () => {
    launcher?.destroy();
    launcher = null;
  }),
  mount: (config?: unknown) => start(config ?? window.difyChatbotConfig),
  forget: guarded('forget', () => {
    latest?.forget();
    launcher = null;
  }),
};

if (window.difyChatbot === undefined) window.difyChatbot = api;
else if (!(window.difyChatbot as { mount?: unknown })?.mount) {
  console.warn('[dify-chatbot] window.difyChatbot is already taken by the page; the chatbot works without its JavaScript API.');
}

const boot = () => start(window.difyChatbotConfig);
// Works from <head>, with defer or async, or injected after load; never assigns
// document.body.onload (Dify's embed does, overwriting the page's own handler).
if (document.body) boot();
else document.addEventListener('DOMContentLoaded', boot, { once: true });
