/**
 * The browser engines the smoke suite (smoke.ts) and the engines bench (bench/measures/engines.mjs)
 * run in, each behind the same thin driver (engines.d.mts says what a driver can do):
 *
 * - Chromium: Playwright, with Debian's /usr/bin/chromium (or $CHROMIUM_PATH), as tests/e2e does.
 * - Firefox: Debian's Firefox ESR through puppeteer-core over WebDriver BiDi. Playwright cannot
 *   drive Debian's Firefox and cannot download its own here; there is no geckodriver package.
 * - WebKit: Debian's WebKitGTK (Safari's engine) through its WebKitWebDriver and MiniBrowser, with
 *   selenium-webdriver, in an Xvfb display of its own (MiniBrowser has no headless mode).
 *
 * Plain JavaScript (typed in engines.d.mts) because `npm run bench` runs under plain Node, which
 * cannot load TypeScript.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Whether an executable `name` is on $PATH. @param {string} name */
export const onPath = (name) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
/**
 * The binary named by environment variable `variable` when it is set (only there), else the first
 * of `candidates` that exists; null when there is none.
 * @param {string} variable @param {string[]} candidates
 */
const binary = (variable, candidates) =>
  (process.env[variable] ? [process.env[variable]] : candidates).find((path) => existsSync(path)) ?? null;

const chromiumPath = () => binary('CHROMIUM_PATH', ['/usr/bin/chromium', '/usr/bin/chromium-browser']);
const firefoxPath = () => binary('FIREFOX_PATH', ['/usr/bin/firefox-esr', '/usr/bin/firefox']);
const webkitDriverPath = () => binary('WEBKIT_DRIVER_PATH', ['/usr/bin/WebKitWebDriver']);
const miniBrowserPath = () =>
  binary(
    'MINIBROWSER_PATH',
    ['x86_64-linux-gnu', 'aarch64-linux-gnu'].flatMap((arch) =>
      ['4.1', '4.0'].map((api) => `/usr/lib/${arch}/webkit2gtk-${api}/MiniBrowser`),
    ),
  );

/** @type {import('./engines.d.mts').Engine[]} */
export const ENGINES = [
  {
    name: 'chromium',
    label: 'Chromium',
    missing: () => (chromiumPath() ? null : 'no Chromium (apt-get install chromium, or set CHROMIUM_PATH)'),
    async launch() {
      const { launchChromium } = await import('./driver-chromium.mjs');
      return launchChromium(/** @type {string} */ (chromiumPath()));
    },
  },
  {
    name: 'firefox',
    label: 'Firefox ESR',
    missing: () => (firefoxPath() ? null : 'no Firefox (apt-get install firefox-esr, or set FIREFOX_PATH)'),
    async launch() {
      const { launchFirefox } = await import('./driver-firefox.mjs');
      return launchFirefox(/** @type {string} */ (firefoxPath()));
    },
  },
  {
    name: 'webkit',
    label: 'WebKitGTK',
    missing: () => {
      if (!webkitDriverPath() || !miniBrowserPath()) return 'no WebKitWebDriver/MiniBrowser (apt-get install webkit2gtk-driver xvfb)';
      if (!onPath('Xvfb') && !process.env.DISPLAY) return 'no Xvfb and no display (apt-get install xvfb)';
      return null;
    },
    async launch() {
      const { launchWebKit } = await import('./driver-webkit.mjs');
      return launchWebKit(/** @type {string} */ (webkitDriverPath()), /** @type {string} */ (miniBrowserPath()));
    },
  },
];

/** The viewport every engine gets, as in tests/e2e and the bench. */
export const VIEWPORT = { width: 1280, height: 800 };

/**
 * Polls `check` in the page until it returns a truthy value, which it resolves with; a rejection
 * naming `what` after `timeoutMs`. The positive signal every journey waits for, in any engine.
 * @template R, A
 * @param {import('./engines.d.mts').Driver} driver
 * @param {(arg: A) => R} check  runs in the page: self-contained, no closures
 * @param {A} arg
 * @param {{ what: string, timeoutMs?: number }} options
 * @returns {Promise<NonNullable<R>>}
 */
export async function waitInPage(driver, check, arg, { what, timeoutMs = 15_000 }) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await driver.evaluate(check, arg);
    if (last) return /** @type {NonNullable<R>} */ (last);
    if (Date.now() > end)
      throw new Error(`${driver.engine}: timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
