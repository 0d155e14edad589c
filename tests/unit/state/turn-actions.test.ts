import { describe, expect, it } from 'vitest';
import { en } from '../../../src/i18n/strings.ts';
import { CONVERSATION_KEY, ids, A1, A2, A3, booted, ask, lastTurn, lastCall, heard } from './harness.ts';
import { apiError, createFakeApi, historyItem, idle, MemoryStorage, messageEvent, parametersFixture } from './fake-api.ts';

/** What the visitor does with turns (turn-actions.ts): regenerate, variants, rating, a new conversation. */

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
    expect(heard(h.store)).toBe(en.feedbackFailed);
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
