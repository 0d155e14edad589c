/**
 * The chat stage (DESIGN.md §3): everything behind the bubble. Loaded lazily by the launcher
 * through {@link ChatModule}.
 */
import { render } from 'preact';
import type { ChatContext, ChatInstance } from '../launcher/chat-contract.ts';
import { adoptStyles } from '../launcher/shadow-host.ts';
import chatCss from '../styles/chat.css';
import { ChatPanel } from '../ui/ChatPanel.tsx';

export function createChat(context: ChatContext): ChatInstance {
  let container: HTMLElement | null = null;
  const inputRef: { current: HTMLTextAreaElement | null } = { current: null };
  return {
    prepare() {},
    mount(root) {
      adoptStyles(root, chatCss, context.config.nonce);
      container = root.ownerDocument.createElement('div');
      container.className = 'panel';
      root.append(container);
      render(<ChatPanel context={context} inputRef={inputRef} />, container);
    },
    focus() {
      inputRef.current?.focus();
    },
    destroy() {
      if (container) render(null, container);
      container?.remove();
      container = null;
    },
  };
}
