// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { splitThink } from '../../../src/markdown/think';
import { md, unchunked } from './render-helpers';

describe('splitThink', () => {
  test.each([
    ['no think', 'hello', false, { think: null, open: false, answer: 'hello' }],
    ['closed think', '<think>why</think>\n\nanswer', false, { think: 'why', open: false, answer: 'answer' }],
    ['leading whitespace before <think>', '\n  <think>a</think>b', false, { think: 'a', open: false, answer: 'b' }],
    ['unterminated: all thinking', '<think>still going', true, { think: 'still going', open: true, answer: '' }],
    ['a half-arrived </think> is held back while streaming', '<think>still</thi', true, { think: 'still', open: true, answer: '' }],
    ['a half-arrived <think> shows nothing while streaming', '<thi', true, { think: null, open: false, answer: '' }],
    ['…but is text once the stream ends', '<thi', false, { think: null, open: false, answer: '<thi' }],
    ['<think> not at the start is text', 'a <think>b</think>', false, { think: null, open: false, answer: 'a <think>b</think>' }],
    ['only the first </think> closes', '<think>a</think>b</think>', false, { think: 'a', open: false, answer: 'b</think>' }],
  ])('%s', (_n, text, streaming, expected) => {
    expect(splitThink(text, streaming)).toEqual(expected);
  });
});

describe('Thinking section', () => {
  const details = (root: HTMLElement) => root.querySelector('details');

  test('open while thinking streams, closed once the answer starts', () => {
    const root = document.createElement('div');
    md('<think>', { streaming: true }, root);
    expect(details(root)?.open).toBe(true);
    md('<think>Let me *see*', { streaming: true }, root);
    expect(details(root)!.open).toBe(true);
    expect(details(root)!.querySelector('summary')!.textContent).toBe('Thinking');
    expect(unchunked(details(root)!)).toBe('<summary>Thinking</summary><p>Let me <em>see</em></p>');
    md('<think>Let me *see*</think>\n\n', { streaming: true }, root);
    expect(details(root)!.open).toBe(true);
    md('<think>Let me *see*</think>\n\nThe **answer**', { streaming: true }, root);
    expect(details(root)!.open).toBe(false);
    expect(root.querySelector('.dcb-md > .dcb-md-chunk')!.innerHTML).toBe('<p>The <strong>answer</strong></p>');
    md('<think>Let me *see*</think>\n\nThe **answer**.', { streaming: false }, root);
    expect(details(root)!.open).toBe(false);
  });

  test('a finished message shows the section closed', () => {
    const root = md('<think>why</think>answer');
    expect(unchunked(root.firstElementChild!)).toBe(
      '<details class="dcb-md-think"><summary>Thinking</summary><p>why</p></details><p>answer</p>',
    );
  });

  test('an empty think section is not shown once done', () => {
    expect(md('<think>\n\n</think>\n\nanswer').querySelector('details')).toBeNull();
  });

  test('the reasoning prop is shown the same way, with localised summary', () => {
    const strings = { thinking: 'Denkt nach', copyCode: 'Kopieren', copied: 'Kopiert', table: 'Tabelle' };
    const root = document.createElement('div');
    md('', { reasoning: 'step 1', streaming: true, strings }, root);
    expect(details(root)!.open).toBe(true);
    expect(details(root)!.textContent).toBe('Denkt nachstep 1');
    md('Done', { reasoning: 'step 1', streaming: true, strings }, root);
    expect(details(root)!.open).toBe(false);
  });

  test('think content is markdown with the same safety rules', () => {
    const root = md('<think><img src=x onerror=alert(1)> [x](javascript:alert(1))</think>ok');
    expect(root.querySelector('img, a')).toBeNull();
    expect(details(root)!.textContent).toContain('<img src=x onerror=alert(1)> x');
  });
});
