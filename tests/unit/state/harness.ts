import { effect } from '@preact/signals';
import { afterEach, expect, vi } from 'vitest';
import type { ResolvedConfig } from '../../../src/config/types.ts';
import { readConfig } from '../../../src/config/read.ts';
import { en } from '../../../src/i18n/strings.ts';
import { createActions, type ChatActions } from '../../../src/state/actions.ts';
import type { TurnFailure } from '../../../src/state/failure.ts';
import { createStore, type ChatStore, type Turn } from '../../../src/state/store.ts';
import { announcementText, failureText } from '../../../src/ui/failure-text.ts';
import { createFakeApi, idle, linearHistory, MemoryStorage, type ChatCall, type FakeApi, type Ids } from './fake-api.ts';

/**
 * The action tests' harness: a chat's store and actions over the fake API and an in-memory
 * storage (fake-api.ts), and helpers to ask, wait and read back. Every chat a test file sets up is
 * destroyed after each of its tests.
 */

export const CONVERSATION_KEY = 'dify-chatbot:conversation:demo-chat:DEFAULT';
export const DRAFT_KEY = 'dify-chatbot:draft:demo-chat:DEFAULT';
export const UNANSWERED_KEY = 'dify-chatbot:unanswered:demo-chat:DEFAULT';
export const EXPLICIT_ID = '5f0c1e2a-3b4c-4d5e-8f90-a1b2c3d4e5f6';

export const ids = (conversation: string, message: string, task = `task-${message}`): Ids => ({ conversation, message, task });
export const A1 = ids('C1', 'M1');
export const A2 = ids('C1', 'M2');
export const A3 = ids('C1', 'M3');

export function makeConfig(raw: Record<string, unknown> = {}): ResolvedConfig {
  const { config, problems } = readConfig({ token: 'demo-chat', baseUrl: 'http://x', ...raw });
  if (!config) throw new Error(problems.join(' '));
  return config;
}

export interface SetupOptions {
  storage?: MemoryStorage;
  api?: FakeApi;
  config?: ResolvedConfig;
  nextFrame?: (callback: () => void) => void;
}

export interface Harness {
  store: ChatStore;
  actions: ChatActions;
  api: FakeApi;
  storage: MemoryStorage;
}

const live: ChatActions[] = [];
afterEach(() => {
  live.splice(0).forEach((actions) => actions.destroy());
  vi.restoreAllMocks();
});

export function setup(options: SetupOptions = {}): Harness {
  const storage = options.storage ?? new MemoryStorage();
  const api = options.api ?? createFakeApi();
  const store = createStore();
  const actions = createActions({
    store,
    api: api.client,
    config: options.config ?? makeConfig(),
    storage,
    nextFrame: options.nextFrame ?? ((callback) => callback()),
  });
  live.push(actions);
  return { store, actions, api, storage };
}

/** Boots and waits for history. */
export async function booted(options: SetupOptions = {}): Promise<Harness> {
  const h = setup(options);
  await h.actions.boot();
  await idle();
  return h;
}

/** A returning visitor: conversation C1 stored, with `items` (or n linear turns) in its history; booted. */
export function returning(items: number | ReturnType<typeof linearHistory>): Promise<Harness> {
  const storage = new MemoryStorage();
  storage.set(CONVERSATION_KEY, 'C1');
  const api = createFakeApi();
  api.history.set('C1', typeof items === 'number' ? linearHistory(items) : items);
  return booted({ storage, api });
}

/** Sends a question answered by `chunks` and waits until the answer settled. */
export async function ask(h: Harness, query: string, answerIds: Ids, ...chunks: string[]): Promise<Turn> {
  h.api.queueAnswer(answerIds, ...(chunks.length ? chunks : [`answer to ${query}`]));
  expect(h.actions.send(query)).toBe(true);
  await idle();
  expect(h.store.live.value).toBeNull();
  return lastTurn(h.store);
}

export function lastTurn(store: ChatStore): Turn {
  const turn = store.turns.value[store.turns.value.length - 1];
  if (!turn) throw new Error('no turns');
  return turn;
}

export function lastCall(api: FakeApi): ChatCall {
  const call = api.calls.chat[api.calls.chat.length - 1];
  if (!call) throw new Error('no chat call');
  return call;
}

/** Every value a signal takes after now (an effect runs once per change). */
export function recordWrites<T>(read: () => T): { values: T[]; stop: () => void } {
  const values: T[] = [];
  let first = true;
  const stop = effect(() => {
    const value = read();
    if (first) first = false;
    else values.push(value);
  });
  return { values, stop };
}

/** What an English visitor reads for a failure (the store keeps only its kind and details). */
export const words = (failure: TurnFailure | null | undefined): string | null => (failure ? failureText(failure, en) : null);

/** What an English screen reader hears for the store's current announcement. */
export const heard = (store: ChatStore): string => announcementText(store.announcement.value, en);
