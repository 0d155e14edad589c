import { batch } from '@preact/signals';
import { toApiError } from '../api/errors.ts';
import { isKnownStreamEvent } from '../api/stream-events.ts';
import type { Answer } from './answer.ts';
import type { Boot } from './boot.ts';
import { forgetConversation, rememberConversation, type ActionContext } from './context.ts';
import { failureOf } from './failure.ts';
import { paceLiveAnswer, type NextFrame } from './frame-pacer.ts';
import { finishAnswer, reduceAnswer } from './reduce.ts';
import type { ChatStore, Turn } from './store.ts';
import { lastAnswerId } from './turn.ts';

/**
 * Asking and answering: streams the live turn's answer through the reducer into the store, then
 * settles the turn among the others, however it ended (done, stopped, cut, failed).
 */
export function createAnswerStream(store: ChatStore, { api, config, saved, lifetime }: ActionContext, boot: Boot, nextFrame: NextFrame) {
  let streaming: AbortController | null = null;

  const settle = (turn: Turn) =>
    batch(() => {
      store.retrying.value = null;
      // Kept across reloads when it failed or was cut, so what the visitor typed is never lost.
      const failure = turn.failure ?? turn.streamError;
      saved.saveUnanswered(failure && { query: turn.query, failure }, store.conversationId.value);
      // One turn per message id: never show the same answer twice.
      const id = turn.answer.messageId;
      if (id && !turn.failure) store.turns.value = store.turns.value.filter((other) => other.answer.messageId !== id);
      // A turn that failed before any answer keeps only the variants it had (a failed regenerate).
      if (!turn.failure) turn = { ...turn, variants: [...turn.variants, turn.answer] };
      store.turns.value = [...store.turns.value, turn];
      if (store.live.value?.key === turn.key) store.live.value = null;
      store.announcement.value = turn;
    });

  /**
   * Streams the answer of `turn`. A new question (`followLast`) learns its parent only here, after
   * the boot and its history: asked while the history was loading, it must still continue the
   * conversation's last answer rather than start a new thread.
   */
  async function run(turn: Turn, followLast = false, conversationRetried = false): Promise<void> {
    // Once booted, no `await` before the request: it then leaves in the visitor's own keydown
    // task, before the question and the waiting answer render (Preact renders in a microtask).
    if (!boot.isBooted()) await boot.boot();
    if (lifetime.aborted) return;
    if (store.boot.value !== 'ready') {
      settle({ ...turn, failure: store.bootError.value ?? failureOf(toApiError(null)) });
      return;
    }
    const parent = followLast ? lastAnswerId(store.turns.value, store.conversationId.value) : turn.parentMessageId;
    if (parent !== turn.parentMessageId) {
      turn = { ...turn, parentMessageId: parent };
      if (store.live.value?.key === turn.key) store.live.value = turn;
    }
    const controller = new AbortController();
    const onLifetimeEnd = () => controller.abort();
    lifetime.addEventListener('abort', onLifetimeEnd);
    streaming = controller;
    const startedIn = store.conversationId.value;
    const show = paceLiveAnswer(store, turn.key, lifetime, nextFrame);
    let answer: Answer = turn.answer;
    try {
      const result = await api.chat(
        { query: turn.query, inputs: config.inputs, conversationId: startedIn, parentMessageId: turn.parentMessageId },
        {
          signal: controller.signal,
          onRetry: ({ error, delayMs }) => (store.retrying.value = { kind: error.kind, at: Date.now() + delayMs }),
          onEvent(event) {
            if (lifetime.aborted) return;
            if (store.retrying.value) store.retrying.value = null;
            if (!isKnownStreamEvent(event)) console.debug(`[dify-chatbot] ignored the unknown stream event "${event.event}".`);
            answer = reduceAnswer(answer, event);
            show(answer);
            // docs/PROTOCOL.md §3.6: the first event of a new conversation carries its id.
            if (!startedIn && answer.conversationId && store.conversationId.value !== answer.conversationId) {
              rememberConversation(store, saved, answer.conversationId);
            }
          },
        },
      );
      settle({ ...turn, answer, streamError: result.error ? failureOf(result.error, true) : null });
      if (!result.error) afterAnswer(answer, !startedIn);
    } catch (cause) {
      const error = toApiError(cause);
      if (lifetime.aborted) return;
      if (error.kind === 'aborted') {
        // Stopped by the visitor; not when "new conversation" already cleared it away.
        if (store.live.value?.key === turn.key) settle({ ...turn, answer: finishAnswer(answer, 'stopped') });
      } else if (error.interrupted) {
        // Never re-sent automatically: the server may have answered (no duplicate answers).
        settle({ ...turn, answer: finishAnswer(answer, 'interrupted'), streamError: failureOf(error) });
      } else if (error.kind === 'conversation-gone' && !conversationRetried) {
        // The stored conversation was deleted or ended: ask the same question in a new one.
        forgetConversation(store, saved);
        const fresh = { ...turn, parentMessageId: null };
        store.live.value = fresh;
        return run(fresh, false, true);
      } else {
        settle({ ...turn, failure: failureOf(error) });
      }
    } finally {
      lifetime.removeEventListener('abort', onLifetimeEnd);
      if (streaming === controller) streaming = null;
    }
  }

  /** A finished answer: name a new conversation, offer follow-up questions. Both are optional. */
  function afterAnswer(answer: Answer, startedConversation: boolean) {
    const conversationId = answer.conversationId ?? store.conversationId.value;
    if (startedConversation && conversationId) {
      // Dify's page asks the server to name a new conversation after its first answer (§2.4).
      api.renameConversation(conversationId, { autoGenerate: true }, { signal: lifetime }).catch(() => {});
    }
    if (store.parameters.value?.suggested_questions_after_answer?.enabled && answer.messageId && answer.status === 'done') {
      const messageId = answer.messageId;
      api
        .suggestedQuestions(messageId, { signal: lifetime })
        .then((questions) => {
          const last = store.turns.value[store.turns.value.length - 1];
          if (!store.live.value && last?.answer.messageId === messageId) store.suggestions.value = questions;
        })
        .catch(() => {});
    }
  }

  return {
    run,
    /** Stops the answer being streamed: tells the server (§2.5) and stops reading. */
    stop() {
      const live = store.live.value;
      if (!live) return;
      if (live.answer.taskId) api.stop(live.answer.taskId).catch(() => {});
      streaming?.abort();
    },
    /** Stops reading the answer being streamed, without a word to the server. */
    abort: () => streaming?.abort(),
  };
}

export type AnswerStream = ReturnType<typeof createAnswerStream>;
