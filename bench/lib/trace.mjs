/**
 * The longest main-thread tasks of the page's renderer from a Chromium trace (category
 * 'toplevel'): each task's wall duration (`dur`) and the main thread's CPU time in it (`tdur`).
 * CPU time is what the widget costs; wall time also counts waiting for a core on a busy machine.
 */

/**
 * @param {import('@playwright/test').Browser} browser @param {import('@playwright/test').Page} page
 */
export async function startTrace(browser, page) {
  await browser.startTracing(page, { categories: ['toplevel'], screenshots: false });
}

/**
 * Stops tracing; returns the tasks of the busiest renderer main thread between `fromSec` and
 * `toSec` (CDP monotonic seconds, the trace's clock), longest first.
 * @param {import('@playwright/test').Browser} browser @param {number} fromSec @param {number} toSec
 */
export async function stopTrace(browser, fromSec, toSec) {
  const buffer = await browser.stopTracing();
  const { traceEvents = [] } = JSON.parse(buffer.toString('utf8'));
  /** @type {Set<string>} */
  const mains = new Set();
  for (const e of traceEvents)
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') mains.add(`${e.pid}:${e.tid}`);
  const from = fromSec * 1e6;
  const to = toSec * 1e6;
  /** @type {Map<string, Array<{ wallMs: number, cpuMs: number }>>} */
  const byThread = new Map();
  for (const e of traceEvents) {
    if (e.ph !== 'X' || !/RunTask$/.test(e.name) || e.ts < from || e.ts > to) continue;
    const key = `${e.pid}:${e.tid}`;
    if (!mains.has(key)) continue;
    if (!byThread.has(key)) byThread.set(key, []);
    byThread.get(key).push({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? e.dur ?? 0) / 1000 });
  }
  let tasks = [];
  for (const list of byThread.values()) if (list.length > tasks.length) tasks = list;
  return {
    tasks: tasks.length,
    longestWallMs: Math.max(0, ...tasks.map((t) => t.wallMs)),
    longestCpuMs: Math.max(0, ...tasks.map((t) => t.cpuMs)),
    over50WallMs: tasks.filter((t) => t.wallMs > 50).length,
    over50CpuMs: tasks.filter((t) => t.cpuMs > 50).length,
  };
}
