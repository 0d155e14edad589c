import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskBody, maskHeaders, maskSecret, maskText } from '../../demo/server/mask.ts';
import type { MockServer } from '../../demo/server/server.ts';
import { admin, client, passport, readAll, start } from './helpers.ts';

/** Passports and tokens never appear whole in the console log or in GET /__mock/requests. */

let server: MockServer;
let base: string;
let token: string;
const lines: string[] = [];

beforeAll(async () => {
  server = await start({ quiet: false, logger: (line) => lines.push(line) });
  base = server.url;
  token = await passport(base, 'demo-chat', 'masked-user');
});
afterAll(() => server.close());

const API_KEY = 'sk-live-0123456789abcdefghijklmnop';

describe('maskSecret', () => {
  it('keeps the first 6 and last 4 characters of a long value, less of a short one', () => {
    expect(maskSecret('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.abcdefx9Q4')).toBe('eyJhbG…x9Q4');
    expect(maskSecret('demo-chat')).toBe('de…at');
    expect(maskSecret('short')).toBe('…');
  });

  it('shows a secret key as the console lists it, prefix and last four, in a value or in free text', () => {
    const key = 'app-AbCdEfGhIjKlMnOpQrStUvWx';
    expect(maskSecret(key)).toBe('app-…UvWx');
    expect(maskText(`POST /v1/chat-messages with ${key} and ${key}.`)).toBe('POST /v1/chat-messages with app-…UvWx and app-…UvWx.');
    expect(maskHeaders({ authorization: `Bearer ${key}` })).toEqual({ authorization: 'Bearer app-…UvWx' });
  });

  it('keeps a hostile body loggable: deep nesting and long strings are cut', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => JSON.stringify(maskBody({ deep }))).not.toThrow();
    expect(maskBody({ text: 'y'.repeat(100_000) })).toEqual({ text: `${'y'.repeat(2000)}… (100000 characters)` });
  });
});

describe('GET /__mock/requests', () => {
  it('masks the passport headers, token-like query params and token-like body fields', async () => {
    await admin(base, 'DELETE', '/requests');
    const res = await fetch(`${base}/api/chat-messages?token=${token}&conversation_hint=none`, {
      method: 'POST',
      headers: { 'X-App-Code': 'demo-chat', 'X-App-Passport': token, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        inputs: { name: 'Zed', api_key: API_KEY },
        query: `my passport is ${token}, keep it`,
        response_mode: 'streaming',
        conversation_id: '',
        access_token: token,
      }),
    });
    await readAll(res);
    const log = (await (await admin(base, 'GET', '/requests?path=/api/chat-messages')).json()) as { data: Record<string, any>[] };
    const entry = log.data[0]!;
    const masked = maskSecret(token);
    expect(entry.headers).toMatchObject({ 'x-app-code': 'de…at', 'x-app-passport': masked, authorization: `Bearer ${masked}` });
    expect(entry.query).toEqual({ token: masked, conversation_hint: 'none' });
    expect(entry.body).toMatchObject({
      inputs: { name: 'Zed', api_key: 'sk-liv…mnop' },
      query: `my passport is ${masked}, keep it`,
      access_token: masked,
      response_mode: 'streaming',
    });
    expect(JSON.stringify(log)).not.toContain(token.slice(0, 30));
    expect(JSON.stringify(log)).not.toContain(API_KEY);
  });
});

describe('the console log', () => {
  it('shows requests with their tokens masked', async () => {
    lines.length = 0;
    await readAll(await client(base, token).chat({ query: 'hello' }));
    await fetch(`${base}/api/site?token=${token}`, { headers: { 'X-App-Passport': token } });
    await fetch(`${base}/api/remote-files/${encodeURIComponent(`https://cdn.example/${token}.png`)}`, {
      headers: { 'X-App-Passport': token },
    });
    await admin(base, 'POST', '/apps/demo-chat', { regenerate_code: true });
    await admin(base, 'POST', '/reset');
    const log = lines.join('\n');
    expect(log).toContain('POST /api/chat-messages → 200');
    expect(log).toContain(`GET /api/site?token=${maskSecret(token)} → 200`);
    expect(log).toMatch(/\[mock\] app demo-chat: code=\S\S…\S\S enable_site=true/);
    expect(log).not.toContain(token.slice(0, 30));
    expect(log).not.toContain(token.slice(-30));
  });
});
