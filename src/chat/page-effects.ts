/**
 * Locks the host page's scrolling while the full-screen sheet is open on a phone, restoring the
 * page's own inline values afterwards.
 */
export function lockPageScroll(doc: Document): () => void {
  const targets = [doc.documentElement, doc.body].filter(Boolean) as HTMLElement[];
  const previous = targets.map((element) => element.style.getPropertyValue('overflow'));
  const priorities = targets.map((element) => element.style.getPropertyPriority('overflow'));
  targets.forEach((element) => element.style.setProperty('overflow', 'hidden', 'important'));
  return () =>
    targets.forEach((element, index) => {
      if (previous[index]) element.style.setProperty('overflow', previous[index]!, priorities[index]);
      else element.style.removeProperty('overflow');
    });
}

/**
 * Keeps the full-screen sheet above the on-screen keyboard: the visual viewport shrinks when the
 * keyboard opens, and the sheet follows it through CSS variables read by window.css.
 */
export function followVisualViewport(host: HTMLElement, win: Window): () => void {
  const viewport = win.visualViewport;
  if (!viewport) return () => {};
  const update = () => {
    host.style.setProperty('--dcb-viewport-height', `${viewport.height}px`);
    host.style.setProperty('--dcb-viewport-top', `${viewport.offsetTop}px`);
  };
  update();
  viewport.addEventListener('resize', update);
  viewport.addEventListener('scroll', update);
  return () => {
    viewport.removeEventListener('resize', update);
    viewport.removeEventListener('scroll', update);
    host.style.removeProperty('--dcb-viewport-height');
    host.style.removeProperty('--dcb-viewport-top');
  };
}
