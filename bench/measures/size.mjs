/**
 * 1. Bytes: raw, gzip (level 9) and brotli (quality 11) of every `dist/*.js` file (not maps, not
 * dist/mock or dist/esm), and what a visitor downloads, summed over the scripts Chromium actually
 * fetched from the host site:
 *  (a) bubble only: the page loaded and quiet, with the idle prefetch held back (NO_IDLE);
 *  (a') page idle, chat not opened: the same without holding anything back (the widget fetches its
 *      chat file when the page is idle);
 *  (b) bubble + chat: after opening the chat;
 *  (c) an agent app after an answer with tool steps: bubble + chat + the answer-extras part, which
 *      only answers with steps, a workflow, files, sources or badges fetch.
 * Measured once: the figures do not vary between runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { COMPOSER_READY, freshPage, sendAndWaitFirstText, waitAnswerEnded, widgetConfig } from '../lib/browser.mjs';
import { ROOT } from '../lib/server.mjs';
import { hostPage } from '../lib/site.mjs';
import { kb, printTable, verdict } from '../lib/stats.mjs';

const DIST = resolve(ROOT, 'dist');
export const TARGETS = { embedGzip: 10 * 1024, totalGzip: 50 * 1024 };

/** @returns {Array<{ file: string, raw: number, gzip: number, brotli: number }>} */
export function distSizes() {
  return readdirSync(DIST)
    .filter((name) => name.endsWith('.js'))
    .sort()
    .map((file) => {
      const bytes = readFileSync(resolve(DIST, file));
      return {
        file,
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
        brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      };
    });
}

/**
 * The dist scripts a page fetched: until the network was quiet, then after opening the chat.
 * @param {import('@playwright/test').Browser} browser @param {import('../lib/site.mjs').HostSite} site
 * @param {string} url @param {boolean} noIdle
 */
async function fetchedScripts(browser, site, url, noIdle, question = '') {
  const { context, page, network } = await freshPage(browser, { noIdle });
  try {
    site.served.length = 0;
    await page.goto(url);
    const button = page.locator('#dify-chatbot-bubble-button button');
    await button.waitFor();
    await network.quiet(500);
    const settled = [...new Set(site.served)];
    await button.click();
    await page.evaluate(`window.__bench.within(window.__bench.when(${COMPOSER_READY}), 15000, 'the composer')`);
    await network.quiet(300);
    const opened = [...new Set(site.served)];
    if (question) {
      await sendAndWaitFirstText(page, question);
      await waitAnswerEnded(page, 15_000);
      await network.quiet(300);
    }
    return { settled, opened, answered: [...new Set(site.served)] };
  } finally {
    await context.close();
  }
}

/**
 * @param {{ browser: import('@playwright/test').Browser, site: import('../lib/site.mjs').HostSite, mockUrl: string }} env
 */
export async function measureSize({ browser, site, mockUrl }) {
  const files = distSizes();
  const byName = new Map(files.map((f) => [f.file, f]));
  const url = site.add(hostPage({ config: widgetConfig(mockUrl) }));
  const busy = await fetchedScripts(browser, site, url, true);
  const idle = await fetchedScripts(browser, site, url, false);
  const agentUrl = site.add(hostPage({ config: widgetConfig(mockUrl, { token: 'demo-agent' }) }));
  const agent = await fetchedScripts(browser, site, agentUrl, false, 'Draw me an image of a cat');
  const total = (names) => ({
    scripts: names,
    ...names.reduce(
      (sum, name) => {
        const f = byName.get(name);
        return f ? { raw: sum.raw + f.raw, gzip: sum.gzip + f.gzip, brotli: sum.brotli + f.brotli } : sum;
      },
      { raw: 0, gzip: 0, brotli: 0 },
    ),
  });
  return {
    files,
    bubbleOnly: total(busy.settled),
    afterIdle: total(idle.settled),
    withChat: total(idle.opened),
    withExtras: total(agent.answered),
  };
}

/** @param {Awaited<ReturnType<typeof measureSize>>} r */
export function printSize(r) {
  const rows = r.files.map((f) => {
    const target = f.file === 'embed.min.js' ? `≤ ${kb(TARGETS.embedGzip)} gzip ${verdict(f.gzip, TARGETS.embedGzip)}` : '';
    return [f.file, kb(f.raw), kb(f.gzip), kb(f.brotli), target];
  });
  const visitor = [
    ['visitor: bubble only', r.bubbleOnly, TARGETS.embedGzip],
    ['visitor: page idle, chat not opened', r.afterIdle, undefined],
    ['visitor: bubble + chat', r.withChat, TARGETS.totalGzip],
    ['visitor: agent app, after an answer with tool steps', r.withExtras, TARGETS.totalGzip],
  ];
  for (const [label, t, limit] of visitor) {
    rows.push([
      `${label} (${t.scripts.join(' + ') || 'nothing'})`,
      kb(t.raw),
      kb(t.gzip),
      kb(t.brotli),
      limit ? `≤ ${kb(limit)} gzip ${verdict(t.gzip, limit)}` : '',
    ]);
  }
  printTable(
    '1. Script size (dist/*.js; visitor totals = the scripts Chromium fetched)',
    ['file', 'raw', 'gzip -9', 'brotli 11', 'target'],
    rows,
  );
}
