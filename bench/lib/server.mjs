/**
 * The built mock Dify server (dist/mock/server.js) as a child process, and small clients for its
 * web API and admin endpoints. The benchmarks are plain .mjs, so they cannot import the TypeScript
 * server; they run the bundle that `npm run build` writes.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const MOCK_BUNDLE = resolve(ROOT, 'dist', 'mock', 'server.js');

/**
 * @typedef {object} Mock
 * @property {string} url      e.g. http://127.0.0.1:41234
 * @property {number} pid
 * @property {boolean} alive  the process has not exited
 * @property {string} exitStatus  the signal or exit code it ended with
 * @property {string} stderr  what it wrote to stderr
 * @property {() => Promise<void>} stop  SIGTERM, then SIGKILL after 3 s
 */

/**
 * Starts `node dist/mock/server.js` on a free loopback port (PORT=0; the port is read from the
 * "Mock Dify server + demo page: <url>/" line it prints), memory-only, quiet.
 * @param {{ tokenDelayMs?: number }} [options]
 * @returns {Promise<Mock>}
 */
export async function startMock({ tokenDelayMs = 10 } = {}) {
  if (!existsSync(MOCK_BUNDLE)) throw new Error(`${MOCK_BUNDLE} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [MOCK_BUNDLE], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_FILE: '', QUIET: '1', TOKEN_DELAY_MS: String(tokenDelayMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const url = await new Promise((done, fail) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error(`the mock server did not start in 10 s\n${stdout}${stderr}`)), 10_000);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout);
      if (match) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the mock server exited (${code})\n${stdout}${stderr}`));
    });
  });
  const exited = new Promise((done) => child.once('exit', done));
  return {
    url,
    pid: /** @type {number} */ (child.pid),
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    get exitStatus() {
      return child.signalCode ?? `exit code ${child.exitCode}`;
    },
    get stderr() {
      return stderr;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * JSON request to the mock; throws on a non-2xx status, and after 30 s.
 * @param {string} url
 * @param {RequestInit & { json?: unknown }} [init]
 * @returns {Promise<any>}
 */
export async function requestJson(url, init = {}) {
  const { json, ...rest } = init;
  const res = await fetch(url, {
    signal: AbortSignal.timeout(30_000),
    ...rest,
    headers: { ...(json === undefined ? {} : { 'Content-Type': 'application/json' }), ...rest.headers },
    body: json === undefined ? rest.body : JSON.stringify(json),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** @param {string} base @param {Record<string, unknown>} patch */
export const setSettings = (base, patch) => requestJson(`${base}/__mock/settings`, { method: 'POST', json: patch });
/** @param {string} base */
export const mockState = (base) => requestJson(`${base}/__mock/state`);
/** @param {string} base */
export const resetMock = (base) => requestJson(`${base}/__mock/reset`, { method: 'POST', json: {} });

/**
 * A passport for one end user (docs/PROTOCOL.md §1.2).
 * @param {string} base @param {string} appCode @param {string} userId
 * @returns {Promise<string>}
 */
export async function passport(base, appCode, userId) {
  const body = await requestJson(`${base}/api/passport?user_id=${encodeURIComponent(userId)}`, { headers: { 'X-App-Code': appCode } });
  return body.access_token;
}

/**
 * Headers of an authenticated web API call (docs/PROTOCOL.md §1.3).
 * @param {string} appCode @param {string} token
 */
export const apiHeaders = (appCode, token) => ({ 'X-App-Code': appCode, 'X-App-Passport': token, 'Content-Type': 'application/json' });
