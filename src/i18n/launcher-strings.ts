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

const zhHans: LauncherStrings = {
  openChat: '打开聊天',
  closeChat: '关闭聊天',
  moveHint: '使用方向键移动聊天按钮。',
  chatLoadFailed: '聊天加载失败，请点击重试。',
};

export function launcherStrings(locale: string | undefined): LauncherStrings {
  return /^zh\b/i.test(locale ?? '') ? zhHans : en;
}
