import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../../src/api/client.ts';
import { ApiError } from '../../../src/api/errors.ts';
import { createHttp } from '../../../src/api/http.ts';
import { createPassport } from '../../../src/api/passport.ts';
import { difyError, fakeFetch, json, memoryStorage, type RecordedCall } from './helpers.ts';

const API = 'https://dify.example.com/api';

/** A fake server: /passport mints jwt-<n>-<user>, /site echoes the passport it got. */
function server(options: { delayPassport?: Promise<void> } = {}) {
  let n = 0;
  return fakeFetch(async (call: RecordedCall) => {
    if (call.path === '/api/passport') {
      await options.delayPassport;
      return json(200, { access_token: `jwt-${++n}-${call.query.get('user_id') ?? 'anon'}` });
    }
    return json(200, { passport: call.headers['x-app-passport'] });
  });
}

describe('passport (docs/PROTOCOL.md §1.2)', () => {
  it('mints with X-App-Code and ?user_id=, no Authorization, then sends X-App-Passport and Bearer', async () => {
    const { fetch, calls } = server();
    const client = createApiClient({ apiBase: API, appCode: 'abc123', userId: 'user-42', storage: memoryStorage(), fetch });
    await expect(client.site()).resolves.toEqual({ passport: 'jwt-1-user-42' });
    const [mint, site] = calls;
    expect(mint?.url).toBe(`${API}/passport?user_id=user-42`);
    expect(mint?.headers['x-app-code']).toBe('abc123');
    expect(mint?.headers.authorization).toBeUndefined();
    expect(mint?.headers['x-app-passport']).toBeUndefined();
    expect(site?.headers).toMatchObject({
      'x-app-code': 'abc123',
      'x-app-passport': 'jwt-1-user-42',
      authorization: 'Bearer jwt-1-user-42',
    });
  });

  it('without a user id, no user_id param is sent', async () => {
    const { fetch, calls } = server();
    const client = createApiClient({ apiBase: API, appCode: 'abc123', storage: memoryStorage(), fetch });
    await client.meta();
    expect(calls[0]?.url).toBe(`${API}/passport`);
  });

  it('is cached per app code and user id, so a reload keeps the same end user', async () => {
    const storage = memoryStorage();
    const { fetch, calls } = server();
    const first = createApiClient({ apiBase: API, appCode: 'abc123', storage, fetch });
    await first.site();
    await first.site();
    expect(storage.data.get('dify-chatbot:passport:abc123:DEFAULT')).toBe('jwt-1-anon');

    // "reload": a new client on the same storage mints nothing
    const again = createApiClient({ apiBase: API, appCode: 'abc123', storage, fetch });
    await expect(again.site()).resolves.toEqual({ passport: 'jwt-1-anon' });

    // another user, another app: their own passports
    const otherUser = createApiClient({ apiBase: API, appCode: 'abc123', userId: 'u2', storage, fetch });
    await expect(otherUser.site()).resolves.toEqual({ passport: 'jwt-2-u2' });
    const otherApp = createApiClient({ apiBase: API, appCode: 'zzz', storage, fetch });
    await expect(otherApp.site()).resolves.toEqual({ passport: 'jwt-3-anon' });

    expect(calls.filter((c) => c.path === '/api/passport')).toHaveLength(3);
    expect([...storage.data.keys()].sort()).toEqual([
      'dify-chatbot:passport:abc123:DEFAULT',
      'dify-chatbot:passport:abc123:u2',
      'dify-chatbot:passport:zzz:DEFAULT',
    ]);
  });

  it('concurrent callers share one in-flight mint', async () => {
    let release!: () => void;
    const { fetch, calls } = server({ delayPassport: new Promise<void>((r) => (release = r)) });
    const client = createApiClient({ apiBase: API, appCode: 'abc123', storage: memoryStorage(), fetch });
    const all = Promise.all([client.site(), client.parameters(), client.meta()]);
    release();
    const results = await all;
    expect(results.map((r) => (r as unknown as { passport: string }).passport)).toEqual(['jwt-1-anon', 'jwt-1-anon', 'jwt-1-anon']);
    expect(calls.filter((c) => c.path === '/api/passport')).toHaveLength(1);
  });

  it('works when storage throws (sandboxed iframe): kept in memory for the page view', async () => {
    const { fetch, calls } = server();
    const client = createApiClient({ apiBase: API, appCode: 'abc123', storage: memoryStorage({ throws: true }), fetch });
    await client.site();
    await client.site();
    expect(calls.filter((c) => c.path === '/api/passport')).toHaveLength(1);
  });

  it('a 401 re-mints for the same user and replaces the stored passport', async () => {
    const storage = memoryStorage();
    storage.set('dify-chatbot:passport:abc123:u1', 'stale');
    const { fetch, calls } = fakeFetch((call) => {
      if (call.path === '/api/passport') return json(200, { access_token: 'fresh' });
      return call.headers['x-app-passport'] === 'stale'
        ? difyError(401, 'unauthorized', 'Invalid token signature.')
        : json(200, { ok: true });
    });
    const client = createApiClient({ apiBase: API, appCode: 'abc123', userId: 'u1', storage, fetch });
    await expect(client.site()).resolves.toEqual({ ok: true });
    expect(calls.map((c) => c.path)).toEqual(['/api/site', '/api/passport', '/api/site']);
    expect(calls[1]?.query.get('user_id')).toBe('u1');
    expect(storage.data.get('dify-chatbot:passport:abc123:u1')).toBe('fresh');
  });

  it('cached() is the stored passport without minting: null before the first mint and after invalidate', async () => {
    const storage = memoryStorage();
    const { fetch, calls } = server();
    let passportRef: ReturnType<typeof createPassport> | null = null;
    const http = createHttp({ apiBase: API, appCode: 'a', fetch, getPassport: (s) => passportRef!.get(s), onUnauthorized: () => {} });
    const passport = createPassport({ http, appCode: 'a', storage });
    passportRef = passport;
    expect(passport.cached()).toBeNull();
    expect(calls).toHaveLength(0);
    const token = await passport.get();
    expect(passport.cached()).toBe(token);
    passport.invalidate(token);
    expect(passport.cached()).toBeNull();
  });

  it('invalidate only forgets the passport it was told about', async () => {
    const storage = memoryStorage();
    const { fetch } = server();
    let passportRef: ReturnType<typeof createPassport> | null = null;
    const http = createHttp({ apiBase: API, appCode: 'a', fetch, getPassport: (s) => passportRef!.get(s), onUnauthorized: () => {} });
    const passport = createPassport({ http, appCode: 'a', storage });
    passportRef = passport;
    const token = await passport.get();
    passport.invalidate('some-older-token');
    expect(await passport.get()).toBe(token);
    passport.invalidate(token);
    expect(await passport.get()).not.toBe(token);
  });

  it('a mint answered without access_token is bad-response; a 404 site code is unavailable', async () => {
    const bad = fakeFetch(() => json(200, { nope: true }));
    const client = createApiClient({ apiBase: API, appCode: 'abc123', storage: memoryStorage(), fetch: bad.fetch });
    await expect(client.site()).rejects.toMatchObject({ kind: 'bad-response' });

    const gone = fakeFetch(() => difyError(404, 'not_found', 'Not Found'));
    const client2 = createApiClient({ apiBase: API, appCode: 'wrong', storage: memoryStorage(), fetch: gone.fetch });
    const err = await client2.site().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ kind: 'unavailable', status: 404 });
  });

  it('one waiter giving up does not fail the shared mint for the others', async () => {
    let release!: () => void;
    const { fetch } = server({ delayPassport: new Promise<void>((r) => (release = r)) });
    const client = createApiClient({ apiBase: API, appCode: 'abc123', storage: memoryStorage(), fetch });
    const controller = new AbortController();
    const impatient = client.site({ signal: controller.signal });
    const patient = client.meta();
    controller.abort();
    await expect(impatient).rejects.toMatchObject({ kind: 'aborted' });
    release();
    await expect(patient).resolves.toEqual({ passport: 'jwt-1-anon' });
  });
});
