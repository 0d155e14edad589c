/**
 * 6. A 200-turn conversation: time to open it from history, memory and DOM size, and scrolling.
 *
 * - Setup (once): from Node, a passport for `bench-history-<time>` and 200 blocking
 *   POST /api/chat-messages in one conversation (tokenDelayMs 0 meanwhile): every fifth question asks
 *   for the `markdown` answer (headings, table, code, an image), the others get the short echo.
 * - Each run: a fresh page with `systemVariables: { user_id, conversation_id }`, settled (network
 *   quiet), then one click on the bubble (no hover first). Open time: click `timeStamp` → paint of the
 *   first frame with at least 20 `.turn` elements (the widget loads 20 per page) whose answers are
 *   all past waiting/streaming. Also click → end of the first GET /api/messages response (resource
 *   timing), to tell waiting for the API from rendering.
 * - Memory: CDP `HeapProfiler.collectGarbage`, then `Runtime.getHeapUsage` (used JS heap) and
 *   `Memory.getDOMCounters` (nodes alive in the renderer), plus the nodes inside the widget's two
 *   shadow roots (counted in the page); before opening, after the first page, and after scrolling
 *   up until all turns are loaded (`.conversation` scrolled to the top until the count stops growing).
 * - Scrolling: from the top to the bottom of the fully loaded list in 240 requestAnimationFrame steps
 *   (scrollTop += 1/240 of the height each frame); frame intervals p50/p95/max.
 */
import { freshPage, widgetConfig } from '../lib/browser.mjs';
import { apiHeaders, passport, requestJson, setSettings } from '../lib/server.mjs';
import { hostPage } from '../lib/site.mjs';
import { fmt, percentile, printTable, range, summarize } from '../lib/stats.mjs';

const TURNS = 200;
const PAGE = 20;

/**
 * Builds the conversation through the API.
 * @param {string} base
 * @returns {Promise<{ userId: string, conversationId: string }>}
 */
export async function buildConversation(base) {
  await setSettings(base, { tokenDelayMs: 0 });
  const userId = `bench-history-${Date.now()}`;
  const headers = apiHeaders('demo-chat', await passport(base, 'demo-chat', userId));
  let conversationId = '';
  for (let i = 1; i <= TURNS; i++) {
    const query = i % 5 === 0 ? `Question ${i}: show me some markdown` : `Question ${i}: what does the product do?`;
    const body = await requestJson(`${base}/api/chat-messages`, {
      method: 'POST',
      headers,
      json: { inputs: {}, query, response_mode: 'blocking', conversation_id: conversationId },
    });
    conversationId = body.conversation_id;
  }
  await setSettings(base, { tokenDelayMs: 10 });
  return { userId, conversationId };
}

/** Counts the nodes in the widget's shadow roots, in the page. */
const SHADOW_NODES = `(() => {
  let n = 0;
  for (const id of ['dify-chatbot-bubble-button', 'dify-chatbot-bubble-window']) {
    const root = document.getElementById(id)?.shadowRoot;
    if (!root) continue;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
    while (walker.nextNode()) n++;
  }
  return n;
})()`;

/** @param {import('@playwright/test').CDPSession} cdp @param {import('@playwright/test').Page} page */
async function memory(cdp, page) {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  return {
    heapMB: heap.usedSize / 1024 / 1024,
    domNodes: dom.nodes,
    listeners: dom.jsEventListeners,
    shadowNodes: /** @type {number} */ (await page.evaluate(SHADOW_NODES)),
  };
}

const TURN_COUNT = `(window.__bench.root('window')?.querySelectorAll('.turn').length ?? 0)`;

/**
 * Scrolls `.conversation` to the top until the turn count stops growing.
 * @param {import('@playwright/test').Page} page
 */
async function loadAll(page) {
  const started = Date.now();
  let count = /** @type {number} */ (await page.evaluate(TURN_COUNT));
  for (let stale = 0; stale < 2 && count < TURNS && Date.now() - started < 30_000; ) {
    await page.evaluate(`(() => {
      const el = window.__bench.root('window').querySelector('.conversation');
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    })()`);
    const grew = await page.waitForFunction(`${TURN_COUNT} > ${count}`, null, { timeout: 3000, polling: 50 }).then(
      () => true,
      () => false,
    );
    const next = /** @type {number} */ (await page.evaluate(TURN_COUNT));
    stale = grew && next > count ? 0 : stale + 1;
    count = next;
  }
  return { turns: count, seconds: (Date.now() - started) / 1000 };
}

/** Scripted scroll through the whole list; rAF intervals. */
const SCROLL_THROUGH = `window.__bench.within(new Promise((resolve) => {
  const el = window.__bench.root('window').querySelector('.conversation');
  el.scrollTop = 0;
  const step = Math.max(1, (el.scrollHeight - el.clientHeight) / 240);
  const frames = [];
  let last = null;
  requestAnimationFrame(function frame(t) {
    if (last !== null) frames.push(t - last);
    last = t;
    if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1 || frames.length > 400) return resolve({ frames, height: el.scrollHeight });
    el.scrollTop += step;
    requestAnimationFrame(frame);
  });
}), 30000, 'the scripted scroll')`;

/**
 * @param {import('@playwright/test').Browser} browser @param {string} url
 */
async function historyOnce(browser, url) {
  const { context, page, cdp, network } = await freshPage(browser);
  try {
    await page.goto(url);
    const button = page.locator('#dify-chatbot-bubble-button button');
    await button.waitFor();
    await network.quiet(300);
    const before = await memory(cdp, page);
    await page.evaluate(`window.__bench.clickAt = null; window.__open = window.__bench.when(() => {
      const turns = window.__bench.root('window')?.querySelectorAll('.turn') ?? [];
      if (turns.length < ${PAGE}) return false;
      return [...turns].every((t) => !['waiting', 'streaming'].includes(t.querySelector('.answer')?.dataset.status));
    }); 0`);
    await button.click();
    const opened = /** @type {{ tPainted: number, clickAt: number, messagesEnd: number }} */ (
      await page.evaluate(`window.__bench.within(window.__open, 20000, 'the first page of turns').then((r) => ({
        ...r,
        clickAt: window.__bench.clickAt,
        messagesEnd: performance.getEntriesByType('resource').find((e) => /\\/api\\/messages\\?/.test(e.name) && e.startTime >= window.__bench.clickAt)?.responseEnd ?? NaN,
      }))`)
    );
    await network.quiet(300);
    const firstPage = { turns: /** @type {number} */ (await page.evaluate(TURN_COUNT)), ...(await memory(cdp, page)) };
    const all = await loadAll(page);
    await network.quiet(300);
    const full = { ...all, ...(await memory(cdp, page)) };
    const scroll = /** @type {{ frames: number[], height: number }} */ (await page.evaluate(SCROLL_THROUGH));
    return {
      openMs: opened.tPainted - opened.clickAt,
      messagesMs: opened.messagesEnd - opened.clickAt,
      before,
      firstPage,
      full,
      frameP50: percentile(scroll.frames, 50),
      frameP95: percentile(scroll.frames, 95),
      frameMax: Math.max(...scroll.frames),
      frames: scroll.frames.length,
      listHeight: scroll.height,
    };
  } finally {
    await context.close();
  }
}

/**
 * @param {{ browser: import('@playwright/test').Browser, site: import('../lib/site.mjs').HostSite, mockUrl: string, runs: number }} env
 */
export async function measureHistory({ browser, site, mockUrl, runs }) {
  const setupStarted = Date.now();
  const { userId, conversationId } = await buildConversation(mockUrl);
  const setupSeconds = (Date.now() - setupStarted) / 1000;
  const url = site.add(
    hostPage({ config: widgetConfig(mockUrl, { systemVariables: { user_id: userId, conversation_id: conversationId } }) }),
  );
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await historyOnce(browser, url));
  const of = (get) => summarize(samples.map(get));
  const mem = (key) => ({
    heapMB: of((s) => s[key].heapMB),
    domNodes: of((s) => s[key].domNodes),
    shadowNodes: of((s) => s[key].shadowNodes),
    listeners: of((s) => s[key].listeners),
  });
  return {
    setupSeconds,
    openMs: of((s) => s.openMs),
    messagesMs: of((s) => s.messagesMs),
    before: mem('before'),
    firstPage: { turns: of((s) => s.firstPage.turns), ...mem('firstPage') },
    full: { turns: of((s) => s.full.turns), seconds: of((s) => s.full.seconds), ...mem('full') },
    frameP50: of((s) => s.frameP50),
    frameP95: of((s) => s.frameP95),
    frameMax: of((s) => s.frameMax),
    frames: of((s) => s.frames),
    listHeight: of((s) => s.listHeight),
  };
}

/** @param {Awaited<ReturnType<typeof measureHistory>>} r */
export function printHistory(r) {
  const memRows = (label, m) => [
    [`${label}: JS heap used after GC (MB)`, range(m.heapMB, 2)],
    [`${label}: DOM nodes (renderer) / in the widget's shadow roots`, `${fmt(m.domNodes.median, 0)} / ${fmt(m.shadowNodes.median, 0)}`],
  ];
  printTable(
    `6. A ${TURNS}-turn conversation (built in ${fmt(r.setupSeconds, 1)} s; median (min–max))`,
    ['figure', 'value'],
    [
      ['click → first page of turns painted (ms)', range(r.openMs)],
      ['  of which click → GET /api/messages answered (resource timing)', range(r.messagesMs)],
      ...memRows('before opening', r.before),
      ...memRows(`after opening (${fmt(r.firstPage.turns.median, 0)} turns)`, r.firstPage),
      [`scroll up until all turns are loaded (s, ${fmt(r.full.turns.median, 0)} turns)`, range(r.full.seconds, 2)],
      ...memRows(`all ${fmt(r.full.turns.median, 0)} turns loaded`, r.full),
      [`scripted scroll, ${fmt(r.frames.median, 0)} frames over ${fmt(r.listHeight.median, 0)} px: frame p50 (ms)`, range(r.frameP50)],
      ['scripted scroll: frame p95 (ms)', range(r.frameP95)],
      ['scripted scroll: longest frame (ms)', range(r.frameMax)],
    ],
  );
}
