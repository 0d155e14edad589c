import { afterEach, describe, expect, it } from 'vitest';
import { type Console, startConsole } from './console-helpers.ts';
import { names, readAll } from './helpers.ts';

/** The mock's /v1: Dify's service API with a secret key and the caller's `user`. */

let c: Console;
afterEach(async () => c?.server.close());

async function streamed(key: string, path: string, body: unknown) {
  const res = await fetch(`${c.server.url}/v1${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return (await readAll(res)).events;
}

describe('service API', () => {
  it('checks the Authorization header as Dify does', async () => {
    c = await startConsole();
    const bare = await fetch(`${c.server.url}/v1/info`);
    expect(await bare.json()).toEqual({
      code: 'unauthorized',
      message: "Authorization header must be provided and start with 'Bearer'",
      status: 401,
    });
    const basic = await fetch(`${c.server.url}/v1/info`, { headers: { Authorization: 'Basic abc' } });
    expect(((await basic.json()) as { message: string }).message).toBe("Authorization scheme must be 'Bearer'");
    expect((await c.v1('app-NotARealKeyAtAll0000000', 'GET', '/info')).json.message).toBe('Access token is invalid');
  });

  it('chat-messages, blocking and streaming, then history, feedback, suggestions, rename, delete', async () => {
    c = await startConsole();
    const key = await c.newKey('demo-chat');
    const blocking = await c.v1(key, 'POST', '/chat-messages', { inputs: {}, query: 'first', user: 'ann', response_mode: 'blocking' });
    expect(blocking.json).toMatchObject({ event: 'message', mode: 'chat' });
    expect(blocking.json.answer).toContain('You asked: “first”');
    const conversationId = blocking.json.conversation_id as string;
    const events = await streamed(key, '/chat-messages', {
      inputs: {},
      query: 'second',
      user: 'ann',
      response_mode: 'streaming',
      conversation_id: conversationId,
    });
    expect(names(events).at(-1)).toBe('message_end');
    expect(events.every((e) => e.conversation_id === conversationId)).toBe(true);

    const history = (await c.v1(key, 'GET', `/messages?user=ann&conversation_id=${conversationId}`)).json;
    expect(history.data.map((m: { query: string }) => m.query)).toEqual(['first', 'second']);
    const messageId = history.data[1].id as string;
    expect((await c.v1(key, 'POST', `/messages/${messageId}/feedbacks`, { rating: 'like', user: 'ann' })).json).toEqual({
      result: 'success',
    });
    expect((await c.v1(key, 'GET', `/messages?user=ann&conversation_id=${conversationId}`)).json.data[1].feedback).toEqual({
      rating: 'like',
    });
    expect((await c.v1(key, 'GET', `/messages/${messageId}/suggested?user=ann`)).json.data).toHaveLength(3);
    const renamed = await c.v1(key, 'POST', `/conversations/${conversationId}/name`, { name: 'Renamed', user: 'ann' });
    expect(renamed.json.name).toBe('Renamed');
    // Another user sees none of it.
    expect((await c.v1(key, 'GET', '/conversations?user=bob')).json.data).toHaveLength(0);
    expect((await c.v1(key, 'POST', `/messages/${messageId}/feedbacks`, { rating: 'like', user: 'bob' })).status).toBe(404);
    expect((await c.v1(key, 'DELETE', `/conversations/${conversationId}`, { user: 'ann' })).status).toBe(204);
    expect((await c.v1(key, 'GET', '/conversations?user=ann')).json.data).toHaveLength(0);
  });

  it('stop ends a running stream, only for its own user', async () => {
    c = await startConsole({ tokenDelayMs: 40 });
    const key = await c.newKey('demo-chat');
    const res = await fetch(`${c.server.url}/v1/chat-messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ inputs: {}, query: 'a long answer please', user: 'ann', response_mode: 'streaming' }),
    });
    const reading = readAll(res);
    let taskId = '';
    for (let i = 0; i < 50 && !taskId; i++) {
      const state = (await (await fetch(`${c.server.url}/__mock/state`)).json()) as { runningTasks: string[] };
      taskId = state.runningTasks[0] ?? '';
      if (!taskId) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(taskId).not.toBe('');
    expect((await c.v1(key, 'POST', `/chat-messages/${taskId}/stop`, { user: 'bob' })).json).toEqual({ result: 'success' });
    expect((await c.v1(key, 'POST', `/chat-messages/${taskId}/stop`, { user: 'ann' })).json).toEqual({ result: 'success' });
    const { events } = await reading;
    const text = events
      .filter((e) => e.event === 'message')
      .map((e) => e.answer)
      .join('');
    expect(names(events).at(-1)).toBe('message_end');
    expect(text.length).toBeLessThan(600);
  });

  it('needs a user where Dify does', async () => {
    c = await startConsole();
    const key = await c.newKey('demo-chat');
    const missing = await c.v1(key, 'POST', '/chat-messages', { inputs: {}, query: 'hi' });
    expect(missing.json).toEqual({ code: 'invalid_param', message: 'user is required', status: 400 });
    expect((await c.v1(key, 'GET', '/conversations')).json.message).toBe('user is required');
    // App-wide reads need none.
    expect((await c.v1(key, 'GET', '/parameters')).json.user_input_form).toBeInstanceOf(Array);
    expect((await c.v1(key, 'GET', '/site')).json.title).toBe('Acme Support (chat)');
    expect((await c.v1(key, 'GET', '/info')).json).toMatchObject({ name: 'Acme Support (chat)', mode: 'chat', tags: [] });
    expect((await c.v1(key, 'GET', '/meta')).json).toHaveProperty('tool_icons');
  });

  it('completion and workflow apps have their own routes; the wrong route says so', async () => {
    c = await startConsole();
    const completion = (await c.call('POST', '', { name: 'Writer', mode: 'completion' })).json.id as string;
    const workflow = (await c.call('POST', '', { name: 'Flow', mode: 'workflow' })).json.id as string;
    const completionKey = await c.newKey(completion);
    const workflowKey = await c.newKey(workflow);

    const completionEvents = await streamed(completionKey, '/completion-messages', {
      inputs: { query: 'a haiku' },
      user: 'ann',
      response_mode: 'streaming',
    });
    expect(names(completionEvents).at(-1)).toBe('message_end');
    expect(completionEvents.every((e) => !('conversation_id' in e))).toBe(true);
    const blocking = await c.v1(completionKey, 'POST', '/completion-messages', { inputs: {}, query: 'a haiku', user: 'ann' });
    expect(blocking.json.answer).toContain('a haiku');

    const workflowEvents = await streamed(workflowKey, '/workflows/run', {
      inputs: { query: 'report' },
      user: 'ann',
      response_mode: 'streaming',
    });
    expect(names(workflowEvents)[0]).toBe('workflow_started');
    expect(names(workflowEvents)).toContain('text_chunk');
    const finished = workflowEvents.at(-1)!;
    expect(finished.event).toBe('workflow_finished');
    expect((finished.data as { status: string; outputs: { text: string } }).outputs.text).toContain('report');
    const run = await c.v1(workflowKey, 'POST', '/workflows/run', { inputs: {}, user: 'ann', response_mode: 'blocking' });
    expect(run.json.data.status).toBe('succeeded');

    expect((await c.v1(workflowKey, 'POST', '/chat-messages', { inputs: {}, query: 'x', user: 'ann' })).json).toEqual({
      code: 'not_chat_app',
      message: 'Please check if your app mode matches the right API route.',
      status: 400,
    });
    expect((await c.v1(workflowKey, 'POST', '/completion-messages', { inputs: {}, user: 'ann' })).json.code).toBe('not_completion_app');
    expect((await c.v1(completionKey, 'POST', '/workflows/run', { inputs: {}, user: 'ann' })).json.code).toBe('not_workflow_app');
  });

  it('uploads a file for a user', async () => {
    c = await startConsole();
    const key = await c.newKey('demo-chat');
    const form = new FormData();
    form.append('user', 'ann');
    form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'note.txt');
    const res = await fetch(`${c.server.url}/v1/files/upload`, { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: form });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: 'note.txt', size: 5, extension: 'txt' });
  });
});
