/** Chromium through Playwright, launched as tests/e2e does (playwright.config.ts). */
import { chromium } from '@playwright/test';
import { VIEWPORT } from './engines.mjs';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/**
 * @param {string} executablePath
 * @returns {Promise<import('./engines.d.mts').Driver>}
 */
export async function launchChromium(executablePath) {
  const browser = await chromium.launch({ executablePath, headless: true, args: ARGS });
  const page = await browser.newPage({ viewport: VIEWPORT });
  return {
    engine: 'chromium',
    version: `Chromium ${browser.version()}`,
    systemFont: 'system-ui',
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
    },
    async reload() {
      await page.reload({ waitUntil: 'load' });
    },
    evaluate: (fn, arg) => page.evaluate(/** @type {any} */ (fn), arg),
    press: (key) => page.keyboard.press(key === ' ' ? 'Space' : key),
    type: (text) => page.keyboard.type(text),
    click: (x, y) => page.mouse.click(x, y),
    screenshot: () => page.screenshot(),
    close: () => browser.close(),
  };
}
