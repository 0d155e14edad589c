import { describe, expect, it } from 'vitest';
import { answerEn } from '../../../src/i18n/answer-strings.ts';
import { existsSync } from 'node:fs';
import { PART_TABLE } from '../../../src/chat/part-table.ts';
import { launcherStrings } from '../../../src/i18n/launcher-strings.ts';
import { localePackFor, pickByLocale } from '../../../src/i18n/locale.ts';
import { en, stringsFor } from '../../../src/i18n/strings.ts';
import { zhHans } from '../../../src/i18n/zh-hans.ts';

describe('chat strings and language packs', () => {
  it('knows which pack a locale needs: Chinese tags need zh-Hans, English and unknown languages none', () => {
    for (const tag of ['zh-Hans', 'zh_Hans', 'zh-CN', 'zh', 'ZH-hans']) expect(localePackFor(tag), tag).toBe('zh-Hans');
    for (const tag of ['en', 'en-US', 'fr-FR', '', undefined]) expect(localePackFor(tag), String(tag)).toBeNull();
  });

  it('the bubble speaks the language the chat will (one rule, from the part table)', () => {
    for (const tag of ['zh-CN', 'zh_HK', 'zh-Hant-TW', 'ZH'])
      expect(launcherStrings(tag).openChat, tag).toBe(PART_TABLE['zh-Hans'].launcher.openChat);
    for (const tag of ['en-GB', 'de', 'zhx', 'constructor', '', undefined])
      expect(launcherStrings(tag).openChat, String(tag)).toBe('Open chat');
    for (const tag of ['zh_HK', 'zh-Hant-TW', 'en-GB', 'constructor', 'toString']) {
      expect(localePackFor(tag) === null, tag).toBe(launcherStrings(tag).openChat === 'Open chat');
    }
  });

  it('a full tag wins over its language; case and `_` do not matter', () => {
    const byTag = new Map([
      ['zh', 'simplified'],
      ['zh-tw', 'traditional'],
    ]);
    expect(pickByLocale('zh_TW', byTag)).toBe('traditional');
    expect(pickByLocale('ZH-CN', byTag)).toBe('simplified');
    expect(pickByLocale('en', byTag)).toBeUndefined();
  });

  it('every part in the table has its module in src/parts/', () => {
    for (const name of Object.keys(PART_TABLE)) expect(existsSync(`src/parts/${name}.ts`), name).toBe(true);
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
