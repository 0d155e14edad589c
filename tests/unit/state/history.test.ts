import { describe, expect, it } from 'vitest';
import { CONVERSATION_KEY, ids, booted, returning, ask, lastTurn, lastCall } from './harness.ts';
import { apiError, createFakeApi, historyItem, idle, linearHistory, MemoryStorage } from './fake-api.ts';

/** History (history.ts): folding regenerated siblings, paging back. */

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
