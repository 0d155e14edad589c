import type { Token } from 'marked';
import { render } from 'preact';
import { BlockCache } from './blocks';
import { Markdown } from './Markdown';

/**
 * Markdown that takes marked's lexer through its common block and inline rules. The first lex of
 * a page pays for compiling marked's regular expressions (V8 compiles a regex on first use, and
 * again for two-byte text), ~15–20 ms on a slow machine: paid here, when the page is idle, it is
 * not paid between an answer's first token and its paint.
 */
// Short on purpose (it ships in the chat file): one of each construct is enough, since marked
// tries most of its rules on any line; no image, since a detached <img> would still be fetched.
export const WARM_SAMPLE =
  '# H\n*e* **s** `c` ~~d~~ [l](https://x.y "t") <b>\\_ https://x.y\n\n- [ ] i\n1. o\n\n> q\n\n|a|b|\n|:-|-:|\n|1|2|\n\n```js\nx\n```\n---\nS\n=\n\n    i\n\n[r]: https://x.y\n';

/**
 * Renders `text` as a streaming answer into an element that is never attached (so no style or
 * layout work), which also runs the markdown components' code once; returns the top-level tokens.
 */
export function warmWith(text: string): Token[] {
  const el = document.createElement('div');
  render(<Markdown text={text} streaming linkBase="https://example.com/" imageBase="https://example.com" />, el);
  render(null, el);
  const { done, tail } = new BlockCache().update(text);
  return done.concat(tail);
}

/** One sample per string representation: V8 compiles each regex once for one-byte and once for two-byte subjects. */
const pending: Array<() => void> = [WARM_SAMPLE, `${WARM_SAMPLE}\u2019\u2026`].map((text) => () => void warmWith(text));

type Idle = (callback: () => void) => () => void;

const onIdle: Idle = (callback) => {
  const scope = globalThis as typeof globalThis & {
    requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number;
    cancelIdleCallback?: (id: number) => void;
  };
  if (typeof scope.requestIdleCallback === 'function' && typeof scope.cancelIdleCallback === 'function') {
    const id = scope.requestIdleCallback(callback, { timeout: 2000 });
    return () => scope.cancelIdleCallback!(id);
  }
  const id = setTimeout(callback, 50);
  return () => clearTimeout(id);
};

/**
 * Warms the markdown path (see {@link WARM_SAMPLE}), then runs `more` (other cold code of the
 * answer path), in idle time, one step per idle callback so no step is a long task. The markdown
 * steps run once per page: later calls do only what is left. Returns a cancel function (the chat
 * unmounting before it ran).
 */
export function warmWhenIdle(more: Array<() => void> = [], idle: Idle = onIdle): () => void {
  let cancel = () => {};
  const own = more.slice();
  const step = () => {
    const run = pending.shift() ?? own.shift();
    try {
      run?.();
    } catch {
      // Warming is an optimisation only: a bug shows up (and is handled) on real content.
    }
    if (pending.length || own.length) cancel = idle(step);
  };
  if (pending.length || own.length) cancel = idle(step);
  return () => cancel();
}
