import { describe, expect, it } from 'vitest';
import { en } from '../../../src/i18n/strings.ts';
import { CONVERSATION_KEY, EXPLICIT_ID, ids, A1, makeConfig, setup, booted, returning, ask, lastCall, words } from './harness.ts';
import {
  apiError,
  createFakeApi,
  deferred,
  historyItem,
  idle,
  linearHistory,
  MemoryStorage,
  metaFixture,
  parametersFixture,
  siteFixture,
} from './fake-api.ts';

/** The boot: site, parameters and meta, the stored conversation's history (boot.ts). */

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
    // Data, not a sentence: the view words it in the visitor's language.
    expect(h.store.bootError.value).toEqual({
      kind: 'network',
      serverMessage: '',
      status: undefined,
      retryable: true,
      duringAnswer: false,
    });
    expect(words(h.store.bootError.value)).toBe(en.errors.network);
  });

  it('an unavailable app fails the boot with a message that offers no retry', async () => {
    const h = setup();
    h.api.behaviour.site = () => Promise.reject(apiError('unavailable', 'Site is disabled.', { status: 400, code: 'bad_request' }));
    await h.actions.boot();
    expect(h.store.boot.value).toBe('failed');
    expect(h.store.bootError.value).toMatchObject({
      kind: 'unavailable',
      serverMessage: 'Site is disabled.',
      status: 400,
      retryable: false,
    });
    expect(words(h.store.bootError.value)).toBe(en.errors.unavailable);
  });

  it('a parameters failure fails the boot too', async () => {
    const h = setup();
    h.api.behaviour.parameters = () => Promise.reject(apiError('server', 'boom', { status: 500 }));
    await h.actions.boot();
    expect(h.store.boot.value).toBe('failed');
    expect(h.store.bootError.value).toMatchObject({ kind: 'server', status: 500, retryable: true });
    expect(words(h.store.bootError.value)).toBe(en.errors.server);
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

describe('destroy', () => {
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
