/**
 * `npm run load -- --abuse`: the mock under abuse, all on 127.0.0.1. At the same time:
 * - the streaming chats of a load round (200 by default);
 * - oversized bodies, sent chunked (so the server has to measure them as they arrive): JSON chat
 *   messages of 64 MB and image uploads of 256 MB, which must be refused (413, or 503 once the
 *   server's body budget is spent) long before they are sent; and uploads declaring 1 GB;
 * - slow clients: sockets that trickle header lines (slowloris) or a body, one piece a second,
 *   each let go after `slowSeconds` at most;
 * - a probe: a normal blocking chat every 500 ms, which must keep being answered.
 * Memory (RSS, V8 heap, array buffers) comes from GET /__mock/state, before, at its peak during the
 * abuse, and once idle. Everything is bounded in count and time, so the run stops by itself.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { mockState, passport } from './server.mjs';
import { fmt, percentile, printTable } from './stats.mjs';

const MB = 1024 * 1024;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * POSTs `head` and then filler in 64 KB writes that wait for the socket, until the server answers
 * or `planned` bytes are out. Resolves with the status and how much had been written by then.
 * @param {string} base @param {string} path @param {Record<string, string>} headers @param {string} head @param {number} planned
 * @param {AbortSignal} signal
 * @returns {Promise<{ status: number, sentMB: number, ms: number }>}
 */
function oversized(base, path, headers, head, planned, signal) {
  const started = performance.now();
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    const req = request(`${base}${path}`, { method: 'POST', headers, signal }, (res) => {
      answered = true;
      const result = { status: res.statusCode ?? 0, sentMB: sent / MB, ms: performance.now() - started };
      res.resume();
      res.on('end', () => {
        req.destroy();
        resolve(result);
      });
    });
    req.on('error', () => {
      if (!answered) resolve({ status: 0, sentMB: sent / MB, ms: performance.now() - started });
    });
    const filler = Buffer.alloc(64 * 1024, 0x61);
    const pump = () => {
      while (!answered && sent < planned && !req.destroyed) {
        sent += filler.length;
        if (!req.write(filler)) return void req.once('drain', pump);
      }
      if (!answered && !req.destroyed) req.end();
    };
    req.write(head);
    pump();
  });
}

/**
 * A socket that sends `opening` and then `drip()` once a second, until the server closes it or
 * `seconds` pass. Resolves with when the server closed it (null: the bench let go first).
 * @param {URL} url @param {string} opening @param {() => string} drip @param {number} seconds
 * @returns {Promise<number | null>}
 */
function slowClient(url, opening, drip, seconds) {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let done = false;
    const finish = (closedByServer) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      clearTimeout(deadline);
      socket.destroy();
      resolve(closedByServer ? (performance.now() - started) / 1000 : null);
    };
    const timer = setInterval(() => socket.writable && socket.write(drip()), 1000);
    const deadline = setTimeout(() => finish(false), seconds * 1000);
    socket.on('connect', () => socket.write(opening));
    socket.on('data', () => {}); // a 408 may come first; the close is what counts
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

/** @param {string} base @returns {Promise<Record<string, number>>} */
const memoryOf = async (base) => (await mockState(base)).memory;

/**
 * @param {{ base: string, streams: number, slowClients: number, oversizedCount: number, slowSeconds: number,
 *   chat: (base: string, i: number, signal: AbortSignal) => Promise<{ complete: boolean, error: string | null }>, signal: AbortSignal }} opts
 */
export async function abuseRound(opts) {
  const { base, signal } = opts;
  const url = new URL(base);
  const before = await memoryOf(base);
  const token = await passport(base, 'demo-chat', `abuse-${Date.now()}`);
  const auth = { 'X-App-Code': 'demo-chat', 'X-App-Passport': token };

  let running = true;
  const peak = { ...before };
  const probes = { ok: 0, failed: 0, /** @type {number[]} */ ms: [] };
  const watch = (async () => {
    for (let i = 0; running && !signal.aborted; i++) {
      const t = performance.now();
      try {
        const res = await fetch(`${base}/api/chat-messages`, {
          method: 'POST',
          headers: { ...auth, 'Content-Type': 'application/json' },
          body: JSON.stringify({ inputs: {}, query: `probe ${i}`, response_mode: 'blocking', conversation_id: '' }),
          signal: AbortSignal.timeout(10_000),
        });
        const body = await res.json();
        if (res.status === 200 && typeof body.answer === 'string') probes.ok++;
        else probes.failed++;
        probes.ms.push(performance.now() - t);
      } catch {
        probes.failed++;
      }
      await sleep(500);
    }
  })();
  const sampler = (async () => {
    while (running && !signal.aborted) {
      try {
        for (const [key, value] of Object.entries(await memoryOf(base))) peak[key] = Math.max(peak[key] ?? 0, value);
      } catch {
        // busy; the next sample will do
      }
      await sleep(100);
    }
  })();

  const boundary = 'abuse-boundary';
  const json = { ...auth, 'Content-Type': 'application/json' };
  const multipart = { ...auth, 'Content-Type': `multipart/form-data; boundary=${boundary}` };
  const fileHead = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.png"\r\nContent-Type: image/png\r\n\r\n`;
  const many = (n, make) => Promise.all(Array.from({ length: n }, (_, i) => make(i)));
  const started = performance.now();
  const [chats, jsonBodies, uploads, declared, slowHeaders, slowBodies] = await Promise.all([
    many(opts.streams, (i) => opts.chat(base, i, signal)),
    many(opts.oversizedCount, () => oversized(base, '/api/chat-messages', json, '{"inputs":{},"query":"', 64 * MB, signal)),
    many(opts.oversizedCount, () => oversized(base, '/api/files/upload', multipart, fileHead, 256 * MB, signal)),
    many(opts.oversizedCount, () =>
      oversized(base, '/api/files/upload', { ...multipart, 'Content-Length': String(1024 * MB) }, fileHead, 256 * MB, signal),
    ),
    many(opts.slowClients, () =>
      slowClient(url, `POST /api/chat-messages HTTP/1.1\r\nHost: ${url.host}\r\n`, () => 'X-Slow: still here\r\n', opts.slowSeconds),
    ),
    many(opts.slowClients, () =>
      slowClient(
        url,
        `POST /api/chat-messages HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{`,
        () => ' ',
        opts.slowSeconds,
      ),
    ),
  ]);
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await Promise.all([watch, sampler]);

  // Idle: the streams are over, sockets closed; give the server a moment to collect.
  let idle = await memoryOf(base);
  for (let waited = 0; waited < 6000 && idle.bodiesBeingRead > 0 && !signal.aborted; waited += 250) {
    await sleep(250);
    idle = await memoryOf(base);
  }
  const refused = (list) => list.filter((r) => r.status === 413 || r.status === 503).length;
  const closed = (list) => list.filter((t) => t !== null);
  return {
    seconds,
    streams: { completed: chats.filter((c) => c.complete).length, total: opts.streams },
    oversized: Object.fromEntries(
      Object.entries({ json: jsonBodies, upload: uploads, declared }).map(([name, list]) => [
        name,
        {
          refused: refused(list),
          total: list.length,
          statuses: [...new Set(list.map((r) => r.status))].sort(),
          maxSentMB: Math.max(...list.map((r) => r.sentMB)),
          maxMs: Math.max(...list.map((r) => r.ms)),
        },
      ]),
    ),
    slowHeaders: {
      closedByServer: closed(slowHeaders).length,
      total: slowHeaders.length,
      afterSeconds: Math.max(0, ...closed(slowHeaders)),
    },
    slowBodies: { closedByServer: closed(slowBodies).length, total: slowBodies.length },
    probes: { ok: probes.ok, failed: probes.failed, p50: percentile(probes.ms, 50), max: Math.max(0, ...probes.ms) },
    memory: { before, peak, idle },
  };
}

/** @param {Awaited<ReturnType<typeof abuseRound>>} r @param {number} slowSeconds */
export function printAbuse(r, slowSeconds) {
  const mark = (ok) => (ok ? '✓' : '✗');
  const o = r.oversized;
  const row = (label, x, limitMB) => [
    label,
    `${x.refused}/${x.total} (status ${x.statuses.join(', ')}); at most ${fmt(x.maxSentMB)} MB sent, ${fmt(x.maxMs, 0)} ms`,
    `all refused before ${limitMB} MB ${mark(x.refused === x.total && x.maxSentMB < limitMB)}`,
  ];
  printTable(
    `Abuse, all at once, in ${fmt(r.seconds, 1)} s`,
    ['figure', 'value', 'target'],
    [
      ['streaming chats completed', `${r.streams.completed}/${r.streams.total}`, `all ${mark(r.streams.completed === r.streams.total)}`],
      row('64 MB JSON bodies, chunked: refused', o.json, 64),
      row('256 MB image uploads, chunked: refused', o.upload, 64),
      row('uploads declaring 1 GB: refused', o.declared, 64),
      [
        'slowloris (headers, 1 line/s): closed by the server',
        `${r.slowHeaders.closedByServer}/${r.slowHeaders.total}, the last after ${fmt(r.slowHeaders.afterSeconds)} s`,
        `all within ${slowSeconds} s ${mark(r.slowHeaders.closedByServer === r.slowHeaders.total)}`,
      ],
      [
        'slow bodies (1 byte/s): closed by the server',
        `${r.slowBodies.closedByServer}/${r.slowBodies.total} (the rest let go after ${slowSeconds} s)`,
        'cut at the 60 s request timeout',
      ],
      [
        'probe: a blocking chat every 500 ms',
        `${r.probes.ok} answered, ${r.probes.failed} failed; p50 ${fmt(r.probes.p50, 0)} ms, max ${fmt(r.probes.max, 0)} ms`,
        `0 failed ${mark(r.probes.failed === 0 && r.probes.ok > 0)}`,
      ],
    ],
  );
  const m = r.memory;
  const mb = (bytes) => fmt(bytes / MB);
  printTable(
    'Server memory (MB): before / peak during / idle after',
    ['figure', 'before', 'peak', 'idle'],
    [
      ['RSS', mb(m.before.rss), mb(m.peak.rss), mb(m.idle.rss)],
      ['V8 heap used', mb(m.before.heapUsed), mb(m.peak.heapUsed), mb(m.idle.heapUsed)],
      ['array buffers (request bodies, uploads)', mb(m.before.arrayBuffers), mb(m.peak.arrayBuffers), mb(m.idle.arrayBuffers)],
      ['request bodies being read', mb(m.before.bodiesBeingRead), mb(m.peak.bodiesBeingRead), mb(m.idle.bodiesBeingRead)],
    ],
  );
}

/** True when the abuse round met its targets. @param {Awaited<ReturnType<typeof abuseRound>>} r */
export const abusePassed = (r) =>
  r.streams.completed === r.streams.total &&
  Object.values(r.oversized).every((x) => x.refused === x.total && x.maxSentMB < 64) &&
  r.slowHeaders.closedByServer === r.slowHeaders.total &&
  r.probes.failed === 0 &&
  r.probes.ok > 0;
