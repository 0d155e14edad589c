// @vitest-environment happy-dom
import { render } from 'preact';
import { describe, expect, test } from 'vitest';
import { answerEn, fill, statusText } from '../../../../src/i18n/answer-strings.ts';
import { answerZhHans } from '../../../../src/i18n/answer-zh-hans.ts';
import { en, stringsFor, type Strings } from '../../../../src/i18n/strings.ts';
import { zhHans } from '../../../../src/i18n/zh-hans.ts';
import { AnswerBadges, type AnswerBadgesProps } from '../../../../src/ui/answer/AnswerBadges.tsx';

function badges(props: Partial<AnswerBadgesProps>): HTMLElement {
  const c = document.createElement('div');
  render(<AnswerBadges annotation={null} replacedReason={null} strings={answerEn} {...props} />, c);
  return c;
}

describe('AnswerBadges', () => {
  test('nothing to say → nothing rendered', () => {
    expect(badges({}).innerHTML).toBe('');
  });

  test('annotation → "Edited answer", with the author when known', () => {
    expect(badges({ annotation: { id: 'a1' } }).textContent).toBe('Edited answer');
    expect(badges({ annotation: { id: 'a1', authorName: 'Dana' } }).textContent).toBe('Answer edited by Dana');
    expect(badges({ annotation: { id: 'a1', authorName: '  ' } }).textContent).toBe('Edited answer');
    expect(badges({ annotation: { id: 'a1', authorName: 'Dana' }, strings: answerZhHans }).textContent).toBe('回答已由 Dana 编辑');
  });

  test('replacedReason → moderation note, or a generic one', () => {
    expect(badges({ replacedReason: 'output_moderation' }).textContent).toBe('This answer was replaced by the moderation filter.');
    expect(badges({ replacedReason: 'something_else' }).textContent).toBe('This answer was replaced.');
    expect(badges({ replacedReason: 'output_moderation', strings: answerZhHans }).textContent).toBe('此回答已被内容审核替换。');
  });

  test('both at once', () => {
    const c = badges({ annotation: { id: 'a' }, replacedReason: 'output_moderation' });
    expect(c.querySelector('.dcb-badge')!.textContent).toBe('Edited answer');
    expect(c.querySelector('.dcb-replaced-note')!.textContent).toContain('moderation');
  });

  test('an author name with markup or placeholders stays text', () => {
    const c = badges({ annotation: { id: 'a', authorName: '<img src=x onerror=alert(1)>{name}' } });
    expect(c.querySelector('img')).toBeNull();
    expect(c.textContent).toBe('Answer edited by <img src=x onerror=alert(1)>{name}');
  });
});

describe('answer strings', () => {
  test("the Chinese pack carries them; English ones are the extras' own", () => {
    const packs = { 'zh-Hans': zhHans };
    for (const locale of ['zh-Hans', 'zh_Hans', 'zh-CN']) expect(stringsFor(locale, packs).answer).toBe(answerZhHans);
    for (const locale of ['en-US', 'fr-FR', undefined]) expect(stringsFor(locale, packs).answer ?? answerEn).toBe(answerEn);
    expect((en as Strings).answer).toBeUndefined();
  });

  test('both locales have the same keys and no empty strings', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect(keys(answerZhHans)).toEqual(keys(answerEn));
    const values = (o: object): unknown[] => Object.values(o).flatMap((v) => (typeof v === 'object' ? values(v) : [v]));
    for (const v of [...values(answerEn), ...values(answerZhHans)]) expect(typeof v === 'string' && v.length > 0).toBe(true);
  });

  test('fill: placeholders once, unknown ones kept, values not re-scanned', () => {
    expect(fill('Used {tool}', { tool: '{tool}' })).toBe('Used {tool}');
    expect(fill('{a} {b}', { a: 1 })).toBe('1 {b}');
    expect(fill('{constructor}', {})).toBe('{constructor}');
  });

  test('statusText: known statuses, and the raw one otherwise', () => {
    expect(statusText(answerEn, 'succeeded')).toBe('Succeeded');
    expect(statusText(answerEn, 'partial-succeeded')).toBe('Partially succeeded');
    expect(statusText(answerEn, 'weird')).toBe('Status: weird');
    expect(statusText(answerEn, 'other')).toBe('Status: other');
    expect(statusText(answerEn, 'constructor')).toBe('Status: constructor');
    expect(statusText(answerZhHans, 'failed')).toBe('失败');
  });
});
