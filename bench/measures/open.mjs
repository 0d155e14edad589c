/**
 * 3. Click → chat ready to type: from the click event's `timeStamp` (capture listener on the
 * document) to the paint of the first frame in which the window is shown and its composer
 * `<textarea>` is laid out, visible and focused (`__bench.when(COMPOSER_READY)`).
 *
 * Each run is a fresh context (empty cache); the page loads, the bubble appears, the network goes
 * quiet (300 ms), then one mouse click (Playwright moves the pointer onto the bubble and presses at
 * once, so a hover prefetch starts only a few ms before the click: no head start). Three states:
 * - cold: nothing of the chat fetched yet. The widget prefetches its chat file when the page is
 *   idle, so `requestIdleCallback` is stubbed to never call back (as on a page that stays busy);
 *   the report says whether any chat file was fetched before the click anyway.
 * - idle-prefetched: the page as it is; the chat file may have been fetched at idle, but no hover.
 * - warm: the pointer first rests on the bubble (hover → pointerenter) and we wait until the network
 *   is quiet (the chat file and the prefetch's API calls have finished), then click.
 */
import { COMPOSER_READY, freshPage, widgetConfig } from '../lib/browser.mjs';
import { hostPage } from '../lib/site.mjs';
import { printTable, range, summarize, verdict } from '../lib/stats.mjs';

export const TARGETS = { coldMs: 150, warmMs: 50 };
const CHAT_FILE = /\/chat[^/]*\.js$/;

/**
 * @param {import('@playwright/test').Browser} browser @param {string} url
 * @param {'cold' | 'idle' | 'warm'} state
 */
async function openOnce(browser, url, state) {
  const { context, page, network } = await freshPage(browser, { noIdle: state === 'cold' });
  try {
    await page.goto(url);
    const button = page.locator('#dify-chatbot-bubble-button button');
    await button.waitFor();
    await network.quiet(300);
    if (state === 'warm') {
      await button.hover();
      await network.quiet(300);
    }
    const before = network.urls.map((u) => new URL(u).pathname);
    await page.evaluate(`window.__bench.clickAt = null; window.__ready = window.__bench.when(${COMPOSER_READY}); 0`);
    await button.click();
    const r = /** @type {{ tMet: number, tPainted: number, clickAt: number }} */ (
      await page.evaluate(
        `window.__bench.within(window.__ready, 15000, 'the composer').then((r) => ({ ...r, clickAt: window.__bench.clickAt }))`,
      )
    );
    return {
      readyMs: r.tMet - r.clickAt,
      paintedMs: r.tPainted - r.clickAt,
      chatFetchedBefore: before.some((p) => CHAT_FILE.test(p)),
      apiBefore: before.filter((p) => p.startsWith('/api/')),
    };
  } finally {
    await context.close();
  }
}

/**
 * @param {{ browser: import('@playwright/test').Browser, site: import('../lib/site.mjs').HostSite, mockUrl: string, runs: number }} env
 */
export async function measureOpen({ browser, site, mockUrl, runs }) {
  const url = site.add(hostPage({ config: widgetConfig(mockUrl) }));
  /** @type {Record<'cold' | 'idle' | 'warm', Awaited<ReturnType<typeof openOnce>>[]>} */
  const samples = { cold: [], idle: [], warm: [] };
  for (let i = 0; i < runs; i++) {
    for (const state of /** @type {const} */ (['cold', 'idle', 'warm'])) samples[state].push(await openOnce(browser, url, state));
  }
  const of = (state) => ({
    readyMs: summarize(samples[state].map((s) => s.readyMs)),
    paintedMs: summarize(samples[state].map((s) => s.paintedMs)),
    /** Runs in which a chat file had been fetched before the click. */
    chatFetchedBefore: samples[state].filter((s) => s.chatFetchedBefore).length,
    apiBefore: samples[state][0]?.apiBefore ?? [],
    runs: samples[state].length,
  });
  return { cold: of('cold'), idle: of('idle'), warm: of('warm') };
}

/** @param {Awaited<ReturnType<typeof measureOpen>>} r */
export function printOpen(r) {
  const fetched = (s) =>
    `chat file fetched before the click in ${s.chatFetchedBefore}/${s.runs} runs; API calls before: ${s.apiBefore.join(', ') || 'none'}`;
  printTable(
    '3. Click → composer focused and visible (ms, median (min–max))',
    ['figure', 'value', 'target'],
    [
      ['cold: click → ready (DOM)', range(r.cold.readyMs), ''],
      ['cold: click → ready, painted', range(r.cold.paintedMs), `≤ ${TARGETS.coldMs} ${verdict(r.cold.paintedMs.median, TARGETS.coldMs)}`],
      ['idle-prefetched: click → ready, painted', range(r.idle.paintedMs), ''],
      ['warm: click → ready (DOM)', range(r.warm.readyMs), ''],
      ['warm: click → ready, painted', range(r.warm.paintedMs), `≤ ${TARGETS.warmMs} ${verdict(r.warm.paintedMs.median, TARGETS.warmMs)}`],
    ],
  );
  console.log(`   cold: ${fetched(r.cold)}\n   idle-prefetched: ${fetched(r.idle)}\n   warm: ${fetched(r.warm)}`);
}
