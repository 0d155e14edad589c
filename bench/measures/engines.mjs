/**
 * 7. The bubble in every engine: navigation start → bubble painted in Chromium, Firefox ESR and
 * WebKitGTK (those installed; launched by the smoke suite's drivers, tests/engines/engines.mjs),
 * each as a ratio to that engine's floor: the same near-empty host page without the widget,
 * navigation start → the first frame painted after its load event. Engines differ in how fast
 * they load any page (and their drivers in how they launch them), so only the ratio compares the
 * widget's cost across engines.
 *
 * "Painted" is requestAnimationFrame, then a MessageChannel message (the task after that frame),
 * set up by an inline script on the page itself, since only Chromium's driver has init scripts.
 * One warm-up load of each page per engine, then `runs` pairs, floor and widget alternating.
 */
import { ENGINES, waitInPage } from '../../tests/engines/engines.mjs';
import { widgetConfig } from '../lib/browser.mjs';
import { hostPage } from '../lib/site.mjs';
import { printTable, range, summarize } from '../lib/stats.mjs';

/** Marks `window.__painted` once the frame after `ready()` has been produced. */
const PAINTED = `window.__paintedAfter = function (ready) {
  var done = false;
  function check() {
    if (done || !ready()) return;
    done = true;
    requestAnimationFrame(function () {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { window.__painted = performance.now(); };
      channel.port2.postMessage(0);
    });
  }
  new MutationObserver(check).observe(document.documentElement, { childList: true, subtree: true });
  addEventListener('load', check);
  check();
};`;

const FLOOR = `${PAINTED}
window.__paintedAfter(function () { return document.readyState === 'complete'; });`;

const BUBBLE = `${PAINTED}
window.__paintedAfter(function () {
  var host = document.getElementById('dify-chatbot-bubble-button');
  var button = host && host.shadowRoot && host.shadowRoot.querySelector('button');
  return !!button && button.getBoundingClientRect().width > 0;
});`;

/**
 * Loads `url` and resolves with its `window.__painted` (ms from navigation start).
 * @param {import('../../tests/engines/engines.d.mts').Driver} driver @param {string} url
 */
async function paintedAt(driver, url) {
  await driver.goto(url);
  return waitInPage(driver, () => /** @type {any} */ (window).__painted, undefined, { what: 'the paint mark', timeoutMs: 10_000 });
}

/**
 * @param {{ site: import('../lib/site.mjs').HostSite, mockUrl: string, runs: number }} env
 */
export async function measureEngines({ site, mockUrl, runs }) {
  const config = widgetConfig(mockUrl);
  const floorUrl = site.add(hostPage({ config, beforeScript: FLOOR, script: false }));
  const widgetUrl = site.add(hostPage({ config, beforeScript: BUBBLE }));
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const engine of ENGINES) {
    const missing = engine.missing();
    if (missing) {
      out[engine.name] = { label: engine.label, skipped: missing };
      continue;
    }
    const driver = await engine.launch();
    try {
      await paintedAt(driver, floorUrl);
      await paintedAt(driver, widgetUrl);
      const floor = [];
      const bubble = [];
      for (let i = 0; i < runs; i++) {
        floor.push(await paintedAt(driver, floorUrl));
        bubble.push(await paintedAt(driver, widgetUrl));
      }
      out[engine.name] = {
        label: engine.label,
        version: driver.version,
        floorMs: summarize(floor),
        bubbleMs: summarize(bubble),
        ratio: summarize(bubble.map((ms, i) => ms / /** @type {number} */ (floor[i]))),
      };
    } finally {
      await driver.close();
    }
  }
  return out;
}

/** @param {Record<string, any>} r */
export function printEngines(r) {
  printTable(
    '7. Bubble painted per engine (ms from navigation start, median (min–max); ratio to the same engine’s floor page)',
    ['engine', 'floor: page without the widget, loaded', 'bubble painted', 'ratio'],
    Object.values(r).map((e) =>
      e.skipped ? [e.label, `skipped: ${e.skipped}`, '', ''] : [e.version, range(e.floorMs), range(e.bubbleMs), `${range(e.ratio, 2)}×`],
    ),
  );
}
