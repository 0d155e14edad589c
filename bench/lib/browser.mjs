/**
 * Chromium through Playwright, and the in-page instruments every measurement shares.
 */
import { chromium } from '@playwright/test';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** @returns {Promise<import('@playwright/test').Browser>} */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}

/**
 * Installed in every page before its own scripts (`context.addInitScript`). Defines
 * `window.__bench`:
 *  - `afterPaint(cb)`: requestAnimationFrame, then a MessageChannel message: the message task runs
 *    right after the frame that rAF started has been rendered, so `cb(performance.now())` is "the
 *    change is on screen" (one frame earlier than a double rAF, which waits for the next frame).
 *  - `when(check)`: resolves `{ tMet, tPainted }` once `check()` is truthy, re-checking on every DOM
 *    mutation of the document and of the widget's two shadow roots and on focus changes, then
 *    after the paint of that state.
 *  - `longTasks`: every 'longtask' entry of the page (buffered observer), `{ start, duration }`.
 *  - `clickAt` / `enterAt`: `timeStamp` of the first click / Enter keydown seen (capture phase on
 *    the document, so before the widget's own handlers); reset them to null to re-arm.
 *  - `within(promise, ms, what)`: the promise, or a rejection after `ms` (every wait is bounded).
 */
export const PAGE_INSTRUMENTS = `(() => {
  const IDS = ['dify-chatbot-bubble-button', 'dify-chatbot-bubble-window'];
  const bench = (window.__bench = { longTasks: [], clickAt: null, enterAt: null });
  bench.afterPaint = (cb) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => cb(performance.now());
    channel.port2.postMessage(0);
  });
  bench.within = (promise, ms, what) => Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after ' + ms + ' ms waiting for ' + what)), ms)),
  ]);
  bench.root = (which) => document.getElementById(IDS[which === 'bubble' ? 0 : 1])?.shadowRoot ?? null;
  bench.when = (check) => new Promise((resolve) => {
    let done = false;
    const observers = [];
    const watched = new Set();
    const watch = (node) => {
      if (!node || watched.has(node)) return;
      watched.add(node);
      const observer = new MutationObserver(test);
      observer.observe(node, { subtree: true, childList: true, attributes: true, characterData: true });
      observers.push(observer);
    };
    function test() {
      if (done) return;
      for (const id of IDS) watch(document.getElementById(id)?.shadowRoot);
      let ok = false;
      try { ok = check(); } catch { ok = false; }
      if (!ok) return;
      done = true;
      const tMet = performance.now();
      for (const observer of observers) observer.disconnect();
      document.removeEventListener('focusin', test, true);
      bench.afterPaint((tPainted) => resolve({ tMet, tPainted }));
    }
    watch(document.documentElement);
    document.addEventListener('focusin', test, true);
    test();
  });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  document.addEventListener('click', (e) => { bench.clickAt ??= e.timeStamp; }, true);
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter') bench.enterAt ??= e.timeStamp; }, true);
})();`;

/**
 * The composer is ready to type: the window is shown, its `<textarea>` is laid out, visible
 * and focused. Runs in the page (passed to `__bench.when` as source).
 */
export const COMPOSER_READY = `() => {
  const host = document.getElementById('dify-chatbot-bubble-window');
  const root = host?.shadowRoot;
  const area = root?.querySelector('textarea');
  if (!host || host.hidden || !area || root.activeElement !== area) return false;
  const rect = area.getBoundingClientRect();
  return rect.width > 0 && rect.height > 0 && area.checkVisibility({ opacityProperty: true, visibilityProperty: true });
}`;

/**
 * Makes `requestIdleCallback` never call back, as on a page that stays busy: the widget's idle
 * prefetch of the chat file then never starts, so a click finds nothing fetched yet.
 */
export const NO_IDLE = `window.requestIdleCallback = () => 0; window.cancelIdleCallback = () => {};`;

/**
 * A fresh context (empty cache and storage) and page with the instruments, plus a CDP session.
 * @param {import('@playwright/test').Browser} browser
 * @param {{ noIdle?: boolean }} [options]  noIdle: see NO_IDLE
 */
export async function freshPage(browser, { noIdle = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(PAGE_INSTRUMENTS);
  if (noIdle) await context.addInitScript(NO_IDLE);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const network = trackNetwork(page);
  return { context, page, cdp, network };
}

/**
 * Counts requests in flight, so a measurement can wait for the network to go quiet (Playwright's
 * 'networkidle' fires once per navigation only).
 * @param {import('@playwright/test').Page} page
 */
export function trackNetwork(page) {
  let inFlight = 0;
  let lastChange = Date.now();
  /** @type {string[]} */
  const urls = [];
  page.on('request', (request) => {
    inFlight++;
    lastChange = Date.now();
    urls.push(request.url());
  });
  const settle = () => {
    inFlight = Math.max(0, inFlight - 1);
    lastChange = Date.now();
  };
  page.on('requestfinished', settle);
  page.on('requestfailed', settle);
  return {
    urls,
    /** Resolves once no request has been in flight for `quietMs` (at most `timeoutMs`). */
    async quiet(quietMs = 300, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        if (inFlight === 0 && Date.now() - lastChange >= quietMs) return true;
        await new Promise((done) => setTimeout(done, 25));
      }
      return false;
    },
  };
}

/**
 * The widget config for the mock server.
 * @param {string} mockUrl @param {Record<string, unknown>} [extra]
 */
export const widgetConfig = (mockUrl, extra = {}) => ({ token: 'demo-chat', baseUrl: mockUrl, ...extra });

/**
 * CDP `Performance.getMetrics` as an object (TaskDuration, ScriptDuration, LayoutDuration,
 * RecalcStyleDuration in seconds; Nodes, JSEventListeners, JSHeapUsedSize …).
 * @param {import('@playwright/test').CDPSession} cdp
 * @returns {Promise<Record<string, number>>}
 */
export async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/**
 * Loads `url`, hovers the bubble until the prefetch is done, clicks it and waits until the
 * composer is ready (the "warm" open of measurement 3).
 * @param {{ page: import('@playwright/test').Page, network: ReturnType<typeof trackNetwork> }} p
 * @param {string} url
 */
export async function openChat({ page, network }, url) {
  await page.goto(url);
  const button = page.locator('#dify-chatbot-bubble-button button');
  await button.waitFor();
  await button.hover();
  await network.quiet(200);
  await button.click();
  await page.evaluate(`window.__bench.within(window.__bench.when(${COMPOSER_READY}), 15000, 'the composer')`);
}

/**
 * Records one POST /api/chat-messages of the page through the CDP Network domain: when it was
 * sent, when its headers came, and every body chunk (CDP monotonic seconds, the same clock as
 * `Performance.getMetrics`' Timestamp with timeDomain 'timeTicks').
 * @param {import('@playwright/test').CDPSession} cdp
 */
export async function watchChatRequest(cdp) {
  await cdp.send('Network.enable', { maxTotalBufferSize: 64 * 1024 * 1024, maxResourceBufferSize: 16 * 1024 * 1024 });
  const rec = {
    /** @type {string | null} */ requestId: null,
    sentAt: NaN,
    /** Wall clock (ms since the epoch) when sent, to line up with the page's clock. */
    sentWallMs: NaN,
    headersAt: NaN,
    finishedAt: NaN,
    /** @type {Array<{ at: number, bytes: number }>} */ chunks: [],
  };
  cdp.on('Network.requestWillBeSent', (e) => {
    if (rec.requestId === null && e.request.method === 'POST' && /\/chat-messages$/.test(e.request.url)) {
      rec.requestId = e.requestId;
      rec.sentAt = e.timestamp;
      rec.sentWallMs = e.wallTime * 1000;
    }
  });
  cdp.on('Network.responseReceived', (e) => {
    if (e.requestId === rec.requestId) rec.headersAt = e.timestamp;
  });
  cdp.on('Network.dataReceived', (e) => {
    if (e.requestId === rec.requestId) rec.chunks.push({ at: e.timestamp, bytes: e.dataLength });
  });
  cdp.on('Network.loadingFinished', (e) => {
    if (e.requestId === rec.requestId) rec.finishedAt = e.timestamp;
  });
  return rec;
}

/**
 * Sends `text` from the focused composer with Enter; resolves once the new answer's markdown body
 * shows text and that frame is painted: `{ enterAt, tMet, tPainted, timeOrigin }` (page clock, ms).
 * @param {import('@playwright/test').Page} page @param {string} text
 */
export async function sendAndWaitFirstText(page, text) {
  await page.keyboard.type(text);
  await page.evaluate(`(() => {
    const root = window.__bench.root('window');
    const before = root.querySelectorAll('.turn .answer').length;
    window.__bench.enterAt = null;
    window.__first = window.__bench.when(() => {
      const answer = root.querySelectorAll('.turn .answer')[before];
      return !!answer && (answer.querySelector('.dcb-md')?.textContent.trim().length ?? 0) > 0;
    });
    window.__answerIndex = before;
  })()`);
  await page.keyboard.press('Enter');
  return /** @type {{ enterAt: number, tMet: number, tPainted: number, timeOrigin: number }} */ (
    await page.evaluate(`window.__bench.within(window.__first, 15000, 'the first answer text')
      .then((r) => ({ ...r, enterAt: window.__bench.enterAt, timeOrigin: performance.timeOrigin }))`)
  );
}

/**
 * Waits until the answer sent by `sendAndWaitFirstText` has ended (data-status no longer
 * waiting/streaming).
 * @param {import('@playwright/test').Page} page @param {number} timeoutMs
 */
export async function waitAnswerEnded(page, timeoutMs) {
  await page.waitForFunction(
    `(() => { const a = window.__bench.root('window').querySelectorAll('.turn .answer')[window.__answerIndex];
      return !!a && !['waiting', 'streaming'].includes(a.dataset.status); })()`,
    null,
    { timeout: timeoutMs, polling: 250 },
  );
}
