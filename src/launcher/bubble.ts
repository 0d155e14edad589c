import type { LauncherStrings } from '../i18n/launcher-strings.ts';
import type { createDragHandlers } from './drag.ts';
import type { LauncherSnapshot } from './state.ts';

export interface BubbleOptions {
  strings: LauncherStrings;
  /** Drag handlers when `draggable` is on. */
  drag: ReturnType<typeof createDragHandlers> | null;
  onToggle(): void;
  /** Pointer over, focus or touch: the visitor may open the chat soon, so start fetching it. */
  onIntent(): void;
}

export interface Bubble {
  button: HTMLButtonElement;
  /** Shows a launcher state: name, expanded, busy, icon and failure dot. */
  update(state: LauncherSnapshot): void;
}

const SVG = 'http://www.w3.org/2000/svg';
/** Decorative icons (the button carries the accessible name), by what the button shows. */
const ICONS = {
  chat: ['M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12Z', 'M8.5 12h.01M12 12h.01M15.5 12h.01'],
  close: ['m6 9 6 6 6-6'],
};

/**
 * The floating chat button: a real `<button>` with its state exposed to assistive technology.
 * Built with a few DOM calls rather than Preact: it is all that embed.min.js draws, every page
 * view downloads that file, and Preact alone would be 4 KB of it (the 8 KB budget). The chat file brings
 * Preact for the window. Only fixed strings and our own attribute values reach the DOM here.
 */
export function createBubble(root: ShadowRoot, { strings, drag, onToggle, onIntent }: BubbleOptions): Bubble {
  const doc = root.ownerDocument;
  const element = <K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string>) => {
    const node = doc.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    return node;
  };
  const icon = (paths: string[]) => {
    const svg = doc.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    for (const path of paths) svg.appendChild(doc.createElementNS(SVG, 'path')).setAttribute('d', path);
    return svg;
  };
  const faces = { chat: icon(ICONS.chat), close: icon(ICONS.close), loading: element('span', { class: 'spinner', 'aria-hidden': 'true' }) };
  const status = element('span', { class: 'status', 'aria-hidden': 'true' });

  const button = element('button', { type: 'button', 'aria-haspopup': 'dialog' });
  // Handler properties rather than addEventListener: fewer bytes, and nothing else sets them.
  button.onclick = () => {
    if (!drag?.consumeClick()) onToggle();
  };
  button.onpointerenter = button.onfocus = button.ontouchstart = onIntent;
  if (drag) {
    button.onpointerdown = drag.onPointerDown;
    button.onpointermove = drag.onPointerMove;
    button.onpointerup = drag.onPointerUp;
    button.onpointercancel = drag.onPointerCancel;
    button.onkeydown = (event) => {
      if (drag.onKey(event)) event.preventDefault();
    };
    // Hidden, yet still read as the description: aria-describedby names it directly.
    const hint = element('span', { id: 'move-hint', hidden: '' });
    hint.textContent = strings.moveHint;
    root.append(hint);
    button.setAttribute('aria-describedby', 'move-hint');
  }
  root.prepend(button);

  let shown: keyof typeof faces | null = null;
  return {
    button,
    update({ open, chatLoad }) {
      const failed = chatLoad === 'failed';
      // Opening waits for the chat file on a cold click: say so rather than look dead.
      const loading = open && chatLoad === 'loading';
      const label = failed ? strings.chatLoadFailed : open ? strings.closeChat : strings.openChat;
      button.setAttribute('aria-label', label);
      button.title = label;
      button.setAttribute('aria-expanded', String(open));
      button.setAttribute('aria-busy', String(loading));
      const face = loading ? 'loading' : open ? 'close' : 'chat';
      if (face !== shown) {
        shown = face;
        button.replaceChildren(faces[face]);
      }
      if (failed) button.append(status);
      else status.remove();
    },
  };
}
