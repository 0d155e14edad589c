import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds the repository root: $DIFY_MOCK_ROOT, else the nearest ancestor of the working directory
 * holding demo/apps.json, else two levels above this module. The working directory comes first
 * because after bundling (dist/mock/server.js) import.meta.url no longer points into demo/server.
 */
export function findRepoRoot(): string {
  const fromEnv = process.env.DIFY_MOCK_ROOT;
  if (fromEnv) return resolve(fromEnv);
  let dir = process.cwd();
  for (;;) {
    if (existsSync(join(dir, 'demo', 'apps.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  try {
    return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  } catch {
    return process.cwd();
  }
}
