import { afterEach, describe, expect, it, vi } from 'vitest';
import { toPayload } from '../../../src/api/client.ts';
import { ApiError } from '../../../src/api/errors.ts';
import { createHttp, type Http } from '../../../src/api/http.ts';
import { streamChat, type StreamChatOptions } from '../../../src/api/stream.ts';
import type { StreamEvent } from '../../../src/api/stream-events.ts';
import { collect, difyError, fakeFetch, fixtureBytes, sse, type Handler } from './helpers.ts';

const payload = toPayload({ query: 'Hi', inputs: {} });

function httpFor(handler: Handler, delays: number[] = []): { http: Http; calls: ReturnType<typeof fakeFetch>['calls'] } {
  const { fetch, calls } = fakeFetch(handler);
  const http = createHttp({
    apiBase: 'https://dify.example.com/api',
    appCode: 'abc123',
    fetch,
    getPassport: async () => 'jwt',
    onUnauthorized: () => {},
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
  });
  return { http, calls };
}

function run(http: Http, options: Partial<StreamChatOptions> = {}) {
  return collect((onEvent) => streamChat(http, payload, { onEvent, ...options }));
}

const line = (obj: unknown) => `data: ${JSON.stringify(obj)}\n\n`;
const msg = (answer: string) => line({ event: 'message', conversation_id: 'C', message_id: 'M', task_id: 'T', id: 'M', answer });
const END = line({ event: 'message_end', conversation_id: 'C', message_id: 'M', task_id: 'T', id: 'M', metadata: {} });
const names = (events: StreamEvent[]) => events.map((e) => e.event);

afterEach(() => vi.restoreAllMocks());

describe('streamChat', () => {
  it('POSTs the official body to /chat-messages with the passport headers (docs/PROTOCOL.md §2.4)', async () => {
    const { http, calls } = httpFor(() => sse([msg('Hi'), END]));
    const { result } = await run(http);
    expect(result).toEqual({ error: null });
    expect(calls[0]?.url).toBe('https://dify.example.com/api/chat-messages');
    expect(calls[0]?.method).toBe('POST');
    expect(calls[0]?.body).toEqual({
      response_mode: 'streaming',
      conversation_id: '',
      files: [],
      query: 'Hi',
      inputs: {},
      parent_message_id: null,
    });
    expect(calls[0]?.headers).toMatchObject({ 'x-app-passport': 'jwt', authorization: 'Bearer jwt', accept: 'text/event-stream' });
  });

  it('delivers the §6.4 chat transcript as typed events; ping lines are not events', async () => {
    const { http } = httpFor(() => sse([fixtureBytes('chat')]));
    const { events, result } = await run(http);
    expect(names(events)).toEqual(['message', 'message', 'message_end']);
    expect(events[1]).toMatchObject({ event: 'message', answer: '! How can I help? 你好' });
    expect(result).toEqual({ error: null });
  });

  it('skips a malformed event with a [dify-chatbot] warning and keeps going', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { http } = httpFor(() => sse([msg('a'), 'data: {"event":"message","answer":"b\n\n', msg('c'), END]));
    const { events, result } = await run(http);
    expect(events.map((e) => (e as { answer?: string }).answer ?? e.event)).toEqual(['a', 'c', 'message_end']);
    expect(result).toEqual({ error: null });
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^\[dify-chatbot\] skipped a malformed stream event/);
  });

  it('non-objects and nameless objects are skipped with a warning; error-like objects become error events (§3.6)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { http } = httpFor(() =>
      sse([
        msg('a'),
        'data: 42\n\n',
        'data: ["x"]\n\n',
        'data: {"answer":"no name"}\n\n',
        'data: {"code":"invalid_param","message":"Run failed: x","status":400}\n\n',
      ]),
    );
    const { events, result } = await run(http);
    expect(names(events)).toEqual(['message', 'error']);
    expect(events[1]).toMatchObject({ event: 'error', code: 'invalid_param', status: 400, message: 'Run failed: x' });
    expect(result).toEqual({ error: expect.objectContaining({ kind: 'invalid-input', message: 'Run failed: x' }) });
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it('an event with status >= 400 is an error even with another name', async () => {
    const { http } = httpFor(() => sse([line({ event: 'message', status: 500, code: 'internal_server_error', message: 'boom' })]));
    const { events, result } = await run(http);
    expect(events).toEqual([{ event: 'error', status: 500, code: 'internal_server_error', message: 'boom' }]);
    expect((result as { error: ApiError }).error.kind).toBe('server');
  });

  it('an error event with status 500 is surfaced (1.12.1 silently dropped it, §3.6)', async () => {
    const { http } = httpFor(() =>
      sse([
        msg('a'),
        line({ event: 'error', code: 'internal_server_error', status: 500, message: 'Internal Server Error, please contact support.' }),
      ]),
    );
    const { events, result } = await run(http);
    expect(names(events)).toEqual(['message', 'error']);
    expect(result).toMatchObject({ error: { kind: 'server', status: 500 } });
  });

  it('a mid-stream model error (§6.7) completes with the mapped error', async () => {
    const { http } = httpFor(() => sse([fixtureBytes('model-error')]));
    const { result } = await run(http);
    expect(result).toMatchObject({ error: { kind: 'model-error', code: 'completion_request_error' } });
  });

  it('unknown events are passed on untouched', async () => {
    const { http } = httpFor(() => sse([line({ event: 'future_thing', x: 1 }), END]));
    const { events } = await run(http);
    expect(events[0]).toEqual({ event: 'future_thing', x: 1 });
  });

  it('flushes a last event that lacks its blank line at EOF', async () => {
    const { http } = httpFor(() => sse([msg('a'), END.trimEnd()]));
    const { events, result } = await run(http);
    expect(names(events)).toEqual(['message', 'message_end']);
    expect(result).toEqual({ error: null });
  });

  it('accepts id: lines, comments, CRLF and unknown fields', async () => {
    const { http } = httpFor(() => sse([': hi\r\nid: 1-0\r\nretry: 10\r\nfoo: bar\r\n', msg('a').replace(/\n/g, '\r\n'), END]));
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const { events, result } = await run(http);
    expect(names(events)).toEqual(['message', 'message_end']);
    expect(result).toEqual({ error: null });
    expect(debug).toHaveBeenCalled();
  });

  describe('how a stream ends', () => {
    it('EOF without a terminal event rejects as network, interrupted (the answer keeps its partial text)', async () => {
      const { http } = httpFor(() => sse([msg('Tea '), msg('is')]));
      const { events, error } = await run(http);
      expect(names(events)).toEqual(['message', 'message']);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ kind: 'network', interrupted: true, message: 'The connection closed before the answer was complete.' });
    });

    it('a chatflow message_end without workflow_finished is not the end', async () => {
      const started = line({ event: 'workflow_started', workflow_run_id: 'R', data: { id: 'R' } });
      const { http } = httpFor(() => sse([started, msg('x'), END]));
      expect((await run(http)).error).toMatchObject({ kind: 'network', interrupted: true });
    });

    it('a failed workflow_finished ends it even without the error event', async () => {
      const started = line({ event: 'workflow_started', workflow_run_id: 'R', data: { id: 'R' } });
      const failed = line({ event: 'workflow_finished', workflow_run_id: 'R', data: { id: 'R', status: 'failed', error: 'x' } });
      const { http } = httpFor(() => sse([started, failed]));
      expect((await run(http)).result).toEqual({ error: null });
    });

    it('workflow_paused ends it (§3.3)', async () => {
      const { http } = httpFor(() =>
        sse([line({ event: 'workflow_paused', workflow_run_id: 'R', data: { workflow_run_id: 'R', status: 'paused' } })]),
      );
      expect((await run(http)).result).toEqual({ error: null });
    });

    it('a connection reset mid-stream rejects as network, interrupted', async () => {
      const { http } = httpFor(() => sse([msg('a')], { failAfter: true }));
      const { events, error } = await run(http);
      expect(names(events)).toEqual(['message']);
      expect(error).toMatchObject({ kind: 'network', interrupted: true });
    });

    it('a connection reset after the headers, before any event was read, is interrupted too: the server has the question', async () => {
      const { http } = httpFor(() => sse([], { failAfter: true }));
      const { events, error } = await run(http);
      expect(events).toEqual([]);
      expect(error).toMatchObject({ kind: 'network', interrupted: true });
    });

    it('a server that keeps the connection open after the terminal event is done at the idle limit', async () => {
      const { http } = httpFor((call) => sse([msg('a'), END], { hang: true, signal: call.signal }));
      const { result, error } = await run(http, { idleTimeoutMs: 30 });
      expect(error).toBeUndefined();
      expect(result).toEqual({ error: null });
    });
  });

  describe('idle timeout', () => {
    it('no byte at all for idleTimeoutMs aborts the fetch and rejects as timeout', async () => {
      const { http, calls } = httpFor((call) => sse([msg('a')], { hang: true, signal: call.signal }));
      const { events, error } = await run(http, { idleTimeoutMs: 40 });
      expect(names(events)).toEqual(['message']);
      expect(error).toMatchObject({ kind: 'timeout', interrupted: true });
      expect(calls[0]?.signal?.aborted).toBe(true);
    });

    it('pings keep the stream alive', async () => {
      const pings = Array.from({ length: 6 }, () => 'event: ping\n\n');
      const { http } = httpFor((call) => sse([...pings, msg('late'), END], { gapMs: 15, signal: call.signal }));
      const { events, result } = await run(http, { idleTimeoutMs: 60 });
      expect(names(events)).toEqual(['message', 'message_end']);
      expect(result).toEqual({ error: null });
    });

    it('a server that never sends headers times out too', async () => {
      const { http } = httpFor(() => new Promise<Response>(() => {}));
      const { error } = await run(http, { idleTimeoutMs: 20 });
      expect(error).toMatchObject({ kind: 'timeout', interrupted: false });
    });

    it('works with fake timers: the default is 60 s', async () => {
      vi.useFakeTimers();
      try {
        const { http } = httpFor((call) => sse([msg('a')], { hang: true, signal: call.signal }));
        const p = run(http);
        await vi.advanceTimersByTimeAsync(59_000);
        let settled = false;
        void p.then(() => (settled = true));
        await vi.advanceTimersByTimeAsync(0);
        expect(settled).toBe(false);
        await vi.advanceTimersByTimeAsync(1_500);
        expect((await p).error).toMatchObject({ kind: 'timeout' });
      } finally {
        vi.useRealTimers();
      }
    });
  });

  describe('AbortSignal', () => {
    it('stops a running stream: the fetch is aborted, no more events, rejects as aborted', async () => {
      const controller = new AbortController();
      const { http, calls } = httpFor((call) => sse([msg('a'), msg('b'), msg('c'), END], { gapMs: 20, signal: call.signal }));
      const seen: StreamEvent[] = [];
      const p = streamChat(http, payload, {
        signal: controller.signal,
        onEvent: (e) => {
          seen.push(e);
          controller.abort();
        },
      }).catch((e: unknown) => e);
      const err = await p;
      expect(err).toMatchObject({ kind: 'aborted', interrupted: true });
      expect(seen).toHaveLength(1);
      expect(calls[0]?.signal?.aborted).toBe(true);
    });

    it('before the response: rejects as aborted, not interrupted', async () => {
      const controller = new AbortController();
      const { http } = httpFor(() => new Promise<Response>(() => {}));
      const p = run(http, { signal: controller.signal });
      setTimeout(() => controller.abort(), 5);
      expect((await p).error).toMatchObject({ kind: 'aborted', interrupted: false });
    });

    it('a stream whose fetch ignores the signal is still cancelled through the reader', async () => {
      const controller = new AbortController();
      const { http } = httpFor(() => sse([msg('a')], { hang: true }));
      const p = run(http, { signal: controller.signal, onEvent: () => controller.abort() });
      expect((await p).error).toMatchObject({ kind: 'aborted' });
    });
  });

  describe('errors before the stream', () => {
    it('map through the same table, after the helper’s retries', async () => {
      const delays: number[] = [];
      const { http, calls } = httpFor(() => difyError(429, 'too_many_requests', 'Too many requests.'), delays);
      const { error, events } = await run(http);
      expect(error).toMatchObject({ kind: 'busy', status: 429, interrupted: false });
      expect(events).toEqual([]);
      expect(calls).toHaveLength(3);
      expect(delays).toHaveLength(2);
    });

    it('404 Conversation Not Exists → conversation-gone', async () => {
      const { http } = httpFor(() => difyError(404, 'not_found', 'Conversation Not Exists.'));
      expect((await run(http)).error).toMatchObject({ kind: 'conversation-gone' });
    });

    it('a 200 HTML page instead of a stream → bad-response', async () => {
      const { http } = httpFor(
        () => new Response('<html><head><title>Login</title></head></html>', { headers: { 'content-type': 'text/html' } }),
      );
      const { error } = await run(http);
      expect(error).toMatchObject({ kind: 'bad-response', message: 'Expected an event stream (HTTP 200, text/html: Login)' });
    });

    it('a 200 JSON error body → mapped error', async () => {
      const { http } = httpFor(
        () =>
          new Response(JSON.stringify({ code: 'provider_not_initialize', message: 'No credentials', status: 400 }), {
            headers: { 'content-type': 'application/json' },
          }),
      );
      expect((await run(http)).error).toMatchObject({ kind: 'not-configured', status: 400 });
    });

    it('a network failure before the stream is network, not interrupted', async () => {
      const { http } = httpFor(() => Promise.reject(new TypeError('Failed to fetch')));
      expect((await run(http)).error).toMatchObject({ kind: 'network', interrupted: false });
    });
  });
});
