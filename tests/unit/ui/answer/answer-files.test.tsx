// @vitest-environment happy-dom
import { render } from 'preact';
import { describe, expect, test } from 'vitest';
import { answerEn } from '../../../../src/i18n/answer-strings.ts';
import type { AnswerFile } from '../../../../src/state/answer.ts';
import { AnswerFiles } from '../../../../src/ui/answer/AnswerFiles.tsx';

const en = answerEn;
const BASE = 'https://api.example';

function files(list: AnswerFile[], exclude?: Set<string>): HTMLElement {
  const c = document.createElement('div');
  render(<AnswerFiles files={list} exclude={exclude} imageBase={BASE} strings={en} />, c);
  return c;
}

const img: AnswerFile = { id: 'i1', type: 'image', url: '/files/tools/x.png?timestamp=1&sign=a', belongsTo: 'assistant' };
const doc: AnswerFile = {
  id: 'd1',
  type: 'document',
  url: 'https://files.example/report.pdf?sign=b',
  belongsTo: 'assistant',
  filename: 'report.pdf',
};

describe('AnswerFiles', () => {
  test('nothing to show → nothing rendered', () => {
    expect(files([]).innerHTML).toBe('');
    expect(files([img], new Set(['i1'])).innerHTML).toBe('');
  });

  test('images inline, lazy, resolved against the API origin', () => {
    const c = files([img, { ...img, id: 'i2', type: 'custom', mimeType: 'image/webp', filename: 'chart.webp' }]);
    const imgs = c.querySelectorAll('img');
    expect(imgs).toHaveLength(2);
    expect(imgs[0]!.getAttribute('src')).toBe('https://api.example/files/tools/x.png?timestamp=1&sign=a');
    expect(imgs[0]!.getAttribute('alt')).toBe('Image');
    expect(imgs[0]!.getAttribute('loading')).toBe('lazy');
    expect(imgs[0]!.className).toBe('dcb-answer-image');
    expect(imgs[1]!.getAttribute('alt')).toBe('chart.webp');
  });

  test('other files: a download link named by the file name, new tab, noopener', () => {
    const c = files([doc]);
    const a = c.querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://files.example/report.pdf?sign=b');
    expect(a.getAttribute('target')).toBe('_blank');
    expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    expect(a.querySelector('.dcb-file-name')!.textContent).toBe('report.pdf');
    expect(a.querySelector('.dcb-sr-only')!.textContent).toContain('opens in a new tab');
    expect(c.querySelector('ul')!.getAttribute('aria-label')).toBe('Files');
  });

  test('without a file name: the URL path’s last segment, else "File"', () => {
    const c = files([
      { id: 'a', type: 'document', url: '/files/abc/My%20Notes.txt?sign=1', belongsTo: 'assistant' },
      { id: 'b', type: 'document', url: '/', belongsTo: 'assistant' },
      { id: 'c', type: 'document', url: '/files/%E0%A4%A', belongsTo: 'assistant' },
    ]);
    const names = [...c.querySelectorAll('.dcb-file-name')].map((n) => n.textContent);
    expect(names).toEqual(['My Notes.txt', 'File', '%E0%A4%A']);
  });

  test('exclude skips files shown under agent steps', () => {
    const c = files([img, doc], new Set(['i1']));
    expect(c.querySelector('img')).toBeNull();
    expect(c.querySelectorAll('li')).toHaveLength(1);
  });

  test('hostile URLs: no img, no link — the name stays as text', () => {
    const c = files([
      { ...img, url: 'javascript:alert(1)' },
      { ...doc, url: 'javascript:alert(1)', filename: '<img src=x onerror=alert(1)>' },
      { ...doc, id: 'd2', url: 'data:text/html,<script>alert(1)</script>', filename: 'x.html' },
    ]);
    expect(c.querySelector('img')).toBeNull();
    expect(c.querySelector('a')).toBeNull();
    expect(c.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(c.textContent).toContain('x.html');
  });
});
