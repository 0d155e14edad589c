/**
 * Masking for everything the mock writes down about a request: the console log and the request log
 * (`GET /__mock/requests`). Testers run the mock beside other tabs and paste its logs into tickets;
 * a passport in either is a working credential, so only enough of it stays to tell two apart.
 */

/** Header names whose whole value is a credential (lower case, as Node gives them). */
const SECRET_HEADERS = new Set(['authorization', 'x-app-passport', 'x-app-code', 'cookie', 'x-api-key']);

/** Query parameter and JSON field names that hold credentials: `?token=`, `access_token`, `api_key` … */
const SECRET_NAME =
  /token|passport|secret|password|passwd|credential|session|cookie|signature|^sign$|api[-_]?key|^key$|^code$|app[-_]?code|^auth/i;

/** A JWT (the passport's shape) anywhere in free text. */
const JWT = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]{4,}/g;

/** A service API secret key (`app-` and 24 letters and digits, demo/server/console/keys.ts) in free text. */
const API_KEY = /\b(app|sk)-([A-Za-z0-9]{16,})/g;
const WHOLE_API_KEY = /^(app|sk)-([A-Za-z0-9]{16,})$/;

/** `app-…WXYZ`: a secret key keeps its prefix and last four characters, as Dify's console lists keys. */
export function maskKey(prefix: string, last4: string): string {
  return `${prefix}…${last4}`;
}

/**
 * `eyJhbGciOi…x9Q4`: the first 6 and last 4 characters of a long value. Shorter values keep less, so
 * most of a value always stays hidden: 2 + 2 characters from 8 on, nothing below that. A secret
 * key keeps only its prefix and last four (`app-…WXYZ`), the same wherever it shows up.
 */
export function maskSecret(value: string): string {
  const key = WHOLE_API_KEY.exec(value);
  if (key) return maskKey(`${key[1]}-`, key[2]!.slice(-4));
  if (value.length >= 22) return `${value.slice(0, 6)}…${value.slice(-4)}`;
  if (value.length >= 8) return `${value.slice(0, 2)}…${value.slice(-2)}`;
  return '…';
}

/** `Bearer eyJhbG…x9Q4`: an Authorization header keeps its scheme. */
function maskHeaderValue(name: string, value: string): string {
  if (name === 'authorization') {
    const m = /^(\S+)(\s+)(.+)$/.exec(value);
    if (m) return `${m[1]}${m[2]}${maskSecret(m[3]!)}`;
  }
  return maskSecret(value);
}

export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    out[name] = SECRET_HEADERS.has(name) ? maskHeaderValue(name, value) : maskText(value);
  return out;
}

export function maskQuery(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of params) out[name] = SECRET_NAME.test(name) ? maskSecret(value) : maskText(value);
  return out;
}

/** A path with its query, for the access log: `/api/x?token=abcdef…wxyz`. */
export function maskPathAndQuery(url: URL): string {
  if (!url.search) return maskText(url.pathname);
  const query = Object.entries(maskQuery(url.searchParams))
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value).replace(/%E2%80%A6/g, '…')}`)
    .join('&');
  return `${maskText(url.pathname)}?${query}`;
}

/** Replaces anything shaped like a JWT or a secret key in a log line. */
export function maskText(text: string): string {
  return text
    .replace(JWT, (token) => maskSecret(token))
    .replace(API_KEY, (_whole, prefix: string, body: string) => maskKey(`${prefix}-`, body.slice(-4)));
}

/** How much of a request body the request log keeps: enough to assert on, never megabytes per entry. */
const MAX_DEPTH = 16;
const MAX_STRING = 2000;
const MAX_ITEMS = 200;

/**
 * A copy of a parsed JSON body for the request log: credential fields and JWT-like strings masked,
 * long strings cut, deep or wide structures summarised. The cuts bound what 200 logged requests
 * can hold, and keep a hostile body (a million nested arrays) from breaking `JSON.stringify` later.
 */
export function maskBody(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    const masked = maskText(value);
    return masked.length > MAX_STRING ? `${masked.slice(0, MAX_STRING)}… (${masked.length} characters)` : masked;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '… (nested too deep)';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => maskBody(item, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`… (${value.length - MAX_ITEMS} more items)`);
    return items;
  }
  // No prototype: a `__proto__` key in the body stays a plain field.
  const out: Record<string, unknown> = Object.create(null);
  let count = 0;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (++count > MAX_ITEMS) {
      out['…'] = 'more fields left out';
      break;
    }
    out[key] = typeof item === 'string' && SECRET_NAME.test(key) ? maskSecret(item) : maskBody(item, depth + 1);
  }
  return out;
}
