import { describe, expect, it } from 'vitest';
import { en } from '../../../src/i18n/strings.ts';
import { zhHans } from '../../../src/i18n/zh-hans.ts';
import { failureText } from '../../../src/ui/failure-text.ts';
import { CONVERSATION_KEY, UNANSWERED_KEY, ids, A1, booted, lastTurn, setup, words } from './harness.ts';
import { apiError, createFakeApi, historyItem, idle, linearHistory, MemoryStorage } from './fake-api.ts';

/** What survives a reload (persistence.ts): the unanswered question. */

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
      failure: { kind: 'network', retryable: true, duringAnswer: false },
    });
    expect(words(restored.failure)).toBe(en.errors.network);

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
    expect(restored).toMatchObject({ parentMessageId: 'm1', failure: { kind: 'server', status: 500, retryable: true } });
    expect(words(restored.failure)).toBe(en.errors.server);
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

  it('keeps what failed, not a sentence: after a reload the words are those of the language then in force', async () => {
    const storage = new MemoryStorage();
    const first = await booted({ storage });
    first.api.queueChat({ reject: apiError('invalid-input', 'topic is required', { status: 400 }) });
    first.actions.send('Hello');
    await idle();
    const saved = storage.get(UNANSWERED_KEY) ?? '';
    expect(saved).toContain('topic is required');
    expect(saved).not.toContain(en.errors['invalid-input']);
    first.actions.destroy();

    // Worded when shown, in the language then in force: Chinese, say, once the site's language is known.
    const second = await booted({ storage });
    const { failure } = lastTurn(second.store);
    expect(failureText(failure!, zhHans)).toBe(`${zhHans.errors['invalid-input']} topic is required`);
    expect(words(failure)).toBe(`${en.errors['invalid-input']} topic is required`);
  });

  it("an older release's saved sentence is dropped; its kind is worded anew", async () => {
    const storage = new MemoryStorage();
    storage.set(
      UNANSWERED_KEY,
      JSON.stringify({
        query: 'Old one',
        conversationId: null,
        failure: { kind: 'server', message: 'Stale English text.', retryable: false },
      }),
    );
    const h = await booted({ storage });
    const restored = lastTurn(h.store);
    expect(restored).toMatchObject({ query: 'Old one', failure: { kind: 'server', serverMessage: '', retryable: true } });
    expect(words(restored.failure)).toBe(en.errors.server);
  });

  it('something unreadable in its place is dropped, and the chat starts as usual', async () => {
    const storage = new MemoryStorage();
    storage.set(UNANSWERED_KEY, '{not json');
    const h = setup({ storage });
    await h.actions.boot();
    expect(h.store.boot.value).toBe('ready');
    expect(h.store.turns.value).toEqual([]);
    expect(storage.get(UNANSWERED_KEY)).toBeNull();
  });
});
