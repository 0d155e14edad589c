import { parseJson } from './json.ts';
import { apiErrorFromHttp, badResponse, isAutoRetryable, toApiError, type ApiError } from './errors.ts';

/**
 * The one HTTP helper of the widget (docs/ARCHITECTURE.md §3): URLs, passport headers, JSON, timeouts,
 * AbortSignal, one passport re-mint on 401, and bounded retry with backoff. It never touches the
 * DOM, so it runs in Node as well.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

/** Cancellable sleep; must reject (with anything) when the signal aborts. */
export type Sleep = (delayMs: number, signal?: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  /** Total attempts including the first (so 3 = up to 2 retries). */
  attempts: number;
  /** Backoff base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs · 2^(n-1))). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited out: the error goes to the UI instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 15_000 };
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface HttpConfig {
  /** The web API root, e.g. `https://dify.example.com/api` (a trailing slash is fine). */
  apiBase: string;
  /** The site token, sent as `X-App-Code` on every call. */
  appCode: string;
  /**
   * Returns the passport JWT, minting it if needed. A cached passport may be returned as a plain
   * string: the request then starts in the caller's own task, with no microtask in between (a chat
   * question's request leaves before the UI renders it).
   */
  getPassport: (signal?: AbortSignal) => string | Promise<string>;
  /** A call was refused with 401 `unauthorized` using this passport: forget it. */
  onUnauthorized: (rejectedPassport: string) => void;
  /** Defaults to `globalThis.fetch`, looked up at call time (a host page may wrap fetch later). */
  fetch?: typeof fetch;
  /** Per attempt; 0 disables. Default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Injectable for tests. */
  sleep?: Sleep;
  /** Injectable for tests; returns [0, 1). */
  random?: () => number;
}

export interface RequestOptions {
  method?: HttpMethod;
  query?: Record<string, QueryValue>;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  signal?: AbortSignal;
  /**
   * Per attempt. For {@link Http.json} it covers the whole exchange; for {@link Http.request}
   * only until the response headers arrive (a stream then runs its own idle timer).
   */
  timeoutMs?: number;
  /** Send the passport (default true). False for `/passport` itself. */
  auth?: boolean;
  /** Allow automatic retry of busy/5xx answers (default true). */
  retry?: boolean;
  /** Told before each automatic retry's wait, so the UI can show "busy, retrying in 3 s". */
  onRetry?: (info: { error: ApiError; delayMs: number; attempt: number }) => void;
  accept?: string;
}

export interface Http {
  /** Perform a call; resolves with a 2xx `Response` whose body is unread. Non-2xx → `ApiError`. */
  request(path: string, options?: RequestOptions): Promise<Response>;
  /** Perform a call and parse its JSON body. 204 → `{result: 'success'}` (docs/PROTOCOL.md §2.6). */
  json<T>(path: string, options?: RequestOptions): Promise<T>;
  /** The absolute (or apiBase-relative) URL of a path with its query. */
  url(path: string, query?: Record<string, QueryValue>): string;
}

/**
 * Create the HTTP helper.
 *
 * Every call sends `X-App-Code`; authenticated calls also send the passport both as
 * `X-App-Passport` (Dify ≥ 1.9.2) and `Authorization: Bearer` (≤ 1.9.1) — docs/PROTOCOL.md §1.3.
 * On 401 `unauthorized` the passport is dropped, minted again, and the call repeated exactly once.
 * `busy` and 5xx answers are retried with exponential backoff and full jitter, honouring
 * `Retry-After`, up to `retry.attempts` in total.
 */
export function createHttp(config: HttpConfig): Http {
  const base = config.apiBase.replace(/\/+$/, '');
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...config.retry };
  const sleep = config.sleep ?? abortableSleep;
  const random = config.random ?? Math.random;
  const defaultTimeout = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  function url(path: string, query?: Record<string, QueryValue>): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) search.set(key, String(value));
    }
    const queryString = search.toString();
    return `${base}${path.startsWith('/') ? path : `/${path}`}${queryString ? `?${queryString}` : ''}`;
  }

  /** One fetch with its own timeout; `read` runs inside the timed scope. */
  async function attempt<T>(
    path: string,
    options: RequestOptions,
    passport: string | null,
    read: (response: Response) => Promise<T>,
    keepLinked: boolean,
  ): Promise<T> {
    const controller = new AbortController();
    const unlink = linkSignal(options.signal, controller);
    let timedOut = false;
    const timeoutMs = options.timeoutMs ?? defaultTimeout;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;
    const how = () => ({ timedOut, aborted: options.signal?.aborted === true });
    try {
      const headers: Record<string, string> = { 'X-App-Code': config.appCode, Accept: options.accept ?? 'application/json' };
      if (passport !== null) {
        headers['X-App-Passport'] = passport;
        // Never on /passport: an enterprise server reads Bearer there as the login token (§1.3).
        headers.Authorization = `Bearer ${passport}`;
      }
      const init: RequestInit = { method: options.method ?? 'GET', headers, credentials: 'omit', signal: controller.signal };
      if (options.json !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(options.json);
      }
      // Resolve fetch now, not at creation, and call it unbound: `obj.fetch(…)` with the native
      // fetch as a property throws "Illegal invocation" in browsers.
      const doFetch = config.fetch ?? globalThis.fetch;
      let response: Response;
      try {
        response = await doFetch(url(path, options.query), init);
      } catch (err) {
        throw toApiError(err, how());
      }
      if (!response.ok) {
        const bodyText = await response.text().catch(() => '');
        if (timedOut || options.signal?.aborted) throw toApiError(new Error('aborted'), how());
        throw apiErrorFromHttp(
          {
            status: response.status,
            statusText: response.statusText,
            contentType: response.headers.get('content-type'),
            bodyText,
            retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
          },
          { path },
        );
      }
      if (timer !== undefined) clearTimeout(timer);
      try {
        return await read(response);
      } catch (err) {
        throw toApiError(err, how());
      }
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      // A streamed body is read after we return: the caller's signal must still abort the fetch.
      if (!keepLinked) unlink();
    }
  }

  async function exchange<T>(
    path: string,
    options: RequestOptions,
    read: (response: Response) => Promise<T>,
    keepLinked = false,
  ): Promise<T> {
    const auth = options.auth !== false;
    let reminted = false;
    let failures = 0;
    for (;;) {
      throwIfAborted(options.signal);
      // No `await` on a passport we already have: even awaiting a plain value yields to the
      // microtask queue, and whatever is queued there (a render) would run before the fetch.
      const pending = auth ? config.getPassport(options.signal) : null;
      const passport = typeof pending === 'string' || pending === null ? pending : await pending;
      try {
        return await attempt(path, options, passport, read, keepLinked);
      } catch (caught) {
        const err = toApiError(caught);
        // docs/PROTOCOL.md §1.6 step 5: drop the passport, mint again, retry once. Not counted as a retry.
        if (err.kind === 'unauthorized' && passport !== null && !reminted) {
          reminted = true;
          config.onUnauthorized(passport);
          continue;
        }
        failures += 1;
        if (options.retry === false || !isAutoRetryable(err) || failures >= policy.attempts) throw err;
        const delay = retryDelay(policy, failures, err.retryAfterMs, random);
        if (delay === null) throw err;
        options.onRetry?.({ error: err, delayMs: delay, attempt: failures });
        try {
          await sleep(delay, options.signal);
        } catch (sleepErr) {
          throw toApiError(sleepErr, { aborted: true });
        }
      }
    }
  }

  return {
    url,
    request(path, options = {}) {
      return exchange(path, options, async (response) => response, true);
    },
    json<T>(path: string, options: RequestOptions = {}): Promise<T> {
      return exchange(path, options, async (response) => {
        if (response.status === 204) return { result: 'success' } as T;
        const text = await response.text();
        // Only 2xx bodies get here; an empty one (e.g. text-to-audio before the answer exists, §2.9) is null.
        if (!text.trim()) return null as T;
        try {
          return parseJson(text) as T;
        } catch {
          throw badResponse('JSON', { status: response.status, contentType: response.headers.get('content-type'), bodyText: text });
        }
      });
    },
  };
}

/**
 * Delay before retry number `failures` (1-based): `Retry-After` when the server gave one (or
 * null = don't retry when it asks for more than the policy allows), else full jitter.
 */
export function retryDelay(policy: RetryPolicy, failures: number, retryAfterMs: number | undefined, random: () => number): number | null {
  if (retryAfterMs !== undefined) return retryAfterMs > policy.maxRetryAfterMs ? null : retryAfterMs;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A `setTimeout` promise that rejects with an AbortError when the signal fires. */
export const abortableSleep: Sleep = (delayMs, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Abort `controller` when `signal` aborts; returns the unlink function. (`AbortSignal.any` would do,
 * but it is missing from Safari < 17.4, which host pages' visitors still use.)
 */
export function linkSignal(signal: AbortSignal | undefined, controller: AbortController): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    controller.abort();
    return () => {};
  }
  const onAbort = () => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw toApiError(abortError(), { aborted: true });
}

function abortError(): Error {
  const err = new Error('The operation was aborted.');
  err.name = 'AbortError';
  return err;
}
