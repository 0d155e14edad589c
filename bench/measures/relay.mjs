/**
 * 8. What the relay (dify-chatbot-embed/relay) adds on loopback, against the mock's service API.
 *
 * - Time to first byte: the same streamed question straight to the mock's /v1/chat-messages with
 *   the key, and through the relay (node:http handler, passport check, limits, retries armed) with
 *   a relay passport; headers and the first `message` event, alternating the two paths. Added =
 *   median through the relay − median direct.
 * - The relay's own share of the first byte: from the request reaching its node:http handler to
 *   its call to Dify, plus from Dify's response headers to its own `writeHead`. The end-to-end
 *   difference above also holds one more loopback HTTP exchange (relay → Dify), which on a busy
 *   2-core machine costs milliseconds of scheduling by itself; this figure is what the relay's
 *   code costs, and is the one held to the target.
 * - Per event: the relay's fetch is wrapped so that each chunk from Dify is stamped when the relay
 *   reads it; the client stamps when the same event (counted in `data:` blocks) is complete on its
 *   side. Relay, client and their clock share this process; the mock runs in its own.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { requestJson, ROOT, startMock } from '../lib/server.mjs';
import { printTable, range, summarize, verdict } from '../lib/stats.mjs';

export const TARGETS = { addedMs: 2 };
const ORIGIN = 'https://bench.example';
const BODY = { inputs: {}, query: 'Hello there, how are you?', response_mode: 'streaming', conversation_id: '' };

/** Reads a stream; returns when its headers came, and when each data event was complete. */
async function readEvents(res, started) {
  const headersMs = performance.now() - started;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const eventMs = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let at;
    while ((at = buffer.indexOf('\n\n')) >= 0) {
      if (buffer.slice(0, at).startsWith('data: ')) eventMs.push(performance.now());
      buffer = buffer.slice(at + 2);
    }
  }
  return { headersMs, firstEventMs: (eventMs[0] ?? NaN) - started, eventMs };
}

/** A fetch whose response bodies stamp each complete data event as the relay reads it. */
function stampingFetch(stamps, phases) {
  return async (url, init) => {
    phases.at(-1)?.push(performance.now());
    const res = await fetch(url, init);
    phases.at(-1)?.push(performance.now());
    if (!res.body || !String(res.headers.get('content-type')).startsWith('text/event-stream')) return res;
    const times = [];
    stamps.push(times);
    const decoder = new TextDecoder();
    let buffer = '';
    const tap = new TransformStream({
      transform(chunk, controller) {
        buffer += decoder.decode(chunk, { stream: true });
        let at;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          if (buffer.slice(0, at).startsWith('data: ')) times.push(performance.now());
          buffer = buffer.slice(at + 2);
        }
        controller.enqueue(chunk);
      },
    });
    return new Response(res.body.pipeThrough(tap), { status: res.status, headers: res.headers });
  };
}

/** @param {{ runs: number }} env */
export async function measureRelay({ runs }) {
  const { createRelay } = await import(pathToFileURL(resolve(ROOT, 'dist', 'relay', 'index.js')).href);
  // The console API needs the admin secret; startMock passes this process's environment on.
  const adminSecret = randomBytes(12).toString('hex');
  const previous = process.env.MOCK_ADMIN_SECRET;
  process.env.MOCK_ADMIN_SECRET = adminSecret;
  const mock = await startMock({ tokenDelayMs: 5 });
  if (previous === undefined) delete process.env.MOCK_ADMIN_SECRET;
  else process.env.MOCK_ADMIN_SECRET = previous;

  const stamps = [];
  /** Per relayed request: [arrived, calls Dify, Dify's headers, writeHead]. */
  const phases = [];
  let server;
  let relay;
  try {
    const admin = { Authorization: `Bearer ${adminSecret}` };
    await requestJson(`${mock.url}/console/api/apps/demo-chat/rate-limit`, {
      method: 'POST',
      headers: admin,
      json: { per_minute: 100_000, per_hour: 1_000_000 },
    });
    const { token: key } = await requestJson(`${mock.url}/console/api/apps/demo-chat/api-keys`, { method: 'POST', headers: admin });
    const lots = { perMinute: 100_000, perHour: 1_000_000 };
    relay = createRelay({
      difyApiUrl: `${mock.url}/v1`,
      apiKey: key,
      allowedOrigins: [ORIGIN],
      visitorLimit: lots,
      ipLimit: lots,
      log: false,
      fetch: stampingFetch(stamps, phases),
    });
    server = createServer((req, res) => {
      const times = [performance.now()];
      phases.push(times);
      const writeHead = res.writeHead.bind(res);
      res.writeHead = (...args) => {
        times.push(performance.now());
        return writeHead(...args);
      };
      relay.node(req, res);
    });
    await new Promise((done) => server.listen(0, '127.0.0.1', done));
    const relayUrl = `http://127.0.0.1:${server.address().port}`;
    const { access_token: passport } = await requestJson(`${relayUrl}/passport`, { headers: { Origin: ORIGIN } });

    const direct = () =>
      fetch(`${mock.url}/v1/chat-messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...BODY, user: 'bench' }),
      });
    const relayed = () =>
      fetch(`${relayUrl}/chat-messages`, {
        method: 'POST',
        headers: { Origin: ORIGIN, 'X-App-Code': 'relay', 'X-App-Passport': passport, 'Content-Type': 'application/json' },
        body: JSON.stringify(BODY),
      });
    // Warm both paths (connections, JIT) before measuring.
    for (const go of [direct, relayed]) await readEvents(await go(), performance.now());
    stamps.length = 0;
    phases.length = 0;

    const samples = { directHeaders: [], directFirst: [], relayHeaders: [], relayFirst: [], perEvent: [] };
    const perRun = 4;
    for (let i = 0; i < runs * perRun; i++) {
      const order = i % 2 ? [direct, relayed] : [relayed, direct];
      for (const go of order) {
        const started = performance.now();
        const result = await readEvents(await go(), started);
        if (go === direct) {
          samples.directHeaders.push(result.headersMs);
          samples.directFirst.push(result.firstEventMs);
        } else {
          samples.relayHeaders.push(result.headersMs);
          samples.relayFirst.push(result.firstEventMs);
          const upstream = stamps.shift() ?? [];
          result.eventMs.forEach((t, k) => {
            if (upstream[k] !== undefined) samples.perEvent.push(t - upstream[k]);
          });
        }
      }
    }
    samples.ownFirstByte = phases
      .filter((t) => t.length === 4)
      .map(([arrived, calls, headers, written]) => calls - arrived + (written - headers));
    const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
    return {
      ...s,
      addedHeadersMs: s.relayHeaders.median - s.directHeaders.median,
      addedFirstEventMs: s.relayFirst.median - s.directFirst.median,
      streams: runs * perRun,
    };
  } finally {
    server?.closeAllConnections();
    await new Promise((done) => (server ? server.close(done) : done()));
    await relay?.close();
    await mock.stop();
  }
}

export function printRelay(r) {
  const added = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
  printTable(
    `8. The relay's added latency on loopback (ms, median (min–max), ${r.streams} streams each way)`,
    ['figure', 'value', 'target'],
    [
      ['direct to /v1: → response headers', range(r.directHeaders, 2), ''],
      ['through the relay: → response headers', range(r.relayHeaders, 2), ''],
      ['direct to /v1: → first message event', range(r.directFirst, 2), ''],
      ['through the relay: → first message event', range(r.relayFirst, 2), ''],
      ['end to end, added to the first byte (headers)', added(r.addedHeadersMs), ''],
      ['end to end, added to the first event (one more HTTP exchange)', added(r.addedFirstEventMs), ''],
      [
        "the relay's own time to first byte (handler → Dify, Dify → writeHead)",
        range(r.ownFirstByte, 2),
        `≤ ${TARGETS.addedMs} ${verdict(r.ownFirstByte.median, TARGETS.addedMs)}`,
      ],
      [
        `added per event (relay reads it → client has it; ${r.perEvent.n} events)`,
        range(r.perEvent, 2),
        `≤ ${TARGETS.addedMs} ${verdict(r.perEvent.median, TARGETS.addedMs)}`,
      ],
    ],
  );
}
