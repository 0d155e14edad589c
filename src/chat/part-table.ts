/**
 * The chat's parts, one row each: code and strings that load only when a conversation needs them
 * (docs/ARCHITECTURE.md §3, the budget in README "Size and speed"). A part's module is
 * `src/parts/<name>.ts`, whose default export is what the part brings.
 *
 * Adding a part or a language is one row here plus that file. Everything else follows:
 * - build.mjs builds each row into `dist/<file>-<hash>.min.js` (a classic script that registers
 *   with the chat, embed/part.ts) and tells the chat file those names (`__CHAT_PARTS__`);
 * - the npm entry (src/index.ts) imports `src/parts/<name>.ts` as a chunk of its own;
 * - a language row's `locales` pick the pack for the chat (src/i18n/locale.ts) and, with its
 *   `launcher` strings, the bubble's language. The launcher does not import this table: build.mjs
 *   and vitest.config.ts hand those few values to the code through `define` ({@link defines}).
 */
import type { LauncherStrings } from '../i18n/launcher-strings.ts';

interface PartRow {
  /** The classic script's name in dist/, before its content hash. */
  file: string;
}

interface LanguageRow extends PartRow {
  /**
   * Locale tags this pack serves, lower case with `-`: a language (`zh`: every `zh-…` tag) or a
   * full tag (`zh-tw`), which wins over its language's row.
   */
  locales: readonly string[];
  /** The bubble's few strings, which every page view carries (embed.min.js). */
  launcher: LauncherStrings;
}

export const PART_TABLE = {
  /** Agent steps, the workflow panel, files, sources and badges, with their styles and English. */
  extras: { file: 'answer-extras' },
  /** Simplified Chinese: the chat's strings and the answer extras'. */
  'zh-Hans': {
    file: 'strings-zh-hans',
    locales: ['zh'],
    launcher: {
      openChat: '打开聊天',
      closeChat: '关闭聊天',
      moveHint: '使用方向键移动聊天按钮。',
      chatLoadFailed: '聊天加载失败，请点击重试。',
    },
  },
} as const satisfies Record<string, PartRow | LanguageRow>;

export type PartName = keyof typeof PART_TABLE;

/** The parts that are languages besides English. */
export type LocalePack = { [Name in PartName]: (typeof PART_TABLE)[Name] extends LanguageRow ? Name : never }[PartName];

/**
 * The table's values the browser code reads, as esbuild `define`s (JSON text), both as
 * `[locale tag, value]` pairs for a Map: the pack each tag needs (`__LOCALE_PACKS__`,
 * src/i18n/locale.ts) and the launcher's strings for each tag (`__LAUNCHER_STRINGS__`,
 * src/i18n/launcher-strings.ts). For build.mjs and vitest.config.ts.
 */
export function defines(): Record<'__LOCALE_PACKS__' | '__LAUNCHER_STRINGS__', string> {
  const packs: Array<[string, string]> = [];
  const launcher: Array<[string, LauncherStrings]> = [];
  for (const [name, row] of Object.entries(PART_TABLE)) {
    if (!('locales' in row)) continue;
    for (const tag of row.locales) {
      packs.push([tag, name]);
      launcher.push([tag, row.launcher]);
    }
  }
  return { __LOCALE_PACKS__: JSON.stringify(packs), __LAUNCHER_STRINGS__: JSON.stringify(launcher) };
}
