import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createParser } from 'eventsource-parser';
import { toStreamEvent } from '../../../src/api/stream.ts';
import { safeStorage, type SafeStorage } from '../../../src/util/storage.ts';
import type { StreamEvent } from '../../../src/api/stream-events.ts';

/** Test doubles shared by the api and state tests. */

const FIXTURES = fileURLToPath(new URL('../../fixtures/streams/', import.meta.url));

export const FIXTURE_NAMES = [
  'chat',
  'agent',
  'chatflow',
  'chatflow-failed',
  'chatflow-newest',
  'docs-chatflow-newest',
  'legacy-json-dumps',
  'model-error',
] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

export function fixtureBytes(name: FixtureName): Uint8Array {
  return new Uint8Array(readFileSync(`${FIXTURES}${name}.sse`));
}

/** A recorded stream parsed in one go (eventsource-parser, as the client does). */
export function fixtureEvents(name: FixtureName): StreamEvent[] {
  const events: StreamEvent[] = [];
  const parser = createParser({
    onEvent: (m) => {
      const e = toStreamEvent(m);
      if (e) events.push(e);
    },
  });
  parser.feed(new TextDecoder().decode(fixtureBytes(name)));
  parser.feed('\n\n');
  return events;
}

export interface RecordedCall {
  url: string;
  path: string;
  query: URLSearchParams;
  method: string;
  headers: Record<string, string>;
  body: unknown;
  credentials: RequestCredentials | undefined;
  signal: AbortSignal | null;
}

export type Handler = (call: RecordedCall) => Response | Promise<Response>;

/**
 * A fetch that records calls and answers through `handler`. Like the real one, it rejects with an
 * AbortError when the signal fires before the response is ready.
 */
export function fakeFetch(handler: Handler): { fetch: typeof fetch; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const parsed = new URL(url, 'http://relative.invalid');
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    const call: RecordedCall = {
      url,
      path: parsed.pathname,
      query: parsed.searchParams,
      method: init.method ?? 'GET',
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body,
      credentials: init.credentials,
      signal: init.signal ?? null,
    };
    calls.push(call);
    const signal = init.signal;
    if (signal?.aborted) throw abortError();
    const response = handler(call);
    if (!signal) return response;
    return new Promise<Response>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(abortError()), { once: true });
      Promise.resolve(response).then(resolve, reject);
    });
  }) as typeof fetch;
  return { fetch: fetchImpl, calls };
}

export function abortError(): Error {
  const e = new Error('This operation was aborted');
  e.name = 'AbortError';
  return e;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function difyError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return json(status, { code, message, status }, headers);
}

export interface SseOptions {
  /** Keep the body open after the last chunk (a server that never closes). */
  hang?: boolean;
  /** Error the body after the last chunk (connection reset). */
  failAfter?: boolean;
  /** Like a real fetch: abort errors the body. */
  signal?: AbortSignal | null;
  /** Milliseconds between chunks. */
  gapMs?: number;
  headers?: Record<string, string>;
}

/** A `text/event-stream` response whose body yields exactly these chunks. */
export function sse(chunks: Array<Uint8Array | string>, options: SseOptions = {}): Response {
  const encoder = new TextEncoder();
  const queue = chunks.map((c) => (typeof c === 'string' ? encoder.encode(c) : c));
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      options.signal?.addEventListener('abort', () => {
        try {
          controller.error(abortError());
        } catch {
          /* already closed */
        }
      });
    },
    async pull(controller) {
      if (options.gapMs && i > 0) await new Promise((r) => setTimeout(r, options.gapMs));
      const next = queue[i++];
      if (next !== undefined) return controller.enqueue(next);
      if (options.failAfter) return controller.error(new TypeError('network error'));
      if (options.hang) return new Promise<void>(() => {});
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', ...options.headers } });
}

/**
 * The guarded storage the widget uses (util/storage.ts) over an in-memory Storage double, which
 * can be told to throw like a sandboxed frame's localStorage; `data` is what was stored there.
 */
export function memoryStorage(options: { throws?: boolean } = {}): SafeStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  const guard = () => {
    if (options.throws) throw new DOMException('The operation is insecure.', 'SecurityError');
  };
  const raw = {
    getItem: (k: string) => (guard(), data.get(k) ?? null),
    setItem: (k: string, v: string) => (guard(), void data.set(k, v)),
    removeItem: (k: string) => (guard(), void data.delete(k)),
  };
  return { ...safeStorage(() => raw as unknown as Storage), data };
}

/** Every event of a stream, plus how the call ended. */
export async function collect(
  run: (onEvent: (e: StreamEvent) => void) => Promise<unknown>,
): Promise<{ events: StreamEvent[]; result?: unknown; error?: unknown }> {
  const events: StreamEvent[] = [];
  try {
    const result = await run((e) => events.push(e));
    return { events, result };
  } catch (error) {
    return { events, error };
  }
}
