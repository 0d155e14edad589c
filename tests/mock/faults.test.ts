import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../../demo/server/server.ts';
import { maskSecret } from '../../demo/server/mask.ts';
import { admin, client, type Client, fault, names, passport, readAll, settings, SseReader, start } from './helpers.ts';

let server: MockServer;
let base: string;
let chat: Client;
let token: string;

beforeAll(async () => {
  server = await start();
  base = server.url;
});
afterAll(() => server.close());
beforeEach(async () => {
  await admin(base, 'POST', '/reset');
  token = await passport(base, 'demo-chat', 'faulty');
  chat = client(base, token);
});

const body = async (res: Response): Promise<Record<string, unknown>> => (await res.json()) as Record<string, unknown>;

describe('fault kinds', () => {
  it('latency delays the first byte', async () => {
    await fault(base, { kind: 'latency', ms: 300 });
    const t0 = Date.now();
    const res = await chat.chat({ query: 'hi' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(res.status).toBe(200);
    await readAll(res);
  });

  it('cut destroys the socket after N events, without message_end; the answer is still stored', async () => {
    await fault(base, { kind: 'cut', afterEvents: 2 });
    const { events } = await readAll(await chat.chat({ query: 'hello there' }));
    expect(events).toHaveLength(2);
    expect(names(events)).not.toContain('message_end');
    await new Promise((r) => setTimeout(r, 100));
    const list = (await body(await chat.get(`/api/messages?conversation_id=${events[0]!.conversation_id}`))) as {
      data: { answer: string }[];
    };
    expect(list.data[0]!.answer).toContain('You asked');
  });

  it('error-event ends the stream with an error event', async () => {
    await fault(base, { kind: 'error-event', afterEvents: 1, code: 'completion_request_error', message: 'boom' });
    const { events } = await readAll(await chat.chat({ query: 'hello' }));
    expect(names(events)).toEqual(['message', 'error']);
    const error = events[1]!;
    expect(Object.keys(error)).toEqual(['event', 'conversation_id', 'message_id', 'created_at', 'code', 'status', 'message']);
    expect(error).toMatchObject({ code: 'completion_request_error', status: 400, message: 'boom' });
    const list = (await body(await chat.get(`/api/messages?conversation_id=${error.conversation_id}`))) as {
      data: { status: string; error: string }[];
    };
    expect(list.data[0]).toMatchObject({ status: 'error', error: 'boom' });
  });

  it('invalid-param answers 400 before the stream', async () => {
    await fault(base, { kind: 'invalid-param', message: 'nope' });
    const res = await chat.chat({ query: 'hi' });
    expect(res.status).toBe(400);
    expect(await body(res)).toEqual({ code: 'invalid_param', message: 'nope', status: 400 });
  });

  it('too-many-requests: 429 by default, 400 invalid_param in the 1.12.1 style, Retry-After optional', async () => {
    const appId = ((await body(await chat.get('/api/site'))) as { app_id: string }).app_id;
    const message = `Too many requests. Please try again later. The current maximum concurrent requests allowed for ${appId} is 1.`;
    await fault(base, { kind: 'too-many-requests', retryAfter: 3 });
    const r429 = await chat.chat({ query: 'hi' });
    expect(r429.status).toBe(429);
    expect(r429.headers.get('retry-after')).toBe('3');
    expect(await body(r429)).toEqual({ code: 'too_many_requests', message, status: 429 });
    await settings(base, { concurrencyErrorStyle: '400' });
    await fault(base, { kind: 'too-many-requests' });
    const r400 = await chat.chat({ query: 'hi' });
    expect(r400.status).toBe(400);
    expect(r400.headers.get('retry-after')).toBeNull();
    expect(await body(r400)).toEqual({ code: 'invalid_param', message, status: 400 });
  });

  it('server-error: 500 Dify JSON, 502/503 proxy HTML', async () => {
    await fault(base, [{ kind: 'server-error' }]);
    const r500 = await chat.chat({ query: 'hi' });
    expect(r500.status).toBe(500);
    expect(await body(r500)).toEqual({ message: 'Internal Server Error', code: 'unknown', status: 500 });
    for (const status of [502, 503]) {
      await fault(base, { kind: 'server-error', status });
      const res = await chat.chat({ query: 'hi' });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('text/html');
      expect(await res.text()).toContain(`${status}`);
    }
  });

  it('html-error: an nginx 502 page', async () => {
    await fault(base, { kind: 'html-error' });
    const res = await chat.chat({ query: 'hi' });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(await res.text()).toContain('<center>nginx');
  });

  it('passport-invalid: one 401 on any protected request, then fine', async () => {
    await fault(base, { kind: 'passport-invalid' });
    const res = await chat.get('/api/parameters');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(await body(res)).toEqual({ code: 'unauthorized', message: 'Invalid token signature.', status: 401 });
    expect((await chat.get('/api/parameters')).status).toBe(200);
  });

  it('conversation-gone and conversation-completed', async () => {
    await fault(base, { kind: 'conversation-gone' });
    expect(await body(await chat.chat({ query: 'hi' }))).toEqual({ code: 'not_found', message: 'Conversation Not Exists.', status: 404 });
    await fault(base, { kind: 'conversation-completed' });
    expect(await body(await chat.chat({ query: 'hi' }))).toEqual({
      code: 'conversation_completed',
      message: 'The conversation has ended. Please start a new conversation.',
      status: 400,
    });
  });

  it('site-disabled: one 400 "Site is disabled.", /api/passport gets 404', async () => {
    await fault(base, { kind: 'site-disabled' });
    expect(await body(await chat.get('/api/site'))).toEqual({ code: 'bad_request', message: 'Site is disabled.', status: 400 });
    expect((await chat.get('/api/site')).status).toBe(200);
    await fault(base, { kind: 'site-disabled' });
    expect((await fetch(`${base}/api/passport`, { headers: { 'X-App-Code': 'demo-chat' } })).status).toBe(404);
  });

  it('stall: headers, then silence (no pings) for ms, then the stream', async () => {
    await settings(base, { pingIntervalMs: 20 });
    await fault(base, { kind: 'stall', ms: 250 });
    const t0 = Date.now();
    const res = await chat.chat({ query: 'hi' });
    expect(res.status).toBe(200);
    const reader = new SseReader(res);
    const first = await reader.next();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(230);
    expect(reader.blocks[0]).not.toBe('ping');
    expect(first!.event).toBe('message');
    await reader.all();
  });

  it('malformed-event: one unparsable data line, then the stream goes on', async () => {
    await fault(base, { kind: 'malformed-event', afterEvents: 1 });
    const { events, reader } = await readAll(await chat.chat({ query: 'hi' }));
    expect(reader.raw).toContain('\n\ndata: {not json\n\n');
    expect(reader.blocks[1]).toBe('{not json');
    expect(events.at(-1)!.event).toBe('message_end');
  });

  it('filters by app, counts times, 0 = until cleared, and logs consumption', async () => {
    await fault(base, { kind: 'invalid-param', app: 'demo-agent', times: 2 });
    expect((await chat.chat({ query: 'hi' })).status).toBe(200);
    const agent = client(base, await passport(base, 'demo-agent'));
    expect((await agent.chat({ query: 'hi' })).status).toBe(400);
    expect((await agent.chat({ query: 'hi' })).status).toBe(400);
    expect((await agent.chat({ query: 'hi' })).status).toBe(200);
    await fault(base, { kind: 'invalid-param', times: 0 });
    for (let i = 0; i < 3; i++) expect((await chat.chat({ query: 'hi' })).status).toBe(400);
    const state = (await body(await admin(base, 'GET', '/state'))) as {
      faults: unknown[];
      consumedFaults: { kind: string; path: string }[];
    };
    expect(state.faults).toHaveLength(1);
    expect(state.consumedFaults.filter((f) => f.kind === 'invalid-param')).toHaveLength(5);
    expect(state.consumedFaults[0]!.path).toBe('/api/chat-messages');
    await admin(base, 'DELETE', '/faults');
    expect((await chat.chat({ query: 'hi' })).status).toBe(200);
  });

  it('path targets other endpoints', async () => {
    await fault(base, { kind: 'server-error', path: '/api/parameters' });
    expect((await chat.get('/api/site')).status).toBe(200);
    expect((await chat.get('/api/parameters')).status).toBe(500);
  });

  it('rejects unknown kinds and bad params', async () => {
    expect((await admin(base, 'POST', '/faults', { kind: 'meteor' })).status).toBe(400);
    expect((await admin(base, 'POST', '/faults', { kind: 'latency', ms: -1 })).status).toBe(400);
    expect((await admin(base, 'POST', '/faults', { kind: 'server-error', status: 418 })).status).toBe(400);
  });
});

describe('deployment controls', () => {
  it('disabling the site: 400 "Site is disabled." and no new passports; re-enabling restores', async () => {
    await admin(base, 'POST', '/apps/demo-chat', { enable_site: false });
    expect(await body(await chat.get('/api/site'))).toEqual({ code: 'bad_request', message: 'Site is disabled.', status: 400 });
    expect((await fetch(`${base}/api/passport`, { headers: { 'X-App-Code': 'demo-chat' } })).status).toBe(404);
    await admin(base, 'POST', '/apps/demo-chat', { enable_site: true });
    expect((await chat.get('/api/site')).status).toBe(200);
  });

  it('regenerating the code: old passports get "Site URL is no longer valid.", the new code works', async () => {
    const res = await admin(base, 'POST', '/apps/demo-chat', { regenerate_code: true });
    const { app } = (await body(res)) as { app: { code: string; key: string } };
    expect(app.key).toBe('demo-chat');
    expect(app.code).not.toBe('demo-chat');
    expect(await body(await chat.get('/api/site'))).toEqual({ code: 'bad_request', message: 'Site URL is no longer valid.', status: 400 });
    expect((await fetch(`${base}/api/passport`, { headers: { 'X-App-Code': 'demo-chat' } })).status).toBe(404);
    const fresh = client(base, await passport(base, app.code, 'faulty'));
    expect((await fresh.get('/api/site')).status).toBe(200);
    await admin(base, 'POST', '/reset');
    expect((await fetch(`${base}/api/passport`, { headers: { 'X-App-Code': 'demo-chat' } })).status).toBe(200);
  });

  it('rotate-secret invalidates every passport', async () => {
    await admin(base, 'POST', '/rotate-secret');
    const res = await chat.get('/api/site');
    expect(res.status).toBe(401);
    expect(((await body(res)) as { message: string }).message).toBe('Invalid token signature.');
    const fresh = client(base, await passport(base, 'demo-chat', 'faulty'));
    expect((await fresh.get('/api/site')).status).toBe(200);
  });

  it('settings are validated and reported in state; reset restores defaults', async () => {
    expect((await admin(base, 'POST', '/settings', { chatflowOrder: 'sideways' })).status).toBe(400);
    expect((await admin(base, 'POST', '/settings', { bogus: 1 })).status).toBe(400);
    await settings(base, { legacyJson: true, tokenDelayMs: 7 });
    const state = (await body(await admin(base, 'GET', '/state'))) as { settings: Record<string, unknown>; apps: { key: string }[] };
    expect(state.settings).toMatchObject({
      legacyJson: true,
      tokenDelayMs: 7,
      pingIntervalMs: 10000,
      chatflowOrder: 'v1.12',
      concurrencyErrorStyle: '429',
      splitChunks: false,
    });
    expect(state.apps.map((a) => a.key)).toEqual([
      'demo-chat',
      'demo-agent',
      'demo-flow',
      'demo-new-agent',
      'demo-hitl',
      'demo-completion',
    ]);
    await admin(base, 'POST', '/reset');
    const after = (await body(await admin(base, 'GET', '/state'))) as { settings: Record<string, unknown> };
    expect(after.settings).toMatchObject({ legacyJson: false, tokenDelayMs: 0 });
  });

  it('reset clears conversations but keeps passports valid', async () => {
    await readAll(await chat.chat({ query: 'hi' }));
    await admin(base, 'POST', '/reset');
    const list = (await body(await chat.get('/api/conversations'))) as { data: unknown[] };
    expect(list.data).toEqual([]);
  });
});

describe('request log', () => {
  it('records method, path, query, selected headers and the JSON body', async () => {
    await admin(base, 'DELETE', '/requests');
    await passport(base, 'demo-chat', 'logged-user');
    await readAll(await client(base, token, 'demo-chat').chat({ query: 'log me', inputs: { name: 'Zed' } }));
    const log = (await body(await admin(base, 'GET', '/requests'))) as { data: Record<string, any>[] };
    const pass = log.data.find((r) => r.path === '/api/passport')!;
    expect(pass.query).toEqual({ user_id: 'logged-user' });
    // Credentials are masked in the log (demo/server/mask.ts); the masked forms still tell them apart.
    expect(pass.headers['x-app-code']).toBe(maskSecret('demo-chat'));
    expect(pass.status).toBe(200);
    const chatReq = log.data.find((r) => r.path === '/api/chat-messages')!;
    expect(chatReq.method).toBe('POST');
    expect(chatReq.headers['x-app-passport']).toBe(maskSecret(token));
    expect(chatReq.body).toMatchObject({ query: 'log me', inputs: { name: 'Zed' }, response_mode: 'streaming' });
    const filtered = (await body(await admin(base, 'GET', '/requests?path=/api/passport'))) as { data: unknown[] };
    expect(filtered.data).toHaveLength(1);
    await admin(base, 'DELETE', '/requests');
    expect(((await body(await admin(base, 'GET', '/requests'))) as { data: unknown[] }).data).toEqual([]);
  });
});
