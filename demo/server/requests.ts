import type { IncomingMessage } from 'node:http';
import { maskBody, maskHeaders, maskQuery } from './mask.ts';

/**
 * The last N /api requests, for end-to-end tests to assert what the widget sent. Credentials are
 * masked (mask.ts): a test compares `maskSecret(token)` with what it finds here.
 */
export interface RecordedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON body, masked and trimmed, or null (no body, multipart, not JSON, or refused). */
  body: unknown;
  /** HTTP status, filled in when the response finishes (null while streaming). */
  status: number | null;
}

const RECORDED_HEADERS = ['x-app-code', 'x-app-passport', 'authorization', 'content-type', 'origin'];

export class RequestLog {
  private items: RecordedRequest[] = [];
  private seq = 0;

  constructor(private readonly limit = 200) {}

  /** Records a request as it arrives; its body is added by `setBody` once read. */
  record(req: IncomingMessage, url: URL): RecordedRequest {
    const headers: Record<string, string> = {};
    for (const name of RECORDED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const entry: RecordedRequest = {
      seq: ++this.seq,
      at: new Date().toISOString(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: maskQuery(url.searchParams),
      headers: maskHeaders(headers),
      body: null,
      status: null,
    };
    this.items.push(entry);
    if (this.items.length > this.limit) this.items.shift();
    return entry;
  }

  setBody(entry: RecordedRequest, body: unknown): void {
    entry.body = maskBody(body);
  }

  list(): readonly RecordedRequest[] {
    return this.items;
  }

  clear(): void {
    this.items = [];
  }
}
