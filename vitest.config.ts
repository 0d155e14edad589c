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
  },
});
