import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { findRepoRoot } from './paths.ts';
import { startMockServer } from './server.ts';

/**
 * CLI: `node dist/mock/server.js` (bundled by build.mjs from this file; `npm start` builds and runs it).
 * Env: PORT (8787), HOST (127.0.0.1), DATA_FILE (demo/data/store.json; "" = memory only),
 * APPS_FILE, DIST_DIR, PUBLIC_DIR, TOKEN_DELAY_MS, QUIET=1, MOCK_ADMIN_SECRET (the console API's secret;
 * random and printed at start unless NODE_ENV=production). Paths are relative to the repo root,
 * found from the working directory (see paths.ts), since a bundle cannot use its own location.
 */
async function main(): Promise<void> {
  const root = findRepoRoot();
  const env = process.env;
  const fromRoot = (value: string | undefined, fallback: string): string => resolve(root, value || fallback);
  const dataFile = env.DATA_FILE === '' ? null : fromRoot(env.DATA_FILE, join('demo', 'data', 'store.json'));
  if (dataFile) mkdirSync(dirname(dataFile), { recursive: true });
  const port = env.PORT ? Number(env.PORT) : 8787;
  const host = env.HOST || '127.0.0.1';
  const server = await startMockServer({
    port,
    host,
    dataFile,
    appsFile: fromRoot(env.APPS_FILE, join('demo', 'apps.json')),
    distDir: fromRoot(env.DIST_DIR, 'dist'),
    publicDir: fromRoot(env.PUBLIC_DIR, join('demo', 'public')),
    tokenDelayMs: env.TOKEN_DELAY_MS ? Number(env.TOKEN_DELAY_MS) : 30,
    quiet: env.QUIET === '1',
    adminSecret: env.MOCK_ADMIN_SECRET,
  });
  console.log(`Mock Dify server + demo page: ${server.url}/`);
  // Development only: QA needs the secret for the console page; production logs never hold it.
  if (env.NODE_ENV !== 'production')
    console.log(`Console (API keys, channels, limits): ${server.url}/console.html  admin secret: ${server.adminSecret}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down`);
    void server.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
