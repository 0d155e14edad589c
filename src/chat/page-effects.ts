/**
 * Locks the host page's scrolling while the full-screen sheet is open on a phone, restoring the
 * page's own inline values afterwards.
 */
export function lockPageScroll(doc: Document): () => void {
  const targets = [doc.documentElement, doc.body].filter(Boolean) as HTMLElement[];
  const previous = targets.map((el) => el.style.getPropertyValue('overflow'));
  const priorities = targets.map((el) => el.style.getPropertyPriority('overflow'));
  targets.forEach((el) => el.style.setProperty('overflow', 'hidden', 'important'));
  return () =>
    targets.forEach((el, i) => {
      if (previous[i]) el.style.setProperty('overflow', previous[i]!, priorities[i]);
      else el.style.removeProperty('overflow');
    });
}

/**
 * Keeps the full-screen sheet above the on-screen keyboard: the visual viewport shrinks when the
 * keyboard opens, and the sheet follows it through CSS variables read by window.css.
 */
export function followVisualViewport(host: HTMLElement, win: Window): () => void {
  const vv = win.visualViewport;
  if (!vv) return () => {};
  const update = () => {
    host.style.setProperty('--dcb-viewport-height', `${vv.height}px`);
    host.style.setProperty('--dcb-viewport-top', `${vv.offsetTop}px`);
  };
  update();
  vv.addEventListener('resize', update);
  vv.addEventListener('scroll', update);
  return () => {
    vv.removeEventListener('resize', update);
    vv.removeEventListener('scroll', update);
    host.style.removeProperty('--dcb-viewport-height');
    host.style.removeProperty('--dcb-viewport-top');
  };
}
