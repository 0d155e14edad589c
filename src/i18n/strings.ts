import type { LocalePack } from '../chat/part-table.ts';
import type { AnswerStrings } from './answer-strings.ts';
import { localePackFor } from './locale.ts';

/**
 * UI strings. Another language is a pack of its own: an object with the same keys (zh-hans.ts) and
 * its row in src/chat/part-table.ts.
 */
export const en = {
  chatWindow: 'Chat',
  expand: 'Expand chat',
  collapse: 'Shrink chat',
  close: 'Close chat',
  newConversation: 'New conversation',
  messageLabel: 'Message',
  placeholder: 'Type a message…',
  send: 'Send message',
  stop: 'Stop answering',
  retry: 'Retry',
  stopped: 'Stopped',
  interrupted: 'The answer was cut off.',
  thinking: 'Thinking',
  typing: 'Answering…',
  you: 'You',
  loadOlder: 'Load earlier messages',
  loadingHistory: 'Loading earlier messages…',
  historyFailed: 'Earlier messages could not be loaded.',
  suggestions: 'Suggested questions',
  jumpToLatest: 'Jump to latest',
  copyAnswer: 'Copy answer',
  like: 'Good answer',
  dislike: 'Bad answer',
  regenerate: 'Regenerate answer',
  previousAnswer: 'Previous answer',
  nextAnswer: 'Next answer',
  /** `{n}` of `{total}` answers to this question. */
  answerNofM: 'Answer {n} of {total}',
  feedbackFailed: 'Your rating could not be saved.',
  answerFailed: 'The answer could not be completed:',
  /** `{s}`: seconds until the automatic retry. */
  retryingBusy: 'The assistant is busy. Trying again in {s} s…',
  retryingServer: 'The server had a problem. Trying again in {s} s…',
  offline: 'You are offline. Your message will be kept; send it again when you are back online.',
  starting: 'Connecting…',
  copyCode: 'Copy code',
  copied: 'Copied',
  extrasFailed: 'Parts of this answer (steps, files or sources) could not be loaded.',
  table: 'Table',
  errors: {
    network: 'You seem to be offline. Check your connection and try again.',
    timeout: 'The answer is taking too long. Please try again.',
    aborted: 'Stopped.',
    unauthorized: 'Your chat session could not be renewed. Please try again.',
    'sign-in-required': 'This chat requires you to sign in.',
    'no-access': 'You do not have access to this chat.',
    unavailable: 'This chat is unavailable right now.',
    'conversation-gone': 'This conversation has ended. Start a new one.',
    'not-found': 'That message no longer exists.',
    'not-configured': 'This assistant is not set up to answer yet. Please try again later.',
    busy: 'The assistant is busy right now. Please try again in a moment.',
    'rate-limited': 'The usage limit has been reached. Please try again later.',
    'invalid-input': 'The question could not be sent:',
    'model-error': 'The model could not answer:',
    server: 'Something went wrong on the server. Please try again.',
    'bad-response': 'The server sent an unexpected response. Please try again.',
  },
};

export type Strings = typeof en & {
  /**
   * The answer extras' strings, in a language pack. English ones ship with the extras themselves
   * (answer-strings.ts), so the chat file carries none.
   */
  answer?: AnswerStrings;
};

/** The strings for `locale` among the packs loaded so far; English until its pack is in. */
export function stringsFor(locale: string | undefined, packs: Partial<Record<LocalePack, Strings>> = {}): Strings {
  const pack = localePackFor(locale);
  return (pack && packs[pack]) || en;
}
