import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../demo/server/server.ts';
import { client, type Ev, passport, readAll, start } from './helpers.ts';

/**
 * Questions no real user would type must still be answered: the canned answer echoes the question,
 * and one enormous word once overflowed the call stack in the tokeniser (demo/server/tokens.ts),
 * leaving an empty 200 stream.
 */

let server: MockServer;
let base: string;

beforeAll(async () => {
  server = await start();
  base = server.url;
});
afterAll(() => server.close());

describe('questions no user would type are still answered', () => {
  const answerOf = (events: Ev[]): string =>
    events
      .filter((e) => e.event === 'message' || e.event === 'agent_message')
      .map((e) => e.answer)
      .join('');

  for (const [code, inputs] of [
    ['demo-chat', {}],
    ['demo-agent', {}],
    ['demo-flow', { topic: 'tea' }],
  ] as const) {
    it(`${code}: one 300,000-character word is echoed in full in a bounded number of events`, async () => {
      const word = 'w'.repeat(300_000);
      const res = await client(base, await passport(base, code)).chat({ query: word, inputs });
      expect(res.status).toBe(200);
      const { events } = await readAll(res);
      expect(events.at(-1)!.event).toBe('message_end');
      expect(answerOf(events)).toContain(word);
      expect(events.length).toBeLessThan(3000);
    });
  }

  it('a question of 300,000 CJK characters', async () => {
    const word = '字'.repeat(300_000);
    const { events } = await readAll(await client(base, await passport(base, 'demo-chat')).chat({ query: word }));
    expect(events.at(-1)!.event).toBe('message_end');
    expect(answerOf(events)).toContain(word);
  });
});
