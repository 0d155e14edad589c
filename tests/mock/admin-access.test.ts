import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../../demo/server/server.ts';
import { admin, client, passport, readAll, start } from './helpers.ts';

/**
 * /__mock is for the tester and the tests, not for the other pages open in the tester's browser
 * (demo/server/admin-access.ts); /api keeps Dify's CORS (docs/PROTOCOL.md §1.3).
 */

let server: MockServer;
let base: string;
let token: string;

beforeAll(async () => {
  server = await start();
  base = server.url;
  token = await passport(base, 'demo-chat', 'admin-access');
  // Something worth stealing in the request log.
  await readAll(await client(base, token).chat({ query: 'secret plans' }));
});
afterAll(() => server.close());
beforeEach(() => admin(base, 'DELETE', '/faults'));

const FOREIGN = 'https://evil.example';

/** A raw request, for headers fetch will not let a test choose (Host). */
function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const queuedFaults = async (): Promise<unknown[]> => ((await (await admin(base, 'GET', '/state')).json()) as { faults: unknown[] }).faults;

describe('/__mock refuses other origins', () => {
  it('a foreign page cannot read the request log: 403, no CORS headers, no passport in the answer', async () => {
    const res = await fetch(`${base}/__mock/requests`, { headers: { Origin: FOREIGN } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const text = await res.text();
    expect(text).not.toContain(token.slice(0, 30));
    expect(JSON.parse(text)).toMatchObject({ code: 'forbidden', status: 403 });
  });

  it("a foreign page's preflight gets no CORS headers, so a browser never sends the change", async () => {
    const res = await fetch(`${base}/__mock/faults`, {
      method: 'OPTIONS',
      headers: { Origin: FOREIGN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('refuses requests the browser marks as cross-site even without an Origin (an <img> or <script> pointing here)', async () => {
    const res = await fetch(`${base}/__mock/requests`, { headers: { 'Sec-Fetch-Site': 'cross-site' } });
    expect(res.status).toBe(403);
  });

  it('refuses a page on another domain whose DNS now points at 127.0.0.1 (it would be "same-origin")', async () => {
    const rebound = await rawGet('/__mock/requests', { Host: `evil.example:${server.port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain(token.slice(0, 30));
    const reboundWithOrigin = await rawGet('/__mock/state', {
      Host: `evil.example:${server.port}`,
      Origin: `http://evil.example:${server.port}`,
    });
    expect(reboundWithOrigin.status).toBe(403);
  });

  it('answers the demo page on its own origin, by any loopback name, and clients without an Origin', async () => {
    const own = await fetch(`${base}/__mock/state`, { headers: { Origin: base } });
    expect(own.status).toBe(200);
    // Same-origin needs no CORS headers, and none are given.
    expect(own.headers.get('access-control-allow-origin')).toBeNull();
    const byName = await rawGet('/__mock/state', { Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}` });
    expect(byName.status).toBe(200);
    const curl = await fetch(`${base}/__mock/state`);
    expect(curl.status).toBe(200);
  });
});

describe('/__mock changes need a JSON body type', () => {
  it('a text/plain POST (what a foreign form or no-cors fetch can send) gets 415 and changes nothing', async () => {
    const res = await fetch(`${base}/__mock/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ kind: 'server-error' }),
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ code: 'unsupported_media_type', status: 415 });
    expect(await queuedFaults()).toEqual([]);
  });

  it('so does a POST without a body type (a bare no-cors fetch), a form post and a DELETE without one', async () => {
    await admin(base, 'POST', '/faults', { kind: 'server-error', times: 0 });
    for (const init of [
      { method: 'POST' },
      { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'kind=stall' },
      { method: 'DELETE' },
    ]) {
      const res = await fetch(`${base}/__mock/faults`, init);
      expect(res.status, JSON.stringify(init)).toBe(415);
    }
    expect(await queuedFaults()).toHaveLength(1);
    // The same change as JSON goes through.
    expect((await admin(base, 'DELETE', '/faults')).status).toBe(200);
    expect(await queuedFaults()).toEqual([]);
  });

  it('JSON with a charset parameter is JSON', async () => {
    const res = await fetch(`${base}/__mock/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ kind: 'stall' }),
    });
    expect(res.status).toBe(201);
  });
});

describe('/api keeps Dify CORS (docs/PROTOCOL.md §1.3)', () => {
  it('echoes any Origin with credentials on answers and preflights', async () => {
    const res = await fetch(`${base}/api/site`, { headers: { Origin: FOREIGN, 'X-App-Passport': token } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(FOREIGN);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('vary')).toBe('Origin');
    const preflight = await fetch(`${base}/api/chat-messages`, {
      method: 'OPTIONS',
      headers: {
        Origin: FOREIGN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-app-passport',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(FOREIGN);
    expect(preflight.headers.get('access-control-allow-headers')).toBe(
      'Content-Type, X-App-Code, X-App-Passport, Authorization, X-CSRF-Token',
    );
  });
});
