import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pythonJson } from '../../demo/server/json.ts';
import type { MockServer } from '../../demo/server/server.ts';
import { encodeEvent, splitBuffer, splitPoints } from '../../demo/server/sse.ts';
import { tokenize } from '../../demo/server/tokens.ts';
import { admin, client, type Client, names, passport, readAll, settings, SseReader, start } from './helpers.ts';

let server: MockServer;
let base: string;
let chat: Client;

beforeAll(async () => {
  server = await start();
  base = server.url;
  chat = client(base, await passport(base, 'demo-chat', 'fmt'));
});
afterAll(() => server.close());
beforeEach(() => admin(base, 'POST', '/reset'));

describe('encoders', () => {
  it('pythonJson matches json.dumps defaults, with surrogate pairs for emoji', () => {
    expect(pythonJson({ a: 1, b: [1, 'x'], c: null, d: true })).toBe('{"a": 1, "b": [1, "x"], "c": null, "d": true}');
    expect(pythonJson('你好😀')).toBe('"\\u4f60\\u597d\\ud83d\\ude00"');
    expect(pythonJson('quote " slash \\ nl \n tab \t del \x7f é')).toBe('"quote \\" slash \\\\ nl \\n tab \\t del \\u007f \\u00e9"');
    expect(pythonJson({ k: 'é' }, false)).toBe('{"k": "é"}');
    expect(JSON.parse(pythonJson({ s: '👨‍👩‍👧 𠀋' }))).toEqual({ s: '👨‍👩‍👧 𠀋' });
  });

  it('splitPoints cuts after the closing brace and inside a multi-byte character', () => {
    const buf = Buffer.from(encodeEvent({ event: 'message', answer: '你好' }, false));
    for (let i = 0; i < 20; i++) {
      const points = splitPoints(buf);
      expect(points).toContain(buf.lastIndexOf(0x7d) + 1);
      expect(points.some((p) => ((buf[p] ?? 0) & 0xc0) === 0x80)).toBe(true);
      expect(Buffer.concat(splitBuffer(buf, points))).toEqual(buf);
    }
  });

  it('tokenize keeps the text and makes small tokens', () => {
    const text = 'One two three four five six seven.\n\n你好世界，这是一个测试。😀👍🏽';
    // Token sizes are random: check the smallest draws, the largest, and a real one. (With
    // Math.random alone, "more than 4 tokens" failed whenever the draws were large.)
    for (const random of [() => 0, () => 0.999, Math.random]) {
      const tokens = tokenize(text, random);
      expect(tokens.join('')).toBe(text);
      for (const t of tokens) expect(t.trim().split(/\s+/).length).toBeLessThanOrEqual(4);
      // 7 words and 17 code points in the run without spaces: at most 4 words or 3 code points a token.
      expect(tokens.length).toBeGreaterThanOrEqual(Math.ceil((7 + Math.ceil(17 / 3)) / 4));
    }
    // The smallest draws: one word or one code point per token.
    expect(tokenize(text, () => 0)).toHaveLength(7 + 17);
  });
});

describe('stream framing switches', () => {
  it('sends event: ping when idle for pingIntervalMs', async () => {
    await settings(base, { pingIntervalMs: 20, tokenDelayMs: 60 });
    const { events, reader } = await readAll(await chat.chat({ query: 'hello' }));
    expect(reader.pings).toBeGreaterThan(0);
    expect(reader.raw).toContain('\n\nevent: ping\n\n');
    expect(events.at(-1)!.event).toBe('message_end');
  });

  it('no pings with the default interval on a fast stream', async () => {
    const { reader } = await readAll(await chat.chat({ query: 'hello' }));
    expect(reader.pings).toBe(0);
  });

  it('legacy mode uses json.dumps spacing and \\u escapes (incl. surrogate pairs)', async () => {
    await settings(base, { legacyJson: true });
    const { events, reader } = await readAll(await chat.chat({ query: 'cjk' }));
    expect(reader.raw).toMatch(/^data: \{"event": "message", "conversation_id": "/);
    expect(reader.raw).not.toMatch(/[^\x00-\x7f]/);
    expect(reader.raw).toContain('\\u4f60');
    expect(reader.raw).toMatch(/\\ud83d\\ude00/);
    const answer = events
      .filter((e) => e.event === 'message')
      .map((e) => e.answer)
      .join('');
    expect(answer).toContain('你好');
    expect(answer).toContain('😀');
  });

  it('split-chunk mode yields identical events through a real SSE parser', async () => {
    const collect = async (): Promise<{ events: unknown[]; chunks: Uint8Array[] }> => {
      const res = await chat.chat({ query: 'cjk and emoji', inputs: {} });
      const chunks: Uint8Array[] = [];
      const events: unknown[] = [];
      const parser = createParser({ onEvent: (e: EventSourceMessage) => events.push(JSON.parse(e.data)) });
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        chunks.push(chunk);
        parser.feed(decoder.decode(chunk, { stream: true }));
      }
      return { events, chunks };
    };
    const strip = (events: unknown[]): unknown[] =>
      events.map((e) => {
        const { conversation_id, message_id, created_at, task_id, id, metadata, ...rest } = e as Record<string, unknown>;
        void conversation_id, message_id, created_at, task_id, id, metadata;
        return rest;
      });
    const plain = await collect();
    await settings(base, { splitChunks: true });
    const split = await collect();
    // Same kinds of events, same text (token boundaries are random, so compare the joined answer).
    const text = (events: unknown[]): string =>
      strip(events)
        .map((e: any) => e.answer ?? '')
        .join('');
    expect(text(split.events)).toBe(text(plain.events));
    expect(names(split.events as any).at(-1)).toBe('message_end');
    // Pieces really were split: more chunks than events, and some chunk ends right after "}".
    expect(split.chunks.length).toBeGreaterThan(split.events.length);
    expect(split.chunks.some((c) => c[c.length - 1] === 0x7d)).toBe(true);
    // ...and some chunk ends inside a multi-byte UTF-8 sequence.
    expect(
      split.chunks.some(
        (c) =>
          (c[c.length - 1]! & 0xc0) === 0x80 ||
          (c[c.length - 1]! & 0xe0) === 0xc0 ||
          (c[c.length - 1]! & 0xf0) === 0xe0 ||
          (c[c.length - 1]! & 0xf8) === 0xf0,
      ),
    ).toBe(true);
  });
});

describe('client disconnects', () => {
  it('a client leaving mid-stream does not crash the server, stores the full answer and leaks no timers', async () => {
    await settings(base, { tokenDelayMs: 5, pingIntervalMs: 50 });
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const controller = new AbortController();
    const res = await fetch(`${base}/api/chat-messages`, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'Content-Type': 'application/json', 'X-App-Passport': await passport(base, 'demo-chat', 'leaver') },
      body: JSON.stringify({ inputs: {}, query: 'a long answer', response_mode: 'streaming' }),
    });
    const reader = new SseReader(res);
    const first = (await reader.next())!;
    controller.abort();
    // The run finishes silently; the task disappears.
    for (let i = 0; i < 100; i++) {
      const state = (await (await admin(base, 'GET', '/state')).json()) as { runningTasks: string[] };
      if (!state.runningTasks.includes(first.task_id as string)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const leaver = client(base, await passport(base, 'demo-chat', 'leaver'));
    const list = (await (await leaver.get(`/api/messages?conversation_id=${first.conversation_id}`)).json()) as {
      data: { answer: string }[];
    };
    expect(list.data[0]!.answer.length).toBeGreaterThan(4800);
    await new Promise((r) => setTimeout(r, 120));
    expect(timers()).toBeLessThanOrEqual(before);
    expect((await chat.get('/api/site')).status).toBe(200);
  });
});
