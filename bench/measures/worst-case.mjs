/**
 * 7. Worst-case answers (`worst-case`): the shapes that made marked slow or overflowed its stack,
 * at 15, 30 and 60 KB. The mock answers with the shape (its `answerText` setting) in one delta;
 * measured from Enter to the answer fully rendered (done, and the chat window's DOM quiet for
 * 300 ms): the main thread's CPU time (CDP `ThreadTime`) and the longest task (the page's
 * `longtask` entries). Growth per doubling: the CPU time at 30 ÷ 15 KB and 60 ÷ 30 KB (linear is
 * 2; the target is at most 2.5).
 */
import { freshPage, metrics, openChat, widgetConfig } from '../lib/browser.mjs';
import { setSettings } from '../lib/server.mjs';
import { hostPage } from '../lib/site.mjs';
import { printTable, summarize } from '../lib/stats.mjs';

export const TARGETS = { growthPerDoubling: 2.5, longestTaskMs: 100 };
const SIZES = [15_000, 30_000, 60_000];
/** [name, the shape at about n characters] */
const SHAPES = [
  ['"*" ×n/2, x, "*" ×n/2', (n) => `${'*'.repeat(n / 2)}x${'*'.repeat(n / 2)}`],
  ['"> " nested', (n) => `${'> '.repeat(n / 2)}x`],
  ['"1. " nested', (n) => `${'1. '.repeat(n / 3)}x`],
  ['"_a*" repeated', (n) => '_a*'.repeat(n / 3)],
  ['"- *" repeated', (n) => '- *'.repeat(n / 3)],
  ['"*x *x " repeated', (n) => '*x *x '.repeat(n / 6)],
  ['"a|b\\n-|\\n" repeated', (n) => 'a|b\n-|\n'.repeat(n / 7)],
  ['one-word lines', (n) => 'word\n'.repeat(n / 5)],
];

const RENDERED = `new Promise((done) => {
  const root = window.__bench.root('window');
  let last = performance.now();
  const observer = new MutationObserver(() => (last = performance.now()));
  observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  const check = () => {
    const answer = [...root.querySelectorAll('.turn .answer')].at(-1);
    if (answer?.dataset.status === 'done' && performance.now() - last > 300) return observer.disconnect(), done(last);
    setTimeout(check, 50);
  };
  check();
})`;

/** One answer: CPU ms from Enter to rendered, and the longest task meanwhile. */
async function renderOnce(browser, url, mockUrl, text) {
  const { context, page, network } = await freshPage(browser);
  try {
    await setSettings(mockUrl, { answerText: text, answerChunkChars: text.length, tokenDelayMs: 0 });
    await openChat({ page, network }, url);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.keyboard.type('worst case');
    const before = await metrics(cdp);
    const since = await page.evaluate('performance.now()');
    await page.keyboard.press('Enter');
    await page.evaluate(`window.__bench.within(${RENDERED}, 60000, 'the rendered answer')`);
    const after = await metrics(cdp);
    const longTasks = await page.evaluate(`window.__bench.longTasks.filter((t) => t.start >= ${since}).map((t) => t.duration)`);
    return { cpuMs: (after.ThreadTime - before.ThreadTime) * 1000, longestTaskMs: Math.max(0, ...longTasks) };
  } finally {
    await context.close();
  }
}

/**
 * @param {{ browser: import('@playwright/test').Browser, site: import('../lib/site.mjs').HostSite, mockUrl: string, runs: number }} env
 */
export async function measureWorstCase({ browser, site, mockUrl, runs }) {
  const results = [];
  try {
    for (const [name, shape] of SHAPES) {
      const row = { name, sizes: {} };
      for (const size of SIZES) {
        const text = shape(size);
        const samples = [];
        for (let run = 0; run < runs; run++) {
          const url = site.add(
            hostPage({ config: widgetConfig(mockUrl, { systemVariables: { user_id: `bench-worst-${Date.now()}-${run}` } }) }),
          );
          samples.push(await renderOnce(browser, url, mockUrl, text));
        }
        row.sizes[size] = {
          cpuMs: summarize(samples.map((s) => s.cpuMs)),
          longestTaskMs: summarize(samples.map((s) => s.longestTaskMs)),
        };
      }
      const median = (size) => row.sizes[size].cpuMs.median;
      row.growth = [median(30_000) / median(15_000), median(60_000) / median(30_000)];
      results.push(row);
    }
  } finally {
    await setSettings(mockUrl, { answerText: '', answerChunkChars: 0, tokenDelayMs: 10 });
  }
  return { targets: TARGETS, shapes: results };
}

export function printWorstCase(result) {
  const rows = result.shapes.map((row) => [
    row.name,
    ...SIZES.map((size) => `${row.sizes[size].cpuMs.median.toFixed(0)} ms (${row.sizes[size].longestTaskMs.median.toFixed(0)})`),
    row.growth.map((g) => `${g.toFixed(1)}×`).join(', '),
    Math.max(...row.growth) <= TARGETS.growthPerDoubling ? '✓' : '✗',
  ]);
  printTable(
    `7. Worst-case answers: CPU from Enter to rendered (longest task), median — target ≤ ${TARGETS.growthPerDoubling}× per doubling`,
    ['shape', '15 KB', '30 KB', '60 KB', 'growth per doubling', ''],
    rows,
  );
}
