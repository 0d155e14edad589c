import { pickByLocale } from './locale.ts';

/**
 * The few strings the launcher (embed.min.js) needs. The chat's strings live in strings.ts and
 * ship with the chat stage, so every page view does not pay for every language of the chat.
 */
export interface LauncherStrings {
  openChat: string;
  closeChat: string;
  moveHint: string;
  chatLoadFailed: string;
}

const en: LauncherStrings = {
  openChat: 'Open chat',
  closeChat: 'Close chat',
  moveHint: 'Use the arrow keys to move the chat button.',
  chatLoadFailed: 'The chat could not be loaded. Click to try again.',
};

/** The launcher strings of each language pack, by the pack's locale tags (build.mjs defines it from the part table). */
declare const __LAUNCHER_STRINGS__: ReadonlyArray<[string, LauncherStrings]>;
const translationsByTag = new Map(__LAUNCHER_STRINGS__);

export function launcherStrings(locale: string | undefined): LauncherStrings {
  return pickByLocale(locale, translationsByTag) ?? en;
}

/** English, or a language with a pack in the part table (`zh-Hans`, `zh_CN`…). */
export const hasLanguage = (locale: string): boolean =>
  /^en([-_]|$)/i.test(locale) || pickByLocale(locale, translationsByTag) !== undefined;
