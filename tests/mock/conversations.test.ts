import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../demo/server/server.ts';
import { admin, client, type Client, passport, readAll, start, UUID_RE } from './helpers.ts';

let server: MockServer;
let base: string;

beforeAll(async () => {
  server = await start();
  base = server.url;
});
afterAll(() => server.close());

async function newUser(code = 'demo-chat'): Promise<Client> {
  return client(base, await passport(base, code, `user-${Math.random().toString(36).slice(2)}`));
}

/** Sends a question and returns {conversationId, messageId}. */
async function ask(c: Client, query: string, conversationId = ''): Promise<{ conversationId: string; messageId: string }> {
  const { events } = await readAll(await c.chat({ query, conversation_id: conversationId }));
  return { conversationId: events[0]!.conversation_id as string, messageId: events[0]!.message_id as string };
}

interface Page<T> {
  limit: number;
  has_more: boolean;
  data: T[];
}
type Conv = {
  id: string;
  name: string;
  inputs: Record<string, unknown>;
  status: string;
  introduction: string;
  created_at: number;
  updated_at: number;
};

describe('GET /api/conversations (docs/PROTOCOL.md §2.6)', () => {
  it('lists newest first with the item shape, keyset paging by last_id', async () => {
    const c = await newUser();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await ask(c, `question ${i}`)).conversationId);
    const page1 = (await (await c.get('/api/conversations?limit=2')).json()) as Page<Conv>;
    expect(page1.limit).toBe(2);
    expect(page1.has_more).toBe(true);
    expect(page1.data.map((x) => x.id)).toEqual([ids[4], ids[3]]);
    expect(Object.keys(page1.data[0]!)).toEqual(['id', 'name', 'inputs', 'status', 'introduction', 'created_at', 'updated_at']);
    expect(page1.data[0]!.status).toBe('normal');
    const page2 = (await (await c.get(`/api/conversations?limit=2&last_id=${page1.data[1]!.id}`)).json()) as Page<Conv>;
    expect(page2.data.map((x) => x.id)).toEqual([ids[2], ids[1]]);
    const page3 = (await (await c.get(`/api/conversations?limit=2&last_id=${page2.data[1]!.id}`)).json()) as Page<Conv>;
    expect(page3.data.map((x) => x.id)).toEqual([ids[0]]);
    expect(page3.has_more).toBe(false);
    const asc = (await (await c.get('/api/conversations?sort_by=created_at')).json()) as Page<Conv>;
    expect(asc.data.map((x) => x.id)).toEqual(ids);
  });

  it('a new message moves a conversation to the top', async () => {
    const c = await newUser();
    const a = await ask(c, 'first');
    await ask(c, 'second');
    await ask(c, 'again', a.conversationId);
    const list = (await (await c.get('/api/conversations')).json()) as Page<Conv>;
    expect(list.data[0]!.id).toBe(a.conversationId);
  });

  it('validates limit, last_id, pinned and sort_by', async () => {
    const c = await newUser();
    for (const q of ['limit=0', 'limit=101', 'limit=abc', 'last_id=nope', 'pinned=maybe', 'sort_by=name']) {
      const res = await c.get(`/api/conversations?${q}`);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('invalid_param');
    }
    const res = await c.get('/api/conversations?last_id=00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 'not_found', message: 'Last Conversation Not Exists.', status: 404 });
  });

  it("only shows the end user's own conversations, with the introduction rendered from inputs", async () => {
    const c = await newUser();
    await readAll(await c.chat({ query: 'hi', inputs: { name: 'Ann' } }));
    const other = await newUser();
    expect(((await (await other.get('/api/conversations')).json()) as Page<Conv>).data).toEqual([]);
    const mine = ((await (await c.get('/api/conversations')).json()) as Page<Conv>).data[0]!;
    expect(mine.introduction).toBe('Hi Ann! I am the Acme support bot. How can I help you today?');
    expect(mine.inputs).toEqual({ name: 'Ann' });
  });

  it('pin, unpin and the pinned filter', async () => {
    const c = await newUser();
    const a = await ask(c, 'pin me');
    const b = await ask(c, 'leave me');
    const pin = await c.patch(`/api/conversations/${a.conversationId}/pin`);
    expect(pin.status).toBe(200);
    expect(await pin.json()).toEqual({ result: 'success' });
    const pinned = (await (await c.get('/api/conversations?pinned=true&limit=100')).json()) as Page<Conv>;
    expect(pinned.data.map((x) => x.id)).toEqual([a.conversationId]);
    const unpinned = (await (await c.get('/api/conversations?pinned=false&limit=100')).json()) as Page<Conv>;
    expect(unpinned.data.map((x) => x.id)).toEqual([b.conversationId]);
    await c.patch(`/api/conversations/${a.conversationId}/unpin`);
    expect(((await (await c.get('/api/conversations?pinned=true')).json()) as Page<Conv>).data).toEqual([]);
    expect((await c.patch('/api/conversations/00000000-0000-4000-8000-000000000000/pin')).status).toBe(404);
  });

  it('rename with a name or auto_generate', async () => {
    const c = await newUser();
    const a = await ask(c, 'how do refunds work for damaged items?');
    const named = await c.post(`/api/conversations/${a.conversationId}/name`, { name: 'Refunds' });
    expect(named.status).toBe(200);
    const body = (await named.json()) as Conv;
    expect(body.name).toBe('Refunds');
    expect(Object.keys(body)).toEqual(['id', 'name', 'inputs', 'status', 'introduction', 'created_at', 'updated_at']);
    const auto = (await (await c.post(`/api/conversations/${a.conversationId}/name`, { auto_generate: true })).json()) as Conv;
    expect(auto.name).toBe('How do refunds work for');
    const missing = await c.post(`/api/conversations/${a.conversationId}/name`, { name: '' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toContain('name is required when auto_generate is false');
  });

  it('delete → 204 with an empty body; then unknown', async () => {
    const c = await newUser();
    const a = await ask(c, 'delete me');
    const res = await c.del(`/api/conversations/${a.conversationId}`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect((await c.del(`/api/conversations/${a.conversationId}`)).status).toBe(404);
    expect((await c.get(`/api/messages?conversation_id=${a.conversationId}`)).status).toBe(404);
  });

  it('a non-UUID id in the path is a routing 404', async () => {
    const c = await newUser();
    const res = await c.del('/api/conversations/not-a-uuid');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('not_found');
  });
});

describe('GET /api/messages (docs/PROTOCOL.md §2.7)', () => {
  it('newest `limit` in ascending order, first_id pages backwards, has_more', async () => {
    const c = await newUser();
    const first = await ask(c, 'message 0');
    const ids = [first.messageId];
    for (let i = 1; i < 5; i++) ids.push((await ask(c, `message ${i}`, first.conversationId)).messageId);
    const page1 = (await (await c.get(`/api/messages?conversation_id=${first.conversationId}&limit=2`)).json()) as Page<
      Record<string, any>
    >;
    expect(page1.data.map((m) => m.id)).toEqual([ids[3], ids[4]]);
    expect(page1.has_more).toBe(true);
    expect(page1.limit).toBe(2);
    const page2 = (await (await c.get(`/api/messages?conversation_id=${first.conversationId}&limit=2&first_id=${ids[3]}`)).json()) as Page<
      Record<string, any>
    >;
    expect(page2.data.map((m) => m.id)).toEqual([ids[1], ids[2]]);
    const page3 = (await (await c.get(`/api/messages?conversation_id=${first.conversationId}&limit=2&first_id=${ids[1]}`)).json()) as Page<
      Record<string, any>
    >;
    expect(page3.data.map((m) => m.id)).toEqual([ids[0]]);
    expect(page3.has_more).toBe(false);
    // The official UI sends a stray last_id='' which is ignored.
    expect((await c.get(`/api/messages?conversation_id=${first.conversationId}&limit=20&last_id=`)).status).toBe(200);
  });

  it('item shape', async () => {
    const c = await newUser();
    const a = await ask(c, 'shape please');
    const page = (await (await c.get(`/api/messages?conversation_id=${a.conversationId}`)).json()) as Page<Record<string, any>>;
    const m = page.data[0]!;
    expect(Object.keys(m)).toEqual([
      'id',
      'conversation_id',
      'parent_message_id',
      'inputs',
      'query',
      'answer',
      'feedback',
      'retriever_resources',
      'created_at',
      'agent_thoughts',
      'message_files',
      'status',
      'error',
      'metadata',
    ]);
    expect(m.id).toMatch(UUID_RE);
    expect(m.query).toBe('shape please');
    expect(m.answer).toContain('You asked: “shape please”');
    expect(m.feedback).toBeNull();
    expect(m.status).toBe('normal');
    expect(m.error).toBeNull();
    expect(m.parent_message_id).toBeNull();
    expect(m.metadata.usage.total_tokens).toBeGreaterThan(0);
  });

  it('keeps parent_message_id as sent', async () => {
    const c = await newUser();
    const a = await ask(c, 'root');
    const { events } = await readAll(await c.chat({ query: 'child', conversation_id: a.conversationId, parent_message_id: a.messageId }));
    const page = (await (await c.get(`/api/messages?conversation_id=${a.conversationId}`)).json()) as Page<Record<string, any>>;
    expect(page.data.find((m) => m.id === events[0]!.message_id)!.parent_message_id).toBe(a.messageId);
  });

  it('errors: conversation_id required, unknown conversation, unknown first_id', async () => {
    const c = await newUser();
    const a = await ask(c, 'x');
    const missing = await c.get('/api/messages');
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { code: string }).code).toBe('invalid_param');
    const unknown = await c.get('/api/messages?conversation_id=00000000-0000-4000-8000-000000000000');
    expect(await unknown.json()).toEqual({ code: 'not_found', message: 'Conversation Not Exists.', status: 404 });
    const badFirst = await c.get(`/api/messages?conversation_id=${a.conversationId}&first_id=00000000-0000-4000-8000-000000000000`);
    expect(await badFirst.json()).toEqual({ code: 'not_found', message: 'First Message Not Exists.', status: 404 });
  });
});

describe('feedback and suggested questions (docs/PROTOCOL.md §2.8)', () => {
  it('like / dislike / null semantics', async () => {
    const c = await newUser();
    const a = await ask(c, 'rate me');
    const feedback = (rating: unknown): Promise<Response> => c.post(`/api/messages/${a.messageId}/feedbacks`, { rating, content: 'ok' });
    const current = async (): Promise<unknown> =>
      ((await (await c.get(`/api/messages?conversation_id=${a.conversationId}`)).json()) as Page<Record<string, any>>).data[0]!.feedback;
    const none = await feedback(null);
    expect(none.status).toBe(400);
    expect(await none.json()).toEqual({ code: 'invalid_param', message: 'rating cannot be None when feedback not exists', status: 400 });
    const like = await feedback('like');
    expect(like.status).toBe(200);
    expect(await like.json()).toEqual({ result: 'success' });
    expect(await current()).toEqual({ rating: 'like' });
    await feedback('dislike');
    expect(await current()).toEqual({ rating: 'dislike' });
    expect((await feedback(null)).status).toBe(200);
    expect(await current()).toBeNull();
    expect((await feedback('love')).status).toBe(400);
    const unknown = await c.post('/api/messages/00000000-0000-4000-8000-000000000000/feedbacks', { rating: 'like' });
    expect(await unknown.json()).toEqual({ code: 'not_found', message: 'Message Not Exists.', status: 404 });
  });

  it('suggested questions: 3 on demo-chat, 403 where the feature is off', async () => {
    const c = await newUser();
    const a = await ask(c, 'suggest something');
    const res = await c.get(`/api/messages/${a.messageId}/suggested-questions`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: string[] };
    expect(body.data).toHaveLength(3);
    const agent = await newUser('demo-agent');
    const b = await ask(agent, 'hello');
    const off = await agent.get(`/api/messages/${b.messageId}/suggested-questions`);
    expect(off.status).toBe(403);
    expect(await off.json()).toEqual({
      code: 'app_suggested_questions_after_answer_disabled',
      message: 'Function Suggested questions after answer disabled.',
      status: 403,
    });
    // Switching the feature on through the admin API.
    await admin(base, 'POST', '/apps/demo-agent', { parameters: { suggested_questions_after_answer: { enabled: true } } });
    expect((await agent.get(`/api/messages/${b.messageId}/suggested-questions`)).status).toBe(200);
    await admin(base, 'POST', '/apps/demo-agent', { parameters: { suggested_questions_after_answer: { enabled: false } } });
  });
});
