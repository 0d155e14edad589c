import type { ResolvedConfig } from '../config/types.ts';
import { launcherStrings } from '../i18n/launcher-strings.ts';
import bubbleCss from '../styles/bubble.css';
import { forgetStored, pageMemory, safeStorage, storageKey, type SafeStorage } from '../util/storage.ts';
import { createBubble } from './bubble.ts';
import type { ChatContext, ChatInstance, ChatModule } from './chat-contract.ts';
import { applyContainerProps } from './container-props.ts';
import { createDragHandlers } from './drag.ts';
import { clampBubble, parseStoredPosition, type BubblePosition } from './position.ts';
import { adoptStyles, createShadowHost } from './shadow-host.ts';
import { createLauncherState } from './state.ts';
import { viewportSize } from './viewport.ts';

export const BUBBLE_ID = 'dify-chatbot-bubble-button';

export interface LauncherOptions {
  /** Fetches the chat stage (docs/ARCHITECTURE.md §3); `container` may hold a script element. */
  loadChat(container: ShadowRoot, config: ResolvedConfig): Promise<ChatModule>;
  /** Fetch the chat stage when the page is idle, before any intent. */
  prefetchWhenIdle?: boolean;
  document?: Document;
}

export interface Launcher {
  open(): void;
  close(): void;
  toggle(): void;
  /** Removes every element, listener, timer and stream the widget added. */
  destroy(): void;
  /**
   * destroy(), then removes every key the widget wrote for this token, for any user, from
   * localStorage, sessionStorage and memory: for a site's log-out on a shared computer.
   */
  forget(): void;
}

/**
 * Mounts the bubble into the page and fetches the chat stage (which owns the window) on intent,
 * when idle, or at the latest on click. Everything it adds is undone by `destroy()`.
 */
export function startLauncher(config: ResolvedConfig, options: LauncherOptions): Launcher {
  const doc = options.document ?? document;
  const win = doc.defaultView ?? window;
  const locale = config.systemVariables.locale ?? win.navigator?.language;
  const strings = launcherStrings(locale);
  const state = createLauncherState();
  // README "What the widget stores": the `storage` option picks where; a destroyed widget writes
  // nothing, so a passport minted after forget() cannot bring a key back.
  const kept = safeStorage(
    () => (config.storage === 'memory' ? null : config.storage === 'session' ? win.sessionStorage : win.localStorage),
    pageMemory,
  );
  const storage: SafeStorage = { ...kept, set: (key, value) => destroyed || kept.set(key, value) };
  const positionKey = storageKey('bubble-position', config.token);
  const cleanups: Array<() => void> = [];
  const listen = <K extends keyof WindowEventMap>(type: K, listener: (event: WindowEventMap[K]) => void) => {
    win.addEventListener(type, listener);
    cleanups.push(() => win.removeEventListener(type, listener));
  };
  let destroyed = false;

  const bubble = createShadowHost(doc, 'dify-chatbot-bubble', BUBBLE_ID, bubbleCss, config.nonce);
  cleanups.push(applyContainerProps(bubble.host, config.containerProps));

  const measure = () => {
    const rect = bubble.host.getBoundingClientRect();
    const viewport = viewportSize(doc);
    return {
      position: { left: rect.left, bottom: viewport.height - rect.bottom },
      bubble: { width: rect.width, height: rect.height },
      viewport,
    };
  };

  // ---- The chat stage -------------------------------------------------------------------------
  let chatModule: Promise<ChatModule | null> | null = null;
  let chat: ChatInstance | null = null;

  const context: ChatContext = {
    config,
    locale,
    bubble: bubble.host,
    onDragging: (listener) =>
      state.subscribe((next, previous) => {
        if (next.dragging !== previous.dragging) listener(next.dragging);
      }),
    requestClose: () => close(),
    focusBubble: () => button.focus(),
    mount: { createShadowHost, adoptStyles, viewportSize },
    storage,
  };

  /** Fetches the chat stage once; a failure is shown on the bubble and retried on the next try. */
  const loadChatModule = (): Promise<ChatModule | null> => {
    chatModule ??= options.loadChat(bubble.root, config).then(
      (module) => {
        if (!destroyed) state.set({ chatLoad: 'ready' });
        return module;
      },
      (error: unknown) => {
        console.error('[dify-chatbot] The chat could not be loaded; it will be retried on the next click.', error);
        chatModule = null;
        if (!destroyed) state.set({ chatLoad: 'failed' });
        return null;
      },
    );
    if (state.get().chatLoad !== 'ready') state.set({ chatLoad: 'loading' });
    return chatModule;
  };

  /** The visitor may open the chat soon: fetch it and let it start talking to the server. */
  const ensureChat = async (): Promise<ChatInstance | null> => {
    if (chat) return chat;
    const module = await loadChatModule();
    if (!module || destroyed) return null;
    chat ??= module.createChat(context);
    chat.prepare();
    return chat;
  };

  const open = () => {
    if (destroyed || state.get().open) return;
    state.set({ open: true });
    void ensureChat().then((instance) => {
      // The visitor may have clicked again while the chat was loading.
      if (!instance) state.set({ open: false });
      else if (state.get().open) button.ariaControlsElements = [instance.show()];
    });
  };

  const close = () => {
    if (!state.get().open) return;
    state.set({ open: false });
    chat?.hide();
  };

  const toggle = () => (state.get().open ? close() : open());

  // ---- Dragging -------------------------------------------------------------------------------
  const drag = config.draggable
    ? createDragHandlers({
        axis: config.dragAxis,
        measure,
        onDragStart: () => state.set({ dragging: true }),
        onMove: (position) => state.set({ position }),
        onDragEnd: (position) => {
          state.set({ dragging: false, position });
          storage.set(positionKey, JSON.stringify(position));
        },
      })
    : null;

  const applyPosition = (position: BubblePosition) => {
    const style = bubble.host.style;
    // Dify's embed writes these same variables while dragging (docs/PROTOCOL.md §5.2).
    style.setProperty('--dify-chatbot-bubble-button-left', `${position.left}px`);
    style.setProperty('--dify-chatbot-bubble-button-bottom', `${position.bottom}px`);
    style.setProperty('--dify-chatbot-bubble-button-right', 'auto');
    style.setProperty('--dify-chatbot-bubble-button-top', 'auto');
  };

  // ---- Mount ----------------------------------------------------------------------------------
  const { button, update } = createBubble(bubble.root, { strings, drag, onToggle: toggle, onIntent: () => void ensureChat() });

  cleanups.push(
    state.subscribe((next, previous) => {
      // Not on every pointer move of a drag: the button shows only these two.
      if (next.open !== previous.open || next.chatLoad !== previous.chatLoad) update(next);
      if (next.position && next.position !== previous.position) applyPosition(next.position);
      if (next.dragging !== previous.dragging) bubble.host.toggleAttribute('data-dragging', next.dragging);
      // bubble.css hides the bubble under a phone's full-screen sheet, whose header closes it.
      if (next.open !== previous.open) bubble.host.toggleAttribute('data-open', next.open);
    }),
  );
  update(state.get());
  bubble.host.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.get().open) close();
  });
  doc.body.append(bubble.host);

  if (config.draggable) {
    const stored = parseStoredPosition(storage.get(positionKey));
    if (stored) state.set({ position: clampBubble(stored, measure().bubble, viewportSize(doc)) });
  }
  listen('resize', () => {
    const { position } = state.get();
    if (position) state.set({ position: clampBubble(position, measure().bubble, viewportSize(doc)) });
  });
  listen('keydown', (event) => {
    // Escape with nothing focused (the visitor clicked the page background) also closes, as in Dify.
    if (event.key === 'Escape' && state.get().open && (doc.activeElement === doc.body || !doc.activeElement)) close();
  });

  if (options.prefetchWhenIdle) {
    // Only the chat's code: talking to the server waits for the visitor's intent.
    // After the page's load, so it never competes with the page's own loading. Safari has no
    // requestIdleCallback: a short timeout there, about when the others' idle time comes.
    const prefetch = () => void loadChatModule();
    let handle = 0;
    const schedule = () => (handle = win.requestIdleCallback?.(prefetch, { timeout: 5000 }) ?? win.setTimeout(prefetch, 50));
    if (doc.readyState === 'complete') schedule();
    else listen('load', schedule);
    cleanups.push(() => (win.cancelIdleCallback ?? win.clearTimeout)(handle));
  }

  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    chat?.destroy();
    cleanups.splice(0).forEach((fn) => fn());
    bubble.host.remove();
  };

  return {
    open,
    close,
    toggle,
    destroy,
    forget() {
      destroy();
      forgetStored(config.token, win);
    },
  };
}
