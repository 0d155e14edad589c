import { startMockServer, type MockServer, type MockServerOptions } from '../../demo/server/server.ts';

/** Shared helpers for the mock-server tests: start a server, mint passports, read SSE streams. */

export async function start(opts: MockServerOptions = {}): Promise<MockServer> {
  return startMockServer({ port: 0, dataFile: null, tokenDelayMs: 0, quiet: true, ...opts });
}

export async function passport(base: string, code: string, userId?: string): Promise<string> {
  const query = userId === undefined ? '' : `?user_id=${encodeURIComponent(userId)}`;
  const res = await fetch(`${base}/api/passport${query}`, { headers: { 'X-App-Code': code } });
  if (res.status !== 200) throw new Error(`passport ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A tiny client bound to one passport. */
export function client(base: string, token: string, code?: string) {
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    'X-App-Passport': token,
    ...(code ? { 'X-App-Code': code } : {}),
    ...extra,
  });
  return {
    get: (path: string) => fetch(`${base}${path}`, { headers: headers() }),
    post: (path: string, body?: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: headers({ 'Content-Type': 'application/json' }),
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    patch: (path: string) => fetch(`${base}${path}`, { method: 'PATCH', headers: headers() }),
    del: (path: string) => fetch(`${base}${path}`, { method: 'DELETE', headers: headers() }),
    chat: (body: Record<string, unknown>) =>
      fetch(`${base}/api/chat-messages`, {
        method: 'POST',
        headers: headers({ 'Content-Type': 'application/json' }),
        body: JSON.stringify({ inputs: {}, response_mode: 'streaming', conversation_id: '', ...body }),
      }),
  };
}

export type Client = ReturnType<typeof client>;

export type Ev = Record<string, unknown> & { event: string };

/** Reads an event stream incrementally: `next()` gives the next data event (pings counted aside). */
export class SseReader {
  pings = 0;
  /** Every block in arrival order: 'ping', or the data line's JSON text. */
  blocks: string[] = [];
  raw = '';
  private buffer = '';
  private queue: Ev[] = [];
  private done = false;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();

  constructor(res: Response) {
    if (!res.body) throw new Error('no body');
    this.reader = res.body.getReader();
  }

  private feed(text: string): void {
    this.raw += text;
    this.buffer += text;
    let idx: number;
    while ((idx = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, idx);
      this.buffer = this.buffer.slice(idx + 2);
      if (block === 'event: ping') {
        this.pings++;
        this.blocks.push('ping');
        continue;
      }
      for (const line of block.split('\n')) {
        if (!line.startsWith('data: ')) continue;
        const json = line.slice(6);
        this.blocks.push(json);
        try {
          this.queue.push(JSON.parse(json) as Ev);
        } catch {
          // malformed-event fault: recorded in blocks, not an event
        }
      }
    }
  }

  async next(): Promise<Ev | null> {
    while (this.queue.length === 0 && !this.done) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await this.reader.read();
      } catch {
        this.done = true;
        break;
      }
      if (result.done) {
        this.feed(this.decoder.decode());
        this.done = true;
      } else {
        this.feed(this.decoder.decode(result.value, { stream: true }));
      }
    }
    return this.queue.shift() ?? null;
  }

  async all(): Promise<Ev[]> {
    const out: Ev[] = [];
    for (let e = await this.next(); e; e = await this.next()) out.push(e);
    return out;
  }

  /** True when the stream ended with an error (e.g. the socket was destroyed). */
  get ended(): boolean {
    return this.done;
  }

  cancel(): Promise<void> {
    return this.reader.cancel();
  }
}

export async function readAll(res: Response): Promise<{ events: Ev[]; reader: SseReader }> {
  const reader = new SseReader(res);
  const events = await reader.all();
  return { events, reader };
}

export const names = (events: Ev[]): string[] => events.map((e) => e.event);

/** A /__mock call; changes go as JSON, which the admin API insists on (demo/server/admin-access.ts). */
export async function admin(base: string, method: string, path: string, body?: unknown): Promise<Response> {
  const isRead = method === 'GET' || method === 'HEAD';
  return fetch(`${base}/__mock${path}`, {
    method,
    headers: isRead ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function fault(base: string, spec: unknown): Promise<void> {
  const res = await admin(base, 'POST', '/faults', spec);
  if (res.status !== 201) throw new Error(`fault ${res.status}: ${await res.text()}`);
}

export async function settings(base: string, patch: Record<string, unknown>): Promise<void> {
  const res = await admin(base, 'POST', '/settings', patch);
  if (res.status !== 200) throw new Error(`settings ${res.status}: ${await res.text()}`);
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function decodeJwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
