import { type App, isChatMode } from './apps.ts';
import { atLeast } from './eras.ts';
import { badRequest, DifyError } from './errors.ts';

/**
 * The app-mode checks the web controllers make before anything else (docs/PROTOCOL.md §2.4, §2.8, and
 * newer releases for New Agent apps).
 */
export const notChatApp = (): DifyError =>
  new DifyError(400, 'not_chat_app', 'Please check if your Chat app mode matches the right API route.');

const notCompletionApp = (): DifyError =>
  new DifyError(400, 'not_completion_app', 'Please check if your Completion app mode matches the right API route.');

/** Chat-only endpoints (chat-messages, message history) refuse a completion or workflow app. */
export function requireChatApp(app: App): void {
  if (!isChatMode(app.mode)) throw notChatApp();
}

/**
 * Suggested questions on a non-chat app: 1.12.1 answered `not_completion_app` (sic), 1.13.1 corrected
 * it to `not_chat_app`.
 */
export function requireChatAppForSuggestions(app: App): void {
  if (isChatMode(app.mode)) return;
  throw atLeast(app.era, '1.13.1') ? notChatApp() : notCompletionApp();
}

/** An unpublished New Agent app answers this on chat-messages and parameters (1.16 docs; wording is the mock's). */
export function requirePublishedAgent(app: App): void {
  if (app.mode === 'agent' && !app.published) {
    throw new DifyError(400, 'agent_not_published', 'The agent of this app has not been published yet.');
  }
}

/** New Agent apps stream only (`_resolve_agent_app_streaming`). */
export function requireStreamingForAgent(app: App, responseMode: 'streaming' | 'blocking'): void {
  if (app.mode === 'agent' && responseMode !== 'streaming') throw badRequest('Agent App only supports streaming response mode.');
}
