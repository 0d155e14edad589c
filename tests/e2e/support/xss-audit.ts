import type { Page, Route } from '@playwright/test';

/**
 * Traps and audits for hostile content: anything that executes, and anything in the widget's DOM
 * that could execute or navigate somewhere it should not.
 */

/** Payloads used by the tests: each would call alert() or set window.__xssHit if it ever ran. */
export const PAYLOADS = {
  img: `<img src=x onerror=alert(1)>`,
  script: `<script>alert('script')</script>`,
  svg: `<svg onload="window.__xssHit=1"><circle r="9"/></svg>`,
  iframe: `<iframe src="javascript:alert('iframe')"></iframe>`,
  link: `javascript:alert('link')`,
  quoted: `"><img src=x onerror="window.__xssHit=1">`,
  math: `<math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
} as const;

/** Everything above in one line of text. */
export const ALL_PAYLOADS = Object.values(PAYLOADS).join(' ');

/**
 * Installs, before any page script: traps on the functions payloads call (alert, confirm, prompt,
 * print) and on `window.__xssHit`, and a watcher on every shadow root the widget attaches that
 * records forbidden nodes and attributes the moment they appear (so a node that exists only
 * mid-stream is caught too).
 */
export async function installXssTraps(page: Page): Promise<{ dialogs: string[] }> {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __xss?: string[]; __xssLive: string[] };
    // Keep in step with auditWidget below (init scripts cannot share code with it).
    const FORBIDDEN = /^(script|iframe|frame|frameset|object|embed|applet|form|math|base|meta|link|foreignobject|template|portal)$/;
    const isOwn = (el: Element) =>
      (el.localName === 'form' && el.classList.contains('composer') && !el.hasAttribute('action')) ||
      (el.localName === 'script' &&
        !el.textContent &&
        /^https?:\/\/[^/]+\/(chat|answer-extras)-[\w-]+(\.min)?\.js$/.test((el as HTMLScriptElement).src));
    const hit = (what: string) => (w.__xss ??= []).push(what);
    for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
      (window as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => hit(`${name}(${args.map(String).join(', ')})`);
    }
    Object.defineProperty(window, '__xssHit', { configurable: true, set: (v) => hit(`__xssHit = ${String(v)}`), get: () => undefined });

    w.__xssLive = [];
    const check = (node: Node) => {
      if (!(node instanceof Element)) return;
      for (const el of [node, ...node.querySelectorAll('*')]) {
        const tag = el.localName;
        if (FORBIDDEN.test(tag) && !isOwn(el)) w.__xssLive.push(`<${tag}> appeared: ${el.outerHTML.slice(0, 100)}`);
        for (const attr of el.getAttributeNames()) {
          if (/^on/i.test(attr)) w.__xssLive.push(`<${tag} ${attr}> appeared`);
        }
      }
    };
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (this: Element, init: ShadowRootInit) {
      const root = attach.call(this, init);
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'childList') r.addedNodes.forEach(check);
          else if (r.type === 'attributes' && r.attributeName && /^on/i.test(r.attributeName))
            w.__xssLive.push(`${r.attributeName} set on <${(r.target as Element).localName}>`);
        }
      }).observe(root, { subtree: true, childList: true, attributes: true });
      return root;
    };
  });
  return { dialogs };
}

export interface AuditReport {
  /** Calls of the trapped functions, or `__xssHit` writes. */
  executed: string[] | null;
  /** Forbidden nodes or attributes seen at any time by the shadow-root watchers. */
  live: string[];
  /** Problems found by walking both shadow roots now. */
  found: string[];
  /** How many elements the walk saw (a walk of nothing proves nothing). */
  elements: number;
}

/**
 * Walks both widget shadow roots (and any shadow root inside them). Flags: forbidden elements; SVG
 * that is not one of the widget's own decorative icons (aria-hidden, only shapes inside); any `on…`
 * attribute; a URL attribute that is not http(s), mailto or tel; inline styles loading URLs.
 */
export async function auditWidget(page: Page): Promise<AuditReport> {
  return page.evaluate(() => {
    const found: string[] = [];
    let elements = 0;
    // The widget's own elements of otherwise forbidden kinds: the composer form (no action) and the
    // chat-stage script it loads into its shadow root (from the embed script's origin, no inline code).
    const FORBIDDEN = /^(script|iframe|frame|frameset|object|embed|applet|form|math|base|meta|link|foreignobject|template|portal)$/;
    const isOwn = (el: Element) =>
      (el.localName === 'form' && el.classList.contains('composer') && !el.hasAttribute('action')) ||
      (el.localName === 'script' &&
        !el.textContent &&
        /^https?:\/\/[^/]+\/(chat|answer-extras)-[\w-]+(\.min)?\.js$/.test((el as HTMLScriptElement).src));
    const URL_ATTRS = [
      'href',
      'src',
      'srcset',
      'action',
      'formaction',
      'xlink:href',
      'poster',
      'data',
      'background',
      'ping',
      'cite',
      'longdesc',
    ];
    const SHAPES = /^(path|rect|circle|ellipse|line|polyline|polygon|g)$/;
    const describe = (el: Element) =>
      `<${el.localName}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}>`;
    const walk = (root: ShadowRoot | Element) => {
      for (const el of root.querySelectorAll('*')) {
        elements++;
        const tag = el.localName;
        if (FORBIDDEN.test(tag) && !isOwn(el)) found.push(`forbidden element ${describe(el)}: ${el.outerHTML.slice(0, 100)}`);
        if (tag === 'style' && !(el as HTMLStyleElement).nonce) found.push('a <style> element without the configured nonce');
        if (tag === 'svg') {
          if (el.getAttribute('aria-hidden') !== 'true')
            found.push(`an <svg> that is not a decorative icon: ${el.outerHTML.slice(0, 120)}`);
          for (const child of el.querySelectorAll('*')) {
            if (!SHAPES.test(child.localName)) found.push(`<${child.localName}> inside an <svg>`);
          }
        }
        for (const attr of el.getAttributeNames()) {
          const value = el.getAttribute(attr) ?? '';
          if (/^on/i.test(attr)) found.push(`${describe(el)} has ${attr}="${value.slice(0, 60)}"`);
          if (URL_ATTRS.includes(attr.toLowerCase())) {
            const urls = attr === 'srcset' ? value.split(',').map((s) => s.trim().split(/\s+/)[0] ?? '') : [value];
            for (const raw of urls) {
              let protocol = '';
              try {
                protocol = new URL(raw, document.baseURI).protocol;
              } catch {
                protocol = 'invalid';
              }
              if (!/^(https?|mailto|tel):$/.test(protocol)) found.push(`${describe(el)} ${attr}="${raw.slice(0, 80)}"`);
            }
          }
          if (attr === 'style' && /url\s*\(|expression\s*\(|javascript:/i.test(value))
            found.push(`${describe(el)} style="${value.slice(0, 80)}"`);
        }
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    for (const id of ['dify-chatbot-bubble-button', 'dify-chatbot-bubble-window']) {
      const root = document.getElementById(id)?.shadowRoot;
      if (root) walk(root);
      else found.push(`#${id} has no open shadow root`);
    }
    const w = window as unknown as { __xss?: string[]; __xssLive: string[] };
    return { executed: w.__xss ?? null, live: w.__xssLive, found, elements };
  });
}

/** Rewrites every `data: {json}` event of an SSE body with `change` (return the event to keep it). */
export function rewriteSse(body: string, change: (event: Record<string, unknown>) => Record<string, unknown>): string {
  return body.replace(
    /^data: (\{.*\})$/gm,
    (_, json: string) => `data: ${JSON.stringify(change(JSON.parse(json) as Record<string, unknown>))}`,
  );
}

/**
 * Serves the real mock response for `url`, rewritten: content the mock cannot be told to make
 * hostile (tool labels, citation names) is injected into the genuine protocol shape.
 */
export async function rewriteResponses(page: Page, url: RegExp, rewrite: (body: string) => string): Promise<void> {
  await page.route(url, async (route: Route) => {
    if (route.request().method() === 'OPTIONS') return route.continue();
    const response = await route.fetch();
    await route.fulfill({ response, body: rewrite(await response.text()) });
  });
}
