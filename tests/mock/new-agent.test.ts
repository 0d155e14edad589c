import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../../demo/server/server.ts';
import { admin, client, type Client, type Ev, names, passport, readAll, settings, SseReader, start } from './helpers.ts';

/* The New Agent app, mode `agent` (Dify 1.15+, shapes of the 1.16 docs). */
let server: MockServer;
let base: string;
let agent: Client;

beforeAll(async () => {
  server = await start();
  base = server.url;
  agent = client(base, await passport(base, 'demo-new-agent', 'new-agent'));
});
afterAll(() => server.close());
beforeEach(() => admin(base, 'POST', '/reset'));

const deltas = (events: Ev[]): string =>
  events
    .filter((e) => e.event === 'agent_message')
    .map((e) => e.answer)
    .join('');

describe('New Agent stream', () => {
  it('agent_thought snapshots by id, agent_message deltas, ONE closing message repeating the answer, then message_end', async () => {
    const { events, reader } = await readAll(await agent.chat({ query: 'what time is it?' }));
    expect(reader.blocks[0]).not.toBe('ping');
    const order = names(events);
    const firstDelta = order.indexOf('agent_message');
    expect(order.slice(0, firstDelta)).toEqual(['agent_thought', 'agent_thought', 'agent_thought', 'agent_thought']);
    expect(order.slice(-2)).toEqual(['message', 'message_end']);
    expect(order.filter((n) => n === 'message')).toHaveLength(1);
    expect(order.slice(firstDelta, -2).every((n) => n === 'agent_message')).toBe(true);

    const thoughts = events.filter((e) => e.event === 'agent_thought');
    expect(new Set(thoughts.map((t) => t.id)).size).toBe(2);
    expect(thoughts[1]!.id).toBe(thoughts[0]!.id);
    expect(thoughts[1]!.thought).toMatch(/check the time/);
    expect(thoughts[3]).toMatchObject({ position: 2, tool: 'current_time', tool_input: '{"current_time": {"timezone": "UTC"}}' });
    expect(thoughts[3]!.observation).toMatch(/^\{"current_time": "\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"\}$/);

    const closing = events.at(-2)!;
    expect(closing.answer).toBe(deltas(events));
    expect(closing.answer).toContain('New Agent');
    const end = events.at(-1)!;
    expect(end.metadata).toEqual({});
    expect(end.files).toBeNull();
  });

  it('history stores the answer once, not the deltas plus the closing repeat', async () => {
    const { events } = await readAll(await agent.chat({ query: 'hello there' }));
    const list = (await (await agent.get(`/api/messages?conversation_id=${events[0]!.conversation_id}`)).json()) as {
      data: Record<string, any>[];
    };
    expect(list.data[0]!.answer).toBe(deltas(events));
    expect(list.data[0]!.agent_thoughts).toHaveLength(2);
    expect(list.data[0]!.extra_contents).toEqual([]);
  });

  it('stopped: the closing message repeats the partial answer', async () => {
    await settings(base, { tokenDelayMs: 15 });
    const reader = new SseReader(await agent.chat({ query: 'a long answer' }));
    const seen: Ev[] = [];
    for (let e = await reader.next(); e; e = await reader.next()) {
      seen.push(e);
      if (e.event === 'agent_message') break;
    }
    await agent.post(`/api/chat-messages/${seen[0]!.task_id as string}/stop`);
    const events = [...seen, ...(await reader.all())];
    expect(names(events).slice(-2)).toEqual(['message', 'message_end']);
    expect(events.at(-2)!.answer).toBe(deltas(events));
    expect(String(events.at(-2)!.answer).length).toBeLessThan(4000);
  });

  it('/api/meta has no tool icons', async () => {
    expect(await (await agent.get('/api/meta')).json()).toEqual({ tool_icons: {} });
  });
});

describe('New Agent errors', () => {
  it('blocking (or no response_mode) → 400 bad_request', async () => {
    for (const body of [
      { inputs: {}, query: 'hi', response_mode: 'blocking' },
      { inputs: {}, query: 'hi' },
    ]) {
      const res = await agent.post('/api/chat-messages', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ code: 'bad_request', message: 'Agent App only supports streaming response mode.', status: 400 });
    }
  });

  it('unpublished: agent_not_published on chat-messages and parameters, the site still answers; publishing again fixes it', async () => {
    expect((await admin(base, 'POST', '/apps/demo-new-agent', { published: false })).status).toBe(200);
    for (const res of [await agent.chat({ query: 'hi' }), await agent.get('/api/parameters')]) {
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('agent_not_published');
    }
    expect((await agent.get('/api/site')).status).toBe(200);
    await admin(base, 'POST', '/apps/demo-new-agent', { published: true });
    expect((await agent.get('/api/parameters')).status).toBe(200);
    expect((await admin(base, 'POST', '/apps/demo-new-agent', { published: 'no' })).status).toBe(400);
  });
});
