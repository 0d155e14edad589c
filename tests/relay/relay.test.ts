import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signVisitor } from '../../relay/index.ts';
import { names, readAll, SseReader } from '../mock/helpers.ts';
import { PAGE, type RunningRelay, serveRelay, startUpstream, type Upstream, widget } from './helpers.ts';

const IDENTITY_SECRET = 'shared-with-the-site-backend';
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('the relay in front of the service API', () => {
  let upstream: Upstream;
  let relay: RunningRelay;
  const logged: string[] = [];

  beforeAll(async () => {
    upstream = await startUpstream('demo-chat', 20);
    relay = await serveRelay({
      difyApiUrl: `${upstream.mock.url}/v1`,
      apiKey: upstream.key,
      identitySecret: IDENTITY_SECRET,
      inputs: (visitor) => ({ name: visitor.signed ? `member ${visitor.user}` : 'guest' }),
      log: (line) => logged.push(line),
    });
  });
  afterAll(async () => {
    await relay?.close();
    await upstream?.close();
  });

  it('mints an anonymous passport and streams an answer as it is generated', async () => {
    const w = widget(relay.url);
    expect((await w.login()).status).toBe(200);
    expect(w.passport).toMatch(/^rp1\./);
    const started = Date.now();
    const res = await w.ask('hello through the relay');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('access-control-allow-origin')).toBe(PAGE);
    const reader = new SseReader(res);
    const first = await reader.next();
    const firstAt = Date.now() - started;
    const rest = await reader.all();
    const endAt = Date.now() - started;
    expect(first?.event).toBe('message');
    expect(names(rest).at(-1)).toBe('message_end');
    // Unbuffered: the first token reached us well before the answer was complete (20 ms a token).
    expect(rest.length).toBeGreaterThan(5);
    expect(endAt - firstAt).toBeGreaterThan(60);
  });

  it('answers the widget start-up calls in the web API shapes', async () => {
    const w = widget(relay.url);
    await w.login();
    const site = (await (await w.get('/site')).json()) as { site: { title: string }; end_user_id: string };
    expect(site.site.title).toBe('Acme Support (chat)');
    expect(site.end_user_id).toMatch(/^anon-/);
    const parameters = (await (await w.get('/parameters')).json()) as { suggested_questions_after_answer: { enabled: boolean } };
    expect(parameters.suggested_questions_after_answer.enabled).toBe(true);
    expect(((await (await w.get('/meta')).json()) as { tool_icons: object }).tool_icons).toBeTypeOf('object');
  });

  it('turns a valid signature into the user Dify sees, and keeps the conversation with it', async () => {
    const w = widget(relay.url);
    expect((await w.login(await signVisitor('alice', inAnHour(), IDENTITY_SECRET))).status).toBe(200);
    const { events } = await readAll(await w.ask('who am I'));
    const conversationId = events[0]!.conversation_id as string;
    expect((await upstream.conversationsOf('alice')).map((c) => c.id)).toEqual([conversationId]);
    const messages = (await (await w.get(`/messages?conversation_id=${conversationId}`)).json()) as {
      data: { query: string; inputs: object }[];
    };
    expect(messages.data[0]!.query).toBe('who am I');
    // The server-side input won over whatever the page could send.
    expect(messages.data[0]!.inputs).toEqual({ name: 'member alice' });
  });

  it('never lets the page pick the user or override server inputs', async () => {
    const w = widget(relay.url);
    await w.login();
    const { events } = await readAll(await w.ask('sneaky', { user: 'alice', inputs: { name: 'admin' } }));
    const conversationId = events[0]!.conversation_id as string;
    expect((await upstream.conversationsOf('alice')).map((c) => c.id)).not.toContain(conversationId);
    const list = await w.get(`/messages?conversation_id=${conversationId}&user=alice`);
    const messages = (await list.json()) as { data: { inputs: object }[] };
    expect(messages.data[0]!.inputs).toEqual({ name: 'guest' });
  });

  it('refuses a forged, an unsigned and an expired identity with a clear 401', async () => {
    const forged = (await signVisitor('alice', inAnHour(), 'not-the-secret')) as string;
    const expired = await signVisitor('alice', Math.floor(Date.now() / 1000) - 5, IDENTITY_SECRET);
    for (const [userId, message] of [
      [forged, /not signed by the site/],
      ['alice', /not signed by the site/],
      [expired, /has expired/],
    ] as const) {
      const res = await widget(relay.url).login(userId);
      expect(res.status).toBe(401);
      const body = (await res.json()) as { code: string; message: string; status: number };
      expect(body.code).toBe('unauthorized');
      expect(body.status).toBe(401);
      expect(body.message).toMatch(message);
    }
  });

  it('refuses other origins with a 403 the page can read', async () => {
    const res = await widget(relay.url, 'https://evil.example').login();
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    expect(await res.json()).toEqual({
      code: 'forbidden',
      message: 'This chat relay does not serve pages of https://evil.example.',
      status: 403,
    });
    // A call with no Origin that is not a same-origin browser call is refused too.
    expect((await fetch(`${relay.url}/passport`)).status).toBe(403);
    expect((await fetch(`${relay.url}/passport`, { headers: { 'Sec-Fetch-Site': 'same-origin' } })).status).toBe(200);
  });

  it('answers preflights so the real request can carry its refusal', async () => {
    const res = await fetch(`${relay.url}/chat-messages`, {
      method: 'OPTIONS',
      headers: { Origin: PAGE, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-app-passport' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/X-App-Passport/);
  });

  it('rejects a passport it did not issue, as Dify rejects a bad JWT', async () => {
    const w = widget(relay.url);
    w.passport = 'rp1.eyJ1c2VyIjoiYWxpY2UiLCJzaWduZWQiOnRydWV9.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const res = await w.get('/site');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(((await res.json()) as { message: string }).message).toBe('Invalid token signature.');
  });

  it('passes feedback, suggestions, renames and stops through for the visitor', async () => {
    const w = widget(relay.url);
    await w.login();
    const { events } = await readAll(await w.ask('hi'));
    const end = events.find((e) => e.event === 'message_end')!;
    const messageId = end.message_id as string;
    expect((await w.post(`/messages/${messageId}/feedbacks`, { rating: 'like' })).status).toBe(200);
    const suggested = (await (await w.get(`/messages/${messageId}/suggested-questions`)).json()) as { data: string[] };
    expect(suggested.data.length).toBeGreaterThan(0);
    const renamed = await w.post(`/conversations/${end.conversation_id}/name`, { auto_generate: true });
    expect(((await renamed.json()) as { name: string }).name).toBeTruthy();
    expect(await (await w.post(`/chat-messages/${end.task_id}/stop`, {})).json()).toEqual({ result: 'success' });
    // Another visitor cannot see this one's message.
    const other = widget(relay.url);
    await other.login();
    expect((await other.post(`/messages/${messageId}/feedbacks`, { rating: 'like' })).status).toBe(404);
  });

  it('refuses a body over 1 MiB with 413 and a bad JSON body as Dify does', async () => {
    const w = widget(relay.url);
    await w.login();
    const big = await w.ask('x'.repeat(1024 * 1024 + 10));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { code: string }).code).toBe('request_too_large');
    const bad = await fetch(`${relay.url}/chat-messages`, {
      method: 'POST',
      headers: { Origin: PAGE, 'X-App-Passport': w.passport!, 'Content-Type': 'application/json' },
      body: '{not json',
    });
    expect(await bad.json()).toEqual({
      code: 'bad_request',
      message: 'Invalid JSON payload received or JSON payload is empty.',
      status: 400,
    });
  });

  it('works as Express middleware after a body parser too', async () => {
    const w = widget(relay.url);
    await w.login();
    const { createServer } = await import('node:http');
    // What express.json() leaves behind: the parsed body, and a consumed stream.
    const parsed = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => {
        (req as typeof req & { body: unknown }).body = JSON.parse(text);
        relay.relay.node(req, res);
      });
    });
    await new Promise<void>((resolve) => parsed.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = parsed.address() as { port: number };
      const res = await widget(`http://127.0.0.1:${port}`).ask('parsed already');
      expect(res.status).toBe(401);
      const other = widget(`http://127.0.0.1:${port}`);
      other.passport = w.passport;
      const { events } = await readAll(await other.ask('parsed already'));
      expect(names(events).at(-1)).toBe('message_end');
    } finally {
      parsed.closeAllConnections();
      await new Promise<void>((resolve) => parsed.close(() => resolve()));
    }
  });

  it('never writes a secret to its log', async () => {
    expect(logged.length).toBeGreaterThan(10);
    const joined = logged.join('\n');
    expect(joined).not.toContain(upstream.key);
    expect(joined).not.toMatch(/rp1\.[\w-]+\.[\w-]{20,}/);
    expect(joined).not.toContain(IDENTITY_SECRET);
    expect(joined).not.toMatch(/alice\.\d+\.[\w-]{20,}/);
  });
});
