import type { ApiClient } from '../api/client.ts';
import type { ResolvedConfig } from '../config/types.ts';
import type { SafeStorage } from '../util/storage.ts';
import { createAnswerStream } from './answer-stream.ts';
import { createBoot } from './boot.ts';
import type { ActionContext } from './context.ts';
import { defaultNextFrame, type NextFrame } from './frame-pacer.ts';
import { loadHistory } from './history.ts';
import { createPersistence } from './persistence.ts';
import type { ChatStore } from './store.ts';
import { createTurnActions } from './turn-actions.ts';

export interface ActionDeps {
  store: ChatStore;
  api: ApiClient;
  config: ResolvedConfig;
  storage: SafeStorage;
  /**
   * Runs a callback before the next paint; stream events between two frames reach the store (and
   * the DOM) once. Defaults to requestAnimationFrame, or a 16 ms timer where there is none.
   */
  nextFrame?: NextFrame;
}

/**
 * The only writers of the chat store (docs/ARCHITECTURE.md §3), put together from one module per
 * job: boot (boot.ts), history (history.ts), asking and streaming (answer-stream.ts, paced by
 * frame-pacer.ts), what the visitor does with turns (turn-actions.ts), and what survives a reload
 * (persistence.ts). Network work goes through the API client; every answer change goes through
 * the pure reducer. No sentence is written here: failures are kept as data for the view to word.
 */
export function createActions({ store, api, config, storage, nextFrame = defaultNextFrame }: ActionDeps) {
  /** Aborted by destroy(): every request of this chat instance listens to it. */
  const lifetime = new AbortController();
  const saved = createPersistence(storage, config);
  const context: ActionContext = { api, config, saved, lifetime: lifetime.signal };
  const boot = createBoot(store, context);
  const stream = createAnswerStream(store, context, boot, nextFrame);

  store.draft.value = saved.draft();

  return {
    boot: boot.boot,
    /** Retries the boot after a failure (e.g. the visitor was offline). */
    retryBoot: boot.retry,
    ...createTurnActions(store, context, stream),
    stop: stream.stop,
    loadOlder: () => loadHistory(store, context, true),
    setDraft(text: string) {
      store.draft.value = text;
      saved.saveDraft(text);
    },
    /** The browser's online state (the chat stage listens to online/offline events). */
    setOffline(offline: boolean) {
      store.offline.value = offline;
    },
    destroy() {
      lifetime.abort();
    },
  };
}

export type ChatActions = ReturnType<typeof createActions>;
