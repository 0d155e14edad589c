import { randomUUID } from 'node:crypto';
import { requireChatApp, requirePublishedAgent, requireStreamingForAgent } from '../app-mode-checks.ts';
import type { App, AppMode } from '../apps.ts';
import { authOf, type MockState, type RequestContext } from '../context.ts';
import { isPubSubChatflow } from '../eras.ts';
import { conversationNotExists, DifyError, invalidParam, pydanticError } from '../errors.ts';
import { parseJsonBody, sendJson, tryParseJson } from '../http.ts';
import { renderIntroduction, validateInputs } from '../inputs.ts';
import { streamWorkerError } from '../pubsub.ts';
import { Run } from '../run.ts';
import { agentScript } from '../scripts/agent.ts';
import { chatScript } from '../scripts/chat.ts';
import { chatflowScript } from '../scripts/chatflow.ts';
import { humanInputScript } from '../scripts/human-input.ts';
import { newAgentScript } from '../scripts/new-agent.ts';
import { runBlocking, runStreaming, type Script } from '../stream.ts';
import { nowSeconds, type Conversation, type EndUser, type MessageFileRecord } from '../store.ts';
import { normalizeUuid } from '../uuid.ts';

/** Completion and workflow apps have no script: requireChatApp refuses them first (docs/PROTOCOL.md §2.11). */
const SCRIPTS: Record<Exclude<AppMode, 'completion' | 'workflow'>, Script> = {
  chat: chatScript,
  'agent-chat': agentScript,
  'advanced-chat': chatflowScript,
  agent: newAgentScript,
};

function scriptFor(app: App): Script {
  if (app.human_input) return humanInputScript;
  return SCRIPTS[app.mode as Exclude<AppMode, 'completion' | 'workflow'>];
}

interface ChatPayload {
  inputs: Record<string, unknown>;
  query: string;
  files: unknown[];
  response_mode: 'streaming' | 'blocking';
  conversation_id: string | null;
  parent_message_id: string | null;
}

/** The pydantic model `ChatMessagePayload` (docs/PROTOCOL.md §2.4); the first failing field is reported. */
function parsePayload(body: unknown): ChatPayload {
  const model = 'ChatMessagePayload';
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidParam(`1 validation error for ${model}\n  Input should be a valid dictionary or instance of ${model} [type=model_type]`);
  }
  const b = body as Record<string, unknown>;
  if (!('inputs' in b)) throw pydanticError(model, 'inputs', 'Field required', 'missing', b);
  if (!b.inputs || typeof b.inputs !== 'object' || Array.isArray(b.inputs)) {
    throw pydanticError(model, 'inputs', 'Input should be a valid dictionary', 'dict_type', b.inputs);
  }
  if (!('query' in b)) throw pydanticError(model, 'query', 'Field required', 'missing', b);
  if (typeof b.query !== 'string') throw pydanticError(model, 'query', 'Input should be a valid string', 'string_type', b.query);
  if (b.files !== undefined && b.files !== null && !Array.isArray(b.files)) {
    throw pydanticError(model, 'files', 'Input should be a valid list', 'list_type', b.files);
  }
  const mode = b.response_mode ?? null;
  if (mode !== null && mode !== 'streaming' && mode !== 'blocking') {
    throw pydanticError(model, 'response_mode', "Input should be 'blocking' or 'streaming'", 'literal_error', mode);
  }
  for (const key of ['conversation_id', 'parent_message_id'] as const) {
    if (b[key] !== undefined && b[key] !== null && typeof b[key] !== 'string') {
      throw pydanticError(model, key, 'Input should be a valid string', 'string_type', b[key]);
    }
  }
  return {
    inputs: b.inputs as Record<string, unknown>,
    query: b.query,
    files: (b.files as unknown[] | null | undefined) ?? [],
    // null/absent means blocking (docs/PROTOCOL.md §2.4).
    response_mode: mode ?? 'blocking',
    conversation_id: (b.conversation_id as string | null | undefined) || null,
    parent_message_id: (b.parent_message_id as string | null | undefined) || null,
  };
}

function uuidParam(value: string): string {
  const id = normalizeUuid(value);
  if (!id) throw invalidParam(`${value} is not a valid uuid.`);
  return id;
}

function fileUploadEnabled(app: App): boolean {
  const cfg = (app.parameters.file_upload ?? {}) as { enabled?: boolean; image?: { enabled?: boolean } };
  return cfg.enabled === true || cfg.image?.enabled === true;
}

/** Turns the request's `files` into the user's message_files; ignored when the app has no file upload. */
function userFiles(state: MockState, app: App, endUser: EndUser, files: unknown[]): MessageFileRecord[] {
  if (!fileUploadEnabled(app)) return [];
  return files.map((raw) => {
    const f = (raw ?? {}) as Record<string, unknown>;
    const type = typeof f.type === 'string' ? f.type : 'custom';
    if (f.transfer_method === 'local_file') {
      const upload = state.uploads.get(String(f.upload_file_id ?? ''));
      if (!upload || upload.created_by !== endUser.id) throw invalidParam('Invalid upload file');
      return {
        id: randomUUID(),
        filename: upload.name,
        type,
        url: `${state.settings.filesUrl}/files/${upload.id}/file-preview?timestamp=${nowSeconds()}&nonce=mock&sign=mock`,
        mime_type: upload.mime_type,
        size: upload.size,
        transfer_method: 'local_file',
        belongs_to: 'user',
        upload_file_id: upload.id,
      };
    }
    if (f.transfer_method === 'remote_url') {
      const url = typeof f.url === 'string' ? f.url : '';
      if (!/^https?:\/\//i.test(url)) throw invalidParam('Invalid file url');
      return {
        id: randomUUID(),
        filename: decodeURIComponent(new URL(url).pathname.split('/').pop() || 'file'),
        type,
        url,
        mime_type: type === 'image' ? 'image/png' : 'application/octet-stream',
        size: -1,
        transfer_method: 'remote_url',
        belongs_to: 'user',
        upload_file_id: null,
      };
    }
    throw invalidParam('transfer_method must be local_file or remote_url');
  });
}

/** Dify's conversation name before auto-generation: `(query[:20] + "…") if len(query) > 20 else query`. */
export function initialConversationName(query: string): string {
  const points = Array.from(query);
  return points.length > 20 ? `${points.slice(0, 20).join('')}…` : query;
}

/**
 * The generator's checks (query, conversation, inputs, files). From 1.13.0 a chatflow runs them in the
 * worker, so their errors reach a streaming client inside the stream (pubsub.ts `streamWorkerError`).
 */
function prepare(
  state: MockState,
  app: App,
  endUser: EndUser,
  payload: ChatPayload,
  conversationId: string | null,
): { conversation: Conversation | undefined; inputs: Record<string, unknown>; files: MessageFileRecord[] } {
  if (!payload.query) throw invalidParam('query is required');
  const conversation = conversationId ? state.store.findConversation(conversationId, app.app_id, endUser.id) : undefined;
  if (conversationId && !conversation) throw conversationNotExists();
  const inputs = conversation ? conversation.inputs : validateInputs(app, payload.inputs);
  return { conversation, inputs, files: userFiles(state, app, endUser, payload.files) };
}

/**
 * The worker publishes `str(exc)`: the text of a ValueError, but nothing for the conversation
 * exceptions, which Dify raises without a message.
 */
export function workerErrorMessage(err: DifyError): string {
  return err.code === 'not_found' || err.code === 'conversation_completed' ? '' : err.message;
}

/** Whether this request is a 1.13+ chatflow stream, whose early errors come inside the stream. */
export function streamsEarlyErrors(ctx: RequestContext, app: App): boolean {
  const body = tryParseJson(ctx.body) as { response_mode?: unknown } | null;
  return ctx.path === '/api/chat-messages' && isPubSubChatflow(app.mode, app.era) && body?.response_mode === 'streaming';
}

/** POST /api/chat-messages */
export async function chatMessages(ctx: RequestContext): Promise<void> {
  const { app, endUser } = authOf(ctx);
  const { state } = ctx;
  requireChatApp(app);
  const payload = parsePayload(parseJsonBody(ctx.body));
  requireStreamingForAgent(app, payload.response_mode);
  requirePublishedAgent(app);
  const conversationId = payload.conversation_id ? uuidParam(payload.conversation_id) : null;
  const parentId = payload.parent_message_id ? uuidParam(payload.parent_message_id) : null;
  let prepared: ReturnType<typeof prepare>;
  try {
    prepared = prepare(state, app, endUser, payload, conversationId);
  } catch (err) {
    if (err instanceof DifyError && payload.response_mode === 'streaming' && isPubSubChatflow(app.mode, app.era)) {
      return streamWorkerError(ctx, workerErrorMessage(err));
    }
    throw err;
  }
  const { inputs, files } = prepared;
  let conversation = prepared.conversation;
  const query = payload.query.replace(/\x00/g, '');

  conversation ??= state.store.createConversation({
    app_id: app.app_id,
    end_user_id: endUser.id,
    name: initialConversationName(query),
    inputs,
    introduction: renderIntroduction(app.parameters.opening_statement, inputs),
  });
  const message = state.store.createMessage({
    conversation_id: conversation.id,
    app_id: app.app_id,
    end_user_id: endUser.id,
    parent_message_id: parentId,
    inputs,
    query,
    answer: '',
    feedback: null,
    retriever_resources: [],
    created_at: nowSeconds(),
    agent_thoughts: [],
    message_files: files,
    status: 'normal',
    error: null,
    metadata: null,
  });
  const run = new Run(state, app, endUser, conversation, message, ctx.origin);
  const script = scriptFor(app);
  if (payload.response_mode === 'streaming') await runStreaming(ctx, run, script);
  else await runBlocking(ctx, run, script);
}

/** POST /api/chat-messages/<task_id>/stop — always 200; only the task's own end user can stop it (§2.5). */
export async function stopChatMessage(ctx: RequestContext): Promise<void> {
  const { endUser } = authOf(ctx);
  const task = ctx.state.tasks.get(ctx.params[0] ?? '');
  if (task && task.endUserId === endUser.id) task.stop();
  sendJson(ctx.res, 200, { result: 'success' });
}
