import { requireChatApp, requireChatAppForSuggestions } from '../app-mode-checks.ts';
import { type App, featureEnabled } from '../apps.ts';
import { suggestedQuestions } from '../answers.ts';
import { authOf, type RequestContext } from '../context.ts';
import { hasExtraContents } from '../eras.ts';
import { conversationNotExists, forbidden, invalidParam, messageNotExists, notFound, pydanticError } from '../errors.ts';
import { parseJsonBody, sendJson } from '../http.ts';
import type { MessageRecord } from '../store.ts';
import { intParam, uuidQuery } from './query.ts';

/** `WebMessageListItem` (docs/PROTOCOL.md §2.7); since 1.13 with `extra_contents` (human-input forms). */
export function messageItem(m: MessageRecord, app: App): Record<string, unknown> {
  const item: Record<string, unknown> = {
    id: m.id,
    conversation_id: m.conversation_id,
    parent_message_id: m.parent_message_id,
    inputs: m.inputs,
    query: m.query,
    answer: m.answer,
    feedback: m.feedback ? { rating: m.feedback.rating } : null,
    retriever_resources: m.retriever_resources,
    created_at: m.created_at,
    agent_thoughts: m.agent_thoughts,
    message_files: m.message_files,
    status: m.status,
    error: m.error,
    metadata: m.metadata,
  };
  if (hasExtraContents(app.era)) item.extra_contents = m.extra_contents ?? [];
  return item;
}

/** GET /api/messages?conversation_id&first_id&limit — newest `limit`, ascending, has_more for older. */
export async function listMessages(ctx: RequestContext): Promise<void> {
  const { app, endUser } = authOf(ctx);
  requireChatApp(app);
  const q = ctx.url.searchParams;
  const model = 'MessageListQuery';
  const conversationId = uuidQuery(model, q, 'conversation_id');
  if (!conversationId) throw pydanticError(model, 'conversation_id', 'Field required', 'missing', Object.fromEntries(q));
  const firstId = uuidQuery(model, q, 'first_id');
  const limit = intParam(model, q, 'limit', 20, 1, 100);
  const conv = ctx.state.store.findConversation(conversationId, app.app_id, endUser.id);
  if (!conv) throw conversationNotExists();
  const result = ctx.state.store.listMessages(conv.id, { limit, firstId });
  if (result === 'first-not-found') throw notFound('First Message Not Exists.');
  sendJson(ctx.res, 200, { limit, has_more: result.hasMore, data: result.data.map((m) => messageItem(m, app)) });
}

function ownMessage(ctx: RequestContext): MessageRecord {
  const { app, endUser } = authOf(ctx);
  const msg = ctx.state.store.findMessage(ctx.params[0]!.toLowerCase(), app.app_id, endUser.id);
  if (!msg) throw messageNotExists();
  return msg;
}

/** POST /api/messages/<id>/feedbacks {rating: like|dislike|null, content?} (docs/PROTOCOL.md §2.8). */
export async function messageFeedback(ctx: RequestContext): Promise<void> {
  const body = parseJsonBody(ctx.body);
  const b = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const rating = b.rating ?? null;
  if (rating !== null && rating !== 'like' && rating !== 'dislike') {
    throw pydanticError('MessageFeedbackPayload', 'rating', "Input should be 'like' or 'dislike'", 'literal_error', rating);
  }
  const msg = ownMessage(ctx);
  if (rating === null) {
    if (!msg.feedback) throw invalidParam('rating cannot be None when feedback not exists');
    msg.feedback = null;
  } else {
    msg.feedback = { rating, content: typeof b.content === 'string' ? b.content : null };
  }
  ctx.state.store.saveMessage(msg);
  sendJson(ctx.res, 200, { result: 'success' });
}

/** GET /api/messages/<id>/suggested-questions — 403 when the app has the feature off. */
export async function suggested(ctx: RequestContext): Promise<void> {
  const { app } = authOf(ctx);
  requireChatAppForSuggestions(app);
  const msg = ownMessage(ctx);
  if (!featureEnabled(app, 'suggested_questions_after_answer')) {
    throw forbidden('app_suggested_questions_after_answer_disabled', 'Function Suggested questions after answer disabled.');
  }
  sendJson(ctx.res, 200, { data: suggestedQuestions(msg.query) });
}
