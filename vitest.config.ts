import { defineConfig } from 'vitest/config';
import { readFileSync } from 'node:fs';
import { defines } from './src/chat/part-table.ts';

export default defineConfig({
  // The part table's values, as build.mjs defines them for the browser code.
  define: defines(),
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [
    {
      // Mirror esbuild's `loader: { '.css': 'text' }` from build.mjs.
      name: 'css-as-text',
      enforce: 'pre',
      load(id) {
        if (id.endsWith('.css')) return `export default ${JSON.stringify(readFileSync(id, 'utf8'))};`;
        return null;
      },
    },
  ],
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}', 'tests/mock/**/*.test.ts', 'tests/relay/**/*.test.ts'],
    environment: 'node',
    // Vitest's 5 s default is about a fast machine alone: on a busy 2-core one (a second run, an
    // e2e suite alongside) the mock-server and large property tests take 5-6 s and time out.
    // Timeouts here catch hangs, not slowness; the tests wait for what they need, not for time.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
