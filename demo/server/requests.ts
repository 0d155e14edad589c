import type { IncomingMessage } from 'node:http';

/** The last N /api requests, for end-to-end tests to assert what the widget sent. */
export interface RecordedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON body, or null (no body, multipart, or not JSON). */
  body: unknown;
  /** HTTP status, filled in when the response finishes (null while streaming). */
  status: number | null;
}

const RECORDED_HEADERS = ['x-app-code', 'x-app-passport', 'authorization', 'content-type', 'origin'];

export class RequestLog {
  private items: RecordedRequest[] = [];
  private seq = 0;

  constructor(private readonly limit = 200) {}

  record(req: IncomingMessage, url: URL, body: unknown): RecordedRequest {
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
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      status: null,
    };
    this.items.push(entry);
    if (this.items.length > this.limit) this.items.shift();
    return entry;
  }

  list(): readonly RecordedRequest[] {
    return this.items;
  }

  clear(): void {
    this.items = [];
  }
}
