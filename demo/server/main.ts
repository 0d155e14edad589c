import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { exposureWarning, optionsFromEnv } from './env.ts';
import { findRepoRoot } from './paths.ts';
import { startMockServer } from './server.ts';

/**
 * CLI: `node dist/mock/server.js` (bundled by build.mjs from this file; `npm start` builds and runs it).
 * Env: see env.ts. Paths are relative to the repo root, found from the working directory (see
 * paths.ts), since a bundle cannot use its own location.
 */
async function main(): Promise<void> {
  const options = optionsFromEnv(process.env, findRepoRoot());
  if (options.dataFile) mkdirSync(dirname(options.dataFile), { recursive: true });
  const server = await startMockServer(options);
  const warning = exposureWarning(options.host);
  if (warning) console.warn(warning);
  console.log(`Mock Dify server + demo page: ${server.url}/`);
  // Development only: QA needs the secret for the console page; production logs never hold it.
  if (process.env.NODE_ENV !== 'production')
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
