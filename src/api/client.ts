import {
  listMessages,
  renameConversation,
  sendFeedback,
  suggestedQuestions,
  type CallOptions,
  type ListMessagesParams,
  type RenameConversation,
} from './conversations.ts';
import { createHttp, type Http, type RetryPolicy, type Sleep } from './http.ts';
import type { SafeStorage } from '../util/storage.ts';
import { createPassport, type Passport } from './passport.ts';
import { streamChat, type StreamChatOptions, type StreamChatResult } from './stream.ts';
import type {
  AppMeta,
  AppParameters,
  ChatFileInput,
  ChatMessagePayload,
  Conversation,
  HistoryMessage,
  Paged,
  Rating,
  Site,
} from './types.ts';

export type { CallOptions, ListMessagesParams, RenameConversation } from './conversations.ts';

export interface ApiClientOptions {
  /** The web API root, e.g. `https://dify.example.com/api`. */
  apiBase: string;
  /** The site token (`/chatbot/<code>`). */
  appCode: string;
  /** `sys.user_id`: a stable end-user id; without it the cached passport is the identity. */
  userId?: string | undefined;
  /** Where the passport is kept (guarded localStorage, or memory where storage throws). */
  storage: SafeStorage;
  /** Defaults to `globalThis.fetch` at call time. */
  fetch?: typeof fetch | undefined;
  /** Per-request timeout for JSON calls (default 30 s). */
  timeoutMs?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  /** Injectable for tests. */
  sleep?: Sleep | undefined;
}

/** What the visitor sends; the client shapes the wire body like the official UI (§2.4). */
export interface ChatRequest {
  query: string;
  inputs: Record<string, unknown>;
  files?: ChatFileInput[] | undefined;
  /** Empty or absent starts a new conversation. */
  conversationId?: string | null | undefined;
  /** The last answer of the thread (or the regenerated answer's parent). */
  parentMessageId?: string | null | undefined;
}

export interface ApiClient {
  site(options?: CallOptions): Promise<Site>;
  parameters(options?: CallOptions): Promise<AppParameters>;
  meta(options?: CallOptions): Promise<AppMeta>;
  /** Stream an answer; see {@link streamChat} for how it ends. */
  chat(request: ChatRequest, options: StreamChatOptions): Promise<StreamChatResult>;
  /** Stop a generation. Always succeeds on the server, even for unknown tasks (§2.5). */
  stop(taskId: string, options?: CallOptions): Promise<void>;
  messages(params: ListMessagesParams): Promise<Paged<HistoryMessage>>;
  renameConversation(conversationId: string, rename: RenameConversation, options?: CallOptions): Promise<Conversation>;
  feedback(messageId: string, rating: Rating | null, content?: string, options?: CallOptions): Promise<void>;
  suggestedQuestions(messageId: string, options?: CallOptions): Promise<string[]>;
  /** The underlying helper, for endpoint groups that live elsewhere (files, audio). */
  readonly http: Http;
  readonly passport: Passport;
}

/**
 * The client of Dify's web API for one app and one end user. Nothing happens on creation:
 * the passport is minted by the first call that needs it.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  // The helper needs the passport and the passport mints through the helper (without auth):
  // the closures below resolve `passport` only when a call runs.
  let passport: Passport;
  const http = createHttp({
    apiBase: options.apiBase,
    appCode: options.appCode,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    sleep: options.sleep,
    // The cached passport synchronously, so a call with one starts its fetch in the caller's task.
    getPassport: (signal) => passport.cached() ?? passport.get(signal),
    onUnauthorized: (rejected) => passport.invalidate(rejected),
  });
  passport = createPassport({ http, appCode: options.appCode, userId: options.userId, storage: options.storage });

  const get = <T>(path: string, call: CallOptions = {}) => http.json<T>(path, { signal: call.signal });

  return {
    http,
    passport,
    site: (call) => get('/site', call),
    parameters: (call) => get('/parameters', call),
    meta: (call) => get('/meta', call),
    chat: (request, call) => streamChat(http, toPayload(request), call),
    async stop(taskId, call = {}) {
      await http.json(`/chat-messages/${encodeURIComponent(taskId)}/stop`, { method: 'POST', signal: call.signal });
    },
    messages: (params) => listMessages(http, params),
    renameConversation: (conversationId, rename, call) => renameConversation(http, conversationId, rename, call),
    feedback: (messageId, rating, content, call) => sendFeedback(http, messageId, rating, content, call),
    suggestedQuestions: (messageId, call) => suggestedQuestions(http, messageId, call),
  };
}

/** The official UI's body (docs/PROTOCOL.md §2.4): streaming, `""` for a new conversation, `null` parent. */
export function toPayload(request: ChatRequest): ChatMessagePayload {
  return {
    response_mode: 'streaming',
    conversation_id: request.conversationId ?? '',
    files: request.files ?? [],
    query: request.query,
    inputs: request.inputs,
    parent_message_id: request.parentMessageId ?? null,
  };
}
