import { describe, expect, it } from 'vitest';
import { answerEn } from '../../../src/i18n/answer-strings.ts';
import { en, localePackFor, stringsFor } from '../../../src/i18n/strings.ts';
import { zhHans } from '../../../src/i18n/zh-hans.ts';

describe('chat strings and language packs', () => {
  it('knows which pack a locale needs: Chinese tags need zh-Hans, English and unknown languages none', () => {
    for (const tag of ['zh-Hans', 'zh_Hans', 'zh-CN', 'zh', 'ZH-hans']) expect(localePackFor(tag), tag).toBe('zh-Hans');
    for (const tag of ['en', 'en-US', 'fr-FR', '', undefined]) expect(localePackFor(tag), String(tag)).toBeNull();
  });

  it('speaks English until the pack is in, then the pack', () => {
    expect(stringsFor('zh-Hans')).toBe(en);
    expect(stringsFor('zh-Hans', { 'zh-Hans': zhHans })).toBe(zhHans);
    expect(stringsFor('en-GB', { 'zh-Hans': zhHans })).toBe(en);
  });

  it('the Chinese pack translates every English string (no key missing, none left in English)', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
    // The answer extras' strings ride along in the pack; they are checked against answerEn.
    const { answer, ...chat } = zhHans;
    expect(keys(chat)).toEqual(keys(en));
    expect(keys(answer!)).toEqual(keys(answerEn));
    const flat = (o: object): string[] => Object.values(o).flatMap((v) => (typeof v === 'object' ? flat(v as object) : [v as string]));
    for (const [pack, english] of [
      [chat, en],
      [answer!, answerEn],
    ] as const) {
      const untranslated = flat(pack).filter((text, i) => text === flat(english)[i]);
      expect(untranslated).toEqual([]);
    }
  });
});
