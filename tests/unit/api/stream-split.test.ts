import { describe, expect, it } from 'vitest';
import { toPayload } from '../../../src/api/client.ts';
import { createHttp } from '../../../src/api/http.ts';
import { streamChat } from '../../../src/api/stream.ts';
import type { StreamEvent } from '../../../src/api/stream-events.ts';
import { emptyAnswer, type Answer } from '../../../src/state/answer.ts';
import { reduceAnswer } from '../../../src/state/reduce.ts';
import { FIXTURE_NAMES, fakeFetch, fixtureBytes, sse } from './helpers.ts';

/**
 * The recorded streams split at every byte offset — including inside multi-byte UTF-8
 * characters and between CR and LF — must give exactly the same events and final Answer
 * (docs/ARCHITECTURE.md §4). Chunks go through a real ReadableStream body, as fetch delivers them.
 */

let chunks: Uint8Array[] = [];
const { fetch } = fakeFetch((call) => sse(chunks, { signal: call.signal }));
const http = createHttp({
  apiBase: 'https://dify.example.com/api',
  appCode: 'abc',
  fetch,
  getPassport: async () => 'jwt',
  onUnauthorized: () => {},
});

async function play(parts: Uint8Array[]): Promise<{ events: StreamEvent[]; answer: Answer; result: unknown }> {
  chunks = parts;
  const events: StreamEvent[] = [];
  const result = await streamChat(http, toPayload({ query: 'q', inputs: {} }), { onEvent: (e) => events.push(e) });
  return { events, answer: events.reduce(reduceAnswer, emptyAnswer()), result };
}

describe.each(FIXTURE_NAMES)('%s.sse split anywhere', (name) => {
  const bytes = fixtureBytes(name);

  // Thousands of full stream parses: seconds of CPU, more on a busy machine. A correctness test,
  // so it gets room rather than the default 5 s (speed is the bench's business).
  it('every two-chunk split gives the same events and Answer as one chunk', { timeout: 60_000 }, async () => {
    const whole = await play([bytes]);
    expect(whole.events.length).toBeGreaterThan(0);
    for (let k = 1; k < bytes.length; k++) {
      const split = await play([bytes.subarray(0, k), bytes.subarray(k)]);
      if (JSON.stringify(split.answer) !== JSON.stringify(whole.answer) || JSON.stringify(split.events) !== JSON.stringify(whole.events)) {
        expect({ offset: k, ...split }).toEqual({ offset: k, ...whole });
      }
    }
  });

  it('one byte at a time gives the same Answer', async () => {
    const whole = await play([bytes]);
    const bytewise = await play(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)));
    expect(bytewise.answer).toEqual(whole.answer);
    expect(bytewise.events).toEqual(whole.events);
    expect(bytewise.result).toEqual(whole.result);
  });
});

it('the fixtures really do contain multi-byte characters and CRLF to split inside', () => {
  const text = (n: (typeof FIXTURE_NAMES)[number]) => new TextDecoder().decode(fixtureBytes(n));
  expect(text('chat')).toContain('你好');
  expect(text('chatflow-newest')).toContain('👋🏽');
  expect(text('chatflow-newest')).toContain('\r\n');
  expect(text('legacy-json-dumps')).toContain('\\ud83d\\ude00');
});
