/**
 * The script a website owner pastes (dist/embed.js, dist/embed.min.js): reads
 * `window.difyChatbotConfig` and mounts the chat bubble. The only module with side effects on
 * import (DESIGN.md §4). Nothing here may throw into the host page.
 */
import { mountChatbot } from '../src/mount.ts';

function boot(): void {
  try {
    mountChatbot(window.difyChatbotConfig);
  } catch (error) {
    console.error('[dify-chatbot] The chatbot failed to start:', error);
  }
}

// Works from <head>, with defer or async, or injected after load; never assigns
// document.body.onload (Dify's embed does, overwriting the page's own handler).
if (document.body) boot();
else document.addEventListener('DOMContentLoaded', boot, { once: true });
