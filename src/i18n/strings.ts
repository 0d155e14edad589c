/** UI strings. Add a locale by adding an object with the same keys. */
export const en = {
  openChat: 'Open chat',
  closeChat: 'Close chat',
  moveHint: 'Use the arrow keys to move the chat button.',
  chatWindow: 'Chat',
  expand: 'Expand chat',
  collapse: 'Shrink chat',
  close: 'Close chat',
  newConversation: 'New conversation',
  messageLabel: 'Message',
  placeholder: 'Type a message…',
  send: 'Send message',
  stop: 'Stop answering',
  loadingChat: 'Loading chat…',
  chatLoadFailed: 'The chat could not be loaded. Check your connection and click the chat button to try again.',
  emptyConversation: 'Ask anything to start.',
};

export type Strings = typeof en;

const zhHans: Strings = {
  openChat: '打开聊天',
  closeChat: '关闭聊天',
  moveHint: '使用方向键移动聊天按钮。',
  chatWindow: '聊天',
  expand: '展开聊天窗口',
  collapse: '缩小聊天窗口',
  close: '关闭聊天',
  newConversation: '新对话',
  messageLabel: '消息',
  placeholder: '输入消息…',
  send: '发送消息',
  stop: '停止回答',
  loadingChat: '正在加载聊天…',
  chatLoadFailed: '聊天加载失败。请检查网络连接，然后再次点击聊天按钮重试。',
  emptyConversation: '有什么问题都可以问。',
};

const LOCALES: Record<string, Strings> = { en, 'zh-hans': zhHans, 'zh-cn': zhHans, zh: zhHans };

/** Picks strings for a locale such as `zh-Hans` or `en-US`; falls back to the language, then English. */
export function stringsFor(locale: string | undefined): Strings {
  if (!locale) return en;
  const lower = locale.toLowerCase();
  return LOCALES[lower] ?? LOCALES[lower.split('-')[0] ?? ''] ?? en;
}
