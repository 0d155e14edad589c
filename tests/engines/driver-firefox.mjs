/**
 * Firefox ESR through puppeteer-core over WebDriver BiDi (puppeteer's protocol for Firefox: no
 * geckodriver needed, and Playwright cannot drive Debian's Firefox).
 */
import puppeteer from 'puppeteer-core';
import { VIEWPORT } from './engines.mjs';

/**
 * @param {string} executablePath
 * @returns {Promise<import('./engines.d.mts').Driver>}
 */
export async function launchFirefox(executablePath) {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    protocolTimeout: 60_000,
    // Quiet: no update checks, telemetry or first-run pages competing for the machine.
    extraPrefsFirefox: { 'app.update.enabled': false, 'datareporting.policy.dataSubmissionEnabled': false },
  });
  const page = await browser.newPage();
  await page.setViewport(VIEWPORT);
  const version = await browser.version();
  return {
    engine: 'firefox',
    version: version.replace(/^firefox\//i, 'Firefox '),
    systemFont: 'system-ui',
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
    },
    async reload() {
      await page.reload({ waitUntil: 'load' });
    },
    evaluate: (fn, arg) => page.evaluate(/** @type {any} */ (fn), arg),
    press: (key) => page.keyboard.press(key),
    type: (text) => page.keyboard.type(text),
    click: (x, y) => page.mouse.click(x, y),
    screenshot: () => page.screenshot(),
    close: () => browser.close(),
  };
}
