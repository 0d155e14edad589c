// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Markdown } from '../../../src/markdown';
import { renderHooks } from '../../../src/markdown/render-block';
import { IMAGE_BASE, LINK_BASE, md } from './render-helpers';

/** Lets every scheduled render pass run (they are a timer apart), until the DOM stops changing. */
async function settle(root: Element) {
  for (let quiet = 0, html = ''; quiet < 3; ) {
    await new Promise((done) => setTimeout(done, 20));
    quiet = root.innerHTML === html ? quiet + 1 : 0;
    html = root.innerHTML;
  }
}

afterEach(() => {
  delete renderHooks.onBlockRender;
  vi.restoreAllMocks();
});

describe('a long answer comes in over several renders', () => {
  test('100 KB: the first render shows the start, the rest follows a pass at a time, all of it in the end', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => `Paragraph ${i} with **bold** text.`).join('\n\n');
    let rendered = 0;
    renderHooks.onBlockRender = () => void rendered++;
    const root = md(text);
    const first = root.querySelectorAll('p').length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(2000);
    await settle(root);
    expect(root.querySelectorAll('p').length).toBe(2000);
    expect([...root.querySelectorAll('p')].at(-1)!.textContent).toBe('Paragraph 1999 with bold text.');
    // Each block rendered once: passes add blocks, they do not render the earlier ones again.
    expect(rendered).toBe(4000 - 1);
  });
});

describe('hostile answers render within bounds', () => {
  test('a block of thousands of one-word lines is shown as its text, in pieces laid out only on screen', () => {
    const text = Array.from({ length: 2100 }, (_, i) => `w${i}`).join('\n');
    const root = md(text);
    expect(root.querySelectorAll('br').length).toBe(0);
    const raw = root.querySelector('.dcb-md-raw')!;
    expect(raw.children.length).toBeGreaterThan(1);
    expect(raw.textContent).toBe(text);
  });

  test('3,000 nested quotes: at most 20 levels as quotes, the rest as text', () => {
    const root = md(`${'> '.repeat(3000)}x`);
    let depth = 0;
    for (let el = root.querySelector('blockquote'); el; el = el.querySelector(':scope > blockquote')) depth++;
    expect(depth).toBeGreaterThanOrEqual(10);
    expect(depth).toBeLessThanOrEqual(20);
    expect(root.querySelector('.dcb-md-raw')!.textContent).toMatch(/^(> )+x$/);
  });
});

describe('one error boundary per answer', () => {
  test('if rendering throws, the answer is its plain text, the console says why, and nothing reaches the page', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    renderHooks.onBlockRender = (token) => {
      if (token.raw.includes('boom')) throw new Error('render bug');
    };
    const root = document.createElement('div');
    expect(() => md('# Title\n\nThis paragraph goes boom.\n\n- a list', {}, root)).not.toThrow();
    await settle(root);
    expect(root.querySelector('.dcb-md-raw')!.textContent).toBe('# Title\n\nThis paragraph goes boom.\n\n- a list');
    expect(root.querySelector('h1')).toBeNull();
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/^\[dify-chatbot\] /), expect.any(Error));
    // More text streams in: still plain text, all of it.
    md('# Title\n\nThis paragraph goes boom.\n\n- a list\n- more', {}, root);
    await settle(root);
    expect(root.querySelector('.dcb-md-raw')!.textContent).toMatch(/- more$/);
  });

  test('the other answers in the same tree still render as markdown', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    renderHooks.onBlockRender = (token) => {
      if (token.raw.includes('boom')) throw new Error('render bug');
    };
    const root = document.createElement('div');
    render(
      <ul>
        <li>
          <Markdown text="**fine**" linkBase={LINK_BASE} imageBase={IMAGE_BASE} />
        </li>
        <li>
          <Markdown text="goes **boom**" linkBase={LINK_BASE} imageBase={IMAGE_BASE} />
        </li>
      </ul>,
      root,
    );
    await settle(root);
    const [fine, broken] = root.querySelectorAll('li');
    expect(fine!.querySelector('strong')!.textContent).toBe('fine');
    expect(broken!.querySelector('.dcb-md-raw')!.textContent).toBe('goes **boom**');
  });
});
