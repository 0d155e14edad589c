import { batch } from '@preact/signals';
import { toApiError } from '../api/errors.ts';
import type { ActionContext } from './context.ts';
import { failureOf } from './failure.ts';
import { loadHistory } from './history.ts';
import type { ChatStore } from './store.ts';
import { createTurn, lastAnswerId } from './turn.ts';

/**
 * Starting the chat: site, parameters and meta in parallel (as Dify's page does), then the last
 * conversation's history and the question that was left unanswered in it.
 */
export function createBoot(store: ChatStore, context: ActionContext) {
  const { api, saved, lifetime } = context;
  let booting: Promise<void> | null = null;
  /** The boot, its history and the restored question are all in the store. */
  let booted = false;

  /** A question that got no answer (or a cut one) comes back with its Retry: what the visitor typed is never lost. */
  const restoreUnanswered = () => {
    const turns = store.turns.value;
    const unanswered = saved.unanswered(store.conversationId.value);
    if (!unanswered) return;
    const parent = lastAnswerId(turns, store.conversationId.value);
    store.turns.value = [...turns, createTurn(unanswered.query, parent, { failure: unanswered.failure })];
  };

  function boot(): Promise<void> {
    if (booting) return booting;
    store.boot.value = 'loading';
    store.bootError.value = null;
    booting = (async () => {
      try {
        const [site, parameters, meta] = await Promise.all([
          api.site({ signal: lifetime }),
          api.parameters({ signal: lifetime }),
          // Tool icons are decoration: an error here must not keep the chat closed.
          api.meta({ signal: lifetime }).catch(() => null),
        ]);
        batch(() => {
          store.site.value = site;
          store.parameters.value = parameters;
          store.meta.value = meta;
          store.boot.value = 'ready';
        });
        const conversationId = saved.conversationId();
        if (conversationId) {
          store.conversationId.value = conversationId;
          await loadHistory(store, context, false);
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

  return {
    boot,
    isBooted: () => booted,
    /** Boots again after a failure (e.g. the visitor was offline). */
    retry() {
      if (store.boot.value === 'failed') void boot();
    },
  };
}

export type Boot = ReturnType<typeof createBoot>;
