// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, test } from 'vitest';
import type { RetrieverResource } from '../../../../src/api/types.ts';
import { answerEn } from '../../../../src/i18n/answer-strings.ts';
import { answerZhHans } from '../../../../src/i18n/answer-zh-hans.ts';
import { Citations, formatScore, groupByDocument } from '../../../../src/ui/answer/Citations.tsx';

const containers: HTMLElement[] = [];
afterEach(() => {
  for (const c of containers.splice(0)) {
    render(null, c);
    c.remove();
  }
});
function cite(resources: RetrieverResource[], strings = answerEn): HTMLElement {
  const c = document.createElement('div');
  document.body.append(c);
  containers.push(c);
  render(<Citations resources={resources} strings={strings} />, c);
  return c;
}

const LONG = 'Tea is an aromatic beverage prepared by pouring hot water over cured leaves. '.repeat(5);
const resources: RetrieverResource[] = [
  { segment_id: 's1', document_id: 'doc-a', document_name: 'tea.md', score: 0.8712, content: 'Tea is a brewed drink.' },
  { segment_id: 's2', document_id: 'doc-b', document_name: 'coffee.pdf', score: 0.5, content: 'Coffee.' },
  { segment_id: 's3', document_id: 'doc-a', document_name: 'tea.md', score: 0.61, content: LONG },
];

describe('Citations', () => {
  test('empty → nothing', () => {
    expect(cite([]).innerHTML).toBe('');
  });

  test('a "Sources" section grouped by document with the count of segments', () => {
    const c = cite(resources);
    const section = c.querySelector('section')!;
    const heading = section.querySelector('.dcb-citations-title')!;
    expect(heading.textContent).toBe('Sources');
    expect(section.getAttribute('aria-labelledby')).toBe(heading.id);
    const groups = c.querySelectorAll('.dcb-source');
    expect(groups).toHaveLength(2);
    expect(groups[0]!.querySelector('.dcb-source-name')!.textContent).toBe('tea.md');
    expect(groups[0]!.querySelector('.dcb-source-count')!.textContent).toBe('2 segments');
    expect(groups[1]!.querySelector('.dcb-source-name')!.textContent).toBe('coffee.pdf');
    expect(groups[1]!.querySelector('.dcb-source-count')!.textContent).toBe('1 segment');
  });

  test('a real button with aria-expanded opens the segments: score with 2 decimals and the excerpt', () => {
    const c = cite(resources);
    const button = c.querySelector('button.dcb-source-toggle') as HTMLButtonElement;
    expect(button.getAttribute('type')).toBe('button');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    const list = c.querySelector(`#${CSS.escape(button.getAttribute('aria-controls')!)}`)!;
    expect(list.hasAttribute('hidden')).toBe(true);
    act(() => button.click());
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(list.hasAttribute('hidden')).toBe(false);
    const scores = [...list.querySelectorAll('.dcb-score')].map((s) => s.textContent);
    expect(scores).toEqual(['score 0.87', 'score 0.61']);
    expect(list.querySelector('.dcb-snippet')!.textContent).toBe('Tea is a brewed drink.');
    act(() => button.click());
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(list.hasAttribute('hidden')).toBe(true);
  });

  test('long excerpts are clamped, with a Show more / Show less button', () => {
    const c = cite(resources);
    act(() => (c.querySelector('button.dcb-source-toggle') as HTMLButtonElement).click());
    const snippets = c.querySelectorAll('.dcb-snippet');
    expect(snippets[0]!.classList.contains('dcb-clamped')).toBe(false);
    expect(snippets[1]!.classList.contains('dcb-clamped')).toBe(true);
    expect(snippets[1]!.textContent).toBe(LONG);
    const more = c.querySelector('button.dcb-link-button') as HTMLButtonElement;
    expect(more.textContent).toBe('Show more');
    expect(more.getAttribute('aria-expanded')).toBe('false');
    expect(more.getAttribute('aria-controls')).toBe(snippets[1]!.id);
    act(() => more.click());
    expect(more.textContent).toBe('Show less');
    expect(more.getAttribute('aria-expanded')).toBe('true');
    expect(c.querySelectorAll('.dcb-snippet')[1]!.classList.contains('dcb-clamped')).toBe(false);
  });

  test('Chinese strings', () => {
    const c = cite(resources, answerZhHans);
    expect(c.querySelector('.dcb-citations-title')!.textContent).toBe('引用来源');
    expect(c.querySelector('.dcb-source-count')!.textContent).toBe('2 个片段');
    act(() => (c.querySelector('button') as HTMLButtonElement).click());
    expect(c.querySelector('.dcb-score')!.textContent).toBe('得分 0.87');
  });

  test('missing names and scores', () => {
    const c = cite([{ content: 'x' }, { document_id: 'd', content: 'y', score: null }]);
    const names = [...c.querySelectorAll('.dcb-source-name')].map((n) => n.textContent);
    expect(names).toEqual(['Untitled document', 'Untitled document']);
    act(() => (c.querySelector('button') as HTMLButtonElement).click());
    expect(c.querySelector('.dcb-score')).toBeNull();
  });

  test('groupByDocument: by document_id, else by name, in first-seen order; tolerates junk', () => {
    const groups = groupByDocument([
      { document_id: 'a', document_name: 'A', segment_id: '1' },
      { document_name: 'B', segment_id: '2' },
      { document_id: 'a', document_name: 'A (renamed)', segment_id: '3' },
      { document_name: 'B', segment_id: '4' },
      null as never,
    ]);
    expect(groups.map((g) => [g.name, g.segments.map((s) => s.segment_id)])).toEqual([
      ['A', ['1', '3']],
      ['B', ['2', '4']],
    ]);
    expect(groupByDocument(null)).toEqual([]);
  });

  test('formatScore', () => {
    expect(formatScore(0.8712)).toBe('0.87');
    expect(formatScore(1)).toBe('1.00');
    expect(formatScore(0.005)).toBe('0.01');
    expect(formatScore(NaN)).toBe('');
    expect(formatScore('0.9')).toBe('');
    expect(formatScore(undefined)).toBe('');
  });
});
