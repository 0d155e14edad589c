import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIN, type Console, startConsole } from './console-helpers.ts';
import { client, passport } from './helpers.ts';

let c: Console;
afterEach(async () => {
  vi.restoreAllMocks();
  await c?.server.close();
});

const ask = (key: string, user = 'u1') =>
  c.v1(key, 'POST', '/chat-messages', { inputs: {}, query: 'hello', user, response_mode: 'blocking' });

describe('console: apps', () => {
  it('needs the admin secret', async () => {
    c = await startConsole();
    expect((await c.call('GET', '', undefined, 'wrong')).status).toBe(401);
    const bare = await fetch(`${c.server.url}/console/api/apps`);
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { message: string }).message).toMatch(/admin secret/);
    expect((await c.call('GET', '')).status).toBe(200);
  });

  it('creates an app of every mode, lists, shows and deletes it', async () => {
    c = await startConsole();
    const before = (await c.call('GET', '')).json.total as number;
    for (const mode of ['chat', 'agent-chat', 'advanced-chat', 'agent', 'completion', 'workflow']) {
      const created = await c.call('POST', '', { name: `My ${mode}`, mode, site: { title: `Site of ${mode}` } });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({
        name: `My ${mode}`,
        mode,
        enable_site: true,
        enable_api: true,
        rate_limit: { per_minute: 60, per_hour: 3600 },
      });
      expect(created.json.site.code).toMatch(/^[A-Za-z0-9]{8,}$/);
      expect((await c.call('GET', `/${created.json.id}`)).json.site.title).toBe(`Site of ${mode}`);
    }
    const list = (await c.call('GET', '')).json;
    expect(list.total).toBe(before + 6);
    const chat = list.data.find((a: { name: string }) => a.name === 'My chat');
    // A new chat app's site works at once.
    const token = await passport(c.server.url, chat.site_code);
    expect((await client(c.server.url, token).get('/api/site')).status).toBe(200);
    expect((await c.call('DELETE', `/${chat.id}`)).status).toBe(204);
    expect((await c.call('GET', `/${chat.id}`)).status).toBe(404);
    expect((await c.call('GET', '')).json.total).toBe(before + 5);
    // Deleting the app ends its site and its passports.
    expect((await fetch(`${c.server.url}/api/passport`, { headers: { 'X-App-Code': chat.site_code } })).status).toBe(404);
    expect((await client(c.server.url, token).get('/api/site')).status).toBe(404);
  });

  it('refuses an app without a name or with an unknown mode', async () => {
    c = await startConsole();
    expect((await c.call('POST', '', { name: '', mode: 'chat' })).json.message).toMatch(/name is required/);
    expect((await c.call('POST', '', { name: 'x', mode: 'rocket' })).json).toMatchObject({ code: 'invalid_param', status: 400 });
  });

  it('site settings and parameters reach the web API', async () => {
    c = await startConsole();
    await c.call('POST', '/demo-chat/site', { title: 'Renamed', chat_color_theme: '#123456' });
    await c.call('POST', '/demo-chat/parameters', { opening_statement: 'Hello from the console' });
    const web = client(c.server.url, await passport(c.server.url, 'demo-chat'));
    expect(((await (await web.get('/api/site')).json()) as { site: { title: string; chat_color_theme: string } }).site).toMatchObject({
      title: 'Renamed',
      chat_color_theme: '#123456',
    });
    expect(((await (await web.get('/api/parameters')).json()) as { opening_statement: string }).opening_statement).toBe(
      'Hello from the console',
    );
  });
});

describe('console: the site channel', () => {
  it('disabling the site stops new and existing passports; enabling restores them', async () => {
    c = await startConsole();
    const web = client(c.server.url, await passport(c.server.url, 'demo-chat'));
    expect((await c.call('POST', '/demo-chat/site-enable', { enable_site: false })).json.enable_site).toBe(false);
    expect((await fetch(`${c.server.url}/api/passport`, { headers: { 'X-App-Code': 'demo-chat' } })).status).toBe(404);
    const refused = await web.get('/api/site');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ code: 'bad_request', message: 'Site is disabled.', status: 400 });
    await c.call('POST', '/demo-chat/site-enable', { enable_site: true });
    expect((await web.get('/api/site')).status).toBe(200);
    expect((await c.call('POST', '/demo-chat/site-enable', { enable_site: 'no' })).status).toBe(400);
  });

  it('regenerating the site token stops the old one at once', async () => {
    c = await startConsole();
    const web = client(c.server.url, await passport(c.server.url, 'demo-chat'));
    const reset = await c.call('POST', '/demo-chat/site/access-token-reset');
    const code = reset.json.site.code as string;
    expect(code).not.toBe('demo-chat');
    expect((await fetch(`${c.server.url}/api/passport`, { headers: { 'X-App-Code': 'demo-chat' } })).status).toBe(404);
    const stale = await web.get('/api/site');
    expect(await stale.json()).toEqual({ code: 'bad_request', message: 'Site URL is no longer valid.', status: 400 });
    const fresh = client(c.server.url, await passport(c.server.url, code));
    expect((await fresh.get('/api/site')).status).toBe(200);
  });
});

describe('console: the API channel and its keys', () => {
  it('shows a new key in full once, then only masked; several keys work side by side', async () => {
    c = await startConsole();
    const created = await c.call('POST', '/demo-chat/api-keys');
    expect(created.status).toBe(201);
    const first = created.json.token as string;
    c.bodies.pop();
    expect(first).toMatch(/^app-[A-Za-z0-9]{24}$/);
    const second = await c.newKey('demo-chat');
    const list = (await c.call('GET', '/demo-chat/api-keys')).json.data as { id: string; token: string }[];
    expect(list.map((k) => k.token)).toEqual([`app-…${first.slice(-4)}`, `app-…${second.slice(-4)}`]);
    expect((await ask(first)).status).toBe(200);
    expect((await ask(second)).status).toBe(200);
    // Nothing the server said after the creation holds a full key.
    const all = c.bodies.join('\n');
    expect(all).not.toContain(first);
    expect(all).not.toContain(second);
    expect(all).not.toContain(first.slice(4, 24));
  });

  it('a deleted key stops at once; the others keep working', async () => {
    c = await startConsole();
    const kept = await c.newKey('demo-chat');
    const gone = await c.newKey('demo-chat');
    const id = ((await c.call('GET', '/demo-chat/api-keys')).json.data as { id: string; token: string }[]).find((k) =>
      gone.endsWith(k.token.slice(-4)),
    )!.id;
    expect((await c.call('DELETE', `/demo-chat/api-keys/${id}`)).status).toBe(204);
    const refused = await ask(gone);
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual({ code: 'unauthorized', message: 'Access token is invalid', status: 401 });
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect((await ask(kept)).status).toBe(200);
  });

  it("keeps apps apart: another app cannot delete a key, and a key sees only its app's data", async () => {
    c = await startConsole();
    const keyA = await c.newKey('demo-chat');
    const keyB = await c.newKey('demo-agent');
    const idA = (await c.call('GET', '/demo-chat/api-keys')).json.data[0].id as string;
    expect((await c.call('DELETE', `/demo-agent/api-keys/${idA}`)).status).toBe(404);
    expect((await ask(keyA)).status).toBe(200);
    const conversationId = (await ask(keyA, 'shared-name')).json.conversation_id as string;
    expect((await c.v1(keyA, 'GET', '/conversations?user=shared-name')).json.data).toHaveLength(1);
    // The same user name through app B's key is another person in another app.
    expect((await c.v1(keyB, 'GET', '/conversations?user=shared-name')).json.data).toHaveLength(0);
    expect((await c.v1(keyB, 'GET', `/messages?user=shared-name&conversation_id=${conversationId}`)).status).toBe(404);
    expect((await c.v1(keyB, 'GET', '/info')).json.name).toBe('Acme Agent (agent-chat)');
  });

  it('refuses an eleventh key', async () => {
    c = await startConsole();
    for (let i = 0; i < 10; i++) await c.newKey('demo-chat');
    const refused = await c.call('POST', '/demo-chat/api-keys');
    expect(refused.status).toBe(400);
    expect(refused.json.message).toBe('Cannot create more than 10 API keys for this resource type.');
  });

  it("a disabled API channel rejects every /v1 call with Dify's 403, and the web channel carries on", async () => {
    c = await startConsole();
    const key = await c.newKey('demo-chat');
    expect((await c.call('POST', '/demo-chat/api-enable', { enable_api: false })).json.enable_api).toBe(false);
    for (const [method, path] of [
      ['GET', '/info'],
      ['GET', '/parameters'],
      ['GET', '/conversations?user=u1'],
    ] as const) {
      const refused = await c.v1(key, method, path);
      expect(refused.json).toEqual({ code: 'forbidden', message: "The app's API service has been disabled.", status: 403 });
    }
    expect((await ask(key)).status).toBe(403);
    expect((await client(c.server.url, await passport(c.server.url, 'demo-chat')).get('/api/site')).status).toBe(200);
    await c.call('POST', '/demo-chat/api-enable', { enable_api: true });
    expect((await ask(key)).status).toBe(200);
  });
});

describe('console: rate limits of the service API', () => {
  it('lets the 60th request of a minute through and answers the 61st with 429 and Retry-After', async () => {
    c = await startConsole();
    const key = await c.newKey('demo-chat');
    for (let i = 1; i <= 60; i++) expect((await c.v1(key, 'GET', '/parameters')).status, `request ${i}`).toBe(200);
    const refused = await c.v1(key, 'GET', '/parameters');
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ code: 'too_many_requests', status: 429 });
    expect(refused.json.message).toMatch(/60 requests a minute/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another app has its own count.
    expect((await c.v1(await c.newKey('demo-agent'), 'GET', '/parameters')).status).toBe(200);
  });

  it('has an hourly limit too, and both can be changed', async () => {
    c = await startConsole();
    const key = await c.newKey('demo-chat');
    expect((await c.call('GET', '/demo-chat/rate-limit')).json).toEqual({ per_minute: 60, per_hour: 3600 });
    expect((await c.call('POST', '/demo-chat/rate-limit', { per_minute: 100, per_hour: 5 })).json).toEqual({
      per_minute: 100,
      per_hour: 5,
    });
    for (let i = 1; i <= 5; i++) expect((await c.v1(key, 'GET', '/meta')).status).toBe(200);
    const refused = await c.v1(key, 'GET', '/meta');
    expect(refused.status).toBe(429);
    expect(refused.json.message).toMatch(/5 requests an hour/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect((await c.call('POST', '/demo-chat/rate-limit', { per_minute: 0 })).status).toBe(400);
  });
});

describe('console: persistence and logs', () => {
  it('keys, toggles, a new site code and console-made apps survive a restart', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'console-')), 'store.json');
    c = await startConsole({ dataFile });
    const key = await c.newKey('demo-chat');
    const made = (await c.call('POST', '', { name: 'Survivor', mode: 'completion' })).json;
    const madeKey = await c.newKey(made.id);
    await c.call('POST', '/demo-agent/site-enable', { enable_site: false });
    const code = (await c.call('POST', '/demo-chat/site/access-token-reset')).json.site.code as string;
    await c.call('POST', '/demo-chat/rate-limit', { per_minute: 7, per_hour: 70 });
    await c.server.close();
    const saved = readFileSync(join(dataFile, '..', 'console.json'), 'utf8');
    expect(saved).not.toContain(key);
    expect(saved).not.toContain(madeKey);

    c = await startConsole({ dataFile });
    expect((await ask(key)).status).toBe(200);
    expect((await c.v1(madeKey, 'GET', '/info')).json).toMatchObject({ name: 'Survivor', mode: 'completion' });
    expect((await c.call('GET', '/demo-agent')).json.enable_site).toBe(false);
    expect((await c.call('GET', '/demo-chat/rate-limit')).json).toEqual({ per_minute: 7, per_hour: 70 });
    expect((await fetch(`${c.server.url}/api/passport`, { headers: { 'X-App-Code': code } })).status).toBe(200);
    expect((await fetch(`${c.server.url}/api/passport`, { headers: { 'X-App-Code': 'demo-chat' } })).status).toBe(404);
  });

  it('no log line holds a full key', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    c = await startConsole({ quiet: false });
    const key = await c.newKey('demo-chat');
    await ask(key);
    await c.v1(key, 'GET', `/conversations?user=u1&note=${key}`);
    const id = (await c.call('GET', '/demo-chat/api-keys')).json.data[0].id as string;
    await c.call('DELETE', `/demo-chat/api-keys/${id}`);
    await ask(key);
    expect(lines.some((l) => l.includes('API key') && l.includes(`app-…${key.slice(-4)}`))).toBe(true);
    expect(lines.some((l) => l.includes('/v1/conversations'))).toBe(true);
    const joined = lines.join('\n');
    expect(joined).not.toContain(key);
    expect(joined).not.toContain(ADMIN);
  });
});
