import { describe, expect, it, vi } from 'vitest';
import { en } from '../../../src/i18n/strings.ts';
import {
  CONVERSATION_KEY,
  ids,
  A1,
  A2,
  A3,
  makeConfig,
  setup,
  booted,
  returning,
  ask,
  lastTurn,
  lastCall,
  recordWrites,
  heard,
} from './harness.ts';
import { apiError, createFakeApi, errorEvent, idle, messageEndEvent, messageEvent, parametersFixture } from './fake-api.ts';

/** Asking and streaming (answer-stream.ts): the request, the answer, stop, the retrying notice, destroy. */

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
    expect(heard(h.store)).toBe('answer to Hello');
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
    const writes = recordWrites(() => heard(h.store));
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
    expect(heard(h.store)).toBe(`${en.stopped}. Once upon a time`);
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
});
