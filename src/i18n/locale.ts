import type { LocalePack } from '../chat/part-table.ts';

/** `[locale tag, pack]` pairs from the part table's `locales` (build.mjs defines them). */
declare const __LOCALE_PACKS__: ReadonlyArray<[string, LocalePack]>;
// Pure: dropped from embed.min.js, whose launcher picks its strings with pickByLocale alone.
const packsByTag = /* @__PURE__ */ new Map(__LOCALE_PACKS__);

/**
 * What a table keyed by locale tag holds for `locale` (`zh-Hans`, `zh_CN`, `en-US`…): by its full
 * tag, then its language. The launcher and the chat both pick with this, so the bubble and the
 * window always speak the same language.
 */
export function pickByLocale<T>(locale: string | undefined, byTag: ReadonlyMap<string, T>): T | undefined {
  const tag = (locale ?? '').toLowerCase().replace('_', '-');
  return byTag.get(tag) ?? byTag.get(tag.split('-')[0]!);
}

/** The language pack `locale` needs; null for English (and any language without a pack). */
export function localePackFor(locale: string | undefined): LocalePack | null {
  return pickByLocale(locale, packsByTag) ?? null;
}
