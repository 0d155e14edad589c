/**
 * Every refusal of the relay is Dify's error body `{code, message, status}` (docs/PROTOCOL.md §4.1),
 * so the widget maps it like any Dify answer: 401 re-mints the passport once, 403 means the chat is
 * unavailable, 429 is "busy, try later" (with `Retry-After`).
 */
export class RelayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorResponse(err: RelayError, extraHeaders: Record<string, string> = {}): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...err.headers, ...extraHeaders };
  // As Dify does on every 401 (docs/PROTOCOL.md §4.1).
  if (err.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="api"';
  return new Response(JSON.stringify({ code: err.code, message: err.message, status: err.status }), { status: err.status, headers });
}

export const unauthorized = (message: string): RelayError => new RelayError(401, 'unauthorized', message);
export const notFound = (message = 'The requested URL was not found on the server.'): RelayError =>
  new RelayError(404, 'not_found', message);
export const invalidParam = (message: string): RelayError => new RelayError(400, 'invalid_param', message);

/** Dify's error bodies pass through; what only the relay must know (its key was refused) does not. */
export async function upstreamError(res: Response, log: (line: string) => void): Promise<RelayError> {
  const text = await res.text().catch(() => '');
  let fields: { code?: unknown; message?: unknown } = {};
  try {
    fields = JSON.parse(text) as typeof fields;
  } catch {
    fields = {};
  }
  const headers: Record<string, string> = {};
  const retryAfter = res.headers.get('retry-after');
  if (retryAfter) headers['Retry-After'] = retryAfter;
  if (res.status === 401) {
    log(`[dify-relay] Dify refused the API key (401 ${String(fields.message ?? '')}): check DIFY_API_KEY`);
    return new RelayError(502, 'internal_server_error', 'The chat relay is not configured correctly.');
  }
  if (typeof fields.code !== 'string')
    return new RelayError(res.status >= 500 ? res.status : 502, 'internal_server_error', `Dify answered ${res.status}.`, headers);
  return new RelayError(res.status, fields.code, String(fields.message ?? ''), headers);
}
