// @vitest-environment happy-dom
import { Lexer } from 'marked';
import { describe, expect, test, vi } from 'vitest';
import { render } from 'preact';
import { renderBlock } from '../../../src/markdown/render-block';
import { renderInline, type RenderCtx } from '../../../src/markdown/render-inline';
import { html, md, unchunked } from './render-helpers';

const A = (href: string, text: string, title = '') =>
  `<a href="${href}"${title ? ` title="${title}"` : ''} target="_blank" rel="noopener noreferrer">${text}</a>`;
const COPY = '<button type="button" class="dcb-md-copy" aria-live="polite">Copy code</button>';

describe('golden: block constructs', () => {
  test.each([
    ['heading levels get our class', '# One\n\n###### Six', '<h1 class="dcb-md-h">One</h1><h6 class="dcb-md-h">Six</h6>'],
    ['setext heading', 'Title\n---', '<h2 class="dcb-md-h">Title</h2>'],
    ['paragraphs', 'one\n\ntwo', '<p>one</p><p>two</p>'],
    ['soft line breaks become <br> (as Dify renders them)', 'a\nb', '<p>a<br>b</p>'],
    ['hard line breaks', 'a  \nb\\\nc', '<p>a<br>b<br>c</p>'],
    ['block quote', '> quoted *text*\n>\n> more', '<blockquote><p>quoted <em>text</em></p><p>more</p></blockquote>'],
    ['horizontal rules', '---\n\n***', '<hr><hr>'],
    ['unordered list', '- a\n- b', '<ul><li>a</li><li>b</li></ul>'],
    ['ordered list keeps start', '3. a\n4. b', '<ol start="3"><li>a</li><li>b</li></ol>'],
    ['ordered list from 1 has no start', '1. a', '<ol><li>a</li></ol>'],
    ['ordered list from 0', '0. a', '<ol start="0"><li>a</li></ol>'],
    ['nested lists', '- a\n  - b\n    1. c', '<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul></li></ul>'],
    ['loose list has paragraphs', '- a\n\n- b', '<ul><li><p>a</p></li><li><p>b</p></li></ul>'],
    [
      'fenced code with language',
      '```ts\nconst a = 1 < 2;\n```',
      `<div class="dcb-md-code"><div class="dcb-md-bar"><span class="dcb-md-lang">ts</span>${COPY}</div><pre><code class="language-ts">const a = 1 &lt; 2;</code></pre></div>`,
    ],
    [
      'info string: first word only',
      '```c++ title="x"\nx\n```',
      `<div class="dcb-md-code"><div class="dcb-md-bar"><span class="dcb-md-lang">c++</span>${COPY}</div><pre><code class="language-c++">x</code></pre></div>`,
    ],
    [
      'a language outside /^[\\w+#.-]{1,32}$/ gets no class and no label',
      '```"><img>\nx\n```',
      `<div class="dcb-md-code"><div class="dcb-md-bar">${COPY}</div><pre><code>x</code></pre></div>`,
    ],
    [
      'indented code',
      '    let x;\n    x++;',
      `<div class="dcb-md-code"><div class="dcb-md-bar">${COPY}</div><pre><code>let x;\nx++;</code></pre></div>`,
    ],
    [
      'code keeps entities literal',
      '```\n&amp; <b>\n```',
      `<div class="dcb-md-code"><div class="dcb-md-bar">${COPY}</div><pre><code>&amp;amp; &lt;b&gt;</code></pre></div>`,
    ],
    ['link reference definitions render nothing', '[a]: https://x.example', ''],
  ])('%s', (_name, src, expected) => {
    expect(html(src)).toBe(expected);
  });

  test('task list: disabled checkboxes, checked state from the source', () => {
    const root = md('- [x] done\n- [ ] todo\n- plain');
    expect(unchunked(root.firstElementChild!)).toBe(
      '<ul><li class="dcb-md-task"><input type="checkbox" class="dcb-md-check" disabled="">done</li>' +
        '<li class="dcb-md-task"><input type="checkbox" class="dcb-md-check" disabled="">todo</li><li>plain</li></ul>',
    );
    const boxes = [...root.querySelectorAll('input')];
    expect(boxes.map((b) => [b.checked, b.disabled])).toEqual([
      [true, true],
      [false, true],
    ]);
  });

  test('loose task list', () => {
    const root = md('- [x] a\n\n- [ ] b');
    expect(root.querySelectorAll('li.dcb-md-task > p > input[type=checkbox][disabled]').length).toBe(2);
  });

  test('table: alignment through the style object, scrollable labelled region', () => {
    const root = md('| l | c | r | n |\n|:--|:-:|--:|---|\n| 1 | **2** | 3 | 4 |', {
      strings: { thinking: 'T', copyCode: 'C', copied: 'D', table: 'Tabelle' },
    });
    expect(unchunked(root.firstElementChild!)).toBe(
      '<div class="dcb-md-table" tabindex="0" role="region" aria-label="Tabelle"><table><thead><tr>' +
        '<th style="text-align: left;">l</th><th style="text-align: center;">c</th><th style="text-align: right;">r</th><th>n</th>' +
        '</tr></thead><tbody><tr>' +
        '<td style="text-align: left;">1</td><td style="text-align: center;"><strong>2</strong></td><td style="text-align: right;">3</td><td>4</td>' +
        '</tr></tbody></table></div>',
    );
    const region = root.querySelector<HTMLElement>('[role=region]')!;
    expect(region.tabIndex).toBe(0);
  });

  test('table without body rows', () => {
    expect(html('| a |\n|---|')).toBe(
      '<div class="dcb-md-table" tabindex="0" role="region" aria-label="Table"><table><thead><tr><th>a</th></tr></thead></table></div>',
    );
  });

  test('raw HTML block is shown as its source text', () => {
    expect(html('<div class="x">\nhi\n</div>')).toBe('<p class="dcb-md-raw">&lt;div class="x"&gt;\nhi\n&lt;/div&gt;</p>');
  });
});

describe('golden: inline constructs', () => {
  test.each([
    [
      'emphasis, strong, strikethrough',
      '*a* _b_ **c** __d__ ~~e~~ ***f***',
      '<p><em>a</em> <em>b</em> <strong>c</strong> <strong>d</strong> <del>e</del> <em><strong>f</strong></em></p>',
    ],
    ['inline code keeps its text literal', '`a &amp; <b>`', '<p><code>a &amp;amp; &lt;b&gt;</code></p>'],
    ['escapes', '\\*not em\\* \\<b\\> \\&amp;', '<p>*not em* &lt;b&gt; &amp;amp;</p>'],
    [
      'entities decode to text',
      '&amp; &lt;b&gt; &copy; &#65; &#x42; &unknown; AT&T',
      '<p>&amp; &lt;b&gt; © A B &amp;unknown; AT&amp;T</p>',
    ],
    [
      'link, resolved against the app base',
      '[rel](/docs "Title") [abs](https://x.example/a?b=1&c=2)',
      `<p>${A('https://app.example/docs', 'rel', 'Title')} ${A('https://x.example/a?b=1&amp;c=2', 'abs')}</p>`,
    ],
    [
      'link text with formatting',
      '[**bold** `code`](https://x.example)',
      `<p>${A('https://x.example/', '<strong>bold</strong> <code>code</code>')}</p>`,
    ],
    ['mailto and tel links', '[m](mailto:a@b.example) [t](tel:+123)', `<p>${A('mailto:a@b.example', 'm')} ${A('tel:+123', 't')}</p>`],
    ['angle autolink', '<https://x.example/a?b&amp;c>', `<p>${A('https://x.example/a?b&amp;c', 'https://x.example/a?b&amp;amp;c')}</p>`],
    [
      'GFM autolinks (url, www, email)',
      'see https://x.example, www.y.example and a@b.example',
      `<p>see ${A('https://x.example/', 'https://x.example')}, ${A('http://www.y.example/', 'www.y.example')} and ${A('mailto:a@b.example', 'a@b.example')}</p>`,
    ],
    ['reference link', '[a][r]\n\n[r]: /ref "T"', `<p>${A('https://app.example/ref', 'a', 'T')}</p>`],
    [
      'image, resolved against the API origin',
      '![alt *text*](/files/x.png?sign=1 "T")',
      '<p><img src="https://api.example/files/x.png?sign=1" alt="alt text" title="T" loading="lazy" decoding="async" referrerpolicy="no-referrer"></p>',
    ],
    [
      'image inside a link',
      '[![i](https://i.example/a.png)](https://x.example)',
      `<p>${A('https://x.example/', '<img src="https://i.example/a.png" alt="i" loading="lazy" decoding="async" referrerpolicy="no-referrer">')}</p>`,
    ],
    ['inline HTML is text', 'a <b>bold</b> c', '<p>a &lt;b&gt;bold&lt;/b&gt; c</p>'],
    ['a bare <br> tag is the one HTML tag we honour', 'a<br>b<br/>c<BR />d<br class=x>e', '<p>a<br>b<br>c<br>d&lt;br class=x&gt;e</p>'],
  ])('%s', (_name, src, expected) => {
    expect(html(src)).toBe(expected);
  });
});

describe('unknown token fallback', () => {
  const ctx: RenderCtx = {
    linkBase: 'https://a.example',
    imageBase: 'https://a.example',
    strings: { thinking: '', copyCode: '', copied: '', table: '' },
  };
  test('an unknown block token renders its raw source as text', () => {
    const div = document.createElement('div');
    render(renderBlock({ type: 'mystery', raw: '<b onclick=x>hi</b>\n\n' }, ctx), div);
    expect(div.innerHTML).toBe('<p class="dcb-md-raw">&lt;b onclick=x&gt;hi&lt;/b&gt;</p>');
  });
  test('an unknown inline token renders its raw source as text', () => {
    const div = document.createElement('div');
    render(
      <p>
        {renderInline(
          [
            { type: 'text', raw: 'a', text: 'a' },
            { type: 'mystery', raw: '<i>b</i>' },
          ],
          ctx,
        )}
      </p>,
      div,
    );
    expect(div.innerHTML).toBe('<p>a&lt;i&gt;b&lt;/i&gt;</p>');
  });
  test('if the lexer ever throws, the source is shown as text instead of breaking the chat', () => {
    const spy = vi.spyOn(Lexer.prototype, 'lex').mockImplementation(() => {
      throw new Error('lexer bug');
    });
    try {
      expect(html('**x** <b>')).toBe('<p class="dcb-md-raw">**x** &lt;b&gt;</p>');
    } finally {
      spy.mockRestore();
    }
  });
});
