import { autoName } from '../answers.ts';
import { authOf, type RequestContext } from '../context.ts';
import { conversationNotExists, notFound, pydanticError } from '../errors.ts';
import { parseJsonBody, sendJson, sleep } from '../http.ts';
import type { Conversation, SortBy } from '../store.ts';
import { intParam, uuidQuery } from './query.ts';

/** The list item / rename response shape (docs/PROTOCOL.md §2.6). */
export function conversationItem(c: Conversation): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    inputs: c.inputs,
    status: c.status,
    introduction: c.introduction,
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}

const SORTS: readonly string[] = ['created_at', '-created_at', 'updated_at', '-updated_at'];

/** GET /api/conversations?limit&last_id&pinned&sort_by — newest first, keyset paging by last_id. */
export async function listConversations(ctx: RequestContext): Promise<void> {
  const { app, endUser } = authOf(ctx);
  const q = ctx.url.searchParams;
  const model = 'ConversationListQuery';
  const limit = intParam(model, q, 'limit', 20, 1, 100);
  const lastId = uuidQuery(model, q, 'last_id');
  const pinnedRaw = q.get('pinned');
  let pinned: boolean | null = null;
  if (pinnedRaw !== null && pinnedRaw !== '') {
    if (pinnedRaw !== 'true' && pinnedRaw !== 'false') {
      throw pydanticError(model, 'pinned', 'Input should be a valid boolean', 'bool_parsing', pinnedRaw);
    }
    pinned = pinnedRaw === 'true';
  }
  const sortBy = q.get('sort_by') || '-updated_at';
  if (!SORTS.includes(sortBy)) {
    throw pydanticError(
      model,
      'sort_by',
      "Input should be 'created_at', '-created_at', 'updated_at' or '-updated_at'",
      'literal_error',
      sortBy,
    );
  }
  const result = ctx.state.store.listConversations(app.app_id, endUser.id, { limit, lastId, pinned, sortBy: sortBy as SortBy });
  if (result === 'last-not-found') throw notFound('Last Conversation Not Exists.');
  sendJson(ctx.res, 200, { limit, has_more: result.hasMore, data: result.data.map(conversationItem) });
}

function ownConversation(ctx: RequestContext): Conversation {
  const { app, endUser } = authOf(ctx);
  const conv = ctx.state.store.findConversation(ctx.params[0]!.toLowerCase(), app.app_id, endUser.id);
  if (!conv) throw conversationNotExists();
  return conv;
}

/** POST /api/conversations/<id>/name {name} | {auto_generate: true}. */
export async function renameConversation(ctx: RequestContext): Promise<void> {
  const body = parseJsonBody(ctx.body);
  const conv = ownConversation(ctx);
  const b = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const autoGenerate = b.auto_generate === true;
  const name = typeof b.name === 'string' ? b.name.trim() : '';
  if (!autoGenerate && !name) {
    throw pydanticError('ConversationRenamePayload', 'Value error', 'name is required when auto_generate is false', 'value_error', b);
  }
  let newName = name;
  if (autoGenerate) {
    // Dify asks an LLM here; a short pause keeps the timing believable.
    await sleep(Math.min(ctx.state.settings.tokenDelayMs * 5, 300), ctx.state.closing);
    const first = ctx.state.store.conversationMessages(conv.id)[0];
    newName = autoName(first?.query ?? conv.name);
  }
  ctx.state.store.updateConversation(conv, { name: newName });
  ctx.state.store.touchConversation(conv);
  sendJson(ctx.res, 200, conversationItem(conv));
}

/** DELETE /api/conversations/<id> → 204 with an empty body. */
export async function deleteConversation(ctx: RequestContext): Promise<void> {
  ctx.state.store.deleteConversation(ownConversation(ctx));
  sendJson(ctx.res, 204, null);
}

export async function pinConversation(ctx: RequestContext): Promise<void> {
  ctx.state.store.updateConversation(ownConversation(ctx), { pinned: true });
  sendJson(ctx.res, 200, { result: 'success' });
}

export async function unpinConversation(ctx: RequestContext): Promise<void> {
  ctx.state.store.updateConversation(ownConversation(ctx), { pinned: false });
  sendJson(ctx.res, 200, { result: 'success' });
}
