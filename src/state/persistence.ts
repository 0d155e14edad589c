import type { ResolvedConfig } from '../config/types.ts';
import { storageKey, type SafeStorage } from '../util/storage.ts';
import { failureFromStorage, type TurnFailure } from './failure.ts';

/** A question that got no answer (or a cut one), kept across reloads with its Retry. */
export interface Unanswered {
  query: string;
  failure: TurnFailure;
}

/**
 * What the chat keeps across reloads, per site token and user: the conversation it is in, the
 * visitor's draft, and the last unanswered question. Only storage here, no store: the actions
 * decide what to keep.
 */
export function createPersistence(storage: SafeStorage, config: ResolvedConfig) {
  const user = config.systemVariables.user_id ?? 'DEFAULT';
  const keys = {
    conversation: storageKey('conversation', config.token, user),
    draft: storageKey('draft', config.token, user),
    unanswered: storageKey('unanswered', config.token, user),
  };
  const keep = (key: string, value: string | null) => (value ? storage.set(key, value) : storage.remove(key));
  // An explicit conversation from the config is the site owner's choice, not ours to store.
  const pinned = config.systemVariables.conversation_id;

  return {
    /** The conversation to continue: the config's, else the stored one. */
    conversationId: (): string | null => pinned ?? storage.get(keys.conversation),
    saveConversationId(id: string | null) {
      if (!pinned) keep(keys.conversation, id);
    },
    draft: (): string => storage.get(keys.draft) ?? '',
    saveDraft: (text: string) => keep(keys.draft, text),
    /** Only the last one, and only for the conversation it was asked in (null: a new one). */
    saveUnanswered(unanswered: Unanswered | null, conversationId: string | null) {
      keep(keys.unanswered, unanswered && JSON.stringify({ ...unanswered, conversationId }));
    },
    /** The question saved for `conversationId`, if any; something unreadable is dropped. */
    unanswered(conversationId: string | null): Unanswered | null {
      try {
        const saved = JSON.parse(storage.get(keys.unanswered) ?? 'null') as Record<string, unknown> | null;
        if (!saved || typeof saved.query !== 'string' || (saved.conversationId ?? null) !== conversationId) return null;
        return { query: saved.query, failure: failureFromStorage(saved.failure) };
      } catch {
        storage.remove(keys.unanswered);
        return null;
      }
    },
  };
}

export type Persistence = ReturnType<typeof createPersistence>;
