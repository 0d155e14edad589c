import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../src/api/errors.ts';
import { createHttp, parseRetryAfter, retryDelay, DEFAULT_RETRY, type HttpConfig } from '../../../src/api/http.ts';
import { difyError, fakeFetch, json, type Handler } from './helpers.ts';

const API = 'https://dify.example.com/api';

function setup(handler: Handler, overrides: Partial<HttpConfig> = {}) {
  const { fetch, calls } = fakeFetch(handler);
  const delays: number[] = [];
  let minted = 0;
  let current: string | null = null;
  const invalidated: string[] = [];
  const http = createHttp({
    apiBase: `${API}/`,
    appCode: 'abc123',
    fetch,
    getPassport: async () => (current ??= `jwt-${++minted}`),
    onUnauthorized: (t) => {
      invalidated.push(t);
      if (current === t) current = null;
    },
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    ...overrides,
  });
  return { http, calls, delays, invalidated, minted: () => minted };
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected a rejection');
}

describe('requests', () => {
  it('builds the URL, skips empty query values, sends the passport both ways (docs/PROTOCOL.md §1.3)', async () => {
    const { http, calls } = setup(() => json(200, { ok: 1 }));
    await expect(
      http.json('/messages', { query: { conversation_id: 'c 1', first_id: undefined, limit: 20, pinned: false, x: null } }),
    ).resolves.toEqual({ ok: 1 });
    const [call] = calls;
    expect(call?.url).toBe(`${API}/messages?conversation_id=c+1&limit=20&pinned=false`);
    expect(call?.method).toBe('GET');
    expect(call?.credentials).toBe('omit');
    expect(call?.headers).toMatchObject({
      'x-app-code': 'abc123',
      'x-app-passport': 'jwt-1',
      authorization: 'Bearer jwt-1',
      accept: 'application/json',
    });
    expect(call?.headers['content-type']).toBeUndefined();
  });

  it('never sends Authorization (nor a passport) when auth is off, e.g. /passport', async () => {
    const { http, calls, minted } = setup(() => json(200, { access_token: 't' }));
    await http.json('/passport', { auth: false, query: { user_id: 'u1' } });
    expect(calls[0]?.headers.authorization).toBeUndefined();
    expect(calls[0]?.headers['x-app-passport']).toBeUndefined();
    expect(calls[0]?.headers['x-app-code']).toBe('abc123');
    expect(minted()).toBe(0);
  });

  it('sends JSON bodies with Content-Type', async () => {
    const { http, calls } = setup(() => json(200, { result: 'success' }));
    await http.json('/messages/m1/feedbacks', { method: 'POST', json: { rating: 'like' } });
    expect(calls[0]?.method).toBe('POST');
    expect(calls[0]?.headers['content-type']).toBe('application/json');
    expect(calls[0]?.body).toEqual({ rating: 'like' });
  });

  it('204 → {result:"success"}; an empty 200 → null', async () => {
    const { http } = setup((c) => (c.method === 'DELETE' ? new Response(null, { status: 204 }) : new Response('', { status: 200 })));
    await expect(http.json('/conversations/c1', { method: 'DELETE' })).resolves.toEqual({ result: 'success' });
    await expect(http.json('/text-to-audio', { method: 'POST' })).resolves.toBeNull();
  });

  it('a 2xx HTML page where JSON was expected is bad-response with a one-line summary', async () => {
    const { http } = setup(
      () => new Response('<html><title>Welcome to nginx!</title></html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    );
    const err = await failure(http.json('/site'));
    expect(err.kind).toBe('bad-response');
    expect(err.message).toBe('Expected JSON (HTTP 200, text/html: Welcome to nginx!)');
  });

  it('maps Dify error bodies', async () => {
    const { http } = setup(() => difyError(400, 'app_unavailable', 'App unavailable, please check your app configurations.'));
    const err = await failure(http.json('/parameters'));
    expect(err).toMatchObject({ kind: 'unavailable', status: 400, code: 'app_unavailable' });
  });

  it('uses globalThis.fetch as it is at call time (a host page may wrap it later)', async () => {
    const original = globalThis.fetch;
    const http = createHttp({ apiBase: API, appCode: 'abc', getPassport: async () => 'p', onUnauthorized: () => {} });
    const wrapped = vi.fn(async () => json(200, { ok: true }));
    globalThis.fetch = wrapped as unknown as typeof fetch;
    try {
      await expect(http.json('/meta')).resolves.toEqual({ ok: true });
      expect(wrapped).toHaveBeenCalledOnce();
    } finally {
      globalThis.fetch = original;
    }
  });

  it('calls a configured fetch unbound (native fetch throws "Illegal invocation" as a method)', async () => {
    const strict = async function (this: unknown) {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
      return json(200, {});
    } as unknown as typeof fetch;
    const http = createHttp({ apiBase: API, appCode: 'a', fetch: strict, getPassport: async () => 'p', onUnauthorized: () => {} });
    await expect(http.json('/meta')).resolves.toEqual({});
  });
});

describe('a passport given synchronously', () => {
  it("starts the fetch in the caller's task, before any queued microtask runs", () => {
    const { http, calls } = setup(() => json(200, {}), { getPassport: () => 'jwt-sync' });
    let microtaskRan = false;
    queueMicrotask(() => (microtaskRan = true));
    void http.request('/chat-messages', { method: 'POST', json: { query: 'Hi' } });
    // Synchronously: the UI's render, queued as a microtask when the question is shown, comes after.
    expect(calls).toHaveLength(1);
    expect(microtaskRan).toBe(false);
    expect(calls[0]?.headers['x-app-passport']).toBe('jwt-sync');
  });

  it('a passport still being minted is awaited', async () => {
    const { http, calls } = setup(() => json(200, {}), { getPassport: async () => 'jwt-async' });
    const done = http.request('/site');
    expect(calls).toHaveLength(0);
    await done;
    expect(calls[0]?.headers['x-app-passport']).toBe('jwt-async');
  });
});

describe('401: one re-mint, one retry', () => {
  it('drops the passport, mints a new one and repeats the call exactly once', async () => {
    const { http, calls, invalidated, minted } = setup((c) =>
      c.headers['x-app-passport'] === 'jwt-1' ? difyError(401, 'unauthorized', 'Invalid token signature.') : json(200, { title: 'ok' }),
    );
    await expect(http.json('/site')).resolves.toEqual({ title: 'ok' });
    expect(calls.map((c) => c.headers['x-app-passport'])).toEqual(['jwt-1', 'jwt-2']);
    expect(calls[1]?.headers.authorization).toBe('Bearer jwt-2');
    expect(invalidated).toEqual(['jwt-1']);
    expect(minted()).toBe(2);
  });

  it('a second 401 surfaces as unauthorized (no third call, no third mint)', async () => {
    const { http, calls, minted } = setup(() => difyError(401, 'unauthorized', 'Token has expired.'));
    const err = await failure(http.json('/site'));
    expect(err).toMatchObject({ kind: 'unauthorized', status: 401, message: 'Token has expired.' });
    expect(calls).toHaveLength(2);
    expect(minted()).toBe(2);
  });

  it('does not re-mint for sign-in-required or no-access', async () => {
    for (const code of ['web_sso_auth_required', 'web_app_access_denied']) {
      const { http, calls } = setup(() => difyError(401, code, 'nope'));
      const err = await failure(http.json('/site'));
      expect(err.kind).toBe(code === 'web_sso_auth_required' ? 'sign-in-required' : 'no-access');
      expect(calls).toHaveLength(1);
    }
  });

  it('does not re-mint when the call had no passport', async () => {
    const { http, calls } = setup(() => difyError(401, 'unauthorized', 'X-App-Code header is missing.'));
    const err = await failure(http.json('/passport', { auth: false }));
    expect(err.kind).toBe('unauthorized');
    expect(calls).toHaveLength(1);
  });
});

describe('automatic retry with backoff', () => {
  it('retries busy and 5xx with full jitter, bounded by attempts', async () => {
    const { http, calls, delays } = setup(() => difyError(503, 'internal_server_error', 'down'), { random: () => 0.999 });
    const err = await failure(http.json('/site'));
    expect(err.kind).toBe('server');
    expect(calls).toHaveLength(DEFAULT_RETRY.attempts);
    // ceilings 500, 1000 ms; random → just under them
    expect(delays).toEqual([499, 999]);
  });

  it('succeeds after a transient busy', async () => {
    let n = 0;
    const { http, delays } = setup(() =>
      ++n === 1 ? difyError(400, 'invalid_param', 'Too many requests. Please try again later.') : json(200, { data: [] }),
    );
    await expect(http.json('/conversations')).resolves.toEqual({ data: [] });
    expect(delays).toEqual([250]);
  });

  it('honours Retry-After in seconds', async () => {
    const { http, delays } = setup(() => difyError(429, 'too_many_requests', 'Too many requests.', { 'Retry-After': '2' }));
    await failure(http.json('/site'));
    expect(delays).toEqual([2000, 2000]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const date = new Date(Date.now() + 3_000).toUTCString();
    const { http, delays } = setup(() => difyError(503, 'unknown', 'x', { 'Retry-After': date }));
    await failure(http.json('/site'));
    expect(delays).toHaveLength(2);
    for (const d of delays) {
      expect(d).toBeGreaterThan(1_000);
      expect(d).toBeLessThanOrEqual(3_000);
    }
  });

  it('does not wait out a Retry-After longer than the policy allows: the error carries it', async () => {
    const { http, calls, delays } = setup(() => difyError(429, 'too_many_requests', 'x', { 'Retry-After': '120' }));
    const err = await failure(http.json('/site'));
    expect(err.retryAfterMs).toBe(120_000);
    expect(calls).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('caps the backoff at maxDelayMs', () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 1000, maxDelayMs: 3000 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(policy, n, undefined, () => 0.999999))).toEqual([999, 1999, 2999, 2999, 2999]);
    expect(retryDelay(policy, 1, undefined, () => 0)).toBe(0);
  });

  it.each([
    ['rate_limit_error', 429],
    ['completion_request_error', 400],
    ['invalid_param', 400],
  ])('does not retry %s', async (code, status) => {
    const { http, calls } = setup(() => difyError(status, code, 'x'));
    await failure(http.json('/site'));
    expect(calls).toHaveLength(1);
  });

  it('does not retry network failures', async () => {
    const { http, calls } = setup(() => Promise.reject(new TypeError('Failed to fetch')));
    const err = await failure(http.json('/site'));
    expect(err.kind).toBe('network');
    expect(calls).toHaveLength(1);
  });

  it('retry: false turns it off', async () => {
    const { http, calls } = setup(() => difyError(500, 'unknown', 'x'));
    await failure(http.json('/site', { retry: false }));
    expect(calls).toHaveLength(1);
  });

  it('an abort during the backoff sleep stops everything', async () => {
    const controller = new AbortController();
    const { http, calls } = setup(() => difyError(500, 'unknown', 'x'), {
      sleep: (_ms, signal) =>
        new Promise((_, reject) => {
          signal?.addEventListener('abort', () => reject(new Error('aborted')));
          controller.abort();
        }),
    });
    const err = await failure(http.json('/site', { signal: controller.signal }));
    expect(err.kind).toBe('aborted');
    expect(calls).toHaveLength(1);
  });

  it('the default sleep is real and cancellable', async () => {
    vi.useFakeTimers();
    try {
      const { fetch, calls } = fakeFetch(() => difyError(500, 'unknown', 'x'));
      const http = createHttp({
        apiBase: API,
        appCode: 'a',
        fetch,
        getPassport: async () => 'p',
        onUnauthorized: () => {},
        random: () => 0.5,
      });
      const p = failure(http.json('/site'));
      await vi.advanceTimersByTimeAsync(250);
      expect(calls).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(500);
      expect(calls).toHaveLength(3);
      expect((await p).kind).toBe('server');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('timeouts and aborts', () => {
  afterEach(() => vi.useRealTimers());

  it('a request that hangs past timeoutMs fails as timeout', async () => {
    const { http } = setup(() => new Promise<Response>(() => {}), { timeoutMs: 20 });
    const err = await failure(http.json('/site'));
    expect(err.kind).toBe('timeout');
  });

  it('the caller’s AbortSignal cancels an in-flight fetch', async () => {
    const controller = new AbortController();
    const { http, calls } = setup(() => new Promise<Response>(() => {}));
    const p = failure(http.json('/site', { signal: controller.signal }));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    controller.abort();
    const err = await p;
    expect(err.kind).toBe('aborted');
    expect(calls[0]?.signal?.aborted).toBe(true);
  });

  it('an already aborted signal makes no call at all', async () => {
    const { http, calls } = setup(() => json(200, {}));
    const err = await failure(http.json('/site', { signal: AbortSignal.abort() }));
    expect(err.kind).toBe('aborted');
    expect(calls).toHaveLength(0);
  });
});

describe('parseRetryAfter', () => {
  it.each<[string | null, number | undefined]>([
    [null, undefined],
    ['0', 0],
    ['3', 3000],
    [' 10 ', 10_000],
    ['soon', undefined],
    ['Wed, 21 Oct 2015 07:28:00 GMT', 0],
  ])('%s → %s', (value, ms) => {
    expect(parseRetryAfter(value, Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(ms);
  });

  it('an HTTP date in the future is the difference', () => {
    const now = Date.UTC(2030, 0, 1, 0, 0, 0);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:05 GMT', now)).toBe(5000);
  });
});
