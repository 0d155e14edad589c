import { RelayError } from './errors.ts';

/**
 * Calls to Dify's service API with the secret key. Retries, with backoff, what failed before Dify
 * did any work: 502/503 (a restarting api container behind nginx), 429 (waiting out its
 * `Retry-After` when short enough), and a refused connection. Never once a response has started
 * streaming: the relay passes that response on as it is, byte for byte.
 */
export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  /** Attempt n waits a random time in [base · 2^(n-1) / 2, base · 2^(n-1)). */
  baseDelayMs: number;
  /** A 429's `Retry-After` longer than this is not waited out: the visitor's widget gets the 429. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxRetryAfterMs: 5_000 };

export interface UpstreamCall {
  method: string;
  /** Below the service API root, e.g. `/chat-messages`. */
  path: string;
  query?: URLSearchParams;
  json?: unknown;
  signal?: AbortSignal;
}

export interface Upstream {
  call(call: UpstreamCall): Promise<Response>;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function retryAfterMs(res: Response): number | null {
  const value = res.headers.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function refusedConnection(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } })?.cause;
  return cause?.code === 'ECONNREFUSED';
}

export function createUpstream(options: {
  apiUrl: string;
  apiKey: string;
  retry: RetryPolicy;
  fetch: typeof fetch;
  random?: () => number;
}): Upstream {
  const root = options.apiUrl.replace(/\/+$/, '');
  const random = options.random ?? Math.random;
  return {
    async call(call) {
      const qs = call.query?.toString();
      const url = `${root}${call.path}${qs ? `?${qs}` : ''}`;
      const init: RequestInit = {
        method: call.method,
        headers: {
          Authorization: `Bearer ${options.apiKey}`,
          Accept: 'application/json, text/event-stream',
          ...(call.json === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(call.json === undefined ? {} : { body: JSON.stringify(call.json) }),
        ...(call.signal ? { signal: call.signal } : {}),
      };
      for (let attempt = 1; ; attempt++) {
        const last = attempt >= options.retry.attempts;
        const backoff = (): number => {
          const ceiling = options.retry.baseDelayMs * 2 ** (attempt - 1);
          return ceiling / 2 + random() * (ceiling / 2);
        };
        let res: Response;
        try {
          res = await options.fetch(url, init);
        } catch (err) {
          if (call.signal?.aborted) throw err;
          if (!last && refusedConnection(err)) {
            await sleep(backoff(), call.signal);
            continue;
          }
          throw new RelayError(502, 'internal_server_error', 'The relay could not reach Dify.');
        }
        if (last || (res.status !== 502 && res.status !== 503 && res.status !== 429)) return res;
        const wait = res.status === 429 ? retryAfterMs(res) : null;
        if (wait !== null && wait > options.retry.maxRetryAfterMs) return res;
        // The failed answer's body is not needed; free the connection.
        await res.body?.cancel().catch(() => {});
        await sleep(wait ?? backoff(), call.signal);
        if (call.signal?.aborted) throw new RelayError(499, 'aborted', 'The client went away.');
      }
    },
  };
}
