import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

/**
 * CORS as flask-cors configures Dify's web blueprint (docs/PROTOCOL.md §1.3, §7): the request Origin is
 * echoed with credentials allowed, and the passport headers are allowed.
 */
export const ALLOWED_HEADERS = 'Content-Type, X-App-Code, X-App-Passport, Authorization, X-CSRF-Token';
export const ALLOWED_METHODS = 'GET, POST, PATCH, DELETE, OPTIONS';
export const EXPOSED_HEADERS = 'X-Version, X-Env, X-Trace-Id, X-Workflow-Run-ID';

/** The version a 1.12.1 server reports in X-Version. */
export const DIFY_VERSION = '1.12.1';

/** The version and trace headers on every response; the CORS ones unless `cors` is false (/__mock, see admin-access.ts). */
export function applyCommonHeaders(req: IncomingMessage, res: ServerResponse, cors = true): void {
  const origin = req.headers.origin;
  if (cors && typeof origin === 'string' && origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    res.setHeader('Vary', 'Origin');
  }
  res.setHeader('X-Version', DIFY_VERSION);
  res.setHeader('X-Env', 'PRODUCTION');
  res.setHeader('X-Trace-Id', randomBytes(16).toString('hex'));
}

/** Answers an OPTIONS preflight (after applyCommonHeaders). */
export function answerPreflight(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
  res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
  res.setHeader('Access-Control-Max-Age', '600');
  res.writeHead(200, { 'Content-Length': '0' });
  res.end();
}
