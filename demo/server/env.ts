import { join, resolve } from 'node:path';
import type { MockServerOptions } from './server.ts';

/** Host names that only this machine can reach. */
const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i;

/**
 * The CLI's options from the environment (see main.ts): PORT (8787), HOST (127.0.0.1: the mock
 * stays on this machine unless HOST says otherwise), DATA_FILE (demo/data/store.json; "" = memory
 * only), APPS_FILE, DIST_DIR, PUBLIC_DIR, TOKEN_DELAY_MS, QUIET=1, MOCK_ADMIN_SECRET (the console
 * API's secret; random and printed at start unless NODE_ENV=production). Paths resolve against `root`.
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv, root: string): MockServerOptions & { host: string; dataFile: string | null } {
  const fromRoot = (value: string | undefined, fallback: string): string => resolve(root, value || fallback);
  return {
    port: env.PORT ? Number(env.PORT) : 8787,
    host: env.HOST || '127.0.0.1',
    dataFile: env.DATA_FILE === '' ? null : fromRoot(env.DATA_FILE, join('demo', 'data', 'store.json')),
    appsFile: fromRoot(env.APPS_FILE, join('demo', 'apps.json')),
    distDir: fromRoot(env.DIST_DIR, 'dist'),
    publicDir: fromRoot(env.PUBLIC_DIR, join('demo', 'public')),
    tokenDelayMs: env.TOKEN_DELAY_MS ? Number(env.TOKEN_DELAY_MS) : 30,
    quiet: env.QUIET === '1',
    adminSecret: env.MOCK_ADMIN_SECRET,
  };
}

/** A warning to print when HOST opens the mock to other machines; null on loopback. */
export function exposureWarning(host: string): string | null {
  if (LOOPBACK_HOSTS.test(host)) return null;
  return `[mock] HOST=${host}: other machines on your network can reach this mock's /api and demo page (the /__mock controls still answer this machine only).`;
}
