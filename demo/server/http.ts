import type { ServerResponse } from 'node:http';
import { type DifyError, invalidJson } from './errors.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  if (status === 204) {
    // Dify returns {"result":"success"} with 204 and werkzeug drops the body (docs/PROTOCOL.md §2.6).
    res.writeHead(204, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: DifyError): void {
  const headers: Record<string, string> = { ...err.headers };
  if (err.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="api"';
  sendJson(res, err.status, err.body(), headers);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': String(Buffer.byteLength(html)) });
  res.end(html);
}

/** Flask's `request.get_json()`: an empty or unparsable body is a 400 (docs/PROTOCOL.md §4.1). */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (!text) throw invalidJson();
  try {
    return JSON.parse(text);
  } catch {
    throw invalidJson();
  }
}

/** Parses a JSON body if there is one that parses; for the request log. */
export function tryParseJson(body: Buffer): unknown {
  if (body.length === 0) return null;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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
