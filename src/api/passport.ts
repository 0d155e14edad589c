import { storageKey, type SafeStorage } from '../util/storage.ts';
import { ApiError, toApiError } from './errors.ts';
import type { Http } from './http.ts';

export interface PassportOptions {
  http: Http;
  appCode: string;
  /** `sys.user_id`: becomes the end user's session id (docs/PROTOCOL.md §1.2). */
  userId?: string | undefined;
  /** Where the passport is kept: the launcher's guarded localStorage (chat-contract.ts). */
  storage: SafeStorage;
}

export interface Passport {
  /** The cached passport, or a fresh one; concurrent callers share one in-flight mint. */
  get(signal?: AbortSignal): Promise<string>;
  /** The cached passport, or null when one must be minted (synchronous, for the HTTP helper). */
  cached(): string | null;
  /**
   * Forget a passport the server refused. Only forgets it if it is still the cached one, so a
   * late 401 cannot throw away a passport another call has just minted.
   */
  invalidate(rejected: string): void;
  /** The storage key, `dify-chatbot:passport:<code>:<user_id|DEFAULT>`. */
  readonly key: string;
}

/**
 * The passport of docs/PROTOCOL.md §1.2: `GET /api/passport` with `X-App-Code` (and `?user_id=` when
 * given), cached per app code and user id. Persisting it matters: without `user_id`, every mint
 * creates a new anonymous end user and the visitor's conversations disappear.
 */
export function createPassport(options: PassportOptions): Passport {
  const { http, appCode } = options;
  const userId = options.userId || undefined;
  const store = options.storage;
  const key = storageKey('passport', appCode, userId ?? 'DEFAULT');
  let inflight: Promise<string> | null = null;

  async function mint(): Promise<string> {
    // No caller signal: the mint is shared, so one caller giving up must not fail the others.
    const body = await http.json<unknown>('/passport', { auth: false, query: { user_id: userId } });
    const token = typeof body === 'object' && body !== null ? (body as { access_token?: unknown }).access_token : undefined;
    if (typeof token !== 'string' || !token) {
      throw new ApiError({ kind: 'bad-response', status: 200, message: 'The chat server sent no passport (access_token missing).' });
    }
    store.set(key, token);
    return token;
  }

  return {
    key,
    get(signal) {
      // Read the store each time so tabs of the same site share one identity.
      const cached = store.get(key);
      if (cached) return Promise.resolve(cached);
      if (!inflight) {
        inflight = mint().finally(() => {
          inflight = null;
        });
      }
      return withSignal(inflight, signal);
    },
    cached: () => store.get(key),
    invalidate(rejected) {
      if (store.get(key) === rejected) store.remove(key);
    },
  };
}

/** Let one waiter stop waiting on a shared promise without cancelling it. */
function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(toApiError(null, { aborted: true }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(toApiError(null, { aborted: true }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
