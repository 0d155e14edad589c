import { describe, expect, test } from 'vitest';
import { localePackFor } from '../../../src/i18n/locale.ts';
import { en, stringsFor } from '../../../src/i18n/strings.ts';

describe('localePackFor looks packs up without the prototype chain', () => {
  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'constructor-x'])('%j has no pack: English', (locale) => {
    expect(localePackFor(locale)).toBeNull();
    expect(stringsFor(locale)).toBe(en);
  });

  test.each([
    ['zh-Hans', 'zh-Hans'],
    ['zh_CN', 'zh-Hans'],
    ['zh-TW', 'zh-Hans'],
    ['en-US', null],
  ])('%j → %j', (locale, pack) => {
    expect(localePackFor(locale)).toBe(pack);
  });
});
