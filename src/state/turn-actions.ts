import { batch } from '@preact/signals';
import type { Answer } from './answer.ts';
import type { AnswerStream } from './answer-stream.ts';
import { forgetConversation, type ActionContext } from './context.ts';
import type { ChatStore, Turn } from './store.ts';
import { createTurn } from './turn.ts';

/**
 * What the visitor does with questions and answers: ask, ask again, regenerate, page through a
 * question's answers, rate, start over. Each puts a turn in the live slot and lets the answer
 * stream (answer-stream.ts) take it from there.
 */
export function createTurnActions(store: ChatStore, { api, saved, lifetime }: ActionContext, stream: AnswerStream) {
  /** `turn` goes live beside the settled `turns` (which no longer hold a turn asked again). */
  const goLive = (turn: Turn, turns: readonly Turn[]) =>
    batch(() => {
      store.turns.value = turns;
      store.suggestions.value = [];
      store.live.value = turn;
    });

  return {
    /** Asks a question. Returns false (and changes nothing) when it cannot be sent now. */
    send(text: string): boolean {
      const query = text.trim();
      if (!query || store.live.value || lifetime.aborted) return false;
      const turn = createTurn(query, null);
      goLive(turn, store.turns.value);
      void stream.run(turn, true);
      return true;
    },
    /** Asks a failed or cut-off question again, in its place. */
    retry(key: string): boolean {
      const failed = store.turns.value.find((turn) => turn.key === key);
      if (!failed || store.live.value) return false;
      // The failed answer itself is dropped; earlier answers of a regenerated question stay.
      const kept = failed.failure ? failed.variants : failed.variants.filter((variant) => variant !== failed.answer);
      const turn = createTurn(failed.query, failed.parentMessageId, { variants: kept });
      goLive(
        turn,
        store.turns.value.filter((other) => other !== failed),
      );
      void stream.run(turn);
      return true;
    },
    /** A new answer to the last question, kept beside the earlier ones ("1 / 2"). */
    regenerate(key: string): boolean {
      const turns = store.turns.value;
      const last = turns[turns.length - 1];
      if (!last || last.key !== key || store.live.value || last.failure) return false;
      const turn = createTurn(last.query, last.parentMessageId, { variants: last.variants });
      goLive(turn, turns.slice(0, -1));
      void stream.run(turn);
      return true;
    },
    /** Shows another of a question's answers; the next question follows the one shown. */
    showVariant(key: string, index: number) {
      store.turns.value = store.turns.value.map((turn) => {
        const variant = turn.variants[index];
        return turn.key === key && variant ? { ...turn, answer: variant, streamError: null } : turn;
      });
    },
    /** Like, dislike, or clear (null) an answer's rating (docs/PROTOCOL.md §2.8); undone if the server refuses. */
    async feedback(key: string, rating: 'like' | 'dislike' | null): Promise<void> {
      const rated = store.turns.value.find((turn) => turn.key === key);
      const messageId = rated?.answer.messageId;
      if (!rated || !messageId) return;
      const setRating = (value: Answer['feedback']) => {
        store.turns.value = store.turns.value.map((turn) => {
          if (turn.key !== key) return turn;
          const answer = { ...turn.answer, feedback: value };
          return { ...turn, answer, variants: turn.variants.map((variant) => (variant.messageId === messageId ? answer : variant)) };
        });
      };
      const previous = rated.answer.feedback;
      setRating(rating);
      try {
        await api.feedback(messageId, rating, undefined, { signal: lifetime });
      } catch {
        setRating(previous);
        store.announcement.value = 'feedback-failed';
      }
    },
    newConversation() {
      stream.abort();
      batch(() => {
        store.live.value = null;
        forgetConversation(store, saved);
      });
      saved.saveUnanswered(null, null);
    },
  };
}
