import { Lexer, type Token } from 'marked';
import { describe, expect, test } from 'vitest';
import { hugeAnswer, markdownAnswer, XSS_ANSWER } from '../../../demo/server/answer-texts';
import { lex, MAX_DEPTH } from '../../../src/markdown/lexer';
import { depthOf, textOf } from './hostile';

/**
 * src/markdown/lexer.ts: marked's lexer with bounds. Ordinary markdown lexes exactly as marked
 * lexes it; hostile markdown never overflows the stack, keeps all its text, and costs time in
 * proportion to its length. These tests also pin the copies of marked's rules the file patches: a
 * marked upgrade that moves them makes the growth tests fail.
 */

const marked = (src: string) => new Lexer({ gfm: true, breaks: true }).lex(src);
const guarded = (src: string) => lex(src, Object.create(null));

describe('ordinary markdown lexes exactly as marked lexes it', () => {
  test.each([
    ['the mock markdown showcase', markdownAnswer('https://mock.example')],
    ['the mock 50 KB answer', hugeAnswer()],
    ['the XSS battery', XSS_ANSWER],
    ['emails, urls and reference links', 'Mail a@b.example or x.y+z@w.example, see https://x.example and [r].\n\n[r]: /ref'],
    ['tables with and without pipes around', '| a | b |\n|:-|-:|\n| 1 | 2 |\n\nc | d\n--- | ---\n3 | 4\n\nNote: a colon\nline two: ok'],
  ])('%s', (_name, src) => {
    expect(JSON.stringify(guarded(src))).toBe(JSON.stringify(marked(src)));
  });
});

describe('depth: past MAX_DEPTH levels the rest is text, and nothing overflows the stack', () => {
  test.each([
    ['nested quotes', `${'> '.repeat(1300)}x`],
    ['nested ordered lists', `${'1. '.repeat(900)}x`],
    ['nested bullet lists', `${'- '.repeat(3000)}x`],
    ['indented lists', `${Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n')}x`],
    ['emphasis', `${'*'.repeat(3000)}x${'*'.repeat(3000)}`],
    ['strong and emphasis', `${'**_'.repeat(2000)}x${'_**'.repeat(2000)}`],
    ['strikethrough', `a ${'~~'.repeat(3000)}x${'~~'.repeat(3000)}`],
    ['links in links', `${'['.repeat(3000)}x${'](u)'.repeat(3000)}`],
    ['images in images', `${'!['.repeat(3000)}x${'](u)'.repeat(3000)}`],
  ])('%s', (_name, src) => {
    const tokens = guarded(src);
    // Every block level is a token and its children (list → item → blocks), inline levels one each.
    expect(depthOf(tokens)).toBeLessThanOrEqual(4 * MAX_DEPTH + 4);
    expect(textOf(tokens)).toContain('x');
  });

  test('marked alone overflows the stack on them (what the depth limit is for)', () => {
    expect(() => marked(`${'> '.repeat(5000)}x`)).toThrow(RangeError);
  });
});

describe('the limits turn markup into text and drop nothing', () => {
  test('past the work budget, emphasis delimiters are literal characters', () => {
    const src = '_a*'.repeat(20_000);
    expect(textOf(guarded(src)).replace(/[\n ]/g, '')).toBe(src);
  });

  test('bare email addresses still link (up to 64 characters before the @, as RFC 5321 allows)', () => {
    const link = (src: string) => (guarded(src)[0] as Token & { tokens: Token[] }).tokens.find((t) => t.type === 'link');
    expect(link('write to some.one+tag@mail.example today')).toMatchObject({ href: 'mailto:some.one+tag@mail.example' });
    expect(link(`${'a'.repeat(64)}@b.example`)).toMatchObject({ text: `${'a'.repeat(64)}@b.example` });
  });
});
