// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { answerImage } from '../../../src/markdown/urls';
import { IMAGE_BASE as API, md } from './render-helpers';
import { HOSTILE_URLS } from './hostile-urls';

const FILE = `${API}/files/tools/chart.png?timestamp=1&nonce=n&sign=s`;
const PREVIEW = `${API}/files/8a2f6c1e-3b1d-4f8e-9a77-5e1c0c2b9d10/file-preview?timestamp=1&nonce=n&sign=s`;
const FOREIGN = 'https://tracker.example/pixel.png';
const CDN = 'https://cdn.example.com';

describe("answerImage: relative URLs only into Dify's file routes", () => {
  test.each([
    ['/files/tools/chart.png?timestamp=1&nonce=n&sign=s', FILE],
    ['/files/8a2f6c1e-3b1d-4f8e-9a77-5e1c0c2b9d10/file-preview?timestamp=1&nonce=n&sign=s', PREVIEW],
    ['files/tools/chart.png', `${API}/files/tools/chart.png`],
  ])('%j loads from the API origin', (raw, url) => {
    expect(answerImage(raw, API)).toEqual({ url, load: true });
  });

  test.each([
    '/api/passport',
    '/api/messages?conversation_id=x',
    '/console/api/workspaces',
    '/files/../api/passport',
    '/files/%2e%2e/api/passport',
    '/filesystem/x.png',
    '/files',
    '?sign=1',
    '#x',
    '//tracker.example/pixel.png',
    '\\\\tracker.example/pixel.png',
  ])('%j is refused: only its alt text shows', (raw) => {
    expect(answerImage(raw, API)).toBeNull();
  });

  test.each(HOSTILE_URLS)('%j is refused', (raw) => {
    expect(answerImage(raw, API)).toBeNull();
  });
});

describe('answerImage: the policies', () => {
  const table: Array<[string, Parameters<typeof answerImage>[2], Record<string, boolean | null>]> = [
    ['all', 'all', { file: true, foreign: true, cdn: true, difyOther: true }],
    ['absent (as all)', undefined, { file: true, foreign: true, cdn: true, difyOther: true }],
    ['dify', 'dify', { file: true, foreign: false, cdn: false, difyOther: false }],
    ['none', 'none', { file: false, foreign: false, cdn: false, difyOther: false }],
    ['[cdn]', [CDN], { file: false, foreign: false, cdn: true, difyOther: false }],
    ['[cdn, api]', [CDN, API], { file: true, foreign: false, cdn: true, difyOther: true }],
    ['[]', [], { file: false, foreign: false, cdn: false, difyOther: false }],
  ];
  const urls = { file: FILE, foreign: FOREIGN, cdn: `${CDN}/a/b.png`, difyOther: `${API}/logo.png` };

  test.each(table)('%s', (_name, policy, expected) => {
    for (const [what, load] of Object.entries(expected)) {
      const url = urls[what as keyof typeof urls];
      // Refused by the policy is still shown, as a link: load false, never null.
      expect(answerImage(url, API, policy), what).toEqual({ url, load });
    }
  });

  test.each([
    'https://cdn.example.com.tracker.example/x.png',
    'https://cdn.example.com@tracker.example/x.png',
    'https://cdn.example.com:8443/x.png',
    'http://cdn.example.com/x.png',
    'https://tracker.example/https://cdn.example.com/x.png',
  ])('an origin in the list is matched exactly: %j does not load', (url) => {
    expect(answerImage(url, API, [CDN])?.load).toBe(false);
  });
});

describe('Markdown images under a policy', () => {
  const attributes = (el: Element) => Object.fromEntries([...el.attributes].map((a) => [a.name, a.value]));

  test('a loaded image keeps no-referrer and loads lazily and asynchronously', () => {
    const img = md(`![chart](${FILE})`, { images: 'dify' }).querySelector('img')!;
    expect(attributes(img)).toEqual({
      src: FILE,
      alt: 'chart',
      loading: 'lazy',
      decoding: 'async',
      referrerpolicy: 'no-referrer',
    });
  });

  test('an image the policy refuses is a link the visitor may follow, and nothing is fetched', () => {
    const root = md(`Look: ![the pixel](${FOREIGN}) and ![](${FOREIGN}?2)`, { images: 'dify' });
    expect(root.querySelector('img')).toBeNull();
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')])).toEqual([
      ['the pixel', FOREIGN, 'noopener noreferrer', '_blank'],
      // No alt text: the link names its URL rather than being empty.
      [`${FOREIGN}?2`, `${FOREIGN}?2`, 'noopener noreferrer', '_blank'],
    ]);
  });

  test('"none" shows even Dify\'s own files as links', () => {
    const root = md(`![chart](/files/tools/chart.png?sign=s)`, { images: 'none' });
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('a')!.getAttribute('href')).toBe(`${API}/files/tools/chart.png?sign=s`);
  });

  test('a relative image outside the file routes is its alt text only: no image, no link', () => {
    const root = md('Before ![your passport](/api/passport) after');
    expect(root.querySelector('img, a')).toBeNull();
    expect(root.textContent).toBe('Before your passport after');
  });

  test('a list of origins loads those and links the rest', () => {
    const root = md(`![a](${CDN}/a.png) ![b](${FOREIGN})`, { images: [CDN] });
    expect([...root.querySelectorAll('img')].map((i) => i.getAttribute('src'))).toEqual([`${CDN}/a.png`]);
    expect([...root.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([FOREIGN]);
  });
});
