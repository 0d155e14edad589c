/**
 * The chat stage (DESIGN.md §3): everything behind the bubble. Loaded lazily by the launcher
 * through {@link ChatModule}; creating it touches no network until `prepare()`.
 */
import { effect } from '@preact/signals';
import { render } from 'preact';
import { createApiClient } from '../api/client.ts';
import type { ChatContext, ChatInstance } from '../launcher/chat-contract.ts';
import { adoptStyles } from '../launcher/shadow-host.ts';
import markdownCss from '../styles/markdown.css';
import chatCss from '../styles/chat.css';
import { createActions } from '../state/actions.ts';
import { createStore } from '../state/store.ts';
import { ChatPanel } from '../ui/ChatPanel.tsx';
import { safeStorage } from '../util/storage.ts';

export function createChat(context: ChatContext): ChatInstance {
  const { config } = context;
  const storage = safeStorage();
  const api = createApiClient({
    apiBase: config.apiBase,
    appCode: config.token,
    userId: config.systemVariables.user_id,
  });
  const store = createStore();
  const actions = createActions({ store, api, config, storage, strings: context.strings });
  const inputRef: { current: HTMLTextAreaElement | null } = { current: null };
  let container: HTMLElement | null = null;
  const stopTitle = effect(() => {
    const title = store.site.value?.site.title;
    if (title) context.setLabel(title);
  });

  return {
    prepare() {
      void actions.boot();
    },
    mount(root) {
      adoptStyles(root, chatCss + markdownCss, config.nonce);
      container = root.ownerDocument.createElement('div');
      container.className = 'panel-root';
      root.append(container);
      render(<ChatPanel context={context} store={store} actions={actions} inputRef={inputRef} />, container);
    },
    focus() {
      inputRef.current?.focus();
    },
    destroy() {
      actions.destroy();
      stopTitle();
      if (container) render(null, container);
      container?.remove();
      container = null;
    },
  };
}
