import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MockServer } from '../../demo/server/server.ts';
import { answerText, normalize, SCENARIOS, skeleton } from './fixture-recorder.ts';
import { admin, start } from './helpers.ts';

/*
 * The recorded era transcripts in tests/fixtures/streams/ must keep the mock's shape: same blocks,
 * same keys, same answer text. When the mock changes on purpose, re-record them:
 *   RECORD_FIXTURES=1 npx vitest run tests/mock/fixtures.test.ts
 */
const FIXTURES = fileURLToPath(new URL('../fixtures/streams/', import.meta.url));
const RECORD = process.env.RECORD_FIXTURES === '1';

/** A seeded generator, so token splits are the same on every recording. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let server: MockServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => {
  vi.restoreAllMocks();
  return server.close();
});
beforeEach(async () => {
  await admin(server.url, 'POST', '/reset');
  vi.spyOn(Math, 'random').mockImplementation(seeded(42));
});

describe('era transcripts (tests/fixtures/streams/era-*.sse)', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (name, scenario) => {
    const recorded = normalize(await scenario.record(server.url));
    const file = `${FIXTURES}${name}.sse`;
    if (RECORD) writeFileSync(file, recorded);
    const committed = readFileSync(file, 'utf8');
    expect(skeleton(recorded)).toEqual(skeleton(committed));
    if (scenario.stableText) expect(answerText(recorded)).toBe(answerText(committed));
  });
});
