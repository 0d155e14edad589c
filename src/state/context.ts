import { batch } from '@preact/signals';
import type { ApiClient } from '../api/client.ts';
import type { ResolvedConfig } from '../config/types.ts';
import type { Persistence } from './persistence.ts';
import type { ChatStore } from './store.ts';

/**
 * What the action modules work with besides the store, which each takes first (actions.ts builds
 * both once per chat).
 */
export interface ActionContext {
  api: ApiClient;
  config: ResolvedConfig;
  saved: Persistence;
  /** Aborted by destroy(): every request of this chat instance listens to it. */
  lifetime: AbortSignal;
}

/** Enters a conversation (null: none yet), kept for the next page view. */
export function rememberConversation(store: ChatStore, saved: Persistence, id: string | null): void {
  store.conversationId.value = id;
  saved.saveConversationId(id);
}

/** Leaves the conversation and what it showed: the next question starts a new one. */
export function forgetConversation(store: ChatStore, saved: Persistence): void {
  batch(() => {
    rememberConversation(store, saved, null);
    store.turns.value = [];
    store.hasOlder.value = false;
    store.suggestions.value = [];
  });
}
