import { effect } from '@preact/signals';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ResolvedConfig } from '../../../src/config/types.ts';
import { readConfig } from '../../../src/config/read.ts';
import { en } from '../../../src/i18n/strings.ts';
import { createActions, type ChatActions } from '../../../src/state/actions.ts';
import { createStore, type ChatStore, type Turn } from '../../../src/state/store.ts';
import {
  answerEvents,
  apiError,
  createFakeApi,
  deferred,
  errorEvent,
  historyItem,
  idle,
  linearHistory,
  MemoryStorage,
  messageEndEvent,
  messageEvent,
  metaFixture,
  parametersFixture,
  siteFixture,
  type ChatCall,
  type FakeApi,
  type Ids,
} from './fake-api.ts';

const CONVERSATION_KEY = 'dify-chatbot:conversation:demo-chat:DEFAULT';
const DRAFT_KEY = 'dify-chatbot:draft:demo-chat:DEFAULT';
const UNANSWERED_KEY = 'dify-chatbot:unanswered:demo-chat:DEFAULT';
const EXPLICIT_ID = '5f0c1e2a-3b4c-4d5e-8f90-a1b2c3d4e5f6';

const ids = (conversation: string, message: string, task = `task-${message}`): Ids => ({ conversation, message, task });
const A1 = ids('C1', 'M1');
const A2 = ids('C1', 'M2');
const A3 = ids('C1', 'M3');

function makeConfig(raw: Record<string, unknown> = {}): ResolvedConfig {
  const { config, problems } = readConfig({ token: 'demo-chat', baseUrl: 'http://x', ...raw });
  if (!config) throw new Error(problems.join(' '));
  return config;
}

interface SetupOptions {
  storage?: MemoryStorage;
  api?: FakeApi;
  config?: ResolvedConfig;
  nextFrame?: (callback: () => void) => void;
}

interface Harness {
  store: ChatStore;
  actions: ChatActions;
  api: FakeApi;
  storage: MemoryStorage;
}

const live: ChatActions[] = [];
afterEach(() => {
  live.splice(0).forEach((a) => a.destroy());
  vi.restoreAllMocks();
});

function setup(options: SetupOptions = {}): Harness {
  const storage = options.storage ?? new MemoryStorage();
  const api = options.api ?? createFakeApi();
  const store = createStore();
  const actions = createActions({
    store,
    api: api.client,
    config: options.config ?? makeConfig(),
    storage,
    strings: () => en,
    nextFrame: options.nextFrame ?? ((callback) => callback()),
  });
  live.push(actions);
  return { store, actions, api, storage };
}

/** Boots and waits for history. */
async function booted(options: SetupOptions = {}): Promise<Harness> {
  const h = setup(options);
  await h.actions.boot();
  await idle();
  return h;
}

/** A returning visitor: conversation C1 stored, with `items` (or n linear turns) in its history; booted. */
function returning(items: number | ReturnType<typeof linearHistory>): Promise<Harness> {
  const storage = new MemoryStorage();
  storage.set(CONVERSATION_KEY, 'C1');
  const api = createFakeApi();
  api.history.set('C1', typeof items === 'number' ? linearHistory(items) : items);
  return booted({ storage, api });
}

/** Sends a question answered by `chunks` and waits until the answer settled. */
async function ask(h: Harness, query: string, answerIds: Ids, ...chunks: string[]): Promise<Turn> {
  h.api.queueAnswer(answerIds, ...(chunks.length ? chunks : [`answer to ${query}`]));
  expect(h.actions.send(query)).toBe(true);
  await idle();
  expect(h.store.live.value).toBeNull();
  return lastTurn(h.store);
}

function lastTurn(store: ChatStore): Turn {
  const turn = store.turns.value[store.turns.value.length - 1];
  if (!turn) throw new Error('no turns');
  return turn;
}

function lastCall(api: FakeApi): ChatCall {
  const call = api.calls.chat[api.calls.chat.length - 1];
  if (!call) throw new Error('no chat call');
  return call;
}

/** Every value a signal takes after now (an effect runs once per change). */
function recordWrites<T>(read: () => T): { values: T[]; stop: () => void } {
  const values: T[] = [];
  let first = true;
  const stop = effect(() => {
    const value = read();
    if (first) first = false;
    else values.push(value);
  });
  return { values, stop };
}

// =============================================================================================

describe('boot', () => {
  it('asks for site, parameters and meta in parallel, then is ready', async () => {
    const h = setup();
    const site = deferred<ReturnType<typeof siteFixture>>();
    h.api.behaviour.site = () => site.promise;
    const booting = h.actions.boot();
    expect(h.store.boot.value).toBe('loading');
    await idle();
    // The site has not answered yet: parameters and meta were not waiting for it.
    expect(h.api.calls).toMatchObject({ site: 1, parameters: 1, meta: 1 });
    expect(h.store.boot.value).toBe('loading');
    site.resolve(siteFixture());
    await booting;
    expect(h.store.boot.value).toBe('ready');
    expect(h.store.bootError.value).toBeNull();
    expect(h.store.site.value).toEqual(siteFixture());
    expect(h.store.parameters.value).toEqual(parametersFixture());
    expect(h.store.meta.value).toEqual(metaFixture());
  });

  it('boots once when asked twice', async () => {
    const h = setup();
    const first = h.actions.boot();
    const second = h.actions.boot();
    expect(second).toBe(first);
    await first;
    await h.actions.boot();
    expect(h.api.calls).toMatchObject({ site: 1, parameters: 1, meta: 1 });
  });

  it('a meta failure does not fail the boot', async () => {
    const h = setup();
    h.api.behaviour.meta = () => Promise.reject(apiError('server', 'boom', { status: 500 }));
    await h.actions.boot();
    expect(h.store.boot.value).toBe('ready');
    expect(h.store.meta.value).toBeNull();
    expect(h.store.bootError.value).toBeNull();
  });

  it('a network failure of the site fails the boot with a readable, retryable error', async () => {
    const h = setup();
    h.api.behaviour.site = () => Promise.reject(apiError('network', 'Failed to fetch'));
    await h.actions.boot();
    expect(h.store.boot.value).toBe('failed');
    expect(h.store.bootError.value).toEqual({ kind: 'network', message: en.errors.network, retryable: true });
  });

  it('an unavailable app fails the boot with a message that offers no retry', async () => {
    const h = setup();
    h.api.behaviour.site = () => Promise.reject(apiError('unavailable', 'Site is disabled.', { status: 400, code: 'bad_request' }));
    await h.actions.boot();
    expect(h.store.boot.value).toBe('failed');
    expect(h.store.bootError.value).toEqual({ kind: 'unavailable', message: en.errors.unavailable, retryable: false });
  });

  it('a parameters failure fails the boot too', async () => {
    const h = setup();
    h.api.behaviour.parameters = () => Promise.reject(apiError('server', 'boom', { status: 500 }));
    await h.actions.boot();
    expect(h.store.boot.value).toBe('failed');
    expect(h.store.bootError.value).toEqual({ kind: 'server', message: en.errors.server, retryable: true });
  });

  it('retryBoot after a failure boots again', async () => {
    const h = setup();
    h.api.behaviour.site = () => Promise.reject(apiError('network', 'Failed to fetch'));
    await h.actions.boot();
    expect(h.store.boot.value).toBe('failed');

    h.api.behaviour.site = async () => siteFixture();
    h.actions.retryBoot();
    expect(h.store.boot.value).toBe('loading');
    expect(h.store.bootError.value).toBeNull();
    await idle();
    expect(h.store.boot.value).toBe('ready');
    expect(h.store.site.value).toEqual(siteFixture());
    expect(h.api.calls.site).toBe(2);

    // Once ready, retryBoot does nothing.
    h.actions.retryBoot();
    await idle();
    expect(h.api.calls.site).toBe(2);
  });

  it('a stored conversation loads its latest history page', async () => {
    const storage = new MemoryStorage();
    storage.set(CONVERSATION_KEY, 'C1');
    const api = createFakeApi();
    const items = linearHistory(25);
    api.history.set('C1', items);
    const h = await booted({ storage, api });

    expect(h.store.conversationId.value).toBe('C1');
    expect(api.calls.messages).toHaveLength(1);
    expect(api.calls.messages[0]).toMatchObject({ conversationId: 'C1', firstId: undefined, limit: 20 });
    const turns = h.store.turns.value;
    expect(turns.map((t) => t.query)).toEqual(items.slice(5).map((m) => m.query));
    expect(turns.map((t) => t.answer.text)).toEqual(items.slice(5).map((m) => m.answer));
    expect(turns[0]).toMatchObject({ parentMessageId: 'm4', failure: null, streamError: null });
    expect(turns[0]!.answer).toMatchObject({ messageId: 'm5', conversationId: 'C1', status: 'done' });
    expect(turns.every((t) => t.variants.length === 1 && t.variants[0] === t.answer)).toBe(true);
    expect(new Set(turns.map((t) => t.key)).size).toBe(turns.length);
    expect(h.store.hasOlder.value).toBe(true);
    expect(h.store.historyStatus.value).toBe('idle');
  });

  it('hasOlder is false when the server has no more', async () => {
    const h = await returning(3);
    expect(h.store.turns.value).toHaveLength(3);
    expect(h.store.hasOlder.value).toBe(false);
  });

  it('the stored conversation is per user_id', async () => {
    const storage = new MemoryStorage();
    storage.set(CONVERSATION_KEY, 'C-default');
    storage.set('dify-chatbot:conversation:demo-chat:user-7', 'C-user');
    const api = createFakeApi();
    api.history.set('C-user', linearHistory(1, 'C-user'));
    const h = await booted({ storage, api, config: makeConfig({ systemVariables: { user_id: 'user-7' } }) });
    expect(h.store.conversationId.value).toBe('C-user');
    expect(api.calls.messages.map((m) => m.conversationId)).toEqual(['C-user']);
  });

  it('systemVariables.conversation_id wins over the stored one and is never written to storage', async () => {
    const storage = new MemoryStorage();
    storage.set(CONVERSATION_KEY, 'C-stored');
    const api = createFakeApi();
    api.history.set(EXPLICIT_ID, [historyItem('x1', 'Hi', 'Hello', null, { conversation_id: EXPLICIT_ID })]);
    const h = await booted({ storage, api, config: makeConfig({ systemVariables: { conversation_id: EXPLICIT_ID } }) });
    expect(h.store.conversationId.value).toBe(EXPLICIT_ID);
    expect(api.calls.messages.map((m) => m.conversationId)).toEqual([EXPLICIT_ID]);

    await ask(h, 'More', ids(EXPLICIT_ID, 'x2'));
    expect(lastCall(api).request).toMatchObject({ conversationId: EXPLICIT_ID, parentMessageId: 'x1' });
    expect(storage.get(CONVERSATION_KEY)).toBe('C-stored');
  });

  it('with systemVariables.conversation_id, even a fresh conversation is not stored', async () => {
    const storage = new MemoryStorage();
    const api = createFakeApi();
    api.history.set(EXPLICIT_ID, []);
    const h = await booted({ storage, api, config: makeConfig({ systemVariables: { conversation_id: EXPLICIT_ID } }) });
    api.queueChat({ reject: apiError('conversation-gone', 'Conversation Not Exists.', { status: 404 }) });
    await ask(h, 'Hello', ids('C-new', 'N1'));
    expect(h.store.conversationId.value).toBe('C-new');
    expect(storage.get(CONVERSATION_KEY)).toBeNull();
  });

  it('a stored conversation that is gone is forgotten, and the chat starts fresh', async () => {
    const storage = new MemoryStorage();
    storage.set(CONVERSATION_KEY, 'C-old');
    const h = await booted({ storage }); // the fake has no history for C-old: 404 Conversation Not Exists.
    expect(h.store.boot.value).toBe('ready');
    expect(h.store.conversationId.value).toBeNull();
    expect(storage.get(CONVERSATION_KEY)).toBeNull();
    expect(h.store.turns.value).toEqual([]);
    await ask(h, 'Hello', A1);
    expect(h.api.calls.chat[0]!.request).toMatchObject({ conversationId: null, parentMessageId: null });
  });

  it('a question sent while the history is still loading follows the last answer of that history', async () => {
    const storage = new MemoryStorage();
    storage.set(CONVERSATION_KEY, 'C1');
    const api = createFakeApi();
    api.history.set('C1', linearHistory(2));
    const page = deferred<void>();
    const load = api.behaviour.messages;
    api.behaviour.messages = async (params) => {
      await page.promise;
      return load(params);
    };
    const h = setup({ storage, api });
    void h.actions.boot();
    await idle();
    expect(h.store.boot.value).toBe('ready'); // the composer is usable while the history loads
    api.queueAnswer(ids('C1', 'm2'), 'Sure.');
    expect(h.actions.send('And then?')).toBe(true);
    await idle();
    expect(api.calls.chat).toHaveLength(0); // waits for the history, to learn the parent
    page.resolve();
    await idle();
    expect(api.calls.chat).toHaveLength(1);
    expect(api.calls.chat[0]!.request).toMatchObject({ conversationId: 'C1', parentMessageId: 'm1' });
  });
});

// =============================================================================================

describe('send', () => {
  it('sends the trimmed query with the configured inputs, then follows the previous answer', async () => {
    const h = await booted({ config: makeConfig({ inputs: { name: 'Ada', vip: true } }) });
    h.api.queueAnswer(A1, 'Hi ', 'Ada');
    expect(h.actions.send('  Hello there \n')).toBe(true);
    expect(h.store.live.value).toMatchObject({ query: 'Hello there', parentMessageId: null, failure: null });
    expect(h.store.live.value!.answer.status).toBe('waiting');
    await idle();
    expect(h.api.calls.chat[0]!.request).toEqual({
      query: 'Hello there',
      inputs: { name: 'Ada', vip: true },
      conversationId: null,
      parentMessageId: null,
    });
    expect(h.store.live.value).toBeNull();
    const first = lastTurn(h.store);
    expect(first.answer).toMatchObject({ text: 'Hi Ada', status: 'done', messageId: 'M1', conversationId: 'C1' });
    expect(first.variants).toEqual([first.answer]);

    await ask(h, 'Next', A2);
    expect(h.api.calls.chat[1]!.request).toEqual({
      query: 'Next',
      inputs: { name: 'Ada', vip: true },
      conversationId: 'C1',
      parentMessageId: 'M1',
    });
    expect(h.store.turns.value.map((t) => t.answer.messageId)).toEqual(['M1', 'M2']);
    expect(lastTurn(h.store).parentMessageId).toBe('M1');
  });

  it('once booted, the request starts inside send(), before the question can render', async () => {
    const h = await returning(2);
    h.api.queueAnswer(ids('C1', 'm2'), 'Sure.');
    // Preact renders a signal change in a microtask: one queued now stands for that render.
    let rendered = false;
    queueMicrotask(() => (rendered = true));
    expect(h.actions.send('And then?')).toBe(true);
    expect(h.api.calls.chat).toHaveLength(1);
    expect(rendered).toBe(false);
    expect(h.api.calls.chat[0]!.request).toMatchObject({ conversationId: 'C1', parentMessageId: 'm1' });
    expect(h.store.live.value).toMatchObject({ query: 'And then?', parentMessageId: 'm1' });
    await idle();
    expect(lastTurn(h.store).answer.text).toBe('Sure.');
  });

  it('boots first when a question is sent before the boot', async () => {
    const h = setup();
    h.api.queueAnswer(A1, 'Hi');
    expect(h.actions.send('Hello')).toBe(true);
    await idle();
    expect(h.api.calls.site).toBe(1);
    expect(h.store.boot.value).toBe('ready');
    expect(lastTurn(h.store).answer.text).toBe('Hi');
  });

  it('remembers the new conversation id from the first event', async () => {
    const h = await booted();
    h.api.queueChat({ events: [messageEvent(A1, 'Hel')], hold: true });
    h.actions.send('Hello');
    await idle();
    expect(h.store.conversationId.value).toBe('C1');
    expect(h.storage.get(CONVERSATION_KEY)).toBe('C1');
    expect(h.store.live.value!.answer.text).toBe('Hel');
    lastCall(h.api).emit(messageEvent(A1, 'lo'), messageEndEvent(A1));
    lastCall(h.api).finish();
    await idle();
    expect(lastTurn(h.store).answer.text).toBe('Hello');
    expect(h.storage.get(CONVERSATION_KEY)).toBe('C1');
  });

  it('asks the server to name a new conversation once, after its first answer', async () => {
    const h = await booted();
    await ask(h, 'Hello', A1);
    expect(h.api.calls.rename).toEqual([['C1', { autoGenerate: true }]]);
    await ask(h, 'More', A2);
    await ask(h, 'Even more', A3);
    expect(h.api.calls.rename).toHaveLength(1);
  });

  it('does not rename a conversation loaded from storage', async () => {
    const h = await returning(1);
    await ask(h, 'More', A2);
    expect(h.api.calls.rename).toEqual([]);
  });

  it('a failing rename is harmless', async () => {
    const h = await booted();
    h.api.behaviour.renameConversation = () => Promise.reject(apiError('server'));
    await ask(h, 'Hello', A1);
    await idle();
    expect(lastTurn(h.store).answer.status).toBe('done');
    expect(h.store.announcement.value).toBe('answer to Hello');
  });

  it('fetches suggested questions after a finished answer when the app enables them', async () => {
    const api = createFakeApi();
    api.behaviour.parameters = async () => parametersFixture({ suggested_questions_after_answer: { enabled: true } });
    api.behaviour.suggestedQuestions = async () => ['Why?', 'How?'];
    const h = await booted({ api });
    await ask(h, 'Hello', A1);
    await idle();
    expect(api.calls.suggested).toEqual(['M1']);
    expect(h.store.suggestions.value).toEqual(['Why?', 'How?']);

    // A new question clears them at once.
    api.queueChat({ events: [messageEvent(A2, 'x')], hold: true });
    h.actions.send('Why?');
    expect(h.store.suggestions.value).toEqual([]);
  });

  it('does not fetch suggested questions when the app disables them', async () => {
    const h = await booted();
    await ask(h, 'Hello', A1);
    await idle();
    expect(h.api.calls.suggested).toEqual([]);
    expect(h.store.suggestions.value).toEqual([]);
  });

  it('does not fetch suggested questions for an answer that ended with an error', async () => {
    const api = createFakeApi();
    api.behaviour.parameters = async () => parametersFixture({ suggested_questions_after_answer: { enabled: true } });
    const h = await booted({ api });
    api.queueChat({
      events: [messageEvent(A1, 'Part'), errorEvent(A1, 'completion_request_error', 400, 'Model overloaded')],
      result: apiError('model-error', 'Model overloaded', { status: 400 }),
    });
    h.actions.send('Hello');
    await idle();
    await idle();
    expect(api.calls.suggested).toEqual([]);
  });

  it('a failing suggestions call is harmless', async () => {
    const api = createFakeApi();
    api.behaviour.parameters = async () => parametersFixture({ suggested_questions_after_answer: { enabled: true } });
    api.behaviour.suggestedQuestions = () => Promise.reject(apiError('unavailable', 'disabled', { status: 403 }));
    const h = await booted({ api });
    await ask(h, 'Hello', A1);
    await idle();
    expect(h.store.suggestions.value).toEqual([]);
    expect(lastTurn(h.store).answer.status).toBe('done');
  });

  it('announces the finished answer once, not per event', async () => {
    const h = await booted();
    const writes = recordWrites(() => h.store.announcement.value);
    await ask(h, 'Hello', A1, 'Hello ', '**world**', ', friend.');
    writes.stop();
    expect(writes.values).toEqual(['Hello world , friend.']);
  });

  it('refuses blank text and a second question while an answer streams', async () => {
    const h = await booted();
    expect(h.actions.send('')).toBe(false);
    expect(h.actions.send('   \n\t')).toBe(false);
    expect(h.store.live.value).toBeNull();

    h.api.queueChat({ events: [messageEvent(A1, 'Hel')], hold: true });
    expect(h.actions.send('First')).toBe(true);
    await idle();
    const before = h.store.live.value;
    expect(h.actions.send('Second')).toBe(false);
    expect(h.store.live.value).toBe(before);
    await idle();
    expect(h.api.calls.chat).toHaveLength(1);

    lastCall(h.api).emit(messageEndEvent(A1));
    lastCall(h.api).finish();
    await idle();
    expect(h.store.turns.value.map((t) => t.query)).toEqual(['First']);
  });
});

// =============================================================================================

describe('failures', () => {
  it('an error before any event keeps the question with a failure', async () => {
    const h = await booted();
    h.api.queueChat({ reject: apiError('server', 'Internal Server Error', { status: 500 }) });
    h.actions.send('Hello');
    await idle();
    expect(h.store.live.value).toBeNull();
    const turn = lastTurn(h.store);
    expect(turn.query).toBe('Hello');
    expect(turn.failure).toEqual({ kind: 'server', message: en.errors.server, retryable: true });
    expect(turn.streamError).toBeNull();
    expect(turn.answer.text).toBe('');
    expect(turn.variants).toEqual([]);
    expect(h.store.announcement.value).toBe(en.errors.server);
  });

  it.each([
    ['invalid-input', 'name is required in input form', `${en.errors['invalid-input']} name is required in input form`, true],
    ['model-error', 'Rate limit reached for gpt-4o', `${en.errors['model-error']} Rate limit reached for gpt-4o`, true],
    ['model-error', '', en.errors['model-error'], true],
    ['not-configured', 'Provider not initialized', en.errors['not-configured'], false],
    ['unavailable', 'App unavailable, please check your app configurations.', en.errors.unavailable, false],
    ['busy', 'Too many requests.', en.errors.busy, true],
  ] as const)(
    '%s: the message comes from strings.errors (server text only where it helps, and only when there is one)',
    async (kind, serverText, message, retryable) => {
      const h = await booted();
      h.api.queueChat({ reject: apiError(kind, serverText, { status: 400 }) });
      h.actions.send('Hello');
      await idle();
      expect(lastTurn(h.store).failure).toEqual({ kind, message, retryable });
    },
  );

  it('retry replaces the failed turn and asks the same question after the same answer', async () => {
    const h = await booted();
    await ask(h, 'First', A1);
    h.api.queueChat({ reject: apiError('network', 'Failed to fetch') });
    h.actions.send('Second');
    await idle();
    const failed = lastTurn(h.store);
    expect(failed.failure?.kind).toBe('network');

    h.api.queueAnswer(A2, 'Got it');
    expect(h.actions.retry(failed.key)).toBe(true);
    expect(h.store.turns.value.some((t) => t.key === failed.key)).toBe(false);
    expect(h.store.live.value).toMatchObject({ query: 'Second', parentMessageId: 'M1' });
    await idle();
    expect(h.api.calls.chat).toHaveLength(3);
    expect(h.api.calls.chat[2]!.request).toEqual(h.api.calls.chat[1]!.request);
    expect(h.api.calls.chat[2]!.request).toMatchObject({ query: 'Second', conversationId: 'C1', parentMessageId: 'M1' });
    expect(h.store.turns.value.map((t) => [t.query, t.answer.messageId, t.failure])).toEqual([
      ['First', 'M1', null],
      ['Second', 'M2', null],
    ]);
  });

  it('retry refuses an unknown key and while an answer streams', async () => {
    const h = await booted();
    h.api.queueChat({ reject: apiError('network', 'Failed to fetch') });
    h.actions.send('Hello');
    await idle();
    const failed = lastTurn(h.store);
    expect(h.actions.retry('nope')).toBe(false);
    h.api.queueChat({ events: [messageEvent(A1, 'x')], hold: true });
    h.actions.send('Other');
    expect(h.actions.retry(failed.key)).toBe(false);
    await idle();
    expect(h.api.calls.chat).toHaveLength(2);
  });

  it('conversation-gone: forgets the conversation and asks once more in a fresh one', async () => {
    const storage = new MemoryStorage();
    storage.set(CONVERSATION_KEY, 'C-old');
    const api = createFakeApi();
    api.history.set('C-old', [historyItem('m0', 'Hi', 'Hello', null, { conversation_id: 'C-old' })]);
    const h = await booted({ storage, api });
    expect(h.store.turns.value).toHaveLength(1);

    const atSecondCall: Array<{ stored: string | null; turns: number; conversationId: string | null }> = [];
    api.queueChat(
      { reject: apiError('conversation-gone', 'Conversation Not Exists.', { status: 404 }) },
      {
        events: answerEvents(ids('C-new', 'N1'), 'Fresh ', 'start'),
        onStart: () =>
          atSecondCall.push({
            stored: storage.get(CONVERSATION_KEY),
            turns: h.store.turns.value.length,
            conversationId: h.store.conversationId.value,
          }),
      },
    );
    h.actions.send('Again?');
    await idle();

    expect(api.calls.chat).toHaveLength(2);
    expect(api.calls.chat[0]!.request).toMatchObject({ query: 'Again?', conversationId: 'C-old', parentMessageId: 'm0' });
    expect(api.calls.chat[1]!.request).toMatchObject({ query: 'Again?', conversationId: null, parentMessageId: null });
    expect(atSecondCall).toEqual([{ stored: null, turns: 0, conversationId: null }]);
    expect(h.store.turns.value.map((t) => [t.query, t.answer.text, t.failure])).toEqual([['Again?', 'Fresh start', null]]);
    expect(h.store.conversationId.value).toBe('C-new');
    expect(storage.get(CONVERSATION_KEY)).toBe('C-new');
    expect(api.calls.rename).toEqual([['C-new', { autoGenerate: true }]]);
  });

  it('conversation-gone twice is a failure, not a loop', async () => {
    const storage = new MemoryStorage();
    storage.set(CONVERSATION_KEY, 'C-old');
    const api = createFakeApi();
    api.history.set('C-old', []);
    const h = await booted({ storage, api });
    const gone = () => apiError('conversation-gone', 'The conversation has ended.', { status: 400, code: 'conversation_completed' });
    api.queueChat({ reject: gone() }, { reject: gone() }, { reject: gone() });
    h.actions.send('Again?');
    await idle();
    await idle();
    expect(api.calls.chat).toHaveLength(2);
    expect(h.store.live.value).toBeNull();
    expect(h.store.turns.value).toHaveLength(1);
    expect(lastTurn(h.store)).toMatchObject({
      query: 'Again?',
      failure: { kind: 'conversation-gone', message: en.errors['conversation-gone'] },
    });
  });

  it('an interrupted stream keeps the partial answer and is never re-sent by itself', async () => {
    const h = await booted();
    h.api.queueChat({
      events: [messageEvent(A1, 'The first '), messageEvent(A1, 'half')],
      reject: apiError('network', 'The connection closed before the answer was complete.', { interrupted: true }),
    });
    h.actions.send('Tell me everything');
    await idle();
    await idle();
    expect(h.api.calls.chat).toHaveLength(1);
    expect(h.store.live.value).toBeNull();
    const turn = lastTurn(h.store);
    expect(turn.failure).toBeNull();
    expect(turn.answer).toMatchObject({ status: 'interrupted', text: 'The first half', messageId: 'M1' });
    expect(turn.streamError).toEqual({ kind: 'network', message: en.errors.network, retryable: true });
    expect(h.store.announcement.value).toBe(en.errors.network);
  });

  it('retrying an interrupted answer re-asks after the same parent and drops the cut answer', async () => {
    const h = await booted();
    await ask(h, 'First', A1);
    h.api.queueChat({ events: [messageEvent(A2, 'cut')], reject: apiError('network', 'cut', { interrupted: true }) });
    h.actions.send('Second');
    await idle();
    const cut = lastTurn(h.store);
    h.api.queueAnswer(A3, 'whole');
    expect(h.actions.retry(cut.key)).toBe(true);
    await idle();
    expect(lastCall(h.api).request).toMatchObject({ query: 'Second', conversationId: 'C1', parentMessageId: 'M1' });
    const turn = lastTurn(h.store);
    expect(turn.answer).toMatchObject({ messageId: 'M3', text: 'whole', status: 'done' });
    expect(turn.variants.map((v) => v.messageId)).toEqual(['M3']);
    expect(turn.streamError).toBeNull();
  });

  it('an error event ends the answer with status error and a stream error', async () => {
    const h = await booted();
    h.api.queueChat({
      events: [messageEvent(A1, 'Part'), errorEvent(A1, 'completion_request_error', 400, 'Model overloaded')],
      result: apiError('model-error', 'Model overloaded', { status: 400, code: 'completion_request_error' }),
    });
    h.actions.send('Hello');
    await idle();
    const turn = lastTurn(h.store);
    expect(turn.failure).toBeNull();
    expect(turn.answer).toMatchObject({
      status: 'error',
      text: 'Part',
      error: { code: 'completion_request_error', message: 'Model overloaded' },
    });
    expect(turn.streamError).toEqual({ kind: 'model-error', message: `${en.errors['model-error']} Model overloaded`, retryable: true });
    expect(h.api.calls.chat).toHaveLength(1);
  });
});

// =============================================================================================

describe('stop', () => {
  it('tells the server, aborts the request and keeps the partial text as stopped', async () => {
    const h = await booted();
    h.api.queueChat({ events: [messageEvent(A1, 'Once upon '), messageEvent(A1, 'a time')], hold: true });
    h.actions.send('A story');
    await idle();
    const call = lastCall(h.api);
    expect(call.signal.aborted).toBe(false);

    h.actions.stop();
    expect(h.api.calls.stop).toEqual(['task-M1']);
    expect(call.signal.aborted).toBe(true);
    await idle();
    expect(h.store.live.value).toBeNull();
    const turn = lastTurn(h.store);
    expect(turn.answer).toMatchObject({ status: 'stopped', text: 'Once upon a time' });
    expect(turn.failure).toBeNull();
    expect(turn.streamError).toBeNull();
    expect(h.store.announcement.value).toBe(`${en.stopped}. Once upon a time`);
    expect(h.api.calls.chat).toHaveLength(1);
  });

  it('before any event there is no task to stop on the server, but the request is aborted', async () => {
    const h = await booted();
    h.api.queueChat({ hold: true });
    h.actions.send('A story');
    await idle();
    h.actions.stop();
    expect(h.api.calls.stop).toEqual([]);
    expect(lastCall(h.api).signal.aborted).toBe(true);
    await idle();
    expect(h.store.live.value).toBeNull();
    expect(lastTurn(h.store).answer.status).toBe('stopped');
  });

  it('a failing stop call still stops', async () => {
    const h = await booted();
    h.api.behaviour.stop = () => Promise.reject(apiError('network'));
    h.api.queueChat({ events: [messageEvent(A1, 'Once')], hold: true });
    h.actions.send('A story');
    await idle();
    h.actions.stop();
    await idle();
    expect(lastTurn(h.store).answer).toMatchObject({ status: 'stopped', text: 'Once' });
  });

  it('does nothing without a live answer', async () => {
    const h = await booted();
    h.actions.stop();
    expect(h.api.calls.stop).toEqual([]);
    expect(h.store.turns.value).toEqual([]);
  });
});

// =============================================================================================

describe('regenerate and variants', () => {
  async function twoTurns() {
    const h = await booted();
    await ask(h, 'First', A1);
    await ask(h, 'Second', A2, 'Answer A');
    return h;
  }

  it('re-asks the last question after the same parent and keeps both answers', async () => {
    const h = await twoTurns();
    const last = lastTurn(h.store);
    h.api.queueAnswer(ids('C1', 'M2b'), 'Answer B');
    expect(h.actions.regenerate(last.key)).toBe(true);
    expect(h.store.turns.value).toHaveLength(1);
    expect(h.store.live.value).toMatchObject({ query: 'Second', parentMessageId: 'M1' });
    await idle();
    expect(lastCall(h.api).request).toMatchObject({ query: 'Second', conversationId: 'C1', parentMessageId: 'M1' });

    expect(h.store.turns.value).toHaveLength(2);
    const turn = lastTurn(h.store);
    expect(turn.variants.map((v) => [v.messageId, v.text])).toEqual([
      ['M2', 'Answer A'],
      ['M2b', 'Answer B'],
    ]);
    expect(turn.answer).toBe(turn.variants[1]);

    h.actions.showVariant(turn.key, 0);
    expect(lastTurn(h.store).answer.messageId).toBe('M2');
    expect(lastTurn(h.store).variants).toHaveLength(2);

    await ask(h, 'Third', A3);
    expect(lastCall(h.api).request).toMatchObject({ query: 'Third', conversationId: 'C1', parentMessageId: 'M2' });
    expect(lastTurn(h.store).parentMessageId).toBe('M2');
  });

  it('without showVariant the next question follows the newest answer', async () => {
    const h = await twoTurns();
    h.api.queueAnswer(ids('C1', 'M2b'), 'Answer B');
    h.actions.regenerate(lastTurn(h.store).key);
    await idle();
    await ask(h, 'Third', A3);
    expect(lastCall(h.api).request.parentMessageId).toBe('M2b');
  });

  it('only the last settled turn can be regenerated', async () => {
    const h = await twoTurns();
    expect(h.actions.regenerate(h.store.turns.value[0]!.key)).toBe(false);
    expect(h.actions.regenerate('nope')).toBe(false);

    h.api.queueChat({ reject: apiError('server') });
    h.actions.send('Third');
    await idle();
    expect(h.actions.regenerate(lastTurn(h.store).key)).toBe(false); // a failed question is retried, not regenerated

    h.api.queueChat({ events: [messageEvent(A3, 'x')], hold: true });
    h.actions.retry(lastTurn(h.store).key);
    await idle();
    expect(h.actions.regenerate(h.store.turns.value[h.store.turns.value.length - 1]!.key)).toBe(false); // while streaming
    expect(h.api.calls.chat).toHaveLength(4);
  });

  it('a failed regenerate keeps the earlier answer', async () => {
    const h = await twoTurns();
    h.api.queueChat({ reject: apiError('server') });
    h.actions.regenerate(lastTurn(h.store).key);
    await idle();
    const turn = lastTurn(h.store);
    expect(turn.failure?.kind).toBe('server');
    expect(turn.variants.map((v) => v.messageId)).toEqual(['M2']);
  });
});

// =============================================================================================

describe('history folding', () => {
  async function withHistory(items: ReturnType<typeof historyItem>[]) {
    const storage = new MemoryStorage();
    storage.set(CONVERSATION_KEY, 'C1');
    const api = createFakeApi();
    api.history.set('C1', items);
    return booted({ storage, api });
  }

  it('folds regenerated siblings (same parent, same query) into one turn showing the newest', async () => {
    const h = await withHistory([
      historyItem('a', 'Hi', 'Hello', null),
      historyItem('b1', 'Tell me a joke', 'Joke one', 'a'),
      historyItem('b2', 'Tell me a joke', 'Joke two', 'a'),
      historyItem('c', 'Another', 'Joke three', 'b2'),
    ]);
    const turns = h.store.turns.value;
    expect(turns.map((t) => t.query)).toEqual(['Hi', 'Tell me a joke', 'Another']);
    expect(turns[1]!.variants.map((v) => v.messageId)).toEqual(['b1', 'b2']);
    expect(turns[1]!.answer.messageId).toBe('b2');
    expect(turns[1]!.parentMessageId).toBe('a');

    await ask(h, 'Last', ids('C1', 'd'));
    expect(lastCall(h.api).request.parentMessageId).toBe('c');
  });

  it('folds a regenerated first question (both roots), but not legacy linear items or different questions', async () => {
    const legacy = '00000000-0000-0000-0000-000000000000';
    const h = await withHistory([
      historyItem('r1', 'Hi', 'Hello', null),
      historyItem('r2', 'Hi', 'Hello again', null),
      historyItem('l1', 'Same', 'One', legacy),
      historyItem('l2', 'Same', 'Two', legacy),
      historyItem('x1', 'Question', 'One', 'l2'),
      historyItem('x2', 'Other question', 'Two', 'l2'),
    ]);
    // Dify regenerates a conversation's first question with parent_message_id null: the two roots
    // are siblings (docs/PROTOCOL.md §2.7, buildChatItemTree). Legacy linear items are not.
    expect(h.store.turns.value.map((t) => t.variants.length)).toEqual([2, 1, 1, 1, 1]);
  });

  it('regenerate of a folded history turn adds a third variant', async () => {
    const h = await withHistory([
      historyItem('a', 'Hi', 'Hello', null),
      historyItem('b1', 'Joke', 'One', 'a'),
      historyItem('b2', 'Joke', 'Two', 'a'),
    ]);
    h.api.queueAnswer(ids('C1', 'b3'), 'Three');
    expect(h.actions.regenerate(lastTurn(h.store).key)).toBe(true);
    await idle();
    expect(lastCall(h.api).request).toMatchObject({ query: 'Joke', parentMessageId: 'a', conversationId: 'C1' });
    expect(lastTurn(h.store).variants.map((v) => v.messageId)).toEqual(['b1', 'b2', 'b3']);
  });
});

// =============================================================================================

describe('loadOlder', () => {
  it('pages backwards from the oldest loaded message and prepends', async () => {
    const storage = new MemoryStorage();
    storage.set(CONVERSATION_KEY, 'C1');
    const api = createFakeApi();
    const items = linearHistory(25);
    api.history.set('C1', items);
    const h = await booted({ storage, api });
    await h.actions.loadOlder();
    expect(api.calls.messages[1]).toMatchObject({ conversationId: 'C1', firstId: 'm5', limit: 20 });
    expect(h.store.turns.value.map((t) => t.answer.messageId)).toEqual(items.map((m) => m.id));
    expect(h.store.hasOlder.value).toBe(false);
    expect(h.store.historyStatus.value).toBe('idle');
  });

  it('a failure is shown as historyStatus failed and keeps the loaded turns', async () => {
    const h = await returning(25);
    h.api.behaviour.messages = () => Promise.reject(apiError('network'));
    await h.actions.loadOlder();
    expect(h.store.historyStatus.value).toBe('failed');
    expect(h.store.turns.value).toHaveLength(20);
    expect(h.store.conversationId.value).toBe('C1');
  });

  it('when the oldest loaded turn has regenerated variants, pages from its oldest variant (no duplicate turn)', async () => {
    const storage = new MemoryStorage();
    storage.set(CONVERSATION_KEY, 'C1');
    const api = createFakeApi();
    // 22 messages; the latest page (20) starts with two siblings: m2 and its regeneration m3.
    const items = [
      historyItem('m0', 'q0', 'a0', null),
      historyItem('m1', 'q1', 'a1', 'm0'),
      historyItem('m2', 'q2', 'a2', 'm1'),
      historyItem('m3', 'q2', 'a2 again', 'm1'),
      ...Array.from({ length: 18 }, (_, i) => historyItem(`n${i}`, `n${i}`, `n${i}`, i === 0 ? 'm3' : `n${i - 1}`)),
    ];
    api.history.set('C1', items);
    const h = await booted({ storage, api });
    expect(h.store.turns.value[0]!.variants.map((v) => v.messageId)).toEqual(['m2', 'm3']);
    await h.actions.loadOlder();
    expect(api.calls.messages[1]).toMatchObject({ firstId: 'm2' });
    const shown = h.store.turns.value.flatMap((t) => t.variants.map((v) => v.messageId));
    expect(shown).toEqual(items.map((m) => m.id));
  });
});

// =============================================================================================

describe('feedback', () => {
  async function withOneAnswer(feedback: 'like' | 'dislike' | null = null) {
    const storage = new MemoryStorage();
    storage.set(CONVERSATION_KEY, 'C1');
    const api = createFakeApi();
    api.history.set('C1', [historyItem('M1', 'Hi', 'Hello', null, { feedback: feedback ? { rating: feedback } : null })]);
    return booted({ storage, api });
  }

  it('rates optimistically, then tells the server', async () => {
    const h = await withOneAnswer();
    const key = lastTurn(h.store).key;
    const pending = h.actions.feedback(key, 'like');
    expect(lastTurn(h.store).answer.feedback).toBe('like');
    expect(lastTurn(h.store).variants[0]!.feedback).toBe('like');
    await pending;
    expect(h.api.calls.feedback).toEqual([['M1', 'like']]);
    expect(lastTurn(h.store).answer.feedback).toBe('like');

    await h.actions.feedback(key, null);
    expect(h.api.calls.feedback).toEqual([
      ['M1', 'like'],
      ['M1', null],
    ]);
    expect(lastTurn(h.store).answer.feedback).toBeNull();
  });

  it('a refused rating is undone and announced', async () => {
    const h = await withOneAnswer('like');
    h.api.behaviour.feedback = () => Promise.reject(apiError('server'));
    const key = lastTurn(h.store).key;
    const pending = h.actions.feedback(key, 'dislike');
    expect(lastTurn(h.store).answer.feedback).toBe('dislike');
    await pending;
    expect(h.api.calls.feedback).toEqual([['M1', 'dislike']]);
    expect(lastTurn(h.store).answer.feedback).toBe('like');
    expect(lastTurn(h.store).variants[0]!.feedback).toBe('like');
    expect(h.store.announcement.value).toBe(en.feedbackFailed);
  });

  it('rates the shown variant only', async () => {
    const h = await booted();
    await ask(h, 'Joke', A1, 'One');
    h.api.queueAnswer(A2, 'Two');
    h.actions.regenerate(lastTurn(h.store).key);
    await idle();
    const key = lastTurn(h.store).key;
    h.actions.showVariant(key, 0);
    await h.actions.feedback(key, 'dislike');
    expect(h.api.calls.feedback).toEqual([['M1', 'dislike']]);
    expect(lastTurn(h.store).variants.map((v) => v.feedback)).toEqual(['dislike', null]);
  });

  it('ignores a turn without a message id', async () => {
    const h = await booted();
    h.api.queueChat({ reject: apiError('server') });
    h.actions.send('Hello');
    await idle();
    await h.actions.feedback(lastTurn(h.store).key, 'like');
    expect(h.api.calls.feedback).toEqual([]);
  });
});

// =============================================================================================

describe('unanswered question across reloads', () => {
  it('a failed question comes back after a reload with its Retry, and is gone once answered', async () => {
    const storage = new MemoryStorage();
    const first = await booted({ storage });
    first.api.queueChat({ reject: apiError('network', 'Failed to fetch') });
    first.actions.send('Do not lose me');
    await idle();
    expect(lastTurn(first.store).failure?.kind).toBe('network');
    expect(storage.get(UNANSWERED_KEY)).not.toBeNull();
    first.actions.destroy();

    // Reload.
    const second = await booted({ storage });
    expect(second.store.turns.value).toHaveLength(1);
    const restored = lastTurn(second.store);
    expect(restored).toMatchObject({
      query: 'Do not lose me',
      parentMessageId: null,
      failure: { kind: 'network', message: en.errors.network, retryable: true },
    });

    second.api.queueAnswer(A1, 'Found you');
    expect(second.actions.retry(restored.key)).toBe(true);
    await idle();
    expect(second.api.calls.chat[0]!.request).toMatchObject({ query: 'Do not lose me', conversationId: null, parentMessageId: null });
    expect(lastTurn(second.store)).toMatchObject({ query: 'Do not lose me', failure: null });
    expect(storage.get(UNANSWERED_KEY)).toBeNull();
    second.actions.destroy();

    // Another reload: the answered conversation, no failed turn.
    const api = createFakeApi();
    api.history.set('C1', [historyItem('M1', 'Do not lose me', 'Found you', null)]);
    const third = await booted({ storage, api });
    expect(third.store.turns.value.map((t) => [t.query, t.failure])).toEqual([['Do not lose me', null]]);
  });

  it('in an existing conversation it comes back after that conversation’s history', async () => {
    const storage = new MemoryStorage();
    storage.set(CONVERSATION_KEY, 'C1');
    const api = createFakeApi();
    api.history.set('C1', linearHistory(2));
    const first = await booted({ storage, api });
    api.queueChat({ reject: apiError('server', 'boom', { status: 500 }) });
    first.actions.send('Third question');
    await idle();
    first.actions.destroy();

    const api2 = createFakeApi();
    api2.history.set('C1', linearHistory(2));
    const second = await booted({ storage, api: api2 });
    expect(second.store.turns.value.map((t) => t.query)).toEqual(['question 0', 'question 1', 'Third question']);
    const restored = lastTurn(second.store);
    expect(restored).toMatchObject({ parentMessageId: 'm1', failure: { kind: 'server', message: en.errors.server, retryable: true } });
    api2.queueAnswer(ids('C1', 'm2'), 'ok');
    second.actions.retry(restored.key);
    await idle();
    expect(api2.calls.chat[0]!.request).toMatchObject({ query: 'Third question', conversationId: 'C1', parentMessageId: 'm1' });
  });

  it('new conversation drops the unanswered question', async () => {
    const storage = new MemoryStorage();
    const first = await booted({ storage });
    first.api.queueChat({ reject: apiError('network') });
    first.actions.send('Forget me');
    await idle();
    first.actions.newConversation();
    expect(storage.get(UNANSWERED_KEY)).toBeNull();
    expect(first.store.turns.value).toEqual([]);
  });
});

// =============================================================================================

describe('draft', () => {
  it('is kept across instances and removed when emptied', () => {
    const storage = new MemoryStorage();
    const first = setup({ storage });
    expect(first.store.draft.value).toBe('');
    first.actions.setDraft('half a thought');
    expect(first.store.draft.value).toBe('half a thought');
    expect(storage.get(DRAFT_KEY)).toBe('half a thought');

    const second = setup({ storage });
    expect(second.store.draft.value).toBe('half a thought');
    second.actions.setDraft('');
    expect(second.store.draft.value).toBe('');
    expect(storage.get(DRAFT_KEY)).toBeNull();

    expect(setup({ storage }).store.draft.value).toBe('');
  });
});

// =============================================================================================

describe('retrying notice', () => {
  it('is set by onRetry and cleared by the first event', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const h = await booted();
    const busy = apiError('busy', 'Too many requests.', { status: 429 });
    h.api.queueChat({ retries: [{ error: busy, delayMs: 2000, attempt: 1 }], hold: true });
    h.actions.send('Hello');
    await idle();
    expect(h.store.retrying.value).toEqual({ kind: 'busy', at: 1_002_000 });

    lastCall(h.api).emit(messageEvent(A1, 'Hi'));
    expect(h.store.retrying.value).toBeNull();
    lastCall(h.api).emit(messageEndEvent(A1));
    lastCall(h.api).finish();
    await idle();
    expect(lastTurn(h.store).answer.text).toBe('Hi');
  });

  it('is cleared when the question finally fails', async () => {
    const h = await booted();
    const busy = apiError('busy', 'Too many requests.', { status: 429 });
    h.api.queueChat({ retries: [{ error: busy, delayMs: 1000, attempt: 1 }], reject: busy });
    h.actions.send('Hello');
    await idle();
    expect(h.store.retrying.value).toBeNull();
    expect(lastTurn(h.store).failure?.kind).toBe('busy');
  });
});

// =============================================================================================

describe('batching', () => {
  it("shows the first content at once, then at most one live update per frame, none in the first content's frame", async () => {
    const frames: Array<() => void> = [];
    const runFrames = () => frames.splice(0).forEach((f) => f());
    const h = await booted({ nextFrame: (callback) => void frames.push(callback) });
    h.api.queueChat({ hold: true });
    const writes = recordWrites(() => h.store.live.value);
    h.actions.send('Count');
    await idle();
    expect(writes.values).toHaveLength(1); // the waiting turn
    const call = lastCall(h.api);

    call.emit(messageEvent(A1, 'w0 '));
    // waiting → streaming is not delayed by a frame.
    expect(writes.values).toHaveLength(2);
    expect(h.store.live.value!.answer).toMatchObject({ status: 'streaming', text: 'w0 ' });

    for (let i = 1; i < 50; i++) call.emit(messageEvent(A1, `w${i} `));
    expect(writes.values).toHaveLength(2);
    expect(frames.length).toBeLessThanOrEqual(1);
    runFrames(); // the frame that paints 'w0 ' has nothing else to render
    expect(writes.values).toHaveLength(2);
    expect(frames.length).toBeLessThanOrEqual(1);
    runFrames();
    expect(writes.values).toHaveLength(3);
    expect(h.store.live.value!.answer.text.split(' ').filter(Boolean)).toHaveLength(50);

    for (let i = 50; i < 100; i++) call.emit(messageEvent(A1, `w${i} `));
    expect(frames.length).toBeLessThanOrEqual(1);
    runFrames();
    expect(writes.values).toHaveLength(4);
    expect(h.store.live.value!.answer.text.split(' ').filter(Boolean)).toHaveLength(100);

    runFrames(); // nothing new: no write
    expect(writes.values).toHaveLength(4);

    call.emit(messageEndEvent(A1));
    call.finish();
    await idle();
    runFrames();
    writes.stop();
    expect(h.store.live.value).toBeNull();
    expect(lastTurn(h.store).answer.text.split(' ').filter(Boolean)).toHaveLength(100);
    expect(writes.values[writes.values.length - 1]).toBeNull();
  });
});

// =============================================================================================

describe('new conversation', () => {
  it('forgets the conversation; the next question starts a new one', async () => {
    const api = createFakeApi();
    api.behaviour.parameters = async () => parametersFixture({ suggested_questions_after_answer: { enabled: true } });
    api.behaviour.suggestedQuestions = async () => ['Why?'];
    const h = await booted({ api });
    await ask(h, 'Hello', A1);
    await idle();
    expect(h.store.suggestions.value).toEqual(['Why?']);
    h.actions.newConversation();
    expect(h.store.conversationId.value).toBeNull();
    expect(h.storage.get(CONVERSATION_KEY)).toBeNull();
    expect(h.store.turns.value).toEqual([]);
    expect(h.store.suggestions.value).toEqual([]);
    expect(h.store.hasOlder.value).toBe(false);

    await ask(h, 'Hello again', ids('C2', 'N1'));
    expect(lastCall(api).request).toMatchObject({ conversationId: null, parentMessageId: null });
    expect(api.calls.rename.map(([id]) => id)).toEqual(['C1', 'C2']);
  });

  it('during an answer: aborts it, and the old answer does not come back into the new conversation', async () => {
    const h = await booted();
    await ask(h, 'Hello', A1);
    h.api.queueChat({ events: [messageEvent(A2, 'partial')], hold: true });
    h.actions.send('Long question');
    await idle();
    const call = lastCall(h.api);
    h.actions.newConversation();
    expect(call.signal.aborted).toBe(true);
    expect(h.store.live.value).toBeNull();
    await idle();
    expect(h.store.turns.value).toEqual([]);
    expect(h.store.conversationId.value).toBeNull();
  });
});

// =============================================================================================

describe('warmUp', () => {
  it('runs the stream parser and the reducer on a sample answer: no request, no store change', async () => {
    const h = await booted();
    const writes = recordWrites(() => [h.store.live.value, h.store.turns.value, h.store.conversationId.value]);
    const answer = await h.actions.warmUp();
    writes.stop();
    expect(answer).toMatchObject({ text: 'Hi', status: 'done', messageId: 'm' });
    expect(h.api.calls.chat).toHaveLength(0);
    expect(writes.values).toEqual([]);
  });
});

describe('setOffline', () => {
  it('sets the offline flag', () => {
    const h = setup();
    h.actions.setOffline(true);
    expect(h.store.offline.value).toBe(true);
    h.actions.setOffline(false);
    expect(h.store.offline.value).toBe(false);
  });
});

// =============================================================================================

describe('destroy', () => {
  it('aborts an in-flight answer; what the stream would still have sent changes nothing', async () => {
    const h = await booted();
    await ask(h, 'Hello', A1);
    h.api.queueChat({ events: [messageEvent(A2, 'Hal')], hold: true });
    h.actions.send('Second');
    await idle();
    const call = lastCall(h.api);
    const snapshot = {
      turns: h.store.turns.value,
      live: h.store.live.value,
      conversationId: h.store.conversationId.value,
      announcement: h.store.announcement.value,
      suggestions: h.store.suggestions.value,
      storage: [...h.storage.map],
    };

    h.actions.destroy();
    expect(call.signal.aborted).toBe(true);
    await expect(call.settled).rejects.toMatchObject({ kind: 'aborted' });
    // The server keeps talking; the (honest) client delivers none of it.
    call.emit(messageEvent(A2, 'f of it'), messageEndEvent(A2));
    await idle();
    await idle();
    expect({
      turns: h.store.turns.value,
      live: h.store.live.value,
      conversationId: h.store.conversationId.value,
      announcement: h.store.announcement.value,
      suggestions: h.store.suggestions.value,
      storage: [...h.storage.map],
    }).toEqual(snapshot);
    expect(h.store.turns.value).toBe(snapshot.turns);
    expect(h.api.calls.chat).toHaveLength(2);
    expect(h.actions.send('After')).toBe(false);
  });

  it('aborts a boot in progress without marking it failed', async () => {
    const h = setup();
    const site = deferred<ReturnType<typeof siteFixture>>();
    h.api.behaviour.site = () => site.promise;
    const booting = h.actions.boot();
    h.actions.destroy();
    site.reject(apiError('aborted'));
    await booting;
    expect(h.store.boot.value).toBe('loading');
    expect(h.store.bootError.value).toBeNull();
  });
});
