import { effect } from '@preact/signals';
import { render } from 'preact';
import type { ResolvedConfig } from '../config/types.ts';
import { stringsFor } from '../i18n/strings.ts';
import bubbleCss from '../styles/bubble.css';
import windowCss from '../styles/window.css';
import { safeStorage, storageKey } from '../util/storage.ts';
import { Bubble } from './Bubble.tsx';
import type { ChatContext, ChatInstance, ChatModule } from './chat-contract.ts';
import { applyContainerProps } from './container-props.ts';
import { createDragHandlers } from './drag.ts';
import { anchorWindow, clampBubble, parseStoredPosition, type BubblePosition } from './position.ts';
import { createShadowHost } from './shadow-host.ts';
import { createLauncherState } from './state.ts';
import { followVisualViewport, lockPageScroll, viewportSize } from './viewport.ts';
import { WindowPlaceholder } from './WindowPlaceholder.tsx';

export const BUBBLE_ID = 'dify-chatbot-bubble-button';
export const WINDOW_ID = 'dify-chatbot-bubble-window';
const MOBILE_QUERY = '(max-width: 640px)';

export interface LauncherOptions {
  /** Fetches the chat stage (DESIGN.md §3). */
  loadChat(): Promise<ChatModule>;
  document?: Document;
}

export interface Launcher {
  open(): void;
  close(): void;
  toggle(): void;
  /** Removes every element, listener, timer and stream the widget added. */
  destroy(): void;
}

/**
 * Mounts the bubble (and, on first open, the window) into the page. The only place that touches
 * the host document; everything it adds is undone by `destroy()`.
 */
export function startLauncher(config: ResolvedConfig, options: LauncherOptions): Launcher {
  const doc = options.document ?? document;
  const win = doc.defaultView ?? window;
  const strings = stringsFor(config.systemVariables.locale ?? win.navigator?.language);
  const state = createLauncherState();
  const storage = safeStorage(() => win.localStorage);
  const positionKey = storageKey('bubble-position', config.token);
  const cleanups: Array<() => void> = [];
  const listen = <K extends keyof WindowEventMap>(target: Window, type: K, fn: (e: WindowEventMap[K]) => void) => {
    target.addEventListener(type, fn);
    cleanups.push(() => target.removeEventListener(type, fn));
  };
  let destroyed = false;

  const bubble = createShadowHost(doc, 'dify-chatbot-bubble', BUBBLE_ID, bubbleCss, config.nonce);
  cleanups.push(applyContainerProps(bubble.host, config.containerProps));
  const buttonRef: { current: HTMLButtonElement | null } = { current: null };

  const bubbleSize = () => {
    const rect = bubble.host.getBoundingClientRect();
    return { width: rect.width, height: rect.height };
  };
  const measure = () => {
    const rect = bubble.host.getBoundingClientRect();
    const viewport = viewportSize(doc);
    return {
      position: { left: rect.left, bottom: viewport.height - rect.bottom },
      bubble: { width: rect.width, height: rect.height },
      viewport,
    };
  };

  // ---- Window ---------------------------------------------------------------------------------
  let frame: { host: HTMLElement; root: ShadowRoot; placeholder: HTMLElement | null } | null = null;
  let chat: ChatInstance | null = null;
  let chatPending: Promise<ChatInstance | null> | null = null;
  let chatMounted = false;
  let releaseScroll: (() => void) | null = null;
  let releaseViewport: (() => void) | null = null;
  let dialogLabel = strings.chatWindow;

  const ensureFrame = () => {
    if (frame) return frame;
    const created = createShadowHost(doc, 'dify-chatbot-window', WINDOW_ID, windowCss, config.nonce);
    created.host.hidden = true;
    created.host.setAttribute('role', 'dialog');
    created.host.setAttribute('aria-label', dialogLabel);
    created.host.tabIndex = -1;
    created.host.addEventListener('keydown', onWindowKeyDown);
    const placeholder = doc.createElement('div');
    placeholder.className = 'frame';
    created.root.append(placeholder);
    render(<WindowPlaceholder state={state} strings={strings} />, placeholder);
    doc.body.append(created.host);
    if (buttonRef.current) buttonRef.current.ariaControlsElements = [created.host];
    if (typeof ResizeObserver !== 'undefined') {
      // The page's CSS may size the window (Dify's snippet does); re-anchor whenever it changes.
      const observer = new ResizeObserver(() => placeWindow());
      observer.observe(created.host);
      cleanups.push(() => observer.disconnect());
    }
    frame = { ...created, placeholder };
    return frame;
  };

  const placeWindow = () => {
    if (!frame || !state.open.value || state.isMobile.value) return;
    const host = frame.host;
    // Measure the size the stylesheets (ours or the page's) give, without our previous fit.
    host.style.removeProperty('max-height');
    const size = host.getBoundingClientRect();
    const anchor = anchorWindow(bubble.host.getBoundingClientRect(), size, viewportSize(doc));
    host.style.left = `${anchor.left}px`;
    host.style.top = `${anchor.top}px`;
    if (anchor.maxHeight < size.height) host.style.maxHeight = `${anchor.maxHeight}px`;
  };

  const context: ChatContext = {
    config,
    strings,
    open: state.open,
    expanded: state.expanded,
    isMobile: state.isMobile,
    close: () => close(),
    toggleExpanded: () => (state.expanded.value = !state.expanded.value),
    setLabel: (label) => {
      dialogLabel = label;
      frame?.host.setAttribute('aria-label', label);
    },
  };

  /** Loads the chat stage once; a failure is shown on the bubble and retried on the next open. */
  const ensureChat = (): Promise<ChatInstance | null> => {
    if (chat) return Promise.resolve(chat);
    if (!chatPending) {
      state.chatLoad.value = 'loading';
      chatPending = options.loadChat().then(
        (module) => {
          if (destroyed) return null;
          chat = module.createChat(context);
          state.chatLoad.value = 'ready';
          chat.prepare();
          return chat;
        },
        (error: unknown) => {
          console.error('[dify-chatbot] The chat could not be loaded; it will be retried on the next click.', error);
          state.chatLoad.value = 'failed';
          chatPending = null;
          return null;
        },
      );
    }
    return chatPending;
  };

  const showChat = (instance: ChatInstance) => {
    if (!frame || destroyed) return;
    if (!chatMounted) {
      chatMounted = true;
      if (frame.placeholder) {
        render(null, frame.placeholder);
        frame.placeholder.remove();
        frame.placeholder = null;
      }
      instance.mount(frame.root);
    }
    if (state.open.value) instance.focus();
  };

  const open = () => {
    if (destroyed || state.open.value) return;
    const { host } = ensureFrame();
    state.open.value = true;
    host.hidden = false;
    placeWindow();
    if (state.isMobile.value) releaseScroll = lockPageScroll(doc);
    releaseViewport = followVisualViewport(host, win);
    void ensureChat().then((instance) => {
      if (instance) showChat(instance);
      else if (state.open.value) frame?.host.focus();
    });
  };

  const close = () => {
    if (!state.open.value || !frame) return;
    // Return focus to the bubble only when it was in the widget; never steal it from the page.
    const active = doc.activeElement;
    const focusInside = active === frame.host || active === bubble.host;
    state.open.value = false;
    frame.host.hidden = true;
    releaseScroll?.();
    releaseScroll = null;
    releaseViewport?.();
    releaseViewport = null;
    if (focusInside) buttonRef.current?.focus();
  };

  const toggle = () => (state.open.value ? close() : open());

  function onWindowKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.stopPropagation();
      close();
    }
  }

  // ---- Dragging -------------------------------------------------------------------------------
  const drag = config.draggable
    ? createDragHandlers({
        axis: config.dragAxis,
        measure,
        onDragStart: () => (state.dragging.value = true),
        onMove: (position) => (state.position.value = position),
        onDragEnd: (position) => {
          state.dragging.value = false;
          state.position.value = position;
          storage.set(positionKey, JSON.stringify(position));
          placeWindow();
        },
      })
    : null;

  const applyPosition = (position: BubblePosition | null) => {
    const style = bubble.host.style;
    if (!position) return;
    // Dify's embed writes these same variables while dragging (PROTOCOL.md §5.2).
    style.setProperty('--dify-chatbot-bubble-button-left', `${position.left}px`);
    style.setProperty('--dify-chatbot-bubble-button-bottom', `${position.bottom}px`);
    style.setProperty('--dify-chatbot-bubble-button-right', 'auto');
    style.setProperty('--dify-chatbot-bubble-button-top', 'auto');
  };

  // ---- Mount ----------------------------------------------------------------------------------
  render(
    <Bubble state={state} strings={strings} drag={drag} buttonRef={buttonRef} onToggle={toggle} onIntent={() => void ensureChat()} />,
    bubble.root,
  );
  bubble.host.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.open.value) close();
  });
  doc.body.append(bubble.host);

  if (config.draggable) {
    const stored = parseStoredPosition(storage.get(positionKey));
    if (stored) state.position.value = clampBubble(stored, bubbleSize(), viewportSize(doc));
  }

  const mobile = win.matchMedia?.(MOBILE_QUERY);
  if (mobile) {
    state.isMobile.value = mobile.matches;
    const onChange = () => {
      state.isMobile.value = mobile.matches;
      if (!state.open.value) return;
      releaseScroll?.();
      releaseScroll = mobile.matches ? lockPageScroll(doc) : null;
      placeWindow();
    };
    mobile.addEventListener?.('change', onChange);
    cleanups.push(() => mobile.removeEventListener?.('change', onChange));
  }

  cleanups.push(
    effect(() => applyPosition(state.position.value)),
    effect(() => {
      const dragging = state.dragging.value;
      bubble.host.toggleAttribute('data-dragging', dragging);
      frame?.host.toggleAttribute('data-dragging', dragging);
    }),
    effect(() => {
      const expanded = state.expanded.value;
      frame?.host.toggleAttribute('data-expanded', expanded);
      placeWindow();
    }),
  );

  listen(win, 'resize', () => {
    if (state.position.value) state.position.value = clampBubble(state.position.value, bubbleSize(), viewportSize(doc));
    placeWindow();
  });
  listen(win, 'keydown', (event) => {
    // Escape with nothing focused (the visitor clicked the page background) also closes, as in Dify.
    if (event.key === 'Escape' && state.open.value && (doc.activeElement === doc.body || !doc.activeElement)) close();
  });

  return {
    open,
    close,
    toggle,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      close();
      chat?.destroy();
      cleanups.splice(0).forEach((fn) => fn());
      render(null, bubble.root);
      bubble.host.remove();
      if (frame) {
        frame.host.removeEventListener('keydown', onWindowKeyDown);
        if (frame.placeholder) render(null, frame.placeholder);
        frame.host.remove();
      }
    },
  };
}
