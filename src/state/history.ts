import { batch } from '@preact/signals';
import { toApiError } from '../api/errors.ts';
import type { HistoryMessage } from '../api/types.ts';
import { answerFromHistory } from './answer.ts';
import { forgetConversation, type ActionContext } from './context.ts';
import type { ChatStore, Turn } from './store.ts';
import { createTurn } from './turn.ts';

const HISTORY_PAGE = 20;

/**
 * Loads the conversation's latest page of messages, or (`older`) the page before the oldest one
 * loaded, and puts it in the store as turns. A conversation the server no longer has is forgotten.
 */
export async function loadHistory(store: ChatStore, { api, saved, lifetime }: ActionContext, older: boolean): Promise<void> {
  const conversationId = store.conversationId.value;
  if (!conversationId || store.historyStatus.value === 'loading') return;
  store.historyStatus.value = 'loading';
  try {
    // The oldest message loaded: a folded turn's first variant, not the answer it shows.
    const oldest = store.turns.value[0];
    const firstId = older ? (oldest?.variants[0]?.messageId ?? oldest?.answer.messageId ?? undefined) : undefined;
    const page = await api.messages({ conversationId, firstId, limit: HISTORY_PAGE, signal: lifetime });
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
    if (error.kind === 'conversation-gone' || error.kind === 'not-found') forgetConversation(store, saved);
    else if (!older) store.historyStatus.value = 'failed';
  }
}

function turnFromHistory(item: HistoryMessage): Turn {
  const { question, answer } = answerFromHistory(item);
  return createTurn(question.text, question.parentMessageId, { key: `m${item.id}`, answer, variants: [answer] });
}

/**
 * Regenerated answers share their question's parent (docs/PROTOCOL.md §2.7): fold consecutive
 * siblings into one turn, showing the newest, as Dify's page does.
 */
function foldSiblings(turns: Turn[]): Turn[] {
  const folded: Turn[] = [];
  for (const turn of turns) {
    const previous = folded[folded.length - 1];
    // Siblings of a conversation's first question both have no parent; elsewhere a missing parent
    // is legacy linear history, where two equal questions in a row are not siblings.
    const siblings =
      previous &&
      previous.query === turn.query &&
      previous.parentMessageId === turn.parentMessageId &&
      (turn.parentMessageId !== null || folded.length === 1);
    if (previous && siblings) {
      folded[folded.length - 1] = { ...turn, variants: [...previous.variants, turn.answer] };
    } else folded.push(turn);
  }
  return folded;
}
