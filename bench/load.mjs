#!/usr/bin/env node
/**
 * `npm run load`: a bounded load test of the mock Dify server (dist/mock/server.js; run
 * `npm run build` first). All traffic goes to 127.0.0.1.
 *
 * - 200 concurrent streaming chats from Node: each its own end user (passport with `?user_id=`),
 *   then one POST /api/chat-messages (streaming), alternately the `demo-chat` app and the
 *   `demo-flow` chatflow (inputs `{ topic: 'tea' }`); the SSE body is read to the end. A chat is
 *   complete when its stream had a `message_end` event; an error is a non-200 status, an `error`
 *   event, a failed connection or a stream that ended without `message_end`.
 * - Meanwhile 20 clients ask for the `long` answer and disconnect after the first event.
 * - Latencies (from the POST): time to first byte (response headers) and to last byte,
 *   p50/p90/p99/max; the passport call is timed too.
 * - Afterwards: `GET /__mock/state` until `runningTasks` is empty (within 5 s), its counts (one
 *   conversation and one message per chat), how fast it answers before and after, and, on Linux,
 *   the server process's resident memory and open file descriptors from /proc (before, after the
 *   load, and once idle keep-alive sockets have closed).
 * - Two rounds on the same server: memory that grows again in the second round (beyond the stored
 *   conversations) would be a leak; the first round also pays for V8 warming up its heap.
 * - Bounded: everything is aborted after 60 s (both rounds) and reported as it stands.
 *
 * - With `--abuse`, one more round adds oversized bodies, slow clients and a probe to the
 *   concurrent streams, and reports the server's memory before, at its peak and after
 *   (bench/lib/abuse.mjs).
 *
 *   node bench/load.mjs [--chats 200] [--disconnects 20] [--rounds 2] [--token-delay 5] [--limit 60]
 *                       [--abuse] [--slow-clients 50] [--oversized 20] [--slow-seconds 15]
 *
 * Prints a table and writes bench/load-results.json.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { abusePassed, abuseRound, printAbuse } from './lib/abuse.mjs';
import { ROOT, apiHeaders, mockState, passport, startMock } from './lib/server.mjs';
import { fmt, percentile, printTable } from './lib/stats.mjs';

const { values: args } = parseArgs({
  options: {
    chats: { type: 'string', default: '200' },
    disconnects: { type: 'string', default: '20' },
    'token-delay': { type: 'string', default: '5' },
    limit: { type: 'string' },
    rounds: { type: 'string', default: '2' },
    abuse: { type: 'boolean', default: false },
    'slow-clients': { type: 'string', default: '50' },
    oversized: { type: 'string', default: '20' },
    'slow-seconds': { type: 'string', default: '15' },
  },
});
const ABUSE = args.abuse;
const SLOW_SECONDS = Number(args['slow-seconds']);
const CHATS = Number(args.chats);
const DISCONNECTS = Number(args.disconnects);
const TOKEN_DELAY_MS = Number(args['token-delay']);
// The abuse round takes about SLOW_SECONDS more.
const LIMIT_MS = Number(args.limit ?? (ABUSE ? 60 + 2 * SLOW_SECONDS : 60)) * 1000;
const ROUNDS = Math.max(1, Number(args.rounds));
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Reads an SSE body to the end (or until `stopAfterFirst`), returning the event names seen.
 * @param {Response} res @param {boolean} [stopAfterFirst]
 */
async function readEvents(res, stopAfterFirst = false) {
  const reader = /** @type {ReadableStream<Uint8Array>} */ (res.body).getReader();
  const decoder = new TextDecoder();
  /** @type {string[]} */
  const events = [];
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (!data) continue;
      try {
        events.push(String(JSON.parse(data.slice(6)).event));
      } catch {
        events.push('(unparsable)');
      }
      if (stopAfterFirst) {
        await reader.cancel();
        return events;
      }
    }
  }
  return events;
}

/**
 * One chat: passport, then a streamed answer read to the end.
 * @param {string} base @param {number} i @param {AbortSignal} signal
 */
async function chat(base, i, signal) {
  const flow = i % 2 === 1;
  const app = flow ? 'demo-flow' : 'demo-chat';
  const result = { app, passportMs: NaN, ttfbMs: NaN, ttlbMs: NaN, status: 0, complete: false, error: /** @type {string | null} */ (null) };
  try {
    const t0 = performance.now();
    const token = await passport(base, app, `load-${Date.now()}-${i}`);
    result.passportMs = performance.now() - t0;
    const t1 = performance.now();
    const res = await fetch(`${base}/api/chat-messages`, {
      method: 'POST',
      headers: apiHeaders(app, token),
      body: JSON.stringify({
        inputs: flow ? { topic: 'tea' } : {},
        query: `Load test question ${i}`,
        response_mode: 'streaming',
        conversation_id: '',
      }),
      signal,
    });
    result.ttfbMs = performance.now() - t1;
    result.status = res.status;
    if (res.status !== 200) {
      result.error = `HTTP ${res.status}: ${(await res.text()).slice(0, 120)}`;
      return result;
    }
    const events = await readEvents(res);
    result.ttlbMs = performance.now() - t1;
    result.complete = events.includes('message_end');
    if (events.includes('error')) result.error = 'error event';
    else if (!result.complete) result.error = `no message_end (last: ${events.at(-1) ?? 'nothing'})`;
  } catch (error) {
    result.error = signal.aborted ? 'aborted at the time limit' : String(/** @type {Error} */ (error)?.cause ?? error);
  }
  return result;
}

/**
 * A client that asks for a long answer and goes away after the first event.
 * @param {string} base @param {number} i @param {AbortSignal} signal
 */
async function disconnect(base, i, signal) {
  try {
    const token = await passport(base, 'demo-chat', `load-gone-${Date.now()}-${i}`);
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const res = await fetch(`${base}/api/chat-messages`, {
      method: 'POST',
      headers: apiHeaders('demo-chat', token),
      body: JSON.stringify({ inputs: {}, query: 'a long answer please', response_mode: 'streaming', conversation_id: '' }),
      signal: controller.signal,
    });
    const events = await readEvents(res, true);
    controller.abort();
    signal.removeEventListener('abort', onAbort);
    return events.length === 1;
  } catch {
    return false;
  }
}

/** Resident memory (MB) and open descriptors of a process, from /proc (Linux only). @param {number} pid */
function processUsage(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
    return { rssMB: Math.round(rss * 10) / 10, fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return { rssMB: NaN, fds: NaN };
  }
}

/** How long GET /__mock/state takes, and what it says. @param {string} base */
async function timedState(base) {
  const t = performance.now();
  const state = await mockState(base);
  return { ms: performance.now() - t, running: state.runningTasks.length, counts: state.counts };
}

const stats = (values) => {
  const v = values.filter((x) => Number.isFinite(x));
  return { p50: percentile(v, 50), p90: percentile(v, 90), p99: percentile(v, 99), max: v.length ? Math.max(...v) : NaN, n: v.length };
};

/**
 * One round: the concurrent chats and the disconnecting clients, then the drain.
 * @param {import('./lib/server.mjs').Mock} mock @param {AbortSignal} signal
 */
async function round(mock, signal) {
  const before = { state: await timedState(mock.url), usage: processUsage(mock.pid) };
  let peakRunning = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      try {
        peakRunning = Math.max(peakRunning, (await mockState(mock.url)).runningTasks.length);
      } catch {
        // the server is busy; try again
      }
      await sleep(250);
    }
  })();
  const loadStarted = performance.now();
  const [chats, gone] = await Promise.all([
    Promise.all(Array.from({ length: CHATS }, (_, i) => chat(mock.url, i, signal))),
    Promise.all(Array.from({ length: DISCONNECTS }, (_, i) => disconnect(mock.url, i, signal))),
  ]);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const loadUsage = processUsage(mock.pid);
  sampling = false;
  await sampler;

  // The runs whose client went away finish silently; runningTasks must drain.
  const drainStarted = performance.now();
  let after = await timedState(mock.url);
  while (after.running > 0 && performance.now() - drainStarted < 5000 && !signal.aborted) {
    await sleep(100);
    after = await timedState(mock.url);
  }
  const drainMs = performance.now() - drainStarted;
  // Idle keep-alive sockets close after the server's 5 s keepAliveTimeout.
  let idleUsage = processUsage(mock.pid);
  for (let waited = 0; waited < 8000 && idleUsage.fds > before.usage.fds && !signal.aborted; waited += 500) {
    await sleep(500);
    idleUsage = processUsage(mock.pid);
  }
  const idle = await timedState(mock.url);
  const errors = chats.filter((c) => c.error);
  return {
    completed: chats.filter((c) => c.complete).length,
    errors: errors.length,
    errorSamples: [...new Set(errors.map((c) => `${c.app}: ${c.error}`))].slice(0, 10),
    byApp: Object.fromEntries(
      ['demo-chat', 'demo-flow'].map((app) => [
        app,
        `${chats.filter((c) => c.app === app && c.complete).length}/${chats.filter((c) => c.app === app).length}`,
      ]),
    ),
    loadSeconds,
    passportMs: stats(chats.map((c) => c.passportMs)),
    ttfbMs: stats(chats.map((c) => c.ttfbMs)),
    ttlbMs: stats(chats.map((c) => c.ttlbMs)),
    disconnectsAfterFirstEvent: gone.filter(Boolean).length,
    peakRunningTasks: peakRunning,
    runningTasksAfter: after.running,
    drainMs,
    stored: {
      conversations: idle.counts.conversations - before.state.counts.conversations,
      messages: idle.counts.messages - before.state.counts.messages,
    },
    stateMs: { before: before.state.ms, afterLoad: after.ms, idle: idle.ms },
    server: { before: before.usage, afterLoad: loadUsage, idle: idleUsage },
  };
}

const started = Date.now();
const mock = await startMock({ tokenDelayMs: TOKEN_DELAY_MS });
const limit = new AbortController();
const timer = setTimeout(() => limit.abort(), LIMIT_MS);
/** @type {Awaited<ReturnType<typeof round>>[]} */
const rounds = [];
/** @type {Awaited<ReturnType<typeof abuseRound>> | null} */
let abuse = null;
try {
  // Warm the server's code paths up first.
  for (let i = 0; i < 4; i++) await chat(mock.url, i, limit.signal);
  for (let i = 0; i < ROUNDS && !limit.signal.aborted; i++) rounds.push(await round(mock, limit.signal));
  if (ABUSE && !limit.signal.aborted) {
    abuse = await abuseRound({
      base: mock.url,
      streams: CHATS,
      slowClients: Number(args['slow-clients']),
      oversizedCount: Number(args.oversized),
      slowSeconds: SLOW_SECONDS,
      chat,
      signal: limit.signal,
    });
  }
  if (!mock.alive) throw new Error('the mock server died');
} catch (error) {
  if (!mock.alive) console.error(`the mock server exited (${mock.exitStatus})${mock.stderr ? `:\n${mock.stderr.slice(-2000)}` : ''}`);
  throw error;
} finally {
  clearTimeout(timer);
  await mock.stop();
}
const out = {
  date: new Date().toISOString(),
  settings: {
    chats: CHATS,
    disconnects: DISCONNECTS,
    rounds: ROUNDS,
    tokenDelayMs: TOKEN_DELAY_MS,
    limitSeconds: LIMIT_MS / 1000,
    abuse: ABUSE,
  },
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
  },
  timedOut: limit.signal.aborted,
  rounds,
  abuse,
};

const lat = (label, s) => [label, fmt(s.p50), fmt(s.p90), fmt(s.p99), fmt(s.max)];
const mark = (ok) => (ok ? '✓' : '✗');
rounds.forEach((r, i) => {
  const n = `round ${i + 1}`;
  printTable(
    `Load ${n}: ${CHATS} concurrent streaming chats (tokenDelayMs ${TOKEN_DELAY_MS}) + ${DISCONNECTS} early disconnects, in ${fmt(r.loadSeconds, 2)} s`,
    ['latency (ms)', 'p50', 'p90', 'p99', 'max'],
    [lat('passport', r.passportMs), lat('chat: time to first byte', r.ttfbMs), lat('chat: time to last byte', r.ttlbMs)],
  );
  printTable(
    `Outcome, ${n}`,
    ['figure', 'value', 'target'],
    [
      [
        'completed streams (message_end seen)',
        `${r.completed}/${CHATS} (chat ${r.byApp['demo-chat']}, flow ${r.byApp['demo-flow']})`,
        `${CHATS}/${CHATS} ${mark(r.completed === CHATS)}`,
      ],
      ['errors', String(r.errors), `0 ${mark(r.errors === 0)}`],
      ['clients gone after their first event', `${r.disconnectsAfterFirstEvent}/${DISCONNECTS}`, ''],
      [
        'running tasks: peak during the load / after',
        `${r.peakRunningTasks} / ${r.runningTasksAfter} (drained in ${fmt(r.drainMs, 0)} ms)`,
        `0 within 5 s ${mark(r.runningTasksAfter === 0)}`,
      ],
      [
        'conversations / messages stored',
        `${r.stored.conversations} / ${r.stored.messages}`,
        `${CHATS + DISCONNECTS} each ${mark(r.stored.conversations === CHATS + DISCONNECTS && r.stored.messages === CHATS + DISCONNECTS)}`,
      ],
      [
        'GET /__mock/state: before / right after / idle (ms)',
        `${fmt(r.stateMs.before)} / ${fmt(r.stateMs.afterLoad)} / ${fmt(r.stateMs.idle)}`,
        '',
      ],
      [
        'server RSS: before / after load / idle (MB)',
        `${fmt(r.server.before.rssMB)} / ${fmt(r.server.afterLoad.rssMB)} / ${fmt(r.server.idle.rssMB)}`,
        '',
      ],
      [
        'server open fds: before / after load / idle',
        `${r.server.before.fds} / ${r.server.afterLoad.fds} / ${r.server.idle.fds}`,
        `back to ${r.server.before.fds} ${mark(r.server.idle.fds <= r.server.before.fds)}`,
      ],
    ],
  );
  for (const line of r.errorSamples) console.log(`   error: ${line}`);
});
if (abuse) printAbuse(abuse, SLOW_SECONDS);
if (out.timedOut) console.log(`\nhit the ${LIMIT_MS / 1000} s time limit: everything still running was aborted`);
writeFileSync(resolve(ROOT, 'bench', 'load-results.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(
  `\nload average ${out.machine.loadAverage.join(' / ')}; took ${((Date.now() - started) / 1000).toFixed(0)} s; written bench/load-results.json`,
);
if (out.timedOut || rounds.some((r) => r.completed !== CHATS || r.errors) || (abuse && !abusePassed(abuse))) process.exitCode = 1;
