import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../../demo/server/server.ts';
import { admin, client, type Client, type Ev, names, passport, readAll, settings, SseReader, start } from './helpers.ts';

/*
 * Each era's chatflow stream (docs/PROTOCOL.md, "Newer releases"): what is sent, in which order, and
 * what the 1.13+ pub/sub subscriber drops after the terminal event.
 */
let server: MockServer;
let base: string;
let flow: Client;

beforeAll(async () => {
  server = await start();
  base = server.url;
  flow = client(base, await passport(base, 'demo-flow', 'era-flow'));
});
afterAll(() => server.close());
beforeEach(() => admin(base, 'POST', '/reset'));

async function setEra(key: string, era: string): Promise<void> {
  const res = await admin(base, 'POST', `/apps/${key}`, { era });
  if (res.status !== 200) throw new Error(`era ${res.status}: ${await res.text()}`);
}

const ask = (query: string, extra: Record<string, unknown> = {}) => flow.chat({ query, inputs: { topic: 'tea' }, ...extra });

/** The stream's skeleton without the text deltas. */
const skeleton = (events: Ev[]): string[] => names(events).filter((n) => n !== 'message');

async function history(conversationId: string): Promise<Record<string, any>[]> {
  const res = await flow.get(`/api/messages?conversation_id=${conversationId}`);
  return ((await res.json()) as { data: Record<string, any>[] }).data;
}

describe('chatflow success per era', () => {
  it('1.12: no leading ping, workflow_finished then message_end, workflow_started without reason', async () => {
    const res = await ask('overview');
    expect(res.headers.get('x-workflow-run-id')).toBeNull();
    const { events, reader } = await readAll(res);
    expect(reader.blocks[0]).not.toBe('ping');
    expect(skeleton(events).slice(-2)).toEqual(['workflow_finished', 'message_end']);
    expect(events[0]!.data).not.toHaveProperty('reason');
    expect(events.at(-1)!.metadata).toHaveProperty('usage');
  });

  it('1.13.0: leading ping, the stream closes at workflow_finished and the trailing message_end is lost (still stored)', async () => {
    await setEra('demo-flow', '1.13.0');
    const res = await ask('overview');
    expect(res.headers.get('x-workflow-run-id')).toBeNull();
    const { events, reader } = await readAll(res);
    expect(reader.blocks[0]).toBe('ping');
    expect(skeleton(events).at(-1)).toBe('workflow_finished');
    expect(names(events)).not.toContain('message_end');
    expect(reader.raw).not.toContain('"message_end"');
    expect((events[0]!.data as Record<string, unknown>).reason).toBe('initial');
    // Dropped on the wire, not skipped: the worker stored the message_end's metadata.
    const [item] = await history(events[0]!.conversation_id as string);
    expect(item!.metadata).toHaveProperty('usage');
    expect(item!.answer).toBe(((events.at(-1)!.data as Record<string, any>).outputs as Record<string, string>).answer);
  });

  it.each(['1.13.1', '1.16'])('%s: message_end then workflow_finished, metadata without usage or annotation_reply', async (era) => {
    await setEra('demo-flow', era);
    const { events, reader } = await readAll(await ask('overview'));
    expect(reader.blocks[0]).toBe('ping');
    expect(skeleton(events).slice(-2)).toEqual(['message_end', 'workflow_finished']);
    const end = events.find((e) => e.event === 'message_end')!;
    expect(end.metadata).toEqual({ retriever_resources: [] });
    expect(end.files).toEqual([]);
  });
});

describe('chatflow failure and stop on the pub/sub stream', () => {
  it('a failed run ends with workflow_finished(failed, error); the error event after it is lost', async () => {
    await setEra('demo-flow', '1.16');
    const { events, reader } = await readAll(await ask('please fail'));
    const last = events.at(-1)!;
    expect(last.event).toBe('workflow_finished');
    expect(last.data).toMatchObject({ status: 'failed', error: expect.stringContaining('Node LLM run failed') });
    expect(names(events)).not.toContain('error');
    expect(reader.raw).not.toContain('"event":"error"');
    const [item] = await history(last.conversation_id as string);
    expect(item!.status).toBe('error');
  });

  it('a stopped run ends with workflow_finished(stopped); its message_end is lost', async () => {
    await setEra('demo-flow', '1.16');
    await settings(base, { tokenDelayMs: 15 });
    const reader = new SseReader(await ask('a long answer'));
    const first = (await reader.next())!;
    let sawMessage = false;
    for (let e = await reader.next(); e; e = await reader.next()) {
      if (e.event !== 'message') continue;
      sawMessage = true;
      break;
    }
    expect(sawMessage).toBe(true);
    await flow.post(`/api/chat-messages/${first.task_id as string}/stop`);
    const rest = await reader.all();
    expect(rest.at(-1)!.event).toBe('workflow_finished');
    expect((rest.at(-1)!.data as Record<string, unknown>).status).toBe('stopped');
    expect(names(rest)).not.toContain('message_end');
  });
});

describe('errors before a 1.13+ chatflow run starts: HTTP 200, a code-less error event, held open by pings', () => {
  beforeEach(() => settings(base, { pingIntervalMs: 20, idleTimeoutMs: 300 }));

  it('a missing required input: ping, {"event":"error","message":…,"status":500}, pings, closed by the idle timeout', async () => {
    await setEra('demo-flow', '1.16');
    const started = Date.now();
    const res = await flow.chat({ query: 'hi', inputs: {} });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const { events, reader } = await readAll(res);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(reader.blocks[0]).toBe('ping');
    expect(reader.blocks[1]).toBe('{"event":"error","message":"topic is required in input form","status":500}');
    expect(events).toHaveLength(1);
    // Pings keep coming after the error, and do not keep the stream alive past the idle timeout.
    expect(reader.blocks.slice(2).length).toBeGreaterThanOrEqual(1);
    expect(reader.blocks.slice(2).every((b) => b === 'ping')).toBe(true);
  });

  it('an unknown conversation: the error message is empty', async () => {
    await setEra('demo-flow', '1.13.0');
    const { events } = await readAll(await ask('hi', { conversation_id: '00000000-0000-4000-8000-000000000000' }));
    expect(events).toEqual([{ event: 'error', message: '', status: 500 }]);
  });

  it('the conversation-gone fault is an in-stream error too; on 1.12 it is the 404 JSON', async () => {
    await setEra('demo-flow', '1.16');
    await admin(base, 'POST', '/faults', { kind: 'conversation-gone' });
    const { events } = await readAll(await ask('hi'));
    expect(events).toEqual([{ event: 'error', message: '', status: 500 }]);
    await setEra('demo-flow', '1.12');
    await admin(base, 'POST', '/faults', { kind: 'conversation-gone' });
    expect((await ask('hi')).status).toBe(404);
  });

  it('stays a 400 JSON on 1.12, for blocking requests, and for chat apps of any era', async () => {
    const missing = { query: 'hi', inputs: {} };
    expect((await flow.chat(missing)).status).toBe(400);
    await setEra('demo-flow', '1.16');
    expect((await flow.chat({ ...missing, response_mode: 'blocking' })).status).toBe(400);
    await setEra('demo-chat', '1.16');
    const chat = client(base, await passport(base, 'demo-chat', 'era-chat'));
    const res = await chat.chat({ query: 'hi', conversation_id: '00000000-0000-4000-8000-000000000000' });
    expect(res.status).toBe(404);
  });
});

describe('per-app era through /__mock', () => {
  it('is listed in state, validated, and reset to apps.json', async () => {
    const state = async () => ((await (await admin(base, 'GET', '/state')).json()) as { apps: Record<string, any>[] }).apps;
    expect((await state()).map((a) => [a.key, a.era])).toEqual([
      ['demo-chat', '1.12'],
      ['demo-agent', '1.12'],
      ['demo-flow', '1.12'],
      ['demo-new-agent', '1.16'],
      ['demo-hitl', '1.16'],
      ['demo-completion', '1.16'],
    ]);
    expect((await admin(base, 'POST', '/apps/demo-flow', { era: '1.14' })).status).toBe(400);
    expect((await admin(base, 'POST', '/apps/demo-new-agent', { era: '1.13.1' })).status).toBe(400);
    expect((await admin(base, 'POST', '/apps/demo-hitl', { era: '1.12' })).status).toBe(400);
    await setEra('demo-flow', '1.13.1');
    expect((await state()).find((a) => a.key === 'demo-flow')!.era).toBe('1.13.1');
    await admin(base, 'POST', '/reset');
    expect((await state()).find((a) => a.key === 'demo-flow')!.era).toBe('1.12');
  });
});
