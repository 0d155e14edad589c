import { describe, expect, it } from 'vitest';
import { en } from '../../../src/i18n/strings.ts';
import { CONVERSATION_KEY, ids, A1, A2, A3, booted, ask, lastTurn, lastCall, words, heard } from './harness.ts';
import { answerEvents, apiError, createFakeApi, errorEvent, historyItem, idle, MemoryStorage, messageEvent } from './fake-api.ts';

/** When a question gets no answer or its answer ends early: what the store keeps (answer-stream.ts, failure.ts). */

describe('failures', () => {
  it('an error before any event keeps the question with a failure', async () => {
    const h = await booted();
    h.api.queueChat({ reject: apiError('server', 'Internal Server Error', { status: 500 }) });
    h.actions.send('Hello');
    await idle();
    expect(h.store.live.value).toBeNull();
    const turn = lastTurn(h.store);
    expect(turn.query).toBe('Hello');
    // Data, not a sentence: the view words it in the visitor's language.
    expect(turn.failure).toEqual({
      kind: 'server',
      serverMessage: 'Internal Server Error',
      status: 500,
      retryable: true,
      duringAnswer: false,
    });
    expect(words(turn.failure)).toBe(en.errors.server);
    expect(turn.streamError).toBeNull();
    expect(turn.answer.text).toBe('');
    expect(turn.variants).toEqual([]);
    expect(heard(h.store)).toBe(en.errors.server);
  });

  it.each([
    ['invalid-input', 'name is required in input form', `${en.errors['invalid-input']} name is required in input form`, true],
    ['model-error', 'Rate limit reached for gpt-4o', `${en.errors['model-error']} Rate limit reached for gpt-4o`, true],
    ['model-error', '', en.errors['model-error'], true],
    ['not-configured', 'Provider not initialized', en.errors['not-configured'], false],
    ['unavailable', 'App unavailable, please check your app configurations.', en.errors.unavailable, false],
    ['busy', 'Too many requests.', en.errors.busy, true],
  ] as const)(
    '%s: the words come from strings.errors (server text only where it helps, and only when there is one)',
    async (kind, serverText, message, retryable) => {
      const h = await booted();
      h.api.queueChat({ reject: apiError(kind, serverText, { status: 400 }) });
      h.actions.send('Hello');
      await idle();
      const { failure } = lastTurn(h.store);
      expect(failure).toEqual({ kind, serverMessage: serverText, status: 400, retryable, duringAnswer: false });
      expect(words(failure)).toBe(message);
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
      failure: { kind: 'conversation-gone', retryable: false },
    });
    expect(words(lastTurn(h.store).failure)).toBe(en.errors['conversation-gone']);
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
    expect(turn.streamError).toEqual({ kind: 'network', serverMessage: '', status: undefined, retryable: true, duringAnswer: true });
    // Cut off, not "offline": the server had the question (the QA panel's "Cut stream").
    expect(words(turn.streamError)).toBe(en.interrupted);
    expect(heard(h.store)).toBe(en.interrupted);
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
    expect(turn.streamError).toEqual({
      kind: 'model-error',
      serverMessage: 'Model overloaded',
      status: 400,
      retryable: true,
      duringAnswer: true,
    });
    expect(words(turn.streamError)).toBe(`${en.errors['model-error']} Model overloaded`);
    expect(h.api.calls.chat).toHaveLength(1);
  });
});
