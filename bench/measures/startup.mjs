/**
 * 2. Script start → bubble painted, and the main-thread cost the widget adds to a page.
 *
 * - Script start: the moment the renderer's main thread begins to evaluate embed.min.js, read
 *   from a trace of a fourth, traced load (`EvaluateScript`), placed on the page's clock through a
 *   `console.timeStamp` next to the stored time below. End: the paint of the first frame that shows
 *   the bubble's button (rAF + MessageChannel, see lib/browser.mjs). This is the widget's own
 *   path: compile, run, first frame.
 * - Also given, untraced: from an inline script right before `<script src="/embed.min.js">`
 *   (the parser reaching the tag) to that paint. It adds Chromium dispatching the preloaded
 *   request and the parser first rendering the host page in a fresh renderer, which any script
 *   at that place waits for; and "script downloaded → painted", from max(that time, the script's
 *   resource-timing responseEnd).
 * - Three untraced loads per run, each in a fresh context and read once the network has been quiet for
 *   300 ms: the page without the widget (blank), the page with the widget but its idle-time
 *   prefetch of the chat file held back (`requestIdleCallback` stubbed: bubble only), and the page
 *   as it is (bubble + idle prefetch).
 * - Total blocking time of each: Σ max(0, duration − 50 ms) over the page's 'longtask' entries
 *   (buffered PerformanceObserver), and the longest task.
 * - Added main-thread time: CDP `Performance.getMetrics` of the widget page minus the blank page:
 *   ThreadTime (main-thread CPU, robust on a busy machine), TaskDuration (wall time of all tasks)
 *   and ScriptDuration (script evaluation).
 */
import { freshPage, metrics, widgetConfig } from '../lib/browser.mjs';
import { hostPage } from '../lib/site.mjs';
import { printTable, range, summarize, verdict } from '../lib/stats.mjs';

export const TARGETS = { paintMs: 50 };

const BUBBLE_LAID_OUT = `() => (document.getElementById('dify-chatbot-bubble-button')?.shadowRoot?.querySelector('button')?.getBoundingClientRect().width ?? 0) > 0`;
// console.timeStamp puts the stored time into a trace too, so trace events can be placed on the
// page's performance.now() clock (see scriptRuns).
const ARM = `window.__t0 = performance.now(); console.timeStamp('bench-t0'); window.__bench.when(${BUBBLE_LAID_OUT}).then((r) => (window.__bubble = r));`;

/**
 * One page load; returns its settled metrics.
 * @param {import('@playwright/test').Browser} browser @param {string} url
 * @param {{ widget: boolean, noIdle?: boolean }} options
 */
async function load(browser, url, { widget, noIdle = false }) {
  const { context, page, cdp, network } = await freshPage(browser, { noIdle });
  try {
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    await page.goto(url);
    if (widget) await page.waitForFunction('window.__bubble', null, { timeout: 10_000 });
    await network.quiet(300);
    const m = await metrics(cdp);
    const inPage = await page.evaluate(() => {
      const w = /** @type {any} */ (window);
      const tasks = w.__bench.longTasks;
      const script = performance.getEntriesByType('resource').find((e) => /\/embed\.min\.js$/.test(e.name));
      return {
        t0: w.__t0,
        scriptEnd: script ? script.responseEnd : null,
        bubble: w.__bubble ?? null,
        tbt: tasks.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
        longest: tasks.reduce((max, t) => Math.max(max, t.duration), 0),
      };
    });
    return { taskMs: m.TaskDuration * 1000, cpuMs: m.ThreadTime * 1000, scriptMs: m.ScriptDuration * 1000, ...inPage };
  } finally {
    await context.close();
  }
}

/**
 * One more load of the page as it is, traced: when the renderer's main thread began to evaluate
 * embed.min.js (the trace's `EvaluateScript` for it), on the page's clock. Until then the script
 * waits for Chromium to dispatch its request and for the parser, which first renders the host
 * page; that is the page's and the browser's time, not the widget's.
 * @param {import('@playwright/test').Browser} browser @param {string} url
 */
async function scriptRuns(browser, url) {
  const { context, page } = await freshPage(browser);
  try {
    await browser.startTracing(page, { categories: ['devtools.timeline'] });
    await page.goto(url);
    await page.waitForFunction('window.__bubble', null, { timeout: 10_000 });
    const { t0, bubble } = await page.evaluate(() => ({
      t0: /** @type {any} */ (window).__t0,
      bubble: /** @type {any} */ (window).__bubble,
    }));
    const { traceEvents = [] } = JSON.parse((await browser.stopTracing()).toString('utf8'));
    const stamp = traceEvents.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === 'bench-t0');
    const evaluate = traceEvents.find((e) => e.name === 'EvaluateScript' && /\/embed\.min\.js$/.test(e.args?.data?.url ?? ''));
    if (!stamp || !evaluate) throw new Error('the trace has no bench-t0 stamp or no EvaluateScript of embed.min.js');
    const runsAt = t0 + (evaluate.ts - stamp.ts) / 1000;
    return { runToPaintMs: bubble.tPainted - runsAt, runToDomMs: bubble.tMet - runsAt, waitMs: runsAt - t0 };
  } finally {
    await context.close();
  }
}

/**
 * @param {{ browser: import('@playwright/test').Browser, site: import('../lib/site.mjs').HostSite, mockUrl: string, runs: number }} env
 */
export async function measureStartup({ browser, site, mockUrl, runs }) {
  const config = widgetConfig(mockUrl);
  const blankUrl = site.add(hostPage({ config, beforeScript: ARM, script: false }));
  const widgetUrl = site.add(hostPage({ config, beforeScript: ARM }));
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const blank = await load(browser, blankUrl, { widget: false });
    const bubble = await load(browser, widgetUrl, { widget: true, noIdle: true });
    const full = await load(browser, widgetUrl, { widget: true });
    const traced = await scriptRuns(browser, widgetUrl);
    samples.push({
      runToPaintMs: traced.runToPaintMs,
      runToDomMs: traced.runToDomMs,
      waitMs: traced.waitMs,
      domMs: full.bubble.tMet - full.t0,
      paintMs: full.bubble.tPainted - full.t0,
      paintAfterDownloadMs: full.bubble.tPainted - Math.max(full.t0, full.scriptEnd ?? 0),
      tbtBlankMs: blank.tbt,
      tbtBubbleMs: bubble.tbt,
      tbtMs: full.tbt,
      longestTaskMs: full.longest,
      bubbleTaskMs: bubble.taskMs - blank.taskMs,
      bubbleCpuMs: bubble.cpuMs - blank.cpuMs,
      bubbleScriptMs: bubble.scriptMs - blank.scriptMs,
      fullTaskMs: full.taskMs - blank.taskMs,
      fullCpuMs: full.cpuMs - blank.cpuMs,
      fullScriptMs: full.scriptMs - blank.scriptMs,
      blankTaskMs: blank.taskMs,
      blankCpuMs: blank.cpuMs,
    });
  }
  /** @type {Record<string, ReturnType<typeof summarize>>} */
  const out = {};
  for (const key of Object.keys(samples[0])) out[key] = summarize(samples.map((s) => s[key]));
  return out;
}

/** @param {Awaited<ReturnType<typeof measureStartup>>} r */
export function printStartup(r) {
  printTable(
    '2. Start-up on a host page (ms, median (min–max))',
    ['figure', 'value', 'target'],
    [
      ['script starts running → bubble in the DOM, laid out (traced load)', range(r.runToDomMs), ''],
      [
        'script starts running → bubble painted (traced load)',
        range(r.runToPaintMs),
        `≤ ${TARGETS.paintMs} ${verdict(r.runToPaintMs.median, TARGETS.paintMs)}`,
      ],
      ['  before that: parser reaches the tag → script starts running', range(r.waitMs), ''],
      ['parser reaches the tag → bubble painted (untraced)', range(r.paintMs), ''],
      ['script downloaded → bubble painted (untraced)', range(r.paintAfterDownloadMs), ''],
      ['total blocking time: blank page', range(r.tbtBlankMs), ''],
      ['total blocking time: bubble only (idle prefetch held back)', range(r.tbtBubbleMs), ''],
      ['total blocking time: with the idle prefetch', range(r.tbtMs), ''],
      ['longest task on the page with the widget', range(r.longestTaskMs), ''],
      ['added by the bubble: main-thread CPU (CDP ThreadTime)', range(r.bubbleCpuMs), ''],
      ['added by the bubble: task time (CDP TaskDuration)', range(r.bubbleTaskMs), ''],
      ['added by the bubble: script time (CDP ScriptDuration)', range(r.bubbleScriptMs), ''],
      ['added with the idle prefetch: main-thread CPU', range(r.fullCpuMs), ''],
      ['added with the idle prefetch: task time', range(r.fullTaskMs), ''],
      ['added with the idle prefetch: script time', range(r.fullScriptMs), ''],
      ['(blank page: task time / CPU, for scale)', `${range(r.blankTaskMs)} / ${range(r.blankCpuMs)}`, ''],
    ],
  );
}
