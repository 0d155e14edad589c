// @vitest-environment happy-dom
import { Lexer, type Token } from 'marked';
import { afterEach, describe, expect, test } from 'vitest';
import { BlockCache } from '../../../src/markdown/blocks';
import { renderHooks } from '../../../src/markdown/render-block';
import { md } from './render-helpers';

/** What a one-shot lex of the whole text gives (same options as the renderer). */
const fullLex = (text: string) => JSON.stringify(new Lexer({ gfm: true, breaks: true }).lex(text));

/** A deterministic PRNG, so a failure is reproducible. */
function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

/** Blocks of every kind, including the ones that change type or swallow blank lines while streaming. */
const FRAGMENTS = [
  'A paragraph with *emphasis*, **strong**, `code` and a [link](https://x.example).',
  '# Heading',
  'Setext heading\n===',
  'Setext two\n---',
  '- item one\n- item two\n  - nested',
  '1. first\n2. second',
  '- loose\n\n- list\n\n  continued',
  '- [ ] task\n- [x] done',
  '| a | b |\n|:-|-:|\n| 1 | 2 |\n| 3 | 4 |',
  'a paragraph that\n| becomes | a table? |\n|---|---|\n| x | y |',
  '```js\nconst x = 1;\n\n\nconsole.log(x);\n```',
  '~~~\nunclosed-looking ``` inside\n~~~',
  '    indented code\n\n    after a blank line',
  '> a quote\nlazy continuation\n\n> another',
  '---',
  '<div>\nraw html\n</div>',
  '<!-- a comment\n\nspanning blank lines -->',
  '<pre>\n\nkeep\n\n</pre>',
  'See [ref] and [other][r2].',
  '[ref]: https://ref.example "Ref"',
  '[r2]: /relative',
  'Text with <b>inline html</b> and &amp; entities &#65;.',
  'Hard  \nbreak and soft\nbreak.',
  '***bold italic*** ~~gone~~ https://auto.example www.x.example',
  '![img](https://i.example/a.png)',
  '<think>not leading, so text</think>',
  '10. ten\n\n11. eleven\n\n    indented para in item',
  '- a\n\n  ```\n  code in item\n\n  more\n  ```\n- b',
  '* * *\n* not hr',
  '> ```\n> fenced in quote\n> ```',
  '- [r3]: /def-in-list\n\n[r3]',
  '\t tab-led line\n  \n   ',
  '<script>\nlet a = 1;\n\nlet b = 2;\n</script>',
  '+ plus\n\n+ list',
  '1) paren\n2) list',
  'Term  \n: not a deflist in GFM',
  '```\nnever closed\n\nstill code',
]; // (keep the unclosed fence last-ish: it swallows what follows, which is part of what is tested)

function randomDoc(rand: () => number, blocks: number): string {
  const parts: string[] = [];
  for (let i = 0; i < blocks; i++) parts.push(FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)]!);
  // Mostly blank-line separated, sometimes only a newline (blocks that run together).
  return parts.reduce((doc, p) => doc + (rand() < 0.8 ? '\n\n' : '\n') + p);
}

/** Stream `text` into a BlockCache in chunks and check every step against a full lex. */
function streamAndCompare(text: string, rand: () => number, maxChunk: number) {
  const cache = new BlockCache();
  for (let end = 0; end < text.length; ) {
    end = Math.min(text.length, end + 1 + Math.floor(rand() * maxChunk));
    const prefix = text.slice(0, end);
    const { done, tail } = cache.update(prefix);
    const got = JSON.stringify([...done, ...tail]);
    if (got !== fullLex(prefix)) {
      // Report the smallest prefix that differs.
      expect({ prefix, tokens: JSON.parse(got) as Token[] }).toEqual({ prefix, tokens: JSON.parse(fullLex(prefix)) as Token[] });
    }
  }
}

describe('BlockCache: incremental lexing gives exactly the tokens of a full lex', () => {
  test.each(FRAGMENTS.map((f, i) => [i, f]))(
    'fragment %i in context, char by char',
    (_i, f) => {
      const doc = `Intro paragraph.\n\n${f}\n\nMiddle.\n${f}\n\n${f}\n\nEnd.`;
      streamAndCompare(doc, () => 0, 1);
    },
    30_000,
  );

  test('120 random documents in random chunks', () => {
    const rand = rng(42);
    for (let i = 0; i < 120; i++) streamAndCompare(randomDoc(rand, 12), rand, 8);
  }, 60_000);

  test('a definition arriving after its use re-resolves the finished block', () => {
    const cache = new BlockCache();
    cache.update('Use [ref] here.\n\nMore text.\n\nEven more.\n\n');
    const before = cache.update('Use [ref] here.\n\nMore text.\n\nEven more.\n\n[ref]: https://a');
    expect(JSON.stringify(before.done)).toContain('"type":"link"');
    // The definition's URL grows as it streams: the link must follow it.
    const after = cache.update('Use [ref] here.\n\nMore text.\n\nEven more.\n\n[ref]: https://abc');
    expect(JSON.stringify(after.done)).toContain('"href":"https://abc"');
  });

  test('a non-append change (message_replace) starts over', () => {
    const cache = new BlockCache();
    cache.update('# Old\n\nold text\n\nmore');
    const { done, tail } = cache.update('# New\n\nnew');
    expect(JSON.stringify([...done, ...tail])).toBe(fullLex('# New\n\nnew'));
  });

  test('CRLF input is normalised the way marked does', () => {
    const cache = new BlockCache();
    cache.update('a\r\n\r\nb');
    const { done, tail } = cache.update('a\r\n\r\nb\r\n\r\nc');
    expect(JSON.stringify([...done, ...tail])).toBe(fullLex('a\n\nb\n\nc'));
  });

  test('finished tokens keep their identity across updates', () => {
    const cache = new BlockCache();
    const first = cache.update('one\n\ntwo\n\nthr');
    const second = cache.update('one\n\ntwo\n\nthree');
    const third = cache.update('one\n\ntwo\n\nthree\n\nfour\n');
    expect(first.done.map((t) => t.raw)).toEqual(['one', '\n\n']);
    expect(first.tail.map((t) => t.raw)).toEqual(['two', '\n\n', 'thr']);
    expect(second.done).toEqual(first.done);
    second.done.forEach((t, i) => expect(t).toBe(first.done[i]));
    // `two` finished in this update, and is still the object lexed when it was the tail.
    expect(third.done[2]).toBe(first.tail[0]);
  });
});

/** A long answer: 200 blocks of mixed kinds, each blank-line separated. */
function longAnswer(): string {
  const kinds = [
    (i: number) => `Paragraph ${i} with **bold**, a [link](https://x.example/${i}) and \`code\`.`,
    (i: number) => `## Section ${i}`,
    (i: number) => `- item ${i}a\n- item ${i}b\n  - nested`,
    (i: number) => `\`\`\`ts\nconst v${i} = ${i};\n\nexport default v${i};\n\`\`\``,
    (i: number) => `| n | sq |\n|--:|--:|\n| ${i} | ${i * i} |`,
    (i: number) => `> Quote ${i}\n> continues`,
    () => '---',
    (i: number) => `${i}. ordered from ${i}\n${i + 1}. next`,
  ];
  return Array.from({ length: 200 }, (_, i) => kinds[i % kinds.length]!(i)).join('\n\n');
}

describe('streaming cost stays flat', () => {
  afterEach(() => {
    delete renderHooks.onBlockRender;
  });

  test('streamed token by token, a finished block never renders again', () => {
    const text = longAnswer();
    const rand = rng(7);
    /** Per block index: the raw source of each render, and the step of its last render. */
    const renders = new Map<number, string[]>();
    const lastRenderStep = new Map<number, number>();
    const perToken = new Map<Token, number>();
    let stepRenders: number[] = [];
    let steps = 0;
    renderHooks.onBlockRender = (token, index) => {
      stepRenders.push(index);
      renders.set(index, [...(renders.get(index) ?? []), token.raw]);
      lastRenderStep.set(index, steps);
      perToken.set(token, (perToken.get(token) ?? 0) + 1);
    };
    // The component's cache is private; an identical cache fed the same text tells which blocks are finished.
    const mirror = new BlockCache();
    const finishedAt = new Map<number, number>();

    const root = document.createElement('div');
    let maxStep = 0;
    let finishedBefore = 0;
    for (let end = 0; end < text.length; steps++) {
      end = Math.min(text.length, end + 1 + Math.floor(rand() * 6)); // LLM tokens are ~1–6 characters
      stepRenders = [];
      md(text.slice(0, end), { streaming: true }, root);
      // The proof: no block finished by an earlier token rendered again.
      expect(stepRenders.filter((i) => i < finishedBefore)).toEqual([]);
      maxStep = Math.max(maxStep, stepRenders.length);
      const done = mirror.update(text.slice(0, end)).done.length;
      for (let i = finishedBefore; i < done; i++) finishedAt.set(i, steps);
      finishedBefore = done;
    }
    const streamedDom = root.innerHTML;

    const tokens = new Lexer({ gfm: true, breaks: true }).lex(text);
    expect(tokens.filter((t) => t.type !== 'space').length).toBe(200);
    expect(finishedBefore).toBe(tokens.length - 1); // all but the trailing block finished while streaming
    tokens.slice(0, -1).forEach((t, i) => {
      // A finished block's last render was with its final source, at or before the step it finished…
      expect(renders.get(i)!.at(-1), `block ${i}`).toBe(t.raw);
      expect(lastRenderStep.get(i)!).toBeLessThanOrEqual(finishedAt.get(i)!);
    });
    // …and no token object ever rendered twice (Preact skipped every unchanged block).
    expect([...perToken.values()].every((n) => n === 1)).toBe(true);
    // Per streamed token only the tail renders: a small constant, not a function of the 200 blocks.
    expect(maxStep).toBeLessThanOrEqual(4);
    expect(steps).toBeGreaterThan(1500);
    // And the streamed DOM is exactly what a one-shot render gives.
    expect(streamedDom).toBe(md(text).innerHTML);
  }, 30_000);

  test('blocks sit in chunk elements of 16, and a finished chunk keeps its element as the answer grows', () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} of a long answer.`);
    const root = document.createElement('div');
    md(paragraphs.slice(0, 20).join('\n\n'), { streaming: true }, root);
    const first = root.querySelector('.dcb-md > .dcb-md-chunk')!;
    md(paragraphs.join('\n\n'), { streaming: true }, root);
    const chunks = [...root.querySelectorAll('.dcb-md > .dcb-md-chunk')];
    // 16 tokens each (a paragraph and the blank line after it are two). markdown.css lets the
    // browser skip chunks off screen; its layout walks 5 boxes, not 40.
    expect(chunks.map((c) => c.querySelectorAll(':scope > p').length)).toEqual([8, 8, 8, 8, 8]);
    expect(chunks[0]).toBe(first);
    expect(chunks[4]!.lastElementChild!.textContent).toBe('Paragraph 39 of a long answer.');
  });

  test('lexing work per token does not grow with the answer', () => {
    const text = longAnswer();
    const cache = new BlockCache();
    let maxPerStep = 0;
    for (let end = 0, before = 0; end < text.length; end += 3) {
      cache.update(text.slice(0, end + 3));
      maxPerStep = Math.max(maxPerStep, cache.lexed - before);
      before = cache.lexed;
    }
    // The longest block is ~60 characters; a full re-lex would be up to the whole ~6,700.
    expect(text.length).toBeGreaterThan(6000);
    expect(maxPerStep).toBeLessThan(150);
  }, 30_000);
});
