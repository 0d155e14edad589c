import type { ServerResponse } from 'node:http';
import { compactJson, pythonJson } from './json.ts';
import { sleep } from './http.ts';

/**
 * Writes a Dify event stream (docs/PROTOCOL.md §3.1): `data: <json>\n\n` blocks, `event: ping\n\n` after
 * `pingIntervalMs` of idleness, compact or legacy JSON, optionally split into awkward TCP chunks.
 */
export interface SseWriterOptions {
  legacyJson: boolean;
  splitChunks: boolean;
  pingIntervalMs: number;
  signal: AbortSignal;
}

export function encodeEvent(event: unknown, legacyJson: boolean): string {
  return `data: ${legacyJson ? pythonJson(event) : compactJson(event)}\n\n`;
}

/**
 * Byte offsets to cut one encoded event at: right after the closing `}` (before the `\n\n`), inside a
 * multi-byte UTF-8 character when there is one, and one random place. Clients must reassemble all of them.
 */
export function splitPoints(buf: Buffer, random: () => number = Math.random): number[] {
  const points = new Set<number>();
  const brace = buf.lastIndexOf(0x7d);
  if (brace > 0) points.add(brace + 1);
  const continuation: number[] = [];
  for (let i = 0; i < buf.length; i++) if (((buf[i] ?? 0) & 0xc0) === 0x80) continuation.push(i);
  if (continuation.length > 0) points.add(continuation[Math.floor(random() * continuation.length)] ?? 0);
  if (buf.length > 2) points.add(1 + Math.floor(random() * (buf.length - 1)));
  return [...points].filter((p) => p > 0 && p < buf.length).sort((a, b) => a - b);
}

export function splitBuffer(buf: Buffer, points: number[]): Buffer[] {
  const pieces: Buffer[] = [];
  let start = 0;
  for (const p of points) {
    pieces.push(buf.subarray(start, p));
    start = p;
  }
  pieces.push(buf.subarray(start));
  return pieces.filter((piece) => piece.length > 0);
}

export class SseWriter {
  private pingTimer: NodeJS.Timeout | undefined;
  private writing = false;
  private pingsPaused = false;
  private disposed = false;
  private readonly onAbort = (): void => this.destroy();

  constructor(
    private readonly res: ServerResponse,
    private readonly opts: SseWriterOptions,
  ) {
    res.on('close', () => this.dispose());
    opts.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  get open(): boolean {
    return !this.disposed && !this.res.destroyed && !this.res.writableEnded;
  }

  start(headers: Record<string, string> = {}): void {
    this.res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', ...headers });
    this.res.flushHeaders();
    this.armPing();
  }

  async event(event: unknown): Promise<void> {
    await this.write(Buffer.from(encodeEvent(event, this.opts.legacyJson), 'utf8'), this.opts.splitChunks);
  }

  async ping(): Promise<void> {
    await this.write(Buffer.from('event: ping\n\n'), false);
  }

  /** Writes text as is (the malformed-event fault). */
  async raw(text: string): Promise<void> {
    await this.write(Buffer.from(text, 'utf8'), false);
  }

  /** The stall fault: nothing at all, not even pings, until resumed. */
  pausePings(paused: boolean): void {
    this.pingsPaused = paused;
    if (paused) clearTimeout(this.pingTimer);
    else this.armPing();
  }

  end(): void {
    this.dispose();
    if (!this.res.writableEnded && !this.res.destroyed) this.res.end();
  }

  /**
   * The cut fault: the connection ends without a terminal event, after what was written has left
   * (a proxy or network dropping a stream midway). Destroying the socket instead could discard
   * bytes still queued in Node, so whether the client saw any event would be down to chance.
   */
  cut(): void {
    this.dispose();
    const socket = this.res.socket;
    if (!socket || this.res.destroyed) return;
    socket.end();
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  /** Drops the connection without a terminal event (server shutdown, the client went away). */
  destroy(): void {
    this.dispose();
    if (!this.res.destroyed) this.res.socket?.destroy();
    if (!this.res.destroyed) this.res.destroy();
  }

  private dispose(): void {
    this.disposed = true;
    this.opts.signal.removeEventListener('abort', this.onAbort);
    clearTimeout(this.pingTimer);
    this.pingTimer = undefined;
  }

  private armPing(): void {
    clearTimeout(this.pingTimer);
    if (this.disposed || this.pingsPaused) return;
    this.pingTimer = setTimeout(() => {
      if (this.writing) return this.armPing();
      void this.ping();
    }, this.opts.pingIntervalMs);
  }

  private async write(buf: Buffer, split: boolean): Promise<void> {
    if (!this.open) return;
    this.writing = true;
    try {
      const pieces = split ? splitBuffer(buf, splitPoints(buf)) : [buf];
      for (let i = 0; i < pieces.length; i++) {
        if (!this.open) return;
        if (!this.res.write(pieces[i])) await this.drain();
        // A short pause so each piece leaves as its own TCP segment instead of being coalesced.
        if (split && i < pieces.length - 1) await sleep(2, this.opts.signal);
      }
    } finally {
      this.writing = false;
      this.armPing();
    }
  }

  private drain(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }
}
