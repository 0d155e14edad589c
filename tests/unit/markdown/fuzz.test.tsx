// @vitest-environment happy-dom
import fc from 'fast-check';
import type { Token } from 'marked';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { BlockCache, WINDOW } from '../../../src/markdown/blocks';
import { MAX_DEPTH } from '../../../src/markdown/lexer';
import { cpuMs } from './hostile';
import { md } from './render-helpers';

/**
 * Property-based tests: random and adversarial markdown never makes the renderer throw, and stays
 * within its bounds (time per update, depth, elements, every character kept). The normal run uses
 * a fixed seed and a few hundred cases; `npm run fuzz` runs many more with a random seed
 * (FUZZ_RUNS and FUZZ_SEED override both; a failure prints the seed and the shrunk input).
 */
const LONG = process.env.npm_lifecycle_event === 'fuzz';
const RUNS = Number(process.env.FUZZ_RUNS) || (LONG ? 3000 : 150);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : LONG ? Date.now() : 20_251_208;
const params = (runs: number) => ({ seed: SEED, numRuns: runs, endOnFailure: true });
if (LONG) console.log(`fuzz: ${RUNS} runs, seed ${SEED}`);

/** Pieces of markdown syntax, text and awkward characters. */
const PIECES = [
  ...[
    '*',
    '**',
    '_',
    '__',
    '~',
    '~~',
    '`',
    '```',
    '~~~',
    '[',
    ']',
    '(',
    ')',
    '![',
    '](',
    '<',
    '>',
    '&',
    '#',
    '|',
    '-',
    '+',
    '=',
    ':',
    '\\',
  ],
  ...['\n', '\n\n', ' ', '  \n', '    ', '\t', '1. ', '- ', '* ', '> ', '| a |', '|-|', '[x]: /u', '[x]', '<div>', '<!--', '-->'],
  ...['word', 'a', 'http://x.example/', 'www.x.example', 'a@b.example', '&amp;', '&#0;', '&#x1F600;', '<br>', '<script>'],
  ...['\u0000', '\u0008', '\u001b', '\u007f', '\r', '\r\n', '\u2028', '\ud800', '\udc00', '\u202e', '\u2066', '\u200b', '😀', 'é', '中文'],
];
const piece = fc.constantFrom(...PIECES);
/** Random soup of pieces. */
const soup = (max: number) => fc.array(piece, { maxLength: max }).map((parts) => parts.join(''));
/** A short pattern repeated into a long run (delimiter runs, nesting prefixes). */
const run = (max: number) =>
  fc.tuple(soup(4), fc.integer({ min: 1, max }), soup(3)).map(([pattern, times, end]) => pattern.repeat(times) + end);
/** Nesting prefixes, deep. */
const deep = fc
  .tuple(
    fc.constantFrom('> ', '- ', '1. ', '* ', '  - ', '**', '*', '_', '~~', '[', '![', '> - ', '1. > '),
    fc.integer({ min: 20, max: 3000 }),
    soup(6),
  )
  .map(([prefix, depth, inner]) => prefix.repeat(depth) + inner);
/** A table of many rows, some of them ragged. */
const table = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 2000 }), soup(3)).map(([columns, rows, cell]) => {
  const row = `|${` ${cell} |`.repeat(columns)}`;
  return `${row}\n|${'---|'.repeat(columns)}\n${`${row}\n`.repeat(rows)}`;
});
/** Unbalanced fences around soup. */
const fences = fc
  .tuple(fc.constantFrom('```', '~~~', '````', '```js', '    '), soup(30), fc.constantFrom('', '```', '~~~', '\n```\n'))
  .map(([open, body, close]) => `${open}\n${body}${close}`);

const markdown = fc.oneof(
  soup(200),
  run(4000),
  deep,
  table,
  fences,
  fc.array(fc.oneof(soup(40), run(300), fences), { maxLength: 8 }).map((parts) => parts.join('\n\n')),
);

/** How deep the elements under `root` nest. */
function domDepth(root: Element): number {
  let deepest = 0;
  const stack: [Element, number][] = [[root, 0]];
  while (stack.length) {
    const [el, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    for (const child of el.children) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Lets every scheduled render pass run. */
async function settle(root: Element) {
  for (let quiet = 0, html = ''; quiet < 2; ) {
    await new Promise((done) => setTimeout(done, 5));
    quiet = root.innerHTML === html ? quiet + 1 : 0;
    html = root.innerHTML;
  }
}

afterEach(() => vi.restoreAllMocks());

describe('fuzz: markdown never throws and stays within its bounds', () => {
  test(
    'streamed in random pieces: every update is short, and the blocks cover the text exactly',
    () => {
      fc.assert(
        fc.property(markdown, fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 30 }), (text, steps) => {
          const normalized = text.replace(/\r\n?/g, '\n');
          const cache = new BlockCache();
          let blocks: readonly Token[] = [];
          for (let end = 0, i = 0; ; i++) {
            end = Math.min(text.length, end + steps[i % steps.length]! * (1 + (i >> 4)));
            for (let pending = true; pending; ) {
              const ms = cpuMs(() => {
                const update = cache.update(text.slice(0, end));
                blocks = [...update.done, ...update.tail];
                pending = update.pending;
              }, 1);
              expect(ms).toBeLessThan(100);
            }
            if (end === text.length) break;
          }
          // The blocks cover the text exactly (marked may rewrite whitespace inside a raw, never its length).
          expect(blocks.reduce((length, t) => length + t.raw.length, 0)).toBe(normalized.length);
        }),
        params(RUNS),
      );
    },
    120_000 * Math.ceil(RUNS / 150),
  );

  test(
    'rendered: no exception, no error boundary, bounded nesting and elements',
    async () => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      await fc.assert(
        fc.asyncProperty(markdown, async (text) => {
          const root = md(text);
          await settle(root);
          expect(errors).not.toHaveBeenCalled();
          // Blocks and inline spans nest at most MAX_DEPTH levels each, an element or three a level.
          expect(domDepth(root)).toBeLessThanOrEqual(6 * MAX_DEPTH + 10);
          expect(root.getElementsByTagName('*').length).toBeLessThanOrEqual(30_000);
        }),
        params(Math.ceil(RUNS / 3)),
      );
    },
    120_000 * Math.ceil(RUNS / 150),
  );

  test('one 300,000-character word, and 300,000 of each delimiter', async () => {
    for (const char of ['a', '*', '_', '`', '[', '<', '~', '|', '>', '\ud83d\ude00']) {
      const text = char.repeat(300_000);
      const cache = new BlockCache();
      for (let pending = true; pending; ) {
        const ms = cpuMs(() => void ({ pending } = cache.update(text)), 1);
        expect(ms, char).toBeLessThan(100);
      }
      expect(cache.lexed).toBeLessThanOrEqual(text.length + WINDOW);
    }
  }, 60_000);
});
