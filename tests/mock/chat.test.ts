import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hugeAnswer } from '../../demo/server/answer-texts.ts';
import type { MockServer } from '../../demo/server/server.ts';
import { admin, client, type Client, type Ev, names, passport, readAll, settings, SseReader, start, UUID_RE } from './helpers.ts';

let server: MockServer;
let base: string;
let chat: Client;
let agent: Client;
let flow: Client;

beforeAll(async () => {
  server = await start();
  base = server.url;
  chat = client(base, await passport(base, 'demo-chat', 'u-chat'));
  agent = client(base, await passport(base, 'demo-agent', 'u-agent'));
  flow = client(base, await passport(base, 'demo-flow', 'u-flow'));
});
afterAll(() => server.close());
beforeEach(() => settings(base, { tokenDelayMs: 0, chatflowOrder: 'v1.12', legacyJson: false, splitChunks: false }));

const errorOf = async (res: Response): Promise<{ code: string; message: string; status: number }> =>
  (await res.json()) as { code: string; message: string; status: number };

describe('POST /api/chat-messages request checks (docs/PROTOCOL.md §2.4)', () => {
  it('body not JSON → 400 bad_request', async () => {
    const res = await chat.post('/api/chat-messages', 'not json');
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toEqual({
      code: 'bad_request',
      message: 'Invalid JSON payload received or JSON payload is empty.',
      status: 400,
    });
    expect((await chat.post('/api/chat-messages', '')).status).toBe(400);
  });

  it('inputs missing → 400 invalid_param (pydantic)', async () => {
    const res = await chat.post('/api/chat-messages', { query: 'hi' });
    expect(res.status).toBe(400);
    const err = await errorOf(res);
    expect(err.code).toBe('invalid_param');
    expect(err.message).toContain('inputs');
    expect(err.message).toContain('Field required');
  });

  it('empty query → "query is required"', async () => {
    const res = await chat.post('/api/chat-messages', { inputs: {}, query: '' });
    expect(await errorOf(res)).toEqual({ code: 'invalid_param', message: 'query is required', status: 400 });
  });

  it('required input missing, too long, select not in options', async () => {
    const missing = await errorOf(await flow.post('/api/chat-messages', { inputs: {}, query: 'hi' }));
    expect(missing).toEqual({ code: 'invalid_param', message: 'topic is required in input form', status: 400 });
    const long = await errorOf(await flow.post('/api/chat-messages', { inputs: { topic: 'x'.repeat(49) }, query: 'hi' }));
    expect(long.message).toBe('topic in input form must be less than 48 characters');
    const select = await errorOf(await flow.post('/api/chat-messages', { inputs: { topic: 'tea', tone: 'angry' }, query: 'hi' }));
    expect(select.message).toBe("tone in input form must be one of the following: ['friendly', 'formal', 'playful']");
    const notString = await errorOf(await flow.post('/api/chat-messages', { inputs: { topic: 5 }, query: 'hi' }));
    expect(notString.message).toBe("(type 'text-input') topic in input form must be a string");
  });

  it('conversation_id not a uuid → invalid_param; unknown → 404', async () => {
    const bad = await errorOf(await chat.post('/api/chat-messages', { inputs: {}, query: 'hi', conversation_id: 'abc' }));
    expect(bad).toEqual({ code: 'invalid_param', message: 'abc is not a valid uuid.', status: 400 });
    const unknown = await chat.post('/api/chat-messages', {
      inputs: {},
      query: 'hi',
      conversation_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toEqual({ code: 'not_found', message: 'Conversation Not Exists.', status: 404 });
  });

  it("another end user's conversation looks unknown", async () => {
    const { events } = await readAll(await chat.chat({ query: 'mine' }));
    const conversationId = events[0]!.conversation_id as string;
    const other = client(base, await passport(base, 'demo-chat', 'someone-else'));
    const res = await other.chat({ query: 'yours?', conversation_id: conversationId });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).message).toBe('Conversation Not Exists.');
  });
});

describe('chat app stream (docs/PROTOCOL.md §3, §6.4)', () => {
  it('frames data events with the wrapper key order and one created_at', async () => {
    const res = await chat.chat({ query: 'Hello there', inputs: { name: 'Ann' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const { events, reader } = await readAll(res);
    const order = names(events);
    expect(order.at(-1)).toBe('message_end');
    expect(order.slice(0, -1).every((n) => n === 'message')).toBe(true);
    expect(reader.raw).toMatch(/^data: \{"event":"message","conversation_id":/);
    expect(reader.raw.endsWith('}\n\n')).toBe(true);
    for (const e of events) {
      expect(Object.keys(e).slice(0, 5)).toEqual(['event', 'conversation_id', 'message_id', 'created_at', 'task_id']);
    }
    expect(Object.keys(events[0]!)).toEqual([
      'event',
      'conversation_id',
      'message_id',
      'created_at',
      'task_id',
      'id',
      'answer',
      'from_variable_selector',
    ]);
    expect(new Set(events.map((e) => e.created_at)).size).toBe(1);
    expect(new Set(events.map((e) => e.task_id)).size).toBe(1);
    expect(events[0]!.conversation_id).toMatch(UUID_RE);
    const answer = events
      .filter((e) => e.event === 'message')
      .map((e) => e.answer)
      .join('');
    expect(answer).toContain('You asked: “Hello there”');
    const end = events.at(-1)!;
    expect(Object.keys(end)).toEqual(['event', 'conversation_id', 'message_id', 'created_at', 'task_id', 'id', 'metadata', 'files']);
    const metadata = end.metadata as Record<string, any>;
    expect(metadata.annotation_reply).toBeNull();
    expect(metadata.retriever_resources).toEqual([]);
    expect(typeof metadata.usage.prompt_price).toBe('string');
    expect(metadata.usage.currency).toBe('USD');
    expect(end.files).toBeNull();
  });

  it('streams tokens of a few words, raw UTF-8, for cjk', async () => {
    const { events, reader } = await readAll(await chat.chat({ query: 'cjk please' }));
    const answer = events
      .filter((e) => e.event === 'message')
      .map((e) => e.answer as string)
      .join('');
    expect(answer).toContain('你好');
    expect(answer).toContain('👨‍👩‍👧‍👦');
    // Raw UTF-8 on the wire, not \u escapes: each token's text appears as is. (Not '你好' as a
    // whole: the mock's tokens are random, and 你 and 好 may arrive in two events.)
    for (const e of events.filter((x) => x.event === 'message')) expect(reader.raw).toContain(`"answer":${JSON.stringify(e.answer)}`);
    expect(reader.raw).not.toContain('\\u4f60');
    expect(events.length).toBeGreaterThan(10);
  });

  it('citations put two retriever_resources in message_end and in the stored message', async () => {
    const { events } = await readAll(await chat.chat({ query: 'answer with citations' }));
    const resources = (events.at(-1)!.metadata as Record<string, any>).retriever_resources as Record<string, unknown>[];
    expect(resources).toHaveLength(2);
    expect(Object.keys(resources[0]!)).toEqual(
      expect.arrayContaining(['position', 'dataset_id', 'dataset_name', 'document_id', 'document_name', 'segment_id', 'score', 'content']),
    );
    const list = (await (await chat.get(`/api/messages?conversation_id=${events[0]!.conversation_id}`)).json()) as {
      data: Record<string, any>[];
    };
    expect(list.data[0]!.retriever_resources).toHaveLength(2);
    expect(Object.keys(list.data[0]!.retriever_resources[0])).toEqual([
      'id',
      'message_id',
      'position',
      'dataset_id',
      'dataset_name',
      'document_id',
      'document_name',
      'data_source_type',
      'segment_id',
      'score',
      'hit_count',
      'word_count',
      'segment_position',
      'index_node_hash',
      'content',
      'summary',
      'created_at',
    ]);
  });

  it('moderation sends message_replace before message_end', async () => {
    const { events } = await readAll(await chat.chat({ query: 'trigger moderation' }));
    expect(names(events).slice(-2)).toEqual(['message_replace', 'message_end']);
    const replace = events.at(-2)!;
    expect(replace.reason).toBe('output_moderation');
    expect(Object.keys(replace)).toEqual(['event', 'conversation_id', 'message_id', 'created_at', 'task_id', 'answer', 'reason']);
  });

  it('think starts the answer with a <think> block; markdown, long and xss pick their answers', async () => {
    const text = async (query: string): Promise<string> =>
      (await readAll(await chat.chat({ query }))).events
        .filter((e) => e.event === 'message')
        .map((e) => e.answer)
        .join('');
    expect(await text('think first')).toMatch(/^<think>\n[\s\S]+<\/think>\n\n/);
    const md = await text('markdown');
    expect(md).toContain('| Feature | Status | Cost |');
    expect(md).toContain('```ts');
    expect(md).toContain('> ');
    expect((await text('a long answer')).length).toBeGreaterThan(4800);
    const xss = await text('xss');
    for (const needle of ['<script>', 'onerror=', 'javascript:', '&#106;', 'data:text/html', '<svg onload']) expect(xss).toContain(needle);
  });

  it('huge: about 50,000 characters of markdown with tables and fenced code, the same every time', async () => {
    const text = async (query: string): Promise<string> =>
      (await readAll(await chat.chat({ query }))).events
        .filter((e) => e.event === 'message')
        .map((e) => e.answer)
        .join('');
    const huge = await text('a huge answer');
    expect(huge.length).toBeGreaterThanOrEqual(50_000);
    expect(huge.length).toBeLessThan(52_000);
    expect(huge.match(/^\| Metric \| Median \| Status \| Runs \|$/gm)?.length).toBeGreaterThan(15);
    expect(huge).toContain('```ts\n');
    expect(huge).toContain('```python\n');
    expect(huge).toBe(hugeAnswer());
  });

  it('annotation keyword: one event per character and annotation_reply', async () => {
    const { events } = await readAll(await chat.chat({ query: 'annotation' }));
    const messages = events.filter((e) => e.event === 'message');
    expect(messages.every((e) => Array.from(e.answer as string).length === 1)).toBe(true);
    expect((events.at(-1)!.metadata as Record<string, any>).annotation_reply).toEqual(
      expect.objectContaining({ account: expect.any(Object) }),
    );
  });

  it('blocking mode returns one JSON body', async () => {
    const res = await chat.post('/api/chat-messages', { inputs: {}, query: 'block me', response_mode: 'blocking' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'event',
      'task_id',
      'id',
      'message_id',
      'conversation_id',
      'mode',
      'answer',
      'metadata',
      'created_at',
    ]);
    expect(body.mode).toBe('chat');
    expect(body.answer).toContain('You asked: “block me”');
    // Absent response_mode means blocking too.
    const implicit = await chat.post('/api/chat-messages', { inputs: {}, query: 'x' });
    expect(implicit.headers.get('content-type')).toBe('application/json');
  });

  it('names the new conversation query[:20] + "…"', async () => {
    const { events } = await readAll(await chat.chat({ query: 'A question that is definitely longer than twenty' }));
    const list = (await (await chat.get('/api/conversations?limit=100')).json()) as { data: { id: string; name: string }[] };
    expect(list.data.find((c) => c.id === events[0]!.conversation_id)!.name).toBe('A question that is d…');
    const short = await readAll(await chat.chat({ query: 'Short one' }));
    const list2 = (await (await chat.get('/api/conversations?limit=100')).json()) as { data: { id: string; name: string }[] };
    expect(list2.data.find((c) => c.id === short.events[0]!.conversation_id)!.name).toBe('Short one');
  });
});

describe('agent app stream (docs/PROTOCOL.md §6.5)', () => {
  it('tool round then answer, thoughts re-emitted by id', async () => {
    const { events } = await readAll(await agent.chat({ query: 'what time is it?' }));
    const order = names(events);
    expect(order.slice(0, 4)).toEqual(['agent_thought', 'agent_thought', 'agent_thought', 'agent_thought']);
    expect(order.at(-1)).toBe('message_end');
    expect(order.at(-2)).toBe('agent_thought');
    expect(order.slice(4, -2).every((n) => n === 'agent_message')).toBe(true);
    const [t1, t1b, t1c, t2] = events as [Ev, Ev, Ev, Ev];
    expect(t1.id).toBe(t1b.id);
    expect(t1.id).toBe(t1c.id);
    expect(t1.position).toBe(1);
    expect(t1.tool).toBe('');
    expect(t1b.tool).toBe('current_time');
    expect(t1b.tool_input).toBe('{"current_time": {"timezone": "UTC"}}');
    expect(t1b.tool_labels).toEqual({ current_time: { en_US: 'Current Time', zh_Hans: '获取当前时间' } });
    expect(t1c.observation).toMatch(/^\{"current_time": "\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"\}$/);
    expect(t2.position).toBe(2);
    expect(t2.id).not.toBe(t1.id);
    const final = events.at(-2)!;
    const answer = events
      .filter((e) => e.event === 'agent_message')
      .map((e) => e.answer)
      .join('');
    expect(final.id).toBe(t2.id);
    expect(final.thought).toBe(answer);
    expect(Object.keys(t1)).toEqual([
      'event',
      'conversation_id',
      'message_id',
      'created_at',
      'task_id',
      'id',
      'position',
      'thought',
      'observation',
      'tool',
      'tool_labels',
      'tool_input',
      'message_files',
    ]);
  });

  it('"image" adds a message_file with a servable PNG, and history keeps thoughts and files', async () => {
    const { events } = await readAll(await agent.chat({ query: 'draw an image' }));
    const order = names(events);
    expect(order.slice(0, 5)).toEqual(['agent_thought', 'agent_thought', 'message_file', 'agent_thought', 'agent_thought']);
    const file = events[2]!;
    expect(Object.keys(file)).toEqual([
      'event',
      'conversation_id',
      'message_id',
      'created_at',
      'task_id',
      'id',
      'type',
      'belongs_to',
      'url',
    ]);
    expect(file.type).toBe('image');
    expect(file.belongs_to).toBe('assistant');
    expect(file.url).toMatch(/^\/files\/tools\/[0-9a-f-]+\.png\?timestamp=\d+&nonce=\w+&sign=/);
    expect(events[3]!.message_files).toEqual([file.id]);
    const png = await fetch(`${base}${file.url as string}`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));

    const list = (await (await agent.get(`/api/messages?conversation_id=${file.conversation_id}`)).json()) as {
      data: Record<string, any>[];
    };
    const msg = list.data[0]!;
    expect(msg.agent_thoughts).toHaveLength(2);
    expect(msg.agent_thoughts[0].files).toEqual([file.id]);
    expect(msg.message_files).toEqual([
      expect.objectContaining({ id: file.id, type: 'image', belongs_to: 'assistant', transfer_method: 'tool_file' }),
    ]);
    expect(msg.answer).toBe(
      events
        .filter((e) => e.event === 'agent_message')
        .map((e) => e.answer)
        .join(''),
    );
  });
});

describe('chatflow stream (docs/PROTOCOL.md §6.6)', () => {
  const skeleton = (events: Ev[]): string[] =>
    events
      .filter((e) => e.event !== 'message')
      .map((e) => (e.data && (e.data as any).node_type ? `${e.event}:${(e.data as any).node_type}` : e.event));

  it('1.12.1 order: workflow_finished then message_end', async () => {
    const { events } = await readAll(await flow.chat({ query: 'overview', inputs: { topic: 'tea' } }));
    expect(skeleton(events)).toEqual([
      'workflow_started',
      'node_started:start',
      'node_finished:start',
      'node_started:llm',
      'node_finished:llm',
      'node_started:answer',
      'node_finished:answer',
      'workflow_finished',
      'message_end',
    ]);
    const started = events[0]!;
    expect(Object.keys(started)).toEqual(['event', 'conversation_id', 'message_id', 'created_at', 'task_id', 'workflow_run_id', 'data']);
    const inputs = (started.data as any).inputs;
    expect(inputs.topic).toBe('tea');
    expect(inputs['sys.user_id']).toBe('u-flow');
    expect(inputs['sys.query']).toBe('overview');
    const messages = events.filter((e) => e.event === 'message');
    expect(messages.length).toBeGreaterThan(1);
    expect(messages[0]!.from_variable_selector).toEqual(['llm', 'text']);
    const finished = events.at(-2)!;
    expect((finished.data as any).status).toBe('succeeded');
    expect((finished.data as any).created_by).toEqual({ id: expect.stringMatching(UUID_RE), user: 'u-flow' });
    expect(events.at(-1)!.files).toEqual([]);
  });

  it('newest order: leading ping, X-Workflow-Run-ID, message_end then workflow_finished', async () => {
    await settings(base, { chatflowOrder: 'newest' });
    const res = await flow.chat({ query: 'overview', inputs: { topic: 'tea' } });
    const runId = res.headers.get('x-workflow-run-id');
    expect(runId).toMatch(UUID_RE);
    const { events, reader } = await readAll(res);
    expect(reader.blocks[0]).toBe('ping');
    expect(names(events).slice(-2)).toEqual(['message_end', 'workflow_finished']);
    expect(events[0]!.workflow_run_id).toBe(runId);
  });

  it('iterate adds iteration events', async () => {
    const { events } = await readAll(await flow.chat({ query: 'iterate', inputs: { topic: 'tea' } }));
    const order = names(events);
    expect(order.filter((n) => n === 'iteration_next')).toHaveLength(3);
    expect(order.indexOf('iteration_started')).toBeLessThan(order.indexOf('iteration_completed'));
    const inner = events.find((e) => e.event === 'node_started' && (e.data as any).node_type === 'code')!;
    expect((inner.data as any).iteration_id).toBe((events.find((e) => e.event === 'iteration_started')!.data as any).id);
  });

  it('fail: node_finished failed → workflow_finished failed → error, no message_end; stored as error', async () => {
    const { events } = await readAll(await flow.chat({ query: 'please fail', inputs: { topic: 'tea' } }));
    const tail = events.filter((e) => e.event !== 'message').slice(-3);
    expect(tail.map((e) => e.event)).toEqual(['node_finished', 'workflow_finished', 'error']);
    expect((tail[0]!.data as any).status).toBe('failed');
    expect((tail[1]!.data as any).status).toBe('failed');
    const error = tail[2]!;
    expect(Object.keys(error)).toEqual(['event', 'conversation_id', 'message_id', 'created_at', 'code', 'status', 'message']);
    expect(error.code).toBe('invalid_param');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^Run failed: /);
    expect(names(events)).not.toContain('message_end');
    const list = (await (await flow.get(`/api/messages?conversation_id=${error.conversation_id}`)).json()) as {
      data: Record<string, any>[];
    };
    expect(list.data[0]!.status).toBe('error');
    expect(list.data[0]!.error).toBe(error.message);
  });

  it('reasoning emits reasoning_chunk events ending with is_final', async () => {
    const { events } = await readAll(await flow.chat({ query: 'show your reasoning', inputs: { topic: 'tea' } }));
    const chunks = events.filter((e) => e.event === 'reasoning_chunk');
    expect(chunks.length).toBeGreaterThan(1);
    expect((chunks.at(-1)!.data as any).is_final).toBe(true);
    expect(Object.keys(chunks[0]!.data as object)).toEqual(['message_id', 'reasoning', 'node_id', 'is_final']);
  });

  it('existing conversations keep their inputs and skip form validation', async () => {
    const first = await readAll(await flow.chat({ query: 'one', inputs: { topic: 'tea', tone: 'formal' } }));
    const conversationId = first.events[0]!.conversation_id as string;
    const second = await readAll(await flow.chat({ query: 'two', inputs: {}, conversation_id: conversationId }));
    expect(((second.events[0]!.data as any).inputs as Record<string, unknown>).topic).toBe('tea');
    expect((second.events[0]!.data as any).inputs['sys.dialogue_count']).toBe(2);
  });
});

describe('stop (docs/PROTOCOL.md §2.5)', () => {
  it('always answers 200 success, even for unknown tasks', async () => {
    const res = await chat.post('/api/chat-messages/unknown-task/stop');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ result: 'success' });
  });

  it('stops a chat stream with a partial message_end; stored with the partial answer', async () => {
    await settings(base, { tokenDelayMs: 15 });
    const reader = new SseReader(await chat.chat({ query: 'a long answer' }));
    const first = (await reader.next())!;
    expect((await chat.post(`/api/chat-messages/${first.task_id as string}/stop`)).status).toBe(200);
    const rest = await reader.all();
    const events = [first, ...rest];
    expect(events.at(-1)!.event).toBe('message_end');
    const answer = events
      .filter((e) => e.event === 'message')
      .map((e) => e.answer)
      .join('');
    expect(answer.length).toBeLessThan(4000);
    const list = (await (await chat.get(`/api/messages?conversation_id=${first.conversation_id}`)).json()) as {
      data: Record<string, any>[];
    };
    expect(list.data[0]!.answer).toBe(answer);
    expect(list.data[0]!.status).toBe('normal');
  });

  it("another user's stop does nothing", async () => {
    await settings(base, { tokenDelayMs: 2 });
    const reader = new SseReader(await chat.chat({ query: 'a long answer' }));
    const first = (await reader.next())!;
    const other = client(base, await passport(base, 'demo-chat', 'intruder'));
    expect((await other.post(`/api/chat-messages/${first.task_id as string}/stop`)).status).toBe(200);
    const rest = await reader.all();
    const answer = [first, ...rest]
      .filter((e) => e.event === 'message')
      .map((e) => e.answer)
      .join('');
    expect(answer.length).toBeGreaterThan(4800);
  });

  it('stops a chatflow: workflow_finished(stopped) then message_end', async () => {
    await settings(base, { tokenDelayMs: 15 });
    const reader = new SseReader(await flow.chat({ query: 'a long answer', inputs: { topic: 'tea' } }));
    let e = await reader.next();
    while (e && e.event !== 'message') e = await reader.next();
    await flow.post(`/api/chat-messages/${e!.task_id as string}/stop`);
    const rest = await reader.all();
    const tail = rest.filter((x) => x.event !== 'message').slice(-2);
    expect(tail.map((x) => x.event)).toEqual(['workflow_finished', 'message_end']);
    expect((tail[0]!.data as any).status).toBe('stopped');
  });

  it('the server lists the running task while streaming', async () => {
    await settings(base, { tokenDelayMs: 10 });
    const reader = new SseReader(await chat.chat({ query: 'a long answer' }));
    const first = (await reader.next())!;
    const state = (await (await admin(base, 'GET', '/state')).json()) as { runningTasks: string[] };
    expect(state.runningTasks).toContain(first.task_id);
    await chat.post(`/api/chat-messages/${first.task_id as string}/stop`);
    await reader.all();
  });
});
