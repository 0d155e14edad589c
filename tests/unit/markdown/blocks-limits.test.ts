import { Lexer, type Token } from 'marked';
import { describe, expect, test } from 'vitest';
import { hugeAnswer } from '../../../demo/server/answer-texts';
import { BlockCache, ELEMENT_CAP, MARKDOWN_CAP, shownElements, WINDOW } from '../../../src/markdown/blocks';
import { cpuMs, SLOW_SHAPES, textOf } from './hostile';

/**
 * src/markdown/blocks.ts past the sizes of ordinary answers: a window of source per update, long
 * blocks in parts, plain text past the caps. Whatever happens, every character of the answer is
 * in exactly one token (the raws add up to the text).
 */

/** Updates with `text` until nothing is pending, as Markdown.tsx does; what each update lexed, and the blocks. */
function drain(text: string, cache = new BlockCache()) {
  const lexed: number[] = [];
  for (;;) {
    const before = cache.lexed;
    const { done, tail, pending } = cache.update(text);
    lexed.push(cache.lexed - before);
    // The renderer sizes up every block it shows (render passes, blocks shown as plain text).
    for (const token of tail) shownElements(token);
    if (!pending) return { tokens: [...done, ...tail], lexed };
    if (lexed.length > 10_000) throw new Error('no progress');
  }
}

const raws = (tokens: readonly Token[]) => tokens.map((t) => t.raw).join('');
const paragraphs = (n: number) =>
  Array.from({ length: n }, (_, i) => `Paragraph ${i}, with **bold** and a [link](https://x.example/${i}).`).join('\n\n');

describe('windows: a long text is lexed a window at a time', () => {
  test('100 KB of ordinary markdown: several updates of at most a window each, and exactly the tokens of one full lex', () => {
    const text = `${hugeAnswer()}\n\n${hugeAnswer()}`;
    const { tokens, lexed } = drain(text);
    expect(lexed.length).toBeGreaterThan(text.length / WINDOW);
    expect(Math.max(...lexed)).toBeLessThanOrEqual(WINDOW);
    expect(JSON.stringify(tokens)).toBe(JSON.stringify(new Lexer({ gfm: true, breaks: true }).lex(text)));
  });

  test('a paragraph longer than a window comes in parts of at most a window, with all its text', () => {
    const text = Array.from({ length: 4000 }, (_, i) => `line ${i}`).join('\n');
    const { tokens, lexed } = drain(text);
    expect(Math.max(...lexed)).toBeLessThanOrEqual(WINDOW);
    expect(tokens.filter((t) => t.type === 'paragraph').length).toBeGreaterThan(2);
    expect(Math.max(...tokens.map((t) => t.raw.length))).toBeLessThanOrEqual(WINDOW);
    expect(raws(tokens)).toBe(text);
  });

  test('a long list is cut before an item, so its parts are lists that carry on counting', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `${i + 1}. item ${i + 1}\n   continued`).join('\n');
    const { tokens } = drain(text);
    const lists = tokens.filter((t): t is Token & { type: 'list'; start: number } => t.type === 'list');
    expect(lists.length).toBeGreaterThan(1);
    expect(lists.length).toBe(tokens.filter((t) => t.type !== 'space').length);
    expect(lists.map((l) => l.start)).toEqual([...lists.map((l) => l.start)].sort((a, b) => a - b));
    expect(raws(tokens)).toBe(text);
  });

  test('a fenced code block longer than a window is not cut', () => {
    const code = Array.from({ length: 3000 }, (_, i) => `const line${i} = ${i};`).join('\n');
    const text = `Intro\n\n\`\`\`ts\n${code}\n\`\`\`\n\nAfter the code.`;
    const { tokens } = drain(text);
    expect(tokens.map((t) => t.type)).toEqual(['paragraph', 'space', 'code', 'space', 'paragraph']);
    expect((tokens[2] as Token & { text: string }).text).toBe(code);
  });

  test('streaming one long block lexes at most a window per update', () => {
    const text = '_a*'.repeat(20_000);
    const cache = new BlockCache();
    let most = 0;
    for (let end = 997; end < text.length + 997; end += 997) {
      const before = cache.lexed;
      cache.update(text.slice(0, end));
      most = Math.max(most, cache.lexed - before);
    }
    expect(most).toBeLessThanOrEqual(WINDOW);
    expect(raws(drain(text, cache).tokens)).toBe(text);
  });

  test('a definition past the first window applies from there on (no lexing everything again)', () => {
    const text = `${paragraphs(1000)}\n\nSee [r].\n\n[r]: https://ref.example`;
    expect(text.length).toBeGreaterThan(2 * WINDOW);
    const cache = new BlockCache();
    drain(text.slice(0, -30), cache);
    const { tokens, lexed } = drain(text, cache);
    expect(Math.max(...lexed)).toBeLessThanOrEqual(WINDOW);
    expect(JSON.stringify(tokens.at(-3))).toContain('"href":"https://ref.example"');
  });
});

describe('caps: past them the rest of an answer is plain text', () => {
  const plain = (tokens: readonly Token[]) => tokens.filter((t) => (t.type as string) === 'plain');

  test(`past ${MARKDOWN_CAP} characters of markdown`, () => {
    const text = Array.from({ length: 1500 }, (_, i) => `Paragraph ${i}: ${'lorem ipsum dolor sit amet '.repeat(7)}`).join('\n\n');
    const { tokens } = drain(text);
    const firstPlain = tokens.findIndex((t) => (t.type as string) === 'plain');
    expect(raws(tokens.slice(0, firstPlain)).length).toBeGreaterThanOrEqual(MARKDOWN_CAP);
    expect(raws(tokens.slice(0, firstPlain)).length).toBeLessThan(MARKDOWN_CAP + WINDOW);
    expect(tokens.slice(firstPlain).every((t) => (t.type as string) === 'plain')).toBe(true);
    expect(raws(tokens)).toBe(text);
  });

  test(`past ${ELEMENT_CAP} elements`, () => {
    // A paragraph and its text are two elements, the blank line after it one more.
    const text = 'a\n\n'.repeat(30_000);
    const { tokens } = drain(text);
    const markdown = tokens.slice(0, tokens.indexOf(plain(tokens)[0]!));
    expect(markdown.length).toBeGreaterThan((ELEMENT_CAP / 3) * 2 - 2);
    expect(markdown.length).toBeLessThanOrEqual((ELEMENT_CAP / 3) * 2 + 2);
    expect(raws(tokens)).toBe(text);
  });

  test('an unclosed fence runs to about the cap, and the rest is plain text', () => {
    const text = `\`\`\`\n${'x = 1\n'.repeat(60_000)}`;
    const { tokens } = drain(text);
    expect(tokens[0]!.type).toBe('code');
    expect(tokens[0]!.raw.length).toBeGreaterThan(MARKDOWN_CAP - WINDOW);
    expect(tokens[0]!.raw.length).toBeLessThanOrEqual(MARKDOWN_CAP);
    expect(plain(tokens).length).toBeGreaterThanOrEqual(tokens.length - 2);
    expect(raws(tokens)).toBe(text);
  });

  test('5 MB are split in window-sized plain pieces in well under a second', () => {
    const text = 'A short line of a very long answer.\n'.repeat(140_000);
    let tokens: Token[] = [];
    const ms = cpuMs(() => void (tokens = drain(text).tokens), 1);
    expect(ms).toBeLessThan(1000);
    expect(tokens.length).toBeLessThan(text.length / (WINDOW / 2) + 50);
    expect(textOf(tokens).length).toBeGreaterThan(0);
    expect(raws(tokens)).toBe(text);
  });
});

describe('time: the slow shapes cost a bounded time per update, and each character is lexed about once', () => {
  // The growth in the browser, at 15, 30 and 60 KB: `npm run bench -- --only worst-case`. Here:
  // what makes it linear, and a bound per update far above what the shapes take (~10-20 ms) and
  // far below what they took (seconds).
  test.each(SLOW_SHAPES)(
    '%s at 60 KB',
    (_name, shape) => {
      const text = shape(60_000);
      drain(shape(3000)); // warm up: regex compilation, JIT
      // Each update's best of three runs, so that one garbage collection does not count as the lexer's time.
      const perUpdate: number[] = [];
      let lexed = 0;
      for (let run = 0; run < 3; run++) {
        const cache = new BlockCache();
        for (let update = 0, pending = true; pending; update++) {
          const ms = cpuMs(() => void ({ pending } = cache.update(text)), 1);
          perUpdate[update] = Math.min(perUpdate[update] ?? ms, ms);
        }
        lexed = cache.lexed;
      }
      expect(lexed).toBeLessThanOrEqual(text.length + WINDOW);
      expect(Math.max(...perUpdate), `ms per update: ${perUpdate.map((ms) => ms.toFixed(1)).join(', ')}`).toBeLessThan(100);
    },
    30_000,
  );
});
