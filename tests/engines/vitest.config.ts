import { defineConfig } from 'vitest/config';

/**
 * The cross-engine smoke suite (`npm run test:engines`): one browser per engine, each journey in
 * turn, one engine after another (the machine has two cores; parallel browsers would make the
 * timings that some journeys check meaningless).
 */
export default defineConfig({
  test: {
    root: '.',
    include: ['tests/engines/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['verbose'],
    globalSetup: ['tests/engines/report.ts'],
  },
});
