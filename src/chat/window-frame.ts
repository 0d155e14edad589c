import type { MountHelpers } from '../launcher/chat-contract.ts';
import { anchorWindow } from '../launcher/position.ts';
import windowCss from '../styles/window.css';
import { followVisualViewport, lockPageScroll } from './page-effects.ts';

export const WINDOW_ID = 'dify-chatbot-bubble-window';
const MOBILE_QUERY = '(max-width: 640px)';

export interface WindowFrameOptions {
  doc: Document;
  bubble: HTMLElement;
  label: string;
  nonce?: string | undefined;
  mount: MountHelpers;
  /** Escape inside the window. */
  onEscape(): void;
  onMobileChange(isMobile: boolean): void;
}

/**
 * The chat window's host element (#dify-chatbot-bubble-window) and its place on the page: next to
 * the bubble on desktops, a full-screen sheet above the on-screen keyboard on phones (page scroll
 * locked meanwhile). Everything it adds to the page is undone by `destroy()`.
 */
export function createWindowFrame({ doc, bubble, label, nonce, mount, onEscape, onMobileChange }: WindowFrameOptions) {
  const win = doc.defaultView ?? window;
  const { host, root } = mount.createShadowHost(doc, 'dify-chatbot-window', WINDOW_ID, windowCss, nonce);
  host.hidden = true;
  host.setAttribute('role', 'dialog');
  host.setAttribute('aria-label', label);
  host.tabIndex = -1;
  const cleanups: Array<() => void> = [];
  let releaseScroll: (() => void) | null = null;
  let releaseViewport: (() => void) | null = null;
  const mobile = win.matchMedia?.(MOBILE_QUERY);
  const isMobile = () => mobile?.matches ?? false;
  const isOpen = () => !host.hidden;

  const place = () => {
    if (!isOpen() || isMobile()) return;
    // Measure the size the stylesheets (ours or the page's) give, without our previous fit.
    const style = host.style;
    style.maxWidth = style.maxHeight = '';
    const size = host.getBoundingClientRect();
    const box = anchorWindow(bubble.getBoundingClientRect(), size, mount.viewportSize(doc));
    style.left = `${box.left}px`;
    style.top = `${box.top}px`;
    // Squeezed only where no side of the bubble has room for all of it.
    if (box.width < size.width) style.maxWidth = `${box.width}px`;
    if (box.height < size.height) style.maxHeight = `${box.height}px`;
  };

  // On the host itself, which destroy() removes: nothing to undo on the page.
  host.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.stopPropagation();
      onEscape();
    }
  });

  if (typeof ResizeObserver !== 'undefined') {
    // The page's CSS may size the window (Dify's snippet does); re-anchor whenever it changes.
    const observer = new ResizeObserver(place);
    observer.observe(host);
    cleanups.push(() => observer.disconnect());
  }
  win.addEventListener('resize', place);
  cleanups.push(() => win.removeEventListener('resize', place));
  if (mobile) {
    const onChange = () => {
      onMobileChange(mobile.matches);
      if (!isOpen()) return;
      releaseScroll?.();
      releaseScroll = mobile.matches ? lockPageScroll(doc) : null;
      place();
    };
    mobile.addEventListener?.('change', onChange);
    cleanups.push(() => mobile.removeEventListener?.('change', onChange));
  }
  doc.body.append(host);

  return {
    host,
    root,
    isMobile,
    place,
    show() {
      if (isOpen()) return;
      host.hidden = false;
      place();
      if (isMobile()) releaseScroll = lockPageScroll(doc);
      releaseViewport = followVisualViewport(host, win);
    },
    hide() {
      if (!isOpen()) return;
      host.hidden = true;
      releaseScroll?.();
      releaseScroll = null;
      releaseViewport?.();
      releaseViewport = null;
    },
    setExpanded(expanded: boolean) {
      host.toggleAttribute('data-expanded', expanded);
      place();
    },
    setDragging(dragging: boolean) {
      host.toggleAttribute('data-dragging', dragging);
      // Hidden meanwhile (visibility), so placing it at every change is harmless.
      place();
    },
    setLabel(text: string) {
      host.setAttribute('aria-label', text);
    },
    /** True when the page's focus is inside the window. */
    hasFocus: () => doc.activeElement === host,
    destroy() {
      this.hide();
      cleanups.splice(0).forEach((cleanup) => cleanup());
      host.remove();
    },
  };
}

export type WindowFrame = ReturnType<typeof createWindowFrame>;
