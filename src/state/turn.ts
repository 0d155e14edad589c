import { emptyAnswer } from './answer.ts';
import type { Turn } from './store.ts';

let keySeed = 0;

/**
 * The one constructor of a turn: a question asked, asked again, regenerated, restored after a
 * reload or rebuilt from history. Without `from`, it is a new question waiting for its answer.
 */
export function createTurn(
  query: string,
  parentMessageId: string | null,
  from: Partial<Pick<Turn, 'key' | 'answer' | 'failure' | 'variants'>> = {},
): Turn {
  return {
    // Unique within the page; a turn from history gets its message id instead.
    key: `t${++keySeed}`,
    query,
    answer: emptyAnswer(),
    parentMessageId,
    failure: null,
    streamError: null,
    variants: [],
    ...from,
  };
}

/** The answer the next question follows: the last one that exists on the server (none in a new conversation). */
export function lastAnswerId(turns: readonly Turn[], conversationId: string | null): string | null {
  if (!conversationId) return null;
  for (let index = turns.length - 1; index >= 0; index--) {
    const id = turns[index]!.answer.messageId;
    if (id) return id;
  }
  return null;
}
