import { describe, expect, it } from 'vitest';
import { createRelay } from '../../relay/index.ts';
import { PAGE } from './helpers.ts';

/** The relay's calls to Dify, with a scripted Dify: what is retried, what is passed on as it came. */

type Answer = () => Response | Promise<Response>;

function scriptedDify(answers: Answer[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string | URL | Request, init: RequestInit = {}) => {
    calls.push({ url: String(url), init });
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    return next();
  }) as typeof fetch;
  return { calls, fetchImpl };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

async function visitorRequest(relay: ReturnType<typeof createRelay>, path = '/parameters', init: RequestInit = {}) {
  const login = await relay.fetch(new Request('http://relay.test/passport', { headers: { Origin: PAGE } }));
  const { access_token } = (await login.json()) as { access_token: string };
  return relay.fetch(
    new Request(`http://relay.test${path}`, { ...init, headers: { Origin: PAGE, 'X-App-Passport': access_token, ...init.headers } }),
  );
}

function relayOn(answers: Answer[], retry = { baseDelayMs: 1 }) {
  const dify = scriptedDify(answers);
  const logged: string[] = [];
  const relay = createRelay({
    difyApiUrl: 'http://dify.test/v1',
    apiKey: 'app-ThisIsTheSecretKey1234',
    allowedOrigins: [PAGE],
    fetch: dify.fetchImpl,
    retry,
    log: (line) => logged.push(line),
  });
  return { relay, dify, logged };
}

describe('relay → Dify', () => {
  it('sends the key as a bearer and the visitor as user, never the page headers', async () => {
    const { relay, dify } = relayOn([() => json(200, { opening_statement: '' })]);
    expect((await visitorRequest(relay)).status).toBe(200);
    const headers = dify.calls[0]!.init.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer app-ThisIsTheSecretKey1234');
    expect(Object.keys(headers).map((h) => h.toLowerCase())).not.toContain('x-app-passport');
    expect(new URL(dify.calls[0]!.url).searchParams.get('user')).toMatch(/^anon-/);
  });

  it('retries 502 and 503 with backoff, then answers', async () => {
    const { relay, dify } = relayOn([
      () => new Response('<html>Bad Gateway</html>', { status: 502 }),
      () => json(503, { code: 'x', message: 'down', status: 503 }),
      () => json(200, { ok: 1 }),
    ]);
    const res = await visitorRequest(relay);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: 1 });
    expect(dify.calls).toHaveLength(3);
  });

  it('waits out a short 429 Retry-After, but passes a long one to the widget', async () => {
    const short = relayOn([
      () => json(429, { code: 'too_many_requests', message: 'busy', status: 429 }, { 'Retry-After': '0' }),
      () => json(200, {}),
    ]);
    expect((await visitorRequest(short.relay)).status).toBe(200);
    expect(short.dify.calls).toHaveLength(2);

    const long = relayOn([
      () => json(429, { code: 'too_many_requests', message: 'Too many requests.', status: 429 }, { 'Retry-After': '120' }),
    ]);
    const res = await visitorRequest(long.relay);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('120');
    expect(await res.json()).toEqual({ code: 'too_many_requests', message: 'Too many requests.', status: 429 });
    expect(long.dify.calls).toHaveLength(1);
  });

  it('gives up after the last attempt with a Dify-shaped 502', async () => {
    const { relay, dify } = relayOn([502, 502, 502].map((s) => () => new Response('<html>nginx</html>', { status: s })));
    const res = await visitorRequest(relay);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ code: 'internal_server_error', message: 'Dify answered 502.', status: 502 });
    expect(dify.calls).toHaveLength(3);
  });

  it('never retries once a stream has started: a cut stream reaches the widget as cut', async () => {
    const encoder = new TextEncoder();
    const { relay, dify } = relayOn([
      () =>
        new Response(
          new ReadableStream({
            pulls: 0,
            pull(controller) {
              // One event, then the connection breaks (an error after the queue is read).
              if (this.pulls++ === 0) controller.enqueue(encoder.encode('data: {"event":"message","answer":"Hel"}\n\n'));
              else controller.error(new Error('connection reset'));
            },
          } as UnderlyingDefaultSource<Uint8Array> & { pulls: number }),
          { status: 200, headers: { 'Content-Type': 'text/event-stream' } },
        ),
    ]);
    const res = await visitorRequest(relay, '/chat-messages', {
      method: 'POST',
      body: JSON.stringify({ inputs: {}, query: 'hi', response_mode: 'streaming' }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('"Hel"');
    await expect(reader.read()).rejects.toThrow();
    expect(dify.calls).toHaveLength(1);
  });

  it('hides a refused key from the widget and says what to check in the log, masked', async () => {
    const { relay, logged } = relayOn([() => json(401, { code: 'unauthorized', message: 'Access token is invalid', status: 401 })]);
    const res = await visitorRequest(relay);
    // Not a 401: the widget would take it for its own passport and mint again.
    expect(res.status).toBe(502);
    expect(logged.join('\n')).toMatch(/check DIFY_API_KEY/);
    expect(logged.join('\n')).not.toContain('ThisIsTheSecretKey1234');
  });

  it('passes Dify errors on in their own shape', async () => {
    const { relay } = relayOn([() => json(404, { code: 'not_found', message: 'Conversation Not Exists.', status: 404 })]);
    const res = await visitorRequest(relay, '/messages?conversation_id=9b4a3c52-0e47-4a8a-bb8d-2f7c6f3e1a10');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 'not_found', message: 'Conversation Not Exists.', status: 404 });
  });

  it('refuses bad options at start-up with one clear message', () => {
    const base = { difyApiUrl: 'http://dify.test/v1', apiKey: 'app-x', allowedOrigins: [PAGE] };
    expect(() => createRelay({ ...base, apiKey: '' })).toThrow(/apiKey is missing/);
    expect(() => createRelay({ ...base, allowedOrigins: [] })).toThrow(/allowedOrigins is empty/);
    expect(() => createRelay({ ...base, allowedOrigins: ['https://shop.example/'] })).toThrow(/is not an origin/);
    expect(() => createRelay({ ...base, difyApiUrl: 'dify.test' })).toThrow(/difyApiUrl/);
    expect(() => createRelay({ ...base, requireIdentity: true })).toThrow(/needs identitySecret/);
  });
});
