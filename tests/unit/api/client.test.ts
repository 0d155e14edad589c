import { describe, expect, it } from 'vitest';
import { createApiClient, toPayload } from '../../../src/api/client.ts';
import { difyError, fakeFetch, json, memoryStorage, sse, type RecordedCall } from './helpers.ts';

const API = 'https://dify.example.com/api';

function client(answer: (call: RecordedCall) => Response = () => json(200, { result: 'success' })) {
  const { fetch, calls } = fakeFetch((call) => (call.path === '/api/passport' ? json(200, { access_token: 'jwt' }) : answer(call)));
  const api = createApiClient({ apiBase: API, appCode: 'abc123', userId: 'u1', storage: memoryStorage(), fetch, sleep: async () => {} });
  const sent = () =>
    calls.filter((c) => c.path !== '/api/passport').map((c) => ({ method: c.method, url: c.url.slice(API.length), body: c.body }));
  return { api, calls, sent };
}

describe('createApiClient endpoints (docs/PROTOCOL.md §2)', () => {
  it('site, parameters, meta are plain GETs', async () => {
    const { api, sent } = client(() => json(200, { ok: true }));
    await api.site();
    await api.parameters();
    await api.meta();
    expect(sent()).toEqual([
      { method: 'GET', url: '/site', body: undefined },
      { method: 'GET', url: '/parameters', body: undefined },
      { method: 'GET', url: '/meta', body: undefined },
    ]);
  });

  it('nothing is fetched on creation', () => {
    const { calls } = client();
    expect(calls).toHaveLength(0);
  });

  it('stop → POST /chat-messages/<task>/stop', async () => {
    const { api, sent } = client();
    await api.stop('task 1');
    expect(sent()).toEqual([{ method: 'POST', url: '/chat-messages/task%201/stop', body: undefined }]);
  });

  it('messages use Dify’s query names', async () => {
    const { api, sent } = client(() => json(200, { limit: 20, has_more: false, data: [] }));
    await expect(api.messages({ conversationId: 'c1', firstId: 'm0', limit: 20 })).resolves.toEqual({
      limit: 20,
      has_more: false,
      data: [],
    });
    await api.messages({ conversationId: 'c1' });
    expect(sent().map((s) => s.url)).toEqual(['/messages?conversation_id=c1&first_id=m0&limit=20', '/messages?conversation_id=c1']);
  });

  it('rename with a name or auto_generate', async () => {
    const { api, sent } = client(() => json(200, { id: 'c1', name: 'Tea' }));
    await expect(api.renameConversation('c1', { name: 'Tea' })).resolves.toEqual({ id: 'c1', name: 'Tea' });
    await api.renameConversation('c1', { autoGenerate: true });
    expect(sent()).toEqual([
      { method: 'POST', url: '/conversations/c1/name', body: { name: 'Tea' } },
      { method: 'POST', url: '/conversations/c1/name', body: { auto_generate: true } },
    ]);
  });

  it('feedback: like, dislike with content, null to remove', async () => {
    const { api, sent } = client();
    await api.feedback('m1', 'like');
    await api.feedback('m1', 'dislike', 'wrong');
    await api.feedback('m1', null);
    expect(sent().map((s) => s.body)).toEqual([{ rating: 'like' }, { rating: 'dislike', content: 'wrong' }, { rating: null }]);
    expect(sent()[0]).toMatchObject({ method: 'POST', url: '/messages/m1/feedbacks' });
  });

  it('suggested questions → the list; feature off → unavailable', async () => {
    const { api } = client(() => json(200, { data: ['q1', 'q2', 3] }));
    await expect(api.suggestedQuestions('m1')).resolves.toEqual(['q1', 'q2']);
    const off = client(() => difyError(403, 'app_suggested_questions_after_answer_disabled', 'Function Suggested questions is disabled.'));
    await expect(off.api.suggestedQuestions('m1')).rejects.toMatchObject({
      kind: 'unavailable',
      code: 'app_suggested_questions_after_answer_disabled',
    });
  });

  it('feedback on a message that is gone → not-found', async () => {
    const { api } = client(() => difyError(404, 'not_found', 'Message Not Exists.'));
    await expect(api.feedback('m1', 'like')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('with a cached passport, chat starts its POST synchronously; without one it mints first', async () => {
    const { api, calls } = client(() => sse(['data: {"event":"message_end","id":"M"}\n\n']));
    const first = api.chat({ query: 'Hi', inputs: {} }, { onEvent: () => {} });
    expect(calls.map((c) => c.path)).toEqual(['/api/passport']); // minted before the first call
    await first;
    expect(calls.map((c) => c.path)).toEqual(['/api/passport', '/api/chat-messages']);
    const second = api.chat({ query: 'Again', inputs: {} }, { onEvent: () => {} });
    expect(calls.map((c) => c.path)).toEqual(['/api/passport', '/api/chat-messages', '/api/chat-messages']);
    await second;
  });

  it('chat streams the official body', async () => {
    const { api, calls } = client(() => sse(['data: {"event":"message_end","id":"M"}\n\n']));
    const events: unknown[] = [];
    await api.chat({ query: 'Hi', inputs: { a: 1 }, conversationId: 'c1', parentMessageId: 'p1' }, { onEvent: (e) => events.push(e) });
    expect(events).toEqual([{ event: 'message_end', id: 'M' }]);
    expect(calls.at(-1)?.body).toEqual({
      response_mode: 'streaming',
      conversation_id: 'c1',
      files: [],
      query: 'Hi',
      inputs: { a: 1 },
      parent_message_id: 'p1',
    });
  });
});

describe('toPayload', () => {
  it('uses "" for a new conversation and null for no parent (§2.4)', () => {
    expect(toPayload({ query: 'q', inputs: {}, conversationId: null })).toEqual({
      response_mode: 'streaming',
      conversation_id: '',
      files: [],
      query: 'q',
      inputs: {},
      parent_message_id: null,
    });
  });
});
