/**
 * The script a website owner pastes (dist/embed.js, dist/embed.min.js): reads
 * `window.difyChatbotConfig` and mounts the chat bubble. The only module with side effects on
 * import (DESIGN.md §4). Nothing here may throw into the host page.
 */
import { mount } from '../src/mount.ts';
import { chatScriptUrl, loadChatScript } from './load-chat.ts';

declare const __CHAT_FILE__: string;

// Read while this script runs: document.currentScript is null once we are in a callback.
const self = document.currentScript as HTMLScriptElement | null;
const embedSrc = self?.src || null;
const scriptNonce = self?.nonce || undefined;

function boot(): void {
  try {
    mount(window.difyChatbotConfig, {
      loadChat: (container, config) =>
        loadChatScript(chatScriptUrl(embedSrc, config.baseUrl, __CHAT_FILE__), container, scriptNonce ?? config.nonce),
    });
  } catch (error) {
    console.error('[dify-chatbot] The chatbot failed to start:', error);
  }
}

// Works from <head>, with defer or async, or injected after load; never assigns
// document.body.onload (Dify's embed does, overwriting the page's own handler).
if (document.body) boot();
else document.addEventListener('DOMContentLoaded', boot, { once: true });
