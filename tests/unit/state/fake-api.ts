import type { ApiClient, ChatRequest, ListMessagesParams, RenameConversation } from '../../../src/api/client.ts';
import { ApiError, type ApiErrorKind } from '../../../src/api/errors.ts';
import type { Http } from '../../../src/api/http.ts';
import type { Passport } from '../../../src/api/passport.ts';
import type { StreamChatOptions, StreamChatResult } from '../../../src/api/stream.ts';
import type { StreamEvent } from '../../../src/api/stream-events.ts';
import type { AppMeta, AppParameters, HistoryMessage, Paged, Rating, Site } from '../../../src/api/types.ts';
import type { SafeStorage } from '../../../src/util/storage.ts';

/**
 * Test doubles for the action layer: a scripted {@link ApiClient}, an in-memory storage, and
 * builders for stream events, history items and boot fixtures. Everything the fake does happens
 * in microtasks, so one `await idle()` (a macrotask) lets a whole scripted exchange finish.
 */

/** Waits until every pending microtask (the fake's whole script) has run. */
export const idle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const apiError = (
  kind: ApiErrorKind,
  message = `fake ${kind}`,
  extra: { status?: number; interrupted?: boolean; code?: string } = {},
) => new ApiError({ kind, message, ...extra });

// ---------------------------------------------------------------------------------------------
// Storage

/** SafeStorage over a Map, shared between action instances to simulate a reload. */
export class MemoryStorage implements SafeStorage {
  readonly map = new Map<string, string>();
  get(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  set(key: string, value: string): void {
    this.map.set(key, value);
  }
  remove(key: string): void {
    this.map.delete(key);
  }
}

// ---------------------------------------------------------------------------------------------
// Fixtures

export function siteFixture(): Site {
  return { app_id: 'app-1', end_user_id: 'end-user-1', site: { title: 'Demo assistant', default_language: 'en-US' } };
}

export function parametersFixture(overrides: Partial<AppParameters> = {}): AppParameters {
  return {
    opening_statement: null,
    suggested_questions: [],
    suggested_questions_after_answer: { enabled: false },
    speech_to_text: { enabled: false },
    text_to_speech: { enabled: false },
    retriever_resource: { enabled: false },
    annotation_reply: { enabled: false },
    more_like_this: { enabled: false },
    user_input_form: [],
    sensitive_word_avoidance: { enabled: false },
    file_upload: null,
    system_parameters: {},
    ...overrides,
  };
}

export function metaFixture(): AppMeta {
  return { tool_icons: { search: 'https://x/icon.svg' } };
}

let createdAt = 1737000000;

/** One `GET /api/messages` item (docs/PROTOCOL.md §2.7). */
export function historyItem(
  id: string,
  query: string,
  answer: string,
  parent: string | null,
  fields: Partial<HistoryMessage> = {},
): HistoryMessage {
  return {
    id,
    conversation_id: 'C1',
    parent_message_id: parent,
    inputs: {},
    query,
    answer,
    feedback: null,
    retriever_resources: [],
    created_at: createdAt++,
    agent_thoughts: [],
    message_files: [],
    status: 'normal',
    error: null,
    metadata: null,
    ...fields,
  };
}

/** A linear thread of `count` items `m0…m<count-1>` (each the parent of the next). */
export function linearHistory(count: number, conversationId = 'C1'): HistoryMessage[] {
  return Array.from({ length: count }, (_, i) =>
    historyItem(`m${i}`, `question ${i}`, `answer ${i}`, i === 0 ? null : `m${i - 1}`, { conversation_id: conversationId }),
  );
}

// ---------------------------------------------------------------------------------------------
// Stream events

export interface Ids {
  conversation: string;
  message: string;
  task: string;
}

const wrapper = (ids: Ids) => ({ conversation_id: ids.conversation, message_id: ids.message, task_id: ids.task, created_at: 1737000100 });

export const messageEvent = (ids: Ids, answer: string): StreamEvent => ({
  event: 'message',
  id: ids.message,
  answer,
  from_variable_selector: null,
  ...wrapper(ids),
});
export const messageEndEvent = (ids: Ids): StreamEvent => ({
  event: 'message_end',
  id: ids.message,
  metadata: {},
  files: null,
  ...wrapper(ids),
});
export const errorEvent = (ids: Ids, code: string, status: number, message: string): StreamEvent => ({
  event: 'error',
  code,
  status,
  message,
  conversation_id: ids.conversation,
  message_id: ids.message,
});

/** `message` chunks then `message_end`: a complete chat answer. */
export const answerEvents = (ids: Ids, ...chunks: string[]): StreamEvent[] => [
  ...chunks.map((c) => messageEvent(ids, c)),
  messageEndEvent(ids),
];

// ---------------------------------------------------------------------------------------------
// The fake client

export interface RetryInfo {
  error: ApiError;
  delayMs: number;
  attempt: number;
}

/** What one `chat()` call does. Scripts are used in the order they were queued. */
export interface ChatScript {
  /** `onRetry` notices given before the first event. */
  retries?: RetryInfo[];
  /** Delivered one per microtask, in order. */
  events?: StreamEvent[];
  /** Reject with this after the events (an HTTP error, or a cut stream with `interrupted`). */
  reject?: ApiError;
  /** Resolve with `{ error: result }` (the stream ended with an `error` event). */
  result?: ApiError;
  /** Keep the stream open after the events: the test drives it through the {@link ChatCall}. */
  hold?: boolean;
  /** Runs synchronously when the call starts (to observe the store at that moment). */
  onStart?: (call: ChatCall) => void;
}

/** One recorded `chat()` call, and the handle to drive a held stream. */
export class ChatCall {
  readonly delivered: StreamEvent[] = [];
  closed = false;
  readonly settled: Promise<StreamChatResult>;
  private resolveFn!: (result: StreamChatResult) => void;
  private rejectFn!: (error: unknown) => void;

  constructor(
    readonly request: ChatRequest,
    readonly options: StreamChatOptions,
  ) {
    this.settled = new Promise<StreamChatResult>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    // Observed by the test, not by the actions: never an unhandled rejection.
    this.settled.catch(() => {});
  }

  get signal(): AbortSignal {
    const { signal } = this.options;
    if (!signal) throw new Error('chat() was called without a signal');
    return signal;
  }

  /** Delivers events like the real client: nothing once the call ended or its signal fired. */
  emit(...events: StreamEvent[]): void {
    for (const event of events) {
      if (this.closed || this.options.signal?.aborted) return;
      this.delivered.push(event);
      this.options.onEvent(event);
    }
  }

  finish(error: ApiError | null = null): void {
    if (this.closed) return;
    this.closed = true;
    this.resolveFn({ error });
  }

  fail(error: ApiError): void {
    if (this.closed) return;
    this.closed = true;
    this.rejectFn(error);
  }
}

export interface FakeBehaviour {
  site: () => Promise<Site>;
  parameters: () => Promise<AppParameters>;
  meta: () => Promise<AppMeta>;
  messages: (params: ListMessagesParams) => Promise<Paged<HistoryMessage>>;
  feedback: (messageId: string, rating: Rating | null) => Promise<void>;
  renameConversation: (conversationId: string, rename: RenameConversation) => Promise<void>;
  suggestedQuestions: (messageId: string) => Promise<string[]>;
  stop: (taskId: string) => Promise<void>;
}

export interface FakeApi {
  client: ApiClient;
  /** Replace any endpoint's behaviour (e.g. to make it fail or wait). */
  behaviour: FakeBehaviour;
  /** Server-side history by conversation id, oldest first; `messages()` pages it like Dify. */
  history: Map<string, HistoryMessage[]>;
  calls: {
    site: number;
    parameters: number;
    meta: number;
    chat: ChatCall[];
    stop: string[];
    messages: ListMessagesParams[];
    feedback: Array<[string, Rating | null]>;
    rename: Array<[string, RenameConversation]>;
    suggested: string[];
  };
  /** Queue what the next `chat()` calls do. */
  queueChat(...scripts: ChatScript[]): void;
  /** Queue a complete answer. */
  queueAnswer(ids: Ids, ...chunks: string[]): void;
}

const tick = () => Promise.resolve();

function unusable<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get(_target, prop) {
      throw new Error(`the fake ApiClient has no ${name}.${String(prop)}`);
    },
  });
}

export function createFakeApi(): FakeApi {
  const scripts: ChatScript[] = [];
  const history = new Map<string, HistoryMessage[]>();
  const calls: FakeApi['calls'] = {
    site: 0,
    parameters: 0,
    meta: 0,
    chat: [],
    stop: [],
    messages: [],
    feedback: [],
    rename: [],
    suggested: [],
  };

  const behaviour: FakeBehaviour = {
    site: async () => siteFixture(),
    parameters: async () => parametersFixture(),
    meta: async () => metaFixture(),
    async messages({ conversationId, firstId, limit = 20 }) {
      const all = history.get(conversationId);
      if (!all) throw apiError('conversation-gone', 'Conversation Not Exists.', { status: 404 });
      let end = all.length;
      if (firstId !== undefined) {
        end = all.findIndex((m) => m.id === firstId);
        if (end < 0) throw apiError('not-found', 'First Message Not Exists.', { status: 404 });
      }
      const start = Math.max(0, end - limit);
      return { limit, has_more: start > 0, data: all.slice(start, end) };
    },
    feedback: async () => {},
    renameConversation: async () => {},
    suggestedQuestions: async () => [],
    stop: async () => {},
  };

  function chat(request: ChatRequest, options: StreamChatOptions): Promise<StreamChatResult> {
    const call = new ChatCall(request, options);
    calls.chat.push(call);
    const script = scripts.shift();
    if (!script) {
      call.fail(
        new ApiError({ kind: 'server', message: `fake: no chat script queued for call ${calls.chat.length} ("${request.query}")` }),
      );
      return call.settled;
    }
    const { signal } = options;
    const onAbort = () =>
      call.fail(new ApiError({ kind: 'aborted', message: 'The request was cancelled.', interrupted: call.delivered.length > 0 }));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    void call.settled.finally(() => signal?.removeEventListener('abort', onAbort)).catch(() => {});
    script.onStart?.(call);
    void (async () => {
      for (const retry of script.retries ?? []) {
        await tick();
        if (call.closed) return;
        options.onRetry?.(retry);
      }
      for (const event of script.events ?? []) {
        await tick();
        call.emit(event);
      }
      await tick();
      if (call.closed || script.hold) return;
      if (script.reject) call.fail(script.reject);
      else call.finish(script.result ?? null);
    })();
    return call.settled;
  }

  const client: ApiClient = {
    http: unusable<Http>('http'),
    passport: unusable<Passport>('passport'),
    site: () => (calls.site++, behaviour.site()),
    parameters: () => (calls.parameters++, behaviour.parameters()),
    meta: () => (calls.meta++, behaviour.meta()),
    chat,
    async stop(taskId) {
      calls.stop.push(taskId);
      await behaviour.stop(taskId);
    },
    messages(params) {
      calls.messages.push(params);
      return behaviour.messages(params);
    },
    async renameConversation(conversationId, rename) {
      calls.rename.push([conversationId, rename]);
      await behaviour.renameConversation(conversationId, rename);
      return { id: conversationId, name: 'Named', inputs: {}, status: 'normal', created_at: 1737000000 };
    },
    async feedback(messageId, rating) {
      calls.feedback.push([messageId, rating]);
      await behaviour.feedback(messageId, rating);
    },
    suggestedQuestions(messageId) {
      calls.suggested.push(messageId);
      return behaviour.suggestedQuestions(messageId);
    },
  };

  return {
    client,
    behaviour,
    history,
    calls,
    queueChat: (...more) => void scripts.push(...more),
    queueAnswer: (ids, ...chunks) => void scripts.push({ events: answerEvents(ids, ...chunks) }),
  };
}
