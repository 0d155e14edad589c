/**
 * The chat stage (docs/ARCHITECTURE.md §3): the window and everything in it. Loaded lazily by the launcher
 * through {@link ChatModule}; creating it touches no network until `prepare()` and adds nothing
 * to the page until `show()`.
 */
import { computed, effect, signal } from '@preact/signals';
import { render } from 'preact';
import { createApiClient } from '../api/client.ts';
import { warmUpWhenIdle } from './warm-up.ts';
import { localePackFor } from '../i18n/locale.ts';
import { stringsFor, type Strings } from '../i18n/strings.ts';
import type { ChatContext, ChatInstance } from '../launcher/chat-contract.ts';
import { createActions } from '../state/actions.ts';
import { createStore } from '../state/store.ts';
import chatCss from '../styles/chat.css';
import markdownCss from '../styles/markdown.css';
import { ChatPanel } from '../ui/ChatPanel.tsx';
import type { LocalePack } from './part-table.ts';
import { createPartSlot, type ChatParts, type ExtrasModule } from './parts.ts';
import { createWindowFrame, type WindowFrame } from './window-frame.ts';

export function createChat(context: ChatContext, parts: ChatParts): ChatInstance {
  const { config } = context;
  const doc = context.bubble.ownerDocument;
  const api = createApiClient({
    apiBase: config.apiBase,
    appCode: config.token,
    userId: config.systemVariables.user_id,
    storage: context.storage,
  });
  const store = createStore();
  // docs/ARCHITECTURE.md §3 i18n: the config's locale, then the site's default language, then the browser.
  const locale = computed(() => config.systemVariables.locale ?? store.site.value?.site.default_language ?? context.locale ?? 'en');
  // Another language than English is a part of its own: the window stays hidden until it is in.
  const packs = signal<Partial<Record<LocalePack, Strings>>>({});
  const strings = computed(() => stringsFor(locale.value, packs.value));
  const loadingPacks = new Map<LocalePack, Promise<void>>();
  const stringsReady = (): Promise<void> | null => {
    const pack = localePackFor(locale.peek());
    if (!pack || packs.peek()[pack]) return null;
    let loading = loadingPacks.get(pack);
    if (!loading) {
      loading = parts.load(pack).then(
        (loaded) => void (packs.value = { ...packs.value, [pack]: loaded }),
        // English it is, rather than no chat; the next page view tries again.
        (error: unknown) => console.warn(`[dify-chatbot] The ${pack} strings could not be loaded; the chat stays in English.`, error),
      );
      loadingPacks.set(pack, loading);
    }
    return loading;
  };
  const actions = createActions({ store, api, config, storage: context.storage });
  const layout = { expanded: signal(false), isMobile: signal(false) };
  const inputRef: { current: HTMLTextAreaElement | null } = { current: null };
  let frame: WindowFrame | null = null;
  /** Between show() and hide(): a show that waits for the language's strings may still happen. */
  let wantShown = false;
  let container: HTMLElement | null = null;
  const styleExtras = (module: ExtrasModule) => frame && context.mount.adoptStyles(frame.root, module.css, config.nonce);
  // The views ask for the part while rendering, so a window exists whenever it arrives.
  const extras = createPartSlot(() => parts.load('extras'), styleExtras);

  const win = doc.defaultView ?? window;
  const onOnline = () => actions.setOffline(false);
  const onOffline = () => actions.setOffline(true);
  win.addEventListener('online', onOnline);
  win.addEventListener('offline', onOffline);
  actions.setOffline(win.navigator.onLine === false);

  const cleanups = [
    () => win.removeEventListener('online', onOnline),
    () => win.removeEventListener('offline', onOffline),
    context.onDragging((dragging) => frame?.setDragging(dragging)),
    // Read the signals before touching the frame: `frame?.x(signal.value)` skips the read while
    // there is no frame yet, and the effect would never subscribe.
    effect(() => {
      const expanded = layout.expanded.value;
      frame?.setExpanded(expanded);
    }),
    effect(() => {
      const label = store.site.value?.site.title || strings.value.chatWindow;
      frame?.setLabel(label);
    }),
    // The site's default language may name another pack than the browser did: fetch it early.
    effect(() => void (locale.value && stringsReady())),
    // Only once booted: while site, parameters and history are on their way the thread is idle
    // too, and a warm-up step then would hold up the responses that make the window ready to type.
    effect(() => (store.boot.value === 'ready' ? warmUpWhenIdle() : undefined)),
  ];

  const ensureFrame = (): WindowFrame => {
    if (frame) return frame;
    const created = createWindowFrame({
      doc,
      bubble: context.bubble,
      label: store.site.value?.site.title || strings.value.chatWindow,
      nonce: config.nonce,
      mount: context.mount,
      onEscape: context.requestClose,
      onMobileChange: (isMobile) => (layout.isMobile.value = isMobile),
    });
    layout.isMobile.value = created.isMobile();
    context.mount.adoptStyles(created.root, chatCss + markdownCss, config.nonce);
    container = doc.createElement('div');
    container.className = 'panel-root';
    created.root.append(container);
    render(
      <ChatPanel
        config={config}
        strings={strings}
        locale={locale}
        layout={layout}
        onClose={context.requestClose}
        store={store}
        actions={actions}
        inputRef={inputRef}
        extras={extras}
      />,
      container,
    );
    frame = created;
    return created;
  };

  return {
    prepare() {
      void actions.boot();
    },
    show() {
      const shown = ensureFrame();
      wantShown = true;
      const reveal = () => {
        if (!wantShown || frame !== shown) return;
        shown.show();
        inputRef.current?.focus();
      };
      const ready = stringsReady();
      if (ready) void ready.then(reveal);
      else reveal();
      return shown.host;
    },
    hide() {
      wantShown = false;
      if (!frame) return;
      const focusInside = frame.hasFocus();
      frame.hide();
      if (focusInside) context.focusBubble();
    },
    destroy() {
      actions.destroy();
      cleanups.splice(0).forEach((cleanup) => cleanup());
      if (container) render(null, container);
      frame?.destroy();
      frame = null;
      container = null;
    },
  };
}
