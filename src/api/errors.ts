/**
 * Errors are values (docs/ARCHITECTURE.md §4): every failure of the API layer is one `ApiError` whose `kind`
 * the UI switches on. The mapping from Dify's `{code, message, status}` bodies follows
 * docs/PROTOCOL.md §4.2; the same mapping is used for HTTP errors and for `error` stream events (§3.5).
 */
import { parseJson } from './json.ts';

export type ApiErrorKind =
  /** fetch rejected: offline, DNS, CORS, connection reset; also a stream cut mid-way (`interrupted`). */
  | 'network'
  /** No answer (or, on a stream, not a single byte) within the time limit. */
  | 'timeout'
  /** Our own AbortSignal fired. Not an error to show. */
  | 'aborted'
  /** 401 `unauthorized` that survived one passport re-mint. */
  | 'unauthorized'
  /** 401 `web_sso_auth_required`: enterprise web-app login needed (docs/PROTOCOL.md §1.4). */
  | 'sign-in-required'
  /** 401 `web_app_access_denied` (docs/PROTOCOL.md §1.4). */
  | 'no-access'
  /** The app or site cannot be used: disabled, code regenerated, archived, wrong app mode, feature off. */
  | 'unavailable'
  /** The conversation no longer exists or has ended: start a new one. */
  | 'conversation-gone'
  /**
   * A message (or the paging anchor of a list) does not exist any more. Added to the brief's list:
   * mapping "Message Not Exists." to `unavailable` would make the UI declare the whole chat dead.
   */
  | 'not-found'
  /** No model credentials, hosted quota used up, model not supported. Don't retry. */
  | 'not-configured'
  /** The app's concurrency limit (docs/PROTOCOL.md §4.3): back off and retry. */
  | 'busy'
  /** 429 `rate_limit_error`: a billing quota. Don't auto-retry. */
  | 'rate-limited'
  /** 400 `invalid_param` (and other 400s): `message` is the server's text, meant to be shown. */
  | 'invalid-input'
  /** `completion_request_error`: the model provider failed (also mid-stream). The user may retry. */
  | 'model-error'
  /** 5xx, `internal_server_error`, `unknown`, or anything unrecognised. */
  | 'server'
  /** Not the JSON (or event stream) we expected, e.g. a proxy's HTML error page. */
  | 'bad-response';
// No kind for the upload errors of docs/PROTOCOL.md §2.9–2.10: the widget uploads nothing, so a stray
// file code falls to its status (413/415: invalid-input, with the server's message).

export interface ApiErrorInit {
  kind: ApiErrorKind;
  /**
   * For developers: the server's own words (empty when it sent none), or what went wrong on the
   * wire. What a visitor reads comes from the UI's strings, by kind, in their language.
   */
  message: string;
  status?: number | undefined;
  code?: string | undefined;
  retryAfterMs?: number | undefined;
  interrupted?: boolean | undefined;
  cause?: unknown;
}

/** The one error type of the API layer. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  /** HTTP status, or the `status` of an `error` stream event. */
  readonly status?: number;
  /** Dify's snake_case error code, when the server sent one. */
  readonly code?: string;
  /** From a `Retry-After` header, in milliseconds. */
  readonly retryAfterMs?: number;
  /**
   * True when an answer stream had started and was cut before its terminal event (connection
   * dropped, idle timeout, or EOF too early). The UI keeps the partial answer and marks it
   * "interrupted"; such a request is never retried automatically.
   */
  readonly interrupted: boolean;

  constructor(init: ApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    this.interrupted = init.interrupted ?? false;
  }
}

/** True for any `ApiError` (also across bundle copies, where `instanceof` can fail). */
export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError || (value instanceof Error && value.name === 'ApiError' && 'kind' in value);
}

/**
 * Whether offering the visitor a "retry" makes sense: transient transport trouble, a busy app,
 * a server or model failure, or a proxy's 5xx page.
 */
export function isRetryable(err: ApiError): boolean {
  switch (err.kind) {
    case 'network':
    case 'timeout':
    case 'busy':
    case 'server':
    case 'model-error':
      return true;
    case 'bad-response':
      return (err.status ?? 0) >= 500;
    default:
      return false;
  }
}

/**
 * Whether the HTTP helper may repeat the request by itself (with backoff): only a busy app
 * (rejected before any work, docs/PROTOCOL.md §4.3) and server 5xx — including a proxy's 502/503 page,
 * which is how a restarting api container looks behind nginx — and never once a stream started.
 * Network errors are not auto-retried: the visitor sees them and decides. 504 is excluded because
 * the request probably reached Dify, and repeating a chat message would run the model twice.
 */
export function isAutoRetryable(err: ApiError): boolean {
  if (err.interrupted) return false;
  if (err.kind === 'busy') return true;
  const status = err.status ?? 0;
  if (err.kind === 'server') return status >= 500;
  if (err.kind === 'bad-response') return status === 502 || status === 503;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Mapping

/** Where an error came from; only the path matters so far (`/passport` 404 = bad app code). */
export interface ErrorContext {
  path?: string;
}

const UNAVAILABLE_CODES = new Set([
  'app_unavailable',
  'not_chat_app',
  'not_completion_app',
  'not_workflow_app',
  'forbidden',
  'app_suggested_questions_after_answer_disabled',
  'app_more_like_this_disabled',
]);
const NOT_CONFIGURED_CODES = new Set([
  'provider_not_initialize',
  'provider_quota_exceeded',
  'model_currently_not_support',
  'provider_not_support_speech_to_text',
]);
/** 404 messages that name a missing record rather than a missing app/site (docs/PROTOCOL.md §2.6–2.8). */
const MISSING_RECORD = /^(first |last )?message not exists|^last conversation not exists/i;
const CONVERSATION_GONE = /^conversation not exists/i;
const BUSY_MESSAGE = /^too many requests/i;
const SITE_GONE = /^site (url is no longer valid|is disabled)/i;

/**
 * Decide the kind for a Dify error (HTTP status + body code/message, or an `error` event's fields).
 * The table is docs/PROTOCOL.md §4.2; codes are matched first, the status decides the rest.
 */
export function classifyError(status: number, code: string | undefined, message: string, ctx: ErrorContext = {}): ApiErrorKind {
  const wireCode = code ?? '';
  if (status === 401 || wireCode === 'unauthorized' || wireCode === 'web_sso_auth_required' || wireCode === 'web_app_access_denied') {
    if (wireCode === 'web_sso_auth_required') return 'sign-in-required';
    if (wireCode === 'web_app_access_denied') return 'no-access';
    return 'unauthorized';
  }
  // The concurrency limit comes as 429 too_many_requests (docs) or 400 invalid_param (1.12.1 code): §4.3.
  if (wireCode === 'too_many_requests' || (wireCode === 'invalid_param' && BUSY_MESSAGE.test(message))) return 'busy';
  if (wireCode === 'rate_limit_error') return 'rate-limited';
  if (wireCode === 'conversation_completed') return 'conversation-gone';
  if (wireCode === 'completion_request_error') return 'model-error';
  if (NOT_CONFIGURED_CODES.has(wireCode)) return 'not-configured';
  if (UNAVAILABLE_CODES.has(wireCode) || status === 403) return 'unavailable';
  if (wireCode === 'bad_request' && SITE_GONE.test(message)) return 'unavailable';
  if (status === 404 || wireCode === 'not_found') {
    if (ctx.path !== undefined && isPassportPath(ctx.path)) return 'unavailable';
    if (CONVERSATION_GONE.test(message)) return 'conversation-gone';
    if (MISSING_RECORD.test(message)) return 'not-found';
    // Anything else missing (app, site, end user, route) means the chat cannot work.
    return 'unavailable';
  }
  if (status === 429) return 'busy';
  if (wireCode === 'internal_server_error' || wireCode === 'unknown' || status >= 500) return 'server';
  if (status >= 400 && status < 500) return 'invalid-input';
  return 'server';
}

function isPassportPath(path: string): boolean {
  return /(^|\/)passport(\?|$)/.test(path);
}

/** Build an `ApiError` from Dify's `{code, message, status}` fields. */
export function apiErrorFromFields(
  fields: { status: number; code?: string | undefined; message?: string | undefined; retryAfterMs?: number | undefined },
  ctx: ErrorContext = {},
): ApiError {
  const message = typeof fields.message === 'string' ? fields.message.trim() : '';
  const kind = classifyError(fields.status, fields.code, message, ctx);
  return new ApiError({
    kind,
    status: fields.status,
    code: fields.code,
    message,
    retryAfterMs: fields.retryAfterMs,
  });
}

/** What the HTTP helper knows about a non-2xx response once its body is read. */
export interface HttpErrorInput {
  status: number;
  statusText?: string;
  contentType?: string | null;
  bodyText: string;
  retryAfterMs?: number | undefined;
}

/**
 * Map a non-2xx response to an `ApiError`. A Dify JSON body is mapped by code (docs/PROTOCOL.md §4.1);
 * anything else (a proxy's HTML page, plain text) becomes `bad-response` with a one-line summary —
 * except 429, whose status says enough (busy).
 */
export function apiErrorFromHttp(input: HttpErrorInput, ctx: ErrorContext = {}): ApiError {
  const { status, retryAfterMs } = input;
  const body = parseJsonObject(input.bodyText);
  if (body) {
    const code = typeof body.code === 'string' ? body.code : undefined;
    const message = firstString(body.message, body.error, body.detail);
    return apiErrorFromFields({ status, code, message, retryAfterMs }, ctx);
  }
  const summary = summarizeNonJson(input);
  return new ApiError({ kind: status === 429 ? 'busy' : 'bad-response', status, message: summary, retryAfterMs });
}

/** `bad-response` for a 2xx whose body is not what we expected. */
export function badResponse(what: string, input: Omit<HttpErrorInput, 'retryAfterMs'>): ApiError {
  return new ApiError({
    kind: 'bad-response',
    status: input.status,
    message: `Expected ${what} (${summarizeNonJson(input)})`,
  });
}

/**
 * Convert anything thrown around a fetch into an `ApiError`: keeps `ApiError`s, maps our abort and
 * timeout, and treats every other rejection as `network` (fetch rejects with a bare TypeError).
 */
export function toApiError(err: unknown, how: { aborted?: boolean; timedOut?: boolean; interrupted?: boolean } = {}): ApiError {
  if (isApiError(err)) return err;
  const interrupted = how.interrupted ?? false;
  if (how.timedOut) return new ApiError({ kind: 'timeout', message: 'no answer in time', interrupted, cause: err });
  if (how.aborted || isAbortError(err)) return new ApiError({ kind: 'aborted', message: 'aborted', interrupted, cause: err });
  return new ApiError({ kind: 'network', message: (err instanceof Error && err.message) || 'fetch failed', interrupted, cause: err });
}

function isAbortError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

// ---------------------------------------------------------------------------------------------
// Helpers

function parseJsonObject(text: string): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = parseJson(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value.trim()) return value;
  return undefined;
}

/**
 * One short, human line about a body that is not JSON: "HTTP 502, text/html: 502 Bad Gateway".
 * Uses the HTML `<title>` (or first heading) when there is one; never a JSON parser's message.
 */
function summarizeNonJson(input: { status: number; statusText?: string; contentType?: string | null; bodyText: string }): string {
  const type = (input.contentType ?? '').split(';')[0]?.trim() || 'no content type';
  const text = input.bodyText;
  let gist = '';
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text) ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text);
  if (title?.[1]) gist = title[1];
  else if (!/^\s*</.test(text)) gist = text;
  gist = gist
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!gist) gist = input.statusText?.trim() || (text.trim() ? '' : 'empty body');
  if (gist.length > 120) gist = `${gist.slice(0, 117)}…`;
  return `HTTP ${input.status}, ${type}${gist ? `: ${gist}` : ''}`;
}
