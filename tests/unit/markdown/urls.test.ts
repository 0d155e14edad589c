import { describe, expect, test } from 'vitest';
import { safeImageSrc, safeLinkHref } from '../../../src/markdown';
import { decodeEntities } from '../../../src/markdown/entities';
import { HOSTILE_URLS } from './hostile-urls';

const BASE = 'https://app.example/chat/abc';
const API = 'https://api.example';

/** What a hostile URL may still become: a harmless http(s) URL (e.g. percent-encoded text made a relative path) or nothing. */
function harmless(out: string | null, base: string): void {
  if (out === null) return;
  const u = new URL(out);
  expect(['http:', 'https:']).toContain(u.protocol);
  expect(u.origin).toBe(new URL(base).origin);
  expect(out.toLowerCase()).not.toMatch(/^(javascript|vbscript|data|file|blob):/);
}

describe('safeLinkHref', () => {
  test.each([
    ['https://x.example/a?b=1#c', 'https://x.example/a?b=1#c'],
    ['HTTP://X.example', 'http://x.example/'],
    ['mailto:a@b.example', 'mailto:a@b.example'],
    ['tel:+49301234', 'tel:+49301234'],
    ['/docs', 'https://app.example/docs'],
    ['guide', 'https://app.example/chat/guide'],
    ['#top', 'https://app.example/chat/abc#top'],
    ['//cdn.example/x', 'https://cdn.example/x'],
    ['  https://x.example  ', 'https://x.example/'],
    ['https://x.example/?a=1&amp;b=2', 'https://x.example/?a=1&b=2'],
  ])('allows %j', (raw, expected) => {
    expect(safeLinkHref(raw, BASE)).toBe(expected);
  });

  test.each(HOSTILE_URLS)('refuses %j', (raw) => {
    expect(safeLinkHref(raw, BASE)).toBeNull();
  });

  test.each([
    'javascript%3Aalert(1)',
    '%6Aavascript:alert(1)',
    'java%09script:alert(1)',
    'java\x01script:alert(1)',
    '&amp;#106;avascript:alert(1)',
  ])('percent-encoded or broken scheme %j becomes a harmless relative URL', (raw) => harmless(safeLinkHref(raw, BASE), BASE));

  test('a relative URL without a usable base is refused', () => {
    expect(safeLinkHref('/docs', '')).toBeNull();
    expect(safeLinkHref('https://x.example', '')).toBe('https://x.example/');
  });
});

describe('safeImageSrc', () => {
  test.each([
    ['https://i.example/a.png', 'https://i.example/a.png'],
    ['/files/abc/file-preview?timestamp=1&sign=x', 'https://api.example/files/abc/file-preview?timestamp=1&sign=x'],
    ['http://i.example/a.png', 'http://i.example/a.png'],
  ])('allows %j', (raw, expected) => {
    expect(safeImageSrc(raw, API)).toBe(expected);
  });

  test.each([...HOSTILE_URLS, 'mailto:a@b.example', 'tel:1'])('refuses %j', (raw) => {
    expect(safeImageSrc(raw, API)).toBeNull();
  });
});

describe('decodeEntities', () => {
  test.each([
    ['a &amp; b', 'a & b'],
    ['&#106;&#x6A;&#X6a;', 'jjj'],
    ['&colon;&Tab;&NewLine;', ':\t\n'],
    ['&#0; &#xD800; &#x110000;', '\ufffd \ufffd \ufffd'],
    ['&amp;amp;', '&amp;'],
    ['&nosuch; & &;', '&nosuch; & &;'],
  ])('%j', (raw, expected) => {
    expect(decodeEntities(raw)).toBe(expected);
  });
});
