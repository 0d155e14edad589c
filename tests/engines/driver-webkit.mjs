/**
 * WebKitGTK (Safari's engine) through Debian's WebKitWebDriver, which drives MiniBrowser, with
 * selenium-webdriver. MiniBrowser has no headless mode, so it gets an Xvfb display of its own
 * (or the current $DISPLAY when Xvfb is not installed).
 *
 * WebKitWebDriver's element commands fail on some elements inside shadow roots (a click on the
 * composer is "element click intercepted"), so this driver, like the others, offers only keys to
 * the focused element and clicks at viewport coordinates.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Builder, Key, Origin } from 'selenium-webdriver';
import { onPath, VIEWPORT } from './engines.mjs';

/**
 * The desktop's UI font in this display. Not the fontconfig default (Noto Sans on Debian) nor
 * Arial's metrics, so a page can tell whether text follows the system font or merely lands on a
 * common one. fonts-dejavu-core comes with fontconfig on Debian.
 */
export const WEBKIT_DESKTOP_FONT = 'DejaVu Sans';

const KEYS = { Tab: Key.TAB, Enter: Key.ENTER, Escape: Key.ESCAPE, ' ': ' ' };

/** A free TCP port on loopback for WebKitWebDriver. @returns {Promise<number>} */
function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => done(port));
    });
  });
}

/**
 * Starts `Xvfb -displayfd`, which picks a free display number itself and writes it to fd 3.
 * @returns {Promise<{ display: string, stop(): void }>}
 */
function startXvfb() {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1600x1200x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  return new Promise((done, fail) => {
    let said = '';
    let errors = '';
    const timer = setTimeout(() => {
      xvfb.kill();
      fail(new Error(`Xvfb did not start in 10 s: ${errors}`));
    }, 10_000);
    xvfb.stderr?.setEncoding('utf8').on('data', (chunk) => (errors += chunk));
    const fd3 = /** @type {import('node:stream').Readable} */ (xvfb.stdio[3]);
    fd3.setEncoding('utf8').on('data', (chunk) => {
      said += chunk;
      if (!said.includes('\n')) return;
      clearTimeout(timer);
      done({ display: `:${said.trim()}`, stop: () => xvfb.kill() });
    });
    xvfb.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`Xvfb exited (${code}): ${errors}`));
    });
  });
}

/**
 * @param {string} driverPath  WebKitWebDriver
 * @param {string} miniBrowserPath
 * @returns {Promise<import('./engines.d.mts').Driver>}
 */
export async function launchWebKit(driverPath, miniBrowserPath) {
  /** @type {Array<() => void>} */
  const cleanups = [];
  const cleanup = () =>
    cleanups
      .splice(0)
      .reverse()
      .forEach((fn) => fn());
  try {
    const x = onPath('Xvfb') ? await startXvfb() : { display: /** @type {string} */ (process.env.DISPLAY), stop() {} };
    cleanups.push(x.stop);
    // GTK reads the desktop font from $XDG_CONFIG_HOME/gtk-3.0/settings.ini.
    const config = mkdtempSync(join(tmpdir(), 'dcb-webkit-'));
    cleanups.push(() => rmSync(config, { recursive: true, force: true }));
    mkdirSync(join(config, 'gtk-3.0'));
    writeFileSync(join(config, 'gtk-3.0', 'settings.ini'), `[Settings]\ngtk-font-name = ${WEBKIT_DESKTOP_FONT} 11\n`);

    const port = await freePort();
    const server = spawn(driverPath, [`--port=${port}`, '--host=127.0.0.1'], {
      env: { ...process.env, DISPLAY: x.display, XDG_CONFIG_HOME: config, GDK_BACKEND: 'x11', NO_AT_BRIDGE: '1' },
      stdio: 'ignore',
    });
    cleanups.push(() => server.kill());
    const driver = await connect(`http://127.0.0.1:${port}`, miniBrowserPath);
    cleanups.push(() => void driver.quit().catch(() => {}));
    await fitViewport(driver);
    const version = (await driver.getCapabilities()).get('browserVersion');

    return {
      engine: 'webkit',
      version: `WebKitGTK ${version}`,
      systemFont: `'${WEBKIT_DESKTOP_FONT}'`,
      goto: (url) => driver.get(url),
      reload: () => driver.navigate().refresh(),
      evaluate: (fn, arg) => driver.executeScript(`return (${fn})(arguments[0]);`, arg ?? null),
      press: (key) => driver.actions({ async: true }).sendKeys(KEYS[key]).perform(),
      type: (text) => driver.actions({ async: true }).sendKeys(text).perform(),
      click: (x, y) =>
        driver
          .actions({ async: true })
          .move({ x: Math.round(x), y: Math.round(y), origin: Origin.VIEWPORT, duration: 0 })
          .click()
          .perform(),
      screenshot: async () => Buffer.from(await driver.takeScreenshot(), 'base64'),
      async close() {
        await driver.quit().catch(() => {});
        cleanup();
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/**
 * A session, retried while WebKitWebDriver is still starting to listen.
 * @param {string} url @param {string} binary
 */
async function connect(url, binary) {
  const end = Date.now() + 15_000;
  for (;;) {
    try {
      return await new Builder()
        .usingServer(url)
        .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary, args: ['--automation'] } })
        .build();
    } catch (error) {
      if (Date.now() > end || !/ECONNREFUSED|ECONNRESET/.test(String(error))) throw error;
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

/**
 * Sizes the window so its viewport is VIEWPORT (the window's toolbar takes some of it).
 * @param {import('selenium-webdriver').WebDriver} driver
 */
async function fitViewport(driver) {
  await driver
    .manage()
    .window()
    .setRect({ x: 0, y: 0, ...VIEWPORT });
  const inner = /** @type {{ width: number, height: number }} */ (
    await driver.executeScript('return { width: innerWidth, height: innerHeight };')
  );
  await driver
    .manage()
    .window()
    .setRect({ width: 2 * VIEWPORT.width - inner.width, height: 2 * VIEWPORT.height - inner.height });
}
