// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { safeImageSrc, safeLinkHref } from '../../../src/markdown';
import { IMAGE_BASE, LINK_BASE, md } from './render-helpers';
import { HOSTILE_URLS } from './hostile-urls';

/** Every element the renderer may create. */
const TAGS = new Set(
  'div p h1 h2 h3 h4 h5 h6 em strong del code pre a img br hr ul ol li input blockquote table thead tbody tr th td span button details summary'.split(
    ' ',
  ),
);
/** Every attribute the renderer may set. */
const ATTRS = new Set(
  'class href src alt title start type checked disabled style target rel loading decoding referrerpolicy tabindex role aria-label aria-live open'.split(
    ' ',
  ),
);
const FORBIDDEN =
  'script, iframe, svg, math, object, embed, style, frame, frameset, link, meta, base, form, textarea, template, noscript, audio, video, source';

/** The invariants that must hold for any input. */
function assertSafe(root: HTMLElement): void {
  expect(root.querySelectorAll(FORBIDDEN).length).toBe(0);
  for (const el of root.querySelectorAll('*')) {
    expect(TAGS.has(el.localName), `element <${el.localName}>`).toBe(true);
    for (const { name, value } of el.attributes) {
      expect(ATTRS.has(name), `attribute ${name} on <${el.localName}>`).toBe(true);
      expect(name.startsWith('on')).toBe(false);
      if (name === 'class') expect(value).toMatch(/^(dcb-md[\w-]*|language-[\w+#.-]{1,32})$/);
      if (name === 'style') expect(value).toMatch(/^text-align: (left|center|right);$/);
      if (name === 'type') expect(['checkbox', 'button']).toContain(value);
    }
    if (el.localName === 'a') {
      const href = el.getAttribute('href')!;
      expect(safeLinkHref(href, LINK_BASE)).toBe(href);
      expect(['http:', 'https:', 'mailto:', 'tel:']).toContain(new URL(href).protocol);
      expect(el.getAttribute('target')).toBe('_blank');
      expect(el.getAttribute('rel')).toBe('noopener noreferrer');
    }
    if (el.localName === 'img') {
      const src = el.getAttribute('src')!;
      expect(safeImageSrc(src, IMAGE_BASE)).toBe(src);
      expect(['http:', 'https:']).toContain(new URL(src).protocol);
    }
  }
}

const CASES: [name: string, src: string, visible?: string][] = [
  ['script block', '<script>alert(1)</script>', '<script>alert(1)</script>'],
  ['script inline', 'x <script>alert(1)</script> y', 'x <script>alert(1)</script> y'],
  ['script with src', '<script src="https://evil.example/x.js"></script>'],
  ['img onerror block', '<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
  ['img onerror inline', 'hi <img src=x onerror=alert(1)>', 'hi <img src=x onerror=alert(1)>'],
  ['div onmouseover', '<div onmouseover="alert(1)">hover</div>', '<div onmouseover="alert(1)">hover</div>'],
  ['details ontoggle', '<details open ontoggle=alert(1)>'],
  ['body onload', '<body onload=alert(1)>'],
  ['svg onload', '<svg onload=alert(1)>', '<svg onload=alert(1)>'],
  ['svg with script', '<svg><script>alert(1)</script></svg>'],
  ['svg animate href', 'a <svg><a><animate attributeName=href values=javascript:alert(1) /><text>x</text></a></svg>'],
  ['MathML', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>'],
  ['MathML href', 'x <math href="javascript:alert(1)">click</math>'],
  ['iframe', '<iframe src="javascript:alert(1)"></iframe>'],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>">'],
  ['object and embed', '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">'],
  ['style element', '<style>*{background:url(javascript:alert(1))}</style>'],
  ['inline style attribute', '<p style="background:url(javascript:alert(1))">x</p>'],
  ['raw anchor', 'go <a href="javascript:alert(1)">here</a>', 'go <a href="javascript:alert(1)">here</a>'],
  ['broken nesting', '<scr<script>ipt>alert(1)</script>', '<scr<script>ipt>alert(1)</script>'],
  ['double open', '<<script>script>alert(1)<</script>/script>'],
  ['unterminated tag', '<img src="x" onerror="alert(1)'],
  ['comment', '<!-- --><script>alert(1)</script> -->'],
  ['CDATA', '<![CDATA[<script>alert(1)</script>]]>'],
  ['processing instruction', '<?php echo 1 ?><script>alert(1)</script>'],
  ['form with formaction', '<form><button formaction=javascript:alert(1)>x</button></form>'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ['base href', '<base href="javascript:alert(1)//">'],
  ['template', '<template><img src=x onerror=alert(1)></template>'],
  ['html inside a table cell', '| a |\n|---|\n| <img src=x onerror=alert(1)> |'],
  ['html inside a list and quote', '- <svg onload=alert(1)>\n\n> <iframe src=x>'],
  ['html inside emphasis and link text', '*<img src=x onerror=alert(1)>* [<b onclick=alert(1)>x</b>](https://ok.example)'],
  ['html in code is code', '`<script>alert(1)</script>`\n\n```html\n<script>alert(1)</script>\n```'],
  ['link title with quotes', '[x](https://ok.example "a\\" onclick=\\"alert(1)")'],
  ['link title with single quotes', '[x](https://ok.example \'a" onmouseover="alert(1)\')'],
  ['image title with quotes', '![x](https://ok.example/a.png "\\" onerror=\\"alert(1)")'],
  ['image alt with html', '![<img src=x onerror=alert(1)>](https://ok.example/a.png)'],
  ['nested brackets', '[a [b](javascript:alert(1))](https://ok.example)'],
  ['image inside a hostile link', '[![i](javascript:alert(1))](javascript:alert(2))'],
  ['reference link to javascript:', '[x][r] and [r]\n\n[r]: javascript:alert(1)'],
  ['reference link to data:', '[x][r]\n\n[r]: <data:text/html,<script>alert(1)</script>>'],
  ['reference image to javascript:', '![x][r]\n\n[r]: javascript:alert(1)'],
  ['definition inside a quote', '> [r]: javascript:alert(1)\n\n[x][r]'],
  ['angle-bracket destination', '[x](<javascript:alert(1)>)'],
  ['autolink javascript:', '<javascript:alert(1)>'],
  ['autolink vbscript: and data:', '<vbscript:msgbox(1)> <data:text/html,x>'],
  ['language class injection', '```js" onclick="alert(1)\nx\n```'],
  ['table alignment is not a style string', '| a |\n|:-:|\n| b |'],
  ['entity-built tag', '&lt;script&gt;alert(1)&lt;/script&gt;'],
  ['numeric-entity-built tag', '&#60;img src=x onerror=alert(1)&#62;'],
];

describe('XSS: model output is inert', () => {
  let alertSpy: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    alertSpy = vi.fn();
    vi.stubGlobal('alert', alertSpy);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test.each(CASES)('%s', (_name, src, visible) => {
    const root = md(src);
    assertSafe(root);
    if (visible) expect(root.textContent).toContain(visible);
    expect(alertSpy).not.toHaveBeenCalled();
  });

  test.each(CASES)('%s (streamed char by char)', (_name, src) => {
    const root = document.createElement('div');
    for (let i = 1; i <= src.length; i++) {
      md(src.slice(0, i), { streaming: true }, root);
      assertSafe(root);
    }
    expect(alertSpy).not.toHaveBeenCalled();
  });

  describe('hostile link destinations render as text only', () => {
    const usable = HOSTILE_URLS.filter((u) => !/[\s\x00-\x1f<>()]/.test(u));
    test.each(usable)('[x](%s)', (url) => {
      const root = md(`[click](${url}) and <${url}>`);
      assertSafe(root);
      expect(root.querySelector('a')).toBeNull();
      expect(root.textContent).toContain('click');
    });
    test.each(usable)('![x](%s)', (url) => {
      const root = md(`![the alt](${url})`);
      assertSafe(root);
      expect(root.querySelector('img')).toBeNull();
      expect(root.textContent).toBe('the alt');
    });
  });

  test.each([
    ['tab in the scheme', '[x](<java\tscript:alert(1)>)'],
    ['entity tab', '[x](java&Tab;script:alert(1))'],
    ['entity newline', '[x](java&NewLine;script:alert(1))'],
    ['leading control char', '[x](&#1;javascript:alert(1))'],
    ['leading space in angle brackets', '[x](< javascript:alert(1)>)'],
    ['percent-encoded colon', '[x](javascript%3Aalert(1))'],
    ['percent-encoded letters', '[x](%6A%61vascript:alert(1))'],
    ['mixed case', '[x](JaVaScRiPt:alert(1))'],
    ['decimal entity', '[x](&#106;avascript:alert(1))'],
    ['hex entity', '[x](&#x6a;avascript:alert(1))'],
    ['named colon entity', '[x](javascript&colon;alert(1))'],
    ['image, hex entity', '![x](&#x6A;avascript:alert(1))'],
    ['image, data svg', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
  ])('%s: no javascript: URL anywhere', (_name, src) => {
    const root = md(src);
    assertSafe(root);
    for (const el of root.querySelectorAll('[href], [src]')) {
      expect((el.getAttribute('href') ?? el.getAttribute('src'))!.toLowerCase()).not.toMatch(/^\s*(javascript|vbscript|data):/);
    }
  });

  test.each([
    ['a forbidden element', (d: HTMLElement) => d.append(document.createElement('iframe'))],
    ['an event handler', (d: HTMLElement) => d.append(document.createElement('p')) ?? d.firstElementChild!.setAttribute('onclick', 'x')],
    ['a javascript: href', (d: HTMLElement) => d.append(Object.assign(document.createElement('a'), { href: 'javascript:alert(1)' }))],
    ['a data: src', (d: HTMLElement) => d.append(Object.assign(document.createElement('img'), { src: 'data:image/png;base64,AA' }))],
    ['a foreign class', (d: HTMLElement) => d.append(Object.assign(document.createElement('p'), { className: 'evil' }))],
  ])('the checker itself rejects %s', (_name, build) => {
    const d = document.createElement('div');
    build(d);
    expect(() => assertSafe(d)).toThrow();
  });

  test('allowed links and images do render (the table above is not vacuous)', () => {
    const root = md('[a](https://ok.example) ![b](/files/b.png) <mailto:x@y.example>');
    assertSafe(root);
    expect(root.querySelectorAll('a').length).toBe(2);
    expect(root.querySelector('img')!.getAttribute('src')).toBe('https://api.example/files/b.png');
  });
});
