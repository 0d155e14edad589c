import type { Http } from './http.ts';
import type { Conversation, HistoryMessage, Paged, Rating, Success } from './types.ts';

/**
 * Endpoints of docs/PROTOCOL.md §2.6–2.8 that the chat uses: naming a conversation, its history, feedback,
 * follow-up suggestions. (No conversation list, delete or pin: the widget has one conversation at a
 * time, and every method here ships in the chat file.)
 */

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

export interface ListMessagesParams extends CallOptions {
  conversationId: string;
  /** Paging backwards: the id of the *oldest* message already loaded. */
  firstId?: string | undefined;
  limit?: number | undefined;
}

export type RenameConversation = { name: string } | { autoGenerate: true };

const id = encodeURIComponent;

/** `POST /api/conversations/<id>/name` with a name, or `auto_generate` (an LLM call: slow). */
export function renameConversation(
  http: Http,
  conversationId: string,
  rename: RenameConversation,
  options: CallOptions = {},
): Promise<Conversation> {
  const json = 'name' in rename ? { name: rename.name } : { auto_generate: true };
  return http.json(`/conversations/${id(conversationId)}/name`, { method: 'POST', json, signal: options.signal });
}

/** `GET /api/messages`: the newest page, in ascending time order (§2.7). */
export function listMessages(http: Http, params: ListMessagesParams): Promise<Paged<HistoryMessage>> {
  return http.json('/messages', {
    query: { conversation_id: params.conversationId, first_id: params.firstId, limit: params.limit },
    signal: params.signal,
  });
}

/** `POST /api/messages/<id>/feedbacks`; `null` removes the rating (§2.8). */
export async function sendFeedback(
  http: Http,
  messageId: string,
  rating: Rating | null,
  content?: string,
  options: CallOptions = {},
): Promise<void> {
  const json: { rating: Rating | null; content?: string } = { rating };
  if (content) json.content = content;
  await http.json<Success>(`/messages/${id(messageId)}/feedbacks`, { method: 'POST', json, signal: options.signal });
}

/** `GET /api/messages/<id>/suggested-questions` → the questions (403 when the feature is off, §2.8). */
export async function suggestedQuestions(http: Http, messageId: string, options: CallOptions = {}): Promise<string[]> {
  const body = await http.json<{ data?: unknown } | null>(`/messages/${id(messageId)}/suggested-questions`, { signal: options.signal });
  return Array.isArray(body?.data) ? body.data.filter((question): question is string => typeof question === 'string') : [];
}
