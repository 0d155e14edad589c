/**
 * 5. Streaming cost: main-thread time per token as a ~50,000-character markdown answer (the mock's
 * `huge` keyword: tables, fenced code, lists) streams at ~100 tokens/s (tokenDelayMs 10).
 *
 * Method:
 * - Every 50 ms, CDP `Performance.getMetrics` (timeDomain 'timeTicks'): the renderer's cumulative
 *   TaskDuration (all main-thread tasks), ScriptDuration, LayoutDuration and RecalcStyleDuration,
 *   with a monotonic Timestamp.
 * - The CDP Network domain records when each body chunk of the POST /api/chat-messages arrived
 *   (same monotonic clock); afterwards `Network.getResponseBody` gives the whole event stream, which
 *   is parsed to know, for every byte offset, how many `message` events (tokens) and answer
 *   characters had arrived. So each answer position (in source characters) has an arrival time.
 * - For the windows 0–1k, 9–10k and 49–50k characters: main-thread time between the arrival of
 *   the window's first and last character (metrics interpolated linearly between samples), divided
 *   by the tokens that arrived in between. Target: cost per token at 50k ≤ 1.5 × at 1k.
 * - The same per token with the main thread's CPU time (`ThreadTime`) instead of task wall time:
 *   on a shared machine wall time also counts waiting for a core.
 * - Longest task: the page's 'longtask' entries (≥ 50 ms) from Enter until the answer shows as
 *   ended (with when the longest started, relative to the last chunk), and a 'toplevel' trace of the
 *   stream for every task's wall and CPU duration. Target: none ≥ 50 ms.
 */
import { freshPage, metrics, openChat, sendAndWaitFirstText, waitAnswerEnded, watchChatRequest, widgetConfig } from '../lib/browser.mjs';
import { setSettings } from '../lib/server.mjs';
import { startTrace, stopTrace } from '../lib/trace.mjs';
import { hostPage } from '../lib/site.mjs';
import { fmt, printTable, range, summarize, verdict } from '../lib/stats.mjs';

export const TARGETS = { ratio: 1.5, longestTaskMs: 50 };
const WINDOWS = [
  { label: '0–1k', lo: 0, hi: 1000 },
  { label: '9–10k', lo: 9000, hi: 10_000 },
  { label: '49–50k', lo: 49_000, hi: 50_000 },
];
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * For every SSE block of `body`: its end byte offset and the tokens/characters of answer so far.
 * @param {string} body
 */
function parseStream(body) {
  /** @type {Array<{ byteEnd: number, tokens: number, chars: number }>} */
  const marks = [];
  let bytes = 0;
  let tokens = 0;
  let chars = 0;
  for (const block of body.split(/(?<=\n\n)/)) {
    bytes += Buffer.byteLength(block);
    const line = block.split('\n').find((l) => l.startsWith('data: '));
    if (line) {
      try {
        const event = JSON.parse(line.slice(6));
        if (event.event === 'message' || event.event === 'agent_message') {
          tokens++;
          chars += String(event.answer ?? '').length;
        }
      } catch {
        // not JSON: not a token
      }
    }
    marks.push({ byteEnd: bytes, tokens, chars });
  }
  return marks;
}

/**
 * Linear interpolation of `key` in samples sorted by `ts`.
 * @param {Array<Record<string, number>>} samples @param {number} ts @param {string} key
 */
function at(samples, ts, key) {
  const i = samples.findIndex((s) => s.ts >= ts);
  if (i === -1) return samples.at(-1)[key];
  if (i === 0) return samples[0][key];
  const a = samples[i - 1];
  const b = samples[i];
  return a[key] + ((b[key] - a[key]) * (ts - a.ts)) / Math.max(1e-9, b.ts - a.ts);
}

/**
 * One streamed huge answer.
 * @param {import('@playwright/test').Browser} browser @param {string} url
 */
async function streamOnce(browser, url) {
  const session = await freshPage(browser);
  const { page, cdp } = session;
  try {
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    const rec = await watchChatRequest(cdp);
    await openChat(session, url);
    /** @type {Array<Record<string, number>>} */
    const samples = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const m = await metrics(cdp);
        samples.push({
          ts: m.Timestamp,
          task: m.TaskDuration * 1000,
          cpu: m.ThreadTime * 1000,
          script: m.ScriptDuration * 1000,
          layout: (m.LayoutDuration + m.RecalcStyleDuration) * 1000,
        });
        await sleep(50);
      }
    })();
    await startTrace(browser, page);
    const first = await sendAndWaitFirstText(page, 'Please give me a huge answer');
    await waitAnswerEnded(page, 120_000);
    await sleep(500); // the work the end of the answer triggers is part of the stream's cost
    sampling = false;
    await sampler;
    const trace = await stopTrace(browser, rec.sentAt, samples.at(-1)?.ts ?? Infinity);
    const longTasks = /** @type {Array<{ start: number, duration: number }>} */ (
      await page.evaluate((from) => window.__bench.longTasks.filter((t) => t.start >= from), first.enterAt)
    );
    const { body, base64Encoded } = await cdp.send('Network.getResponseBody', { requestId: /** @type {string} */ (rec.requestId) });
    const marks = parseStream(base64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body);
    // Arrival time of each chunk and the stream position (tokens, characters) it completed.
    let cumBytes = 0;
    const arrivals = rec.chunks.map((chunk) => {
      cumBytes += chunk.bytes;
      let last = null;
      for (const mark of marks) if (mark.byteEnd <= cumBytes) last = mark;
      return { ts: chunk.at, tokens: last?.tokens ?? 0, chars: last?.chars ?? 0 };
    });
    const total = marks.at(-1) ?? { tokens: 0, chars: 0 };
    // Long tasks relative to the stream's last chunk (page clock → wall clock → CDP clock).
    const lastChunkWall = ((rec.chunks.at(-1)?.at ?? NaN) - rec.sentAt) * 1000 + rec.sentWallMs;
    const longTaskList = longTasks.map((t) => ({
      ms: t.duration,
      fromLastChunkMs: Math.round(first.timeOrigin + t.start - lastChunkWall),
    }));
    const longest = longTaskList.reduce((a, b) => (b.ms > (a?.ms ?? -1) ? b : a), null);
    const arrivalOf = (chars) => arrivals.find((a) => a.chars >= chars) ?? arrivals.at(-1);
    const windows = WINDOWS.map((w) => {
      // A shorter answer (an old mock bundle without `huge`) is measured on its last 1k instead.
      const hi = Math.min(w.hi, total.chars);
      const lo = Math.max(0, hi - (w.hi - w.lo));
      const start = lo === 0 ? arrivals[0] : arrivalOf(lo);
      const end = arrivalOf(hi);
      const tokens = end.tokens - start.tokens;
      const d = (key) => at(samples, end.ts, key) - at(samples, start.ts, key);
      return {
        label: w.label,
        tokens,
        seconds: end.ts - start.ts,
        taskMs: d('task'),
        msPerToken: d('task') / tokens,
        cpuMsPerToken: d('cpu') / tokens,
        scriptMsPerToken: d('script') / tokens,
        layoutMsPerToken: d('layout') / tokens,
        busy: d('task') / ((end.ts - start.ts) * 1000),
      };
    });
    return {
      answerChars: total.chars,
      tokens: total.tokens,
      streamSeconds: (rec.finishedAt || rec.chunks.at(-1)?.at || NaN) - rec.sentAt,
      windows,
      ratio: windows[2].msPerToken / windows[0].msPerToken,
      cpuRatio: windows[2].cpuMsPerToken / windows[0].cpuMsPerToken,
      longestTaskMs: longest?.ms ?? 0,
      longestTaskFromLastChunkMs: longest?.fromLastChunkMs ?? NaN,
      longTasks: longTasks.length,
      longTaskList,
      trace,
    };
  } finally {
    await session.context.close();
  }
}

/**
 * @param {{ browser: import('@playwright/test').Browser, site: import('../lib/site.mjs').HostSite, mockUrl: string, runs: number }} env
 */
export async function measureStreaming({ browser, site, mockUrl, runs }) {
  await setSettings(mockUrl, { tokenDelayMs: 10 });
  const url = site.add(hostPage({ config: widgetConfig(mockUrl) }));
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await streamOnce(browser, url));
  const windows = WINDOWS.map((w, i) => {
    const of = (key) => summarize(samples.map((s) => s.windows[i][key]));
    return {
      label: w.label,
      tokens: of('tokens'),
      msPerToken: of('msPerToken'),
      cpuMsPerToken: of('cpuMsPerToken'),
      scriptMsPerToken: of('scriptMsPerToken'),
      layoutMsPerToken: of('layoutMsPerToken'),
      busy: of('busy'),
    };
  });
  return {
    answerChars: summarize(samples.map((s) => s.answerChars)),
    tokens: summarize(samples.map((s) => s.tokens)),
    streamSeconds: summarize(samples.map((s) => s.streamSeconds)),
    windows,
    ratio: summarize(samples.map((s) => s.ratio)),
    cpuRatio: summarize(samples.map((s) => s.cpuRatio)),
    longestTaskMs: summarize(samples.map((s) => s.longestTaskMs)),
    longTasks: summarize(samples.map((s) => s.longTasks)),
    longestTaskFromLastChunkMs: summarize(samples.map((s) => s.longestTaskFromLastChunkMs)),
    longTaskLists: samples.map((s) => s.longTaskList),
    traceLongestWallMs: summarize(samples.map((s) => s.trace.longestWallMs)),
    traceLongestCpuMs: summarize(samples.map((s) => s.trace.longestCpuMs)),
    traceOver50Cpu: summarize(samples.map((s) => s.trace.over50CpuMs)),
  };
}

/** @param {Awaited<ReturnType<typeof measureStreaming>>} r */
export function printStreaming(r) {
  const rows = [];
  for (const w of r.windows) {
    rows.push([
      `${w.label} chars (${fmt(w.tokens.median, 0)} tokens): task time / token`,
      range(w.msPerToken, 2),
      `script ${fmt(w.scriptMsPerToken.median, 2)}, style+layout ${fmt(w.layoutMsPerToken.median, 2)}, main thread busy ${fmt(w.busy.median * 100, 0)}%`,
    ]);
    rows.push([`${w.label} chars: main-thread CPU / token`, range(w.cpuMsPerToken, 2), '']);
  }
  rows.push(
    ['task time / token, 49–50k ÷ 0–1k', range(r.ratio, 2), `≤ ${TARGETS.ratio} ${verdict(r.ratio.median, TARGETS.ratio)}`],
    ['CPU / token, 49–50k ÷ 0–1k', range(r.cpuRatio, 2), `≤ ${TARGETS.ratio} ${verdict(r.cpuRatio.median, TARGETS.ratio)}`],
    [
      'longest task, longtask observer (0 = none ≥ 50)',
      range(r.longestTaskMs),
      `< ${TARGETS.longestTaskMs} ${verdict(r.longestTaskMs.median, TARGETS.longestTaskMs - 0.001)}`,
    ],
    ['  it started this long after the last chunk arrived (ms; < 0 = before)', range(r.longestTaskFromLastChunkMs, 0), ''],
    ['long tasks (≥ 50 ms) per answer', range(r.longTasks, 0), ''],
    [
      'longest task in the trace: wall',
      range(r.traceLongestWallMs),
      `< ${TARGETS.longestTaskMs} ${verdict(r.traceLongestWallMs.median, TARGETS.longestTaskMs - 0.001)}`,
    ],
    [
      'longest task in the trace: main-thread CPU',
      range(r.traceLongestCpuMs),
      `< ${TARGETS.longestTaskMs} ${verdict(r.traceLongestCpuMs.median, TARGETS.longestTaskMs - 0.001)}`,
    ],
    ['tasks over 50 ms of CPU per answer', range(r.traceOver50Cpu, 0), ''],
  );
  printTable(
    `5. Streaming a ${fmt(r.answerChars.median, 0)}-character markdown answer (${fmt(r.tokens.median, 0)} tokens in ${fmt(r.streamSeconds.median, 1)} s; ms, median (min–max))`,
    ['figure', 'value', 'target / breakdown'],
    rows,
  );
}
