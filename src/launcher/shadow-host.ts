/**
 * Creates a light-DOM host element with an open shadow root and our stylesheet.
 *
 * The host is a custom-element-named tag (never defined) rather than a `<div>`, so a page's
 * `div { … }` rules do not reach it; only its compatibility id is shared with Dify's embed.
 */
export function createShadowHost(
  doc: Document,
  tagName: string,
  id: string,
  css: string,
  nonce?: string,
): {
  host: HTMLElement;
  root: ShadowRoot;
} {
  // A page that defined our tag name (with its own shadow root) must not stop the widget.
  const registry = doc.defaultView?.customElements;
  let name = tagName;
  for (let suffix = 2; registry?.get(name); suffix++) name = `${tagName}-${suffix}`;
  const host = doc.createElement(name);
  host.id = id;
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, css, nonce);
  return { host, root };
}

/**
 * Constructable stylesheets pass a strict `style-src` CSP; browsers without them get a `<style>`
 * element carrying the configured nonce (docs/ARCHITECTURE.md §5).
 */
export function adoptStyles(root: ShadowRoot, css: string, nonce?: string): void {
  const doc = root.ownerDocument;
  const view = doc.defaultView;
  if (view && 'adoptedStyleSheets' in root && typeof view.CSSStyleSheet?.prototype.replaceSync === 'function') {
    const sheet = new view.CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  const style = doc.createElement('style');
  if (nonce) style.nonce = nonce;
  style.textContent = css;
  root.append(style);
}
