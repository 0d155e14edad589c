import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { findRepoRoot } from './paths.ts';
import { startMockServer } from './server.ts';

/**
 * CLI: `node dist/mock/server.js` (bundled by build.mjs from this file; `npm start` builds and runs it).
 * Env: PORT (8787), HOST (127.0.0.1), DATA_FILE (demo/data/store.json; "" = memory only),
 * APPS_FILE, DIST_DIR, PUBLIC_DIR, TOKEN_DELAY_MS, QUIET=1. Paths are relative to the repo root,
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
  });
  console.log(`Mock Dify server + demo page: ${server.url}/`);
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
  const { code, address, port } = (err ?? {}) as { code?: string; address?: string; port?: number };
  // A second `npm start`, or another program, on the port: say what to do instead of a stack trace.
  if (code === 'EADDRINUSE') {
    console.error(
      `Port ${port} on ${address} is already in use (is the demo already running?).\n` +
        `Stop that server, or start on another port: PORT=${(port ?? 8787) + 1} npm start (PORT=0 picks any free port).`,
    );
  } else console.error(err);
  process.exit(1);
});
