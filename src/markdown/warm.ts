import type { Token } from 'marked';
import { BlockCache } from './blocks';
import { renderBlock } from './render-block';

/**
 * Markdown that takes marked's lexer through its common block and inline rules. The first lex of
 * a page pays for compiling marked's regular expressions (V8 compiles a regex on first use, and
 * again for two-byte text), ~15–20 ms on a slow machine: paid here, when the page is idle, it is
 * not paid between an answer's first token and its paint.
 */
export const WARM_SAMPLE = [
  '# Heading',
  'Some *emphasis*, **strong**, `code`, ~~struck~~, a [link](https://example.com "t"), <b>html</b>,',
  'an ![image](https://example.com/i.png), https://example.com and a\\_escape.',
  '',
  '- one',
  '- [ ] two',
  '',
  '1. first',
  '',
  '> quoted',
  '',
  '| a | b |',
  '|:--|--:|',
  '| 1 | 2 |',
  '',
  '```js',
  'let x = 1;',
  '```',
  '',
  '---',
  'Setext',
  '===',
  '',
  '    indented',
  '',
  '[ref]: https://example.com',
  '',
].join('\n');

const CTX = { link: 'https://example.com/', img: 'https://example.com', s: { thinking: '', copyCode: '', copied: '', table: '' } };

/** Lexes `text` and builds its VNodes (never mounted); returns the top-level tokens. */
export function warmWith(text: string): Token[] {
  const { done, tail } = new BlockCache().update(text);
  const tokens = done.concat(tail);
  for (const token of tokens) renderBlock(token, CTX);
  return tokens;
}

/** One sample per string representation: V8 compiles each regex once for one-byte and once for two-byte subjects. */
const STEPS = [WARM_SAMPLE, `${WARM_SAMPLE}\u2019\u2026`];

let next = 0;

type Idle = (callback: () => void) => () => void;

const onIdle: Idle = (callback) => {
  const g = globalThis as typeof globalThis & { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number; cancelIdleCallback?: (id: number) => void };
  if (typeof g.requestIdleCallback === 'function' && typeof g.cancelIdleCallback === 'function') {
    const id = g.requestIdleCallback(callback, { timeout: 2000 });
    return () => g.cancelIdleCallback!(id);
  }
  const id = setTimeout(callback, 50);
  return () => clearTimeout(id);
};

/**
 * Warms the markdown path (see {@link WARM_SAMPLE}) in idle time, one step per idle callback so
 * no step is a long task. Once per page: later calls do only what is left. Returns a cancel
 * function (the chat unmounting before it ran).
 */
export function warmMarkdownWhenIdle(idle: Idle = onIdle): () => void {
  let cancel = () => {};
  const step = () => {
    if (next >= STEPS.length) return;
    try {
      warmWith(STEPS[next++]!);
    } catch {
      // Warming is an optimisation only: a lexer bug shows up (and is handled) on real text.
    }
    if (next < STEPS.length) cancel = idle(step);
  };
  if (next < STEPS.length) cancel = idle(step);
  return () => cancel();
}
