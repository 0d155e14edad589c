import { batch } from '@preact/signals';
import type { ApiClient } from '../api/client.ts';
import { isRetryable, toApiError, type ApiError } from '../api/errors.ts';
import { warmStreamChat } from '../api/stream.ts';
import { isKnownStreamEvent } from '../api/types.ts';
import type { ResolvedConfig } from '../config/types.ts';
import type { Strings } from '../i18n/strings.ts';
import { storageKey, type SafeStorage } from '../util/storage.ts';
import { answerFromHistory, emptyAnswer, type Answer } from './answer.ts';
import { finishAnswer, reduceAnswer } from './reduce.ts';
import type { ChatStore, Turn, TurnFailure } from './store.ts';

export interface ActionDeps {
  store: ChatStore;
  api: ApiClient;
  config: ResolvedConfig;
  storage: SafeStorage;
  /** The UI strings in force (the locale may change once the site's default language is known). */
  strings: () => Strings;
  /**
   * Runs a callback before the next paint; stream events between two frames reach the store (and
   * the DOM) once. Defaults to requestAnimationFrame, or a 16 ms timer where there is none.
   */
  nextFrame?: (callback: () => void) => void;
}

const defaultNextFrame = (callback: () => void) =>
  typeof requestAnimationFrame === 'function' ? void requestAnimationFrame(callback) : void setTimeout(callback, 16);

const HISTORY_PAGE = 20;

/**
 * The only writers of the chat store (docs/ARCHITECTURE.md §3): boot, send, stop, retry, new conversation,
 * history. Network work goes through the API client; every answer change goes through the pure
 * reducer.
 */
export function createActions({ store, api, config, storage, strings: currentStrings, nextFrame = defaultNextFrame }: ActionDeps) {
  const user = config.systemVariables.user_id ?? 'DEFAULT';
  const keys = {
    conversation: storageKey('conversation', config.token, user),
    draft: storageKey('draft', config.token, user),
    unanswered: storageKey('unanswered', config.token, user),
  };
  /** Aborted by destroy(): every request of this chat instance listens to it. */
  const lifetime = new AbortController();
  let booting: Promise<void> | null = null;
  /** The boot, its history and the restored question are all in the store. */
  let booted = false;
  let streaming: AbortController | null = null;
  let keySeed = 0;
  const newKey = () => `t${Date.now().toString(36)}${(keySeed++).toString(36)}`;

  store.draft.value = storage.get(keys.draft) ?? '';

  const failureOf = (error: ApiError, inStream = false): TurnFailure => {
    const strings = currentStrings();
    const { errors } = strings;
    // An error event during the answer: the question was sent, the answer failed (e.g. a workflow run).
    const headline = inStream && error.kind === 'invalid-input' ? strings.answerFailed : (errors[error.kind] ?? errors.server);
    // The server's own words help where they name what is wrong (a missing input, a model error).
    const detailed = (error.kind === 'invalid-input' || error.kind === 'model-error') && error.message;
    return {
      kind: error.kind,
      message: detailed ? `${headline} ${error.message}` : headline,
      retryable: isRetryable(error) || error.kind === 'unauthorized' || error.kind === 'rate-limited' || error.kind === 'invalid-input',
    };
  };

  const rememberConversation = (id: string | null) => {
    store.conversationId.value = id;
    // An explicit conversation from the config is the site owner's choice, not ours to store.
    if (config.systemVariables.conversation_id) return;
    if (id) storage.set(keys.conversation, id);
    else storage.remove(keys.conversation);
  };

  const forgetConversation = () =>
    batch(() => {
      rememberConversation(null);
      store.turns.value = [];
      store.hasOlder.value = false;
      store.suggestions.value = [];
    });

  const turnFromHistory = (item: Parameters<typeof answerFromHistory>[0]): Turn => {
    const { question, answer } = answerFromHistory(item);
    return {
      key: `m${item.id}`,
      query: question.text,
      answer,
      parentMessageId: question.parentMessageId,
      failure: null,
      streamError: null,
      variants: [answer],
    };
  };

  /**
   * Regenerated answers share their question's parent (docs/PROTOCOL.md §2.7): fold consecutive
   * siblings into one turn, showing the newest, as Dify's page does.
   */
  const foldSiblings = (turns: Turn[]): Turn[] => {
    const out: Turn[] = [];
    for (const turn of turns) {
      const previous = out[out.length - 1];
      // Siblings of a conversation's first question both have no parent; elsewhere a missing parent
      // is legacy linear history, where two equal questions in a row are not siblings.
      const siblings =
        previous &&
        previous.query === turn.query &&
        previous.parentMessageId === turn.parentMessageId &&
        (turn.parentMessageId !== null || out.length === 1);
      if (previous && siblings) {
        out[out.length - 1] = { ...turn, variants: [...previous.variants, turn.answer] };
      } else out.push(turn);
    }
    return out;
  };

  async function loadHistory(older: boolean): Promise<void> {
    const conversationId = store.conversationId.value;
    if (!conversationId || store.historyStatus.value === 'loading') return;
    store.historyStatus.value = 'loading';
    try {
      // The oldest message loaded: a folded turn's first variant, not the answer it shows.
      const oldest = store.turns.value[0];
      const firstId = older ? (oldest?.variants[0]?.messageId ?? oldest?.answer.messageId ?? undefined) : undefined;
      const page = await api.messages({ conversationId, firstId, limit: HISTORY_PAGE, signal: lifetime.signal });
      if (store.conversationId.value !== conversationId) return;
      const loaded = foldSiblings(page.data.map(turnFromHistory));
      batch(() => {
        store.turns.value = older ? [...loaded, ...store.turns.value] : loaded;
        store.hasOlder.value = page.has_more;
        store.historyStatus.value = 'idle';
      });
    } catch (cause) {
      const error = toApiError(cause);
      if (error.kind === 'aborted') return;
      store.historyStatus.value = older ? 'failed' : 'idle';
      // docs/PROTOCOL.md §4.2: the stored conversation is gone; start fresh rather than show an error.
      if (error.kind === 'conversation-gone' || error.kind === 'not-found') forgetConversation();
      else if (!older) store.historyStatus.value = 'failed';
    }
  }

  /** Site, parameters and meta in parallel (as Dify's page does), then the last conversation. */
  function boot(): Promise<void> {
    if (booting) return booting;
    store.boot.value = 'loading';
    store.bootError.value = null;
    const signal = lifetime.signal;
    booting = (async () => {
      try {
        const [site, parameters, meta] = await Promise.all([
          api.site({ signal }),
          api.parameters({ signal }),
          // Tool icons are decoration: an error here must not keep the chat closed.
          api.meta({ signal }).catch(() => null),
        ]);
        batch(() => {
          store.site.value = site;
          store.parameters.value = parameters;
          store.meta.value = meta;
          store.boot.value = 'ready';
        });
        const conversationId = config.systemVariables.conversation_id ?? storage.get(keys.conversation);
        if (conversationId) {
          store.conversationId.value = conversationId;
          await loadHistory(false);
        }
        restoreUnanswered();
        booted = true;
      } catch (cause) {
        const error = toApiError(cause);
        if (error.kind === 'aborted') return;
        batch(() => {
          store.bootError.value = failureOf(error);
          store.boot.value = 'failed';
        });
        booting = null; // the next open or Retry tries again
      }
    })();
    return booting;
  }

  /**
   * A question that got no answer (or a cut one) is kept across reloads with its Retry, so what
   * the visitor typed is never lost. Only the last one, and only for the conversation it was in.
   */
  const rememberUnanswered = (turn: Turn | null) => {
    if (!turn) return storage.remove(keys.unanswered);
    const failure = turn.failure ?? turn.streamError;
    if (failure) storage.set(keys.unanswered, JSON.stringify({ query: turn.query, conversationId: store.conversationId.value, failure }));
    else storage.remove(keys.unanswered);
  };

  const restoreUnanswered = () => {
    try {
      const saved = JSON.parse(storage.get(keys.unanswered) ?? 'null') as {
        query?: unknown;
        conversationId?: unknown;
        failure?: TurnFailure;
      } | null;
      if (!saved || typeof saved.query !== 'string' || (saved.conversationId ?? null) !== store.conversationId.value) return;
      const failure: TurnFailure = {
        kind: saved.failure?.kind ?? 'network',
        message: String(saved.failure?.message ?? currentStrings().errors.network),
        retryable: true,
      };
      store.turns.value = [
        ...store.turns.value,
        {
          key: newKey(),
          query: saved.query,
          answer: emptyAnswer(),
          parentMessageId: lastAnswerId(),
          failure,
          streamError: null,
          variants: [],
        },
      ];
    } catch {
      storage.remove(keys.unanswered);
    }
  };

  const settle = (turn: Turn) =>
    batch(() => {
      store.retrying.value = null;
      rememberUnanswered(turn);
      // One turn per message id: never show the same answer twice.
      const id = turn.answer.messageId;
      if (id && !turn.failure) store.turns.value = store.turns.value.filter((t) => t.answer.messageId !== id);
      // A turn that failed before any answer keeps only the variants it had (a failed regenerate).
      if (!turn.failure) turn = { ...turn, variants: [...turn.variants, turn.answer] };
      store.turns.value = [...store.turns.value, turn];
      if (store.live.value?.key === turn.key) store.live.value = null;
      store.announcement.value = announcementFor(turn, currentStrings());
    });

  /** The answer the next question follows: the last one that exists on the server. */
  const lastAnswerId = (): string | null => {
    if (!store.conversationId.value) return null;
    for (let i = store.turns.value.length - 1; i >= 0; i--) {
      const id = store.turns.value[i]!.answer.messageId;
      if (id) return id;
    }
    return null;
  };

  /**
   * Streams the answer of `turn`. A new question (`followLast`) learns its parent only here, after
   * the boot and its history: asked while the history was loading, it must still continue the
   * conversation's last answer rather than start a new thread.
   */
  async function run(turn: Turn, followLast = false, conversationRetried = false): Promise<void> {
    // Once booted, no `await` before the request: it then leaves in the visitor's own keydown
    // task, before the question and the waiting answer render (Preact renders in a microtask).
    if (!booted) await boot();
    if (lifetime.signal.aborted) return;
    if (store.boot.value !== 'ready') {
      settle({ ...turn, failure: store.bootError.value ?? failureOf(toApiError(null)) });
      return;
    }
    const parent = followLast ? lastAnswerId() : turn.parentMessageId;
    if (parent !== turn.parentMessageId) {
      turn = { ...turn, parentMessageId: parent };
      if (store.live.value?.key === turn.key) store.live.value = turn;
    }
    const controller = new AbortController();
    const onLifetimeEnd = () => controller.abort();
    lifetime.signal.addEventListener('abort', onLifetimeEnd);
    streaming = controller;
    const startedIn = store.conversationId.value;
    let answer: Answer = turn.answer;
    let frameQueued = false;
    const flush = () => {
      frameQueued = false;
      if (lifetime.signal.aborted) return;
      const live = store.live.value;
      if (live?.key === turn.key && live.answer !== answer) store.live.value = { ...live, answer };
    };
    const show = (next: Answer) => {
      answer = next;
      // The first content shows at once; later tokens at most once per frame (docs/ARCHITECTURE.md §3).
      if (store.live.value?.answer.status === 'waiting' && next.status !== 'waiting') {
        flush();
        // Not in the frame that paints the first content, though: a re-render in its animation
        // frame callbacks would delay that paint. What arrives meanwhile shows one frame later.
        frameQueued = true;
        nextFrame(() => nextFrame(flush));
      } else if (!frameQueued) {
        frameQueued = true;
        nextFrame(flush);
      }
    };
    try {
      const result = await api.chat(
        { query: turn.query, inputs: config.inputs, conversationId: startedIn, parentMessageId: turn.parentMessageId },
        {
          signal: controller.signal,
          onRetry: ({ error, delayMs }) => (store.retrying.value = { kind: error.kind, at: Date.now() + delayMs }),
          onEvent(event) {
            if (lifetime.signal.aborted) return;
            if (store.retrying.value) store.retrying.value = null;
            if (!isKnownStreamEvent(event)) console.debug(`[dify-chatbot] ignored the unknown stream event "${event.event}".`);
            show(reduceAnswer(answer, event));
            // docs/PROTOCOL.md §3.6: the first event of a new conversation carries its id.
            if (!startedIn && answer.conversationId && store.conversationId.value !== answer.conversationId) {
              rememberConversation(answer.conversationId);
            }
          },
        },
      );
      settle({ ...turn, answer, streamError: result.error ? failureOf(result.error, true) : null });
      if (!result.error) afterAnswer(answer, !startedIn);
    } catch (cause) {
      const error = toApiError(cause);
      if (lifetime.signal.aborted) return;
      if (error.kind === 'aborted') {
        // Stopped by the visitor; not when "new conversation" already cleared it away.
        if (store.live.value?.key === turn.key) settle({ ...turn, answer: finishAnswer(answer, 'stopped') });
      } else if (error.interrupted) {
        // Never re-sent automatically: the server may have answered (no duplicate answers).
        settle({ ...turn, answer: finishAnswer(answer, 'interrupted'), streamError: failureOf(error) });
      } else if (error.kind === 'conversation-gone' && !conversationRetried) {
        // The stored conversation was deleted or ended: ask the same question in a new one.
        forgetConversation();
        const fresh = { ...turn, parentMessageId: null };
        store.live.value = fresh;
        return run(fresh, false, true);
      } else {
        settle({ ...turn, failure: failureOf(error) });
      }
    } finally {
      lifetime.signal.removeEventListener('abort', onLifetimeEnd);
      if (streaming === controller) streaming = null;
    }
  }

  function afterAnswer(answer: Answer, startedConversation: boolean) {
    const conversationId = answer.conversationId ?? store.conversationId.value;
    if (startedConversation && conversationId) {
      // Dify's page asks the server to name a new conversation after its first answer (§2.4).
      api.renameConversation(conversationId, { autoGenerate: true }, { signal: lifetime.signal }).catch(() => {});
    }
    if (store.parameters.value?.suggested_questions_after_answer?.enabled && answer.messageId && answer.status === 'done') {
      const messageId = answer.messageId;
      api
        .suggestedQuestions(messageId, { signal: lifetime.signal })
        .then((questions) => {
          const last = store.turns.value[store.turns.value.length - 1];
          if (!store.live.value && last?.answer.messageId === messageId) store.suggestions.value = questions;
        })
        .catch(() => {});
    }
  }

  return {
    boot,
    setDraft(text: string) {
      store.draft.value = text;
      if (text) storage.set(keys.draft, text);
      else storage.remove(keys.draft);
    },
    /** Asks a question. Returns false (and changes nothing) when it cannot be sent now. */
    send(text: string): boolean {
      const query = text.trim();
      if (!query || store.live.value || lifetime.signal.aborted) return false;
      const turn: Turn = {
        key: newKey(),
        query,
        answer: emptyAnswer(),
        parentMessageId: null,
        failure: null,
        streamError: null,
        variants: [],
      };
      batch(() => {
        store.suggestions.value = [];
        store.live.value = turn;
      });
      void run(turn, true);
      return true;
    },
    /** Stops the answer being streamed: tells the server (§2.5) and stops reading. */
    stop() {
      const live = store.live.value;
      if (!live) return;
      if (live.answer.taskId) api.stop(live.answer.taskId).catch(() => {});
      streaming?.abort();
    },
    /** Asks a failed or cut-off question again, in its place. */
    retry(key: string): boolean {
      const failed = store.turns.value.find((t) => t.key === key);
      if (!failed || store.live.value) return false;
      // The failed answer itself is dropped; earlier answers of a regenerated question stay.
      const kept = failed.failure ? failed.variants : failed.variants.filter((v) => v !== failed.answer);
      const turn: Turn = {
        key: newKey(),
        query: failed.query,
        answer: emptyAnswer(),
        parentMessageId: failed.parentMessageId,
        failure: null,
        streamError: null,
        variants: kept,
      };
      batch(() => {
        store.turns.value = store.turns.value.filter((t) => t !== failed);
        store.suggestions.value = [];
        store.live.value = turn;
      });
      void run(turn);
      return true;
    },
    /** A new answer to the last question, kept beside the earlier ones ("1 / 2"). */
    regenerate(key: string): boolean {
      const turns = store.turns.value;
      const last = turns[turns.length - 1];
      if (!last || last.key !== key || store.live.value || last.failure) return false;
      const turn: Turn = { ...last, key: newKey(), answer: emptyAnswer(), streamError: null };
      batch(() => {
        store.turns.value = turns.slice(0, -1);
        store.suggestions.value = [];
        store.live.value = turn;
      });
      void run(turn);
      return true;
    },
    /** Shows another of a question's answers; the next question follows the one shown. */
    showVariant(key: string, index: number) {
      store.turns.value = store.turns.value.map((t) => {
        const variant = t.variants[index];
        return t.key === key && variant ? { ...t, answer: variant, streamError: null } : t;
      });
    },
    /** Like, dislike, or clear (null) an answer's rating (docs/PROTOCOL.md §2.8); undone if the server refuses. */
    async feedback(key: string, rating: 'like' | 'dislike' | null): Promise<void> {
      const turn = store.turns.value.find((t) => t.key === key);
      const messageId = turn?.answer.messageId;
      if (!turn || !messageId) return;
      const setRating = (value: 'like' | 'dislike' | null) => {
        store.turns.value = store.turns.value.map((t) => {
          if (t.key !== key) return t;
          const answer = { ...t.answer, feedback: value };
          return { ...t, answer, variants: t.variants.map((v) => (v.messageId === messageId ? answer : v)) };
        });
      };
      const previous = turn.answer.feedback;
      setRating(rating);
      try {
        await api.feedback(messageId, rating, undefined, { signal: lifetime.signal });
      } catch {
        setRating(previous);
        store.announcement.value = currentStrings().feedbackFailed;
      }
    },
    /** Retries the boot after a failure (e.g. the visitor was offline). */
    retryBoot() {
      if (store.boot.value === 'failed') void boot();
    },
    newConversation() {
      streaming?.abort();
      batch(() => {
        store.live.value = null;
        forgetConversation();
      });
      rememberUnanswered(null);
    },
    /** The browser's online state (the chat stage listens to online/offline events). */
    setOffline(offline: boolean) {
      store.offline.value = offline;
    },
    loadOlder: () => loadHistory(true),
    /** Runs the answer path's parsing and merging once on sample data (for idle time): no request, no store change. */
    warmUp() {
      let answer = emptyAnswer();
      return warmStreamChat((event) => (answer = reduceAnswer(answer, event))).then(() => answer);
    },
    destroy() {
      lifetime.abort();
    },
  };
}

export type ChatActions = ReturnType<typeof createActions>;

/** What a screen reader hears once per finished answer (never per token). */
function announcementFor(turn: Turn, strings: Strings): string {
  if (turn.failure) return turn.failure.message;
  if (turn.streamError) return turn.streamError.message;
  const text = turn.answer.text
    .replace(/<think>[\s\S]*?<\/think>/g, '')
    .replace(/[#*_`>|~-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const clipped = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  return turn.answer.status === 'stopped' ? `${strings.stopped}. ${clipped}` : clipped;
}
