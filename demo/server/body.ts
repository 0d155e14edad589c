import type { IncomingMessage, ServerResponse } from 'node:http';
import { DifyError } from './errors.ts';

/**
 * Reading request bodies into memory without letting a client decide how much memory that takes:
 * every body has a limit checked as the bytes arrive (and against Content-Length before the first
 * one), and all bodies being read at once share one budget.
 */

/** JSON bodies (chat messages, feedback, the admin API): a few MB, as behind Dify's default proxy. */
export const MAX_JSON_BODY = 4 * 1024 * 1024;
/**
 * The QA controls (/__mock, this machine and the demo page only) take more: a test may set a
 * scripted answer of several megabytes (the 5 MB hostile answer).
 */
export const MAX_ADMIN_BODY = 16 * 1024 * 1024;

/** What all request bodies held at once may add up to (a 100 MB video upload still fits). */
export const DEFAULT_BODY_BUDGET = 256 * 1024 * 1024;

/** Bytes of request bodies held in memory right now, across requests. */
export class ByteBudget {
  private used = 0;

  constructor(readonly capacity: number) {}

  take(bytes: number): boolean {
    if (this.used + bytes > this.capacity) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  get inUse(): number {
    return this.used;
  }
}

/** werkzeug's RequestEntityTooLarge, in Dify's error shape (docs/PROTOCOL.md §4.1). */
export const entityTooLarge = (): DifyError =>
  new DifyError(413, 'request_entity_too_large', 'The data value transmitted exceeds the capacity limit.');

/** werkzeug's ServiceUnavailable: the shared budget is spent, so this body is refused, not queued. */
export const serverBusy = (): DifyError =>
  new DifyError(
    503,
    'service_unavailable',
    'The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.',
  );

/** The client went away while sending; there is nobody to answer. */
export class ClientGone extends Error {}

export interface ReadLimits {
  /** The most bytes accepted, whatever the body turns out to be. */
  max: number;
  /**
   * A tighter limit found from the first bytes (an upload: its file's kind), or undefined while the
   * bytes so far cannot tell; then at most `undecidedMax` bytes are read before giving up.
   */
  limitFromHead?: (head: Buffer) => number | undefined;
  undecidedMax?: number;
  /** The error for a body over its limit. */
  tooLarge: () => DifyError;
  budget: ByteBudget;
}

/**
 * Reads the whole body, or rejects with `tooLarge()` (or 503 when the shared budget is spent) as
 * soon as the limit is passed: what was buffered is dropped and the rest is not kept. The bytes
 * count against the budget until the response is over.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limits: ReadLimits): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.max) {
    req.resume();
    return Promise.reject(limits.tooLarge());
  }
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let limit = limits.limitFromHead ? undefined : limits.max;
    let settled = false;
    const release = (): void => limits.budget.give(size);
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
      if (!error) {
        // A response already over (the client left as the body ended) will not close again.
        if (res.destroyed || res.writableFinished) release();
        else res.once('close', release);
        resolve(Buffer.concat(chunks, size));
        return;
      }
      release();
      chunks = [];
      // Whatever still comes is thrown away as it arrives (see lingerAfterResponse).
      req.resume();
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      if (!limits.budget.take(chunk.length)) return finish(serverBusy());
      chunks.push(chunk);
      size += chunk.length;
      if (limit === undefined && limits.limitFromHead) {
        limit = limits.limitFromHead(Buffer.concat(chunks, size));
        if (limit === undefined && size > (limits.undecidedMax ?? limits.max)) return finish(limits.tooLarge());
      }
      if (size > Math.min(limit ?? limits.max, limits.max)) finish(limits.tooLarge());
    };
    const onEnd = (): void => finish(null);
    const onGone = (): void => finish(new ClientGone('the client closed the connection while sending'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}

/** How long the rest of an unread body is read and dropped after the answer went out. */
export const LINGER_MS = 1000;

/**
 * When an answer (a 413, a 401 before an upload was read) leaves while the client is still
 * sending, the rest of the body is read and dropped for a moment, then the connection is closed.
 * Closing at once with unread bytes makes the kernel send a reset, which can destroy the answer
 * before the client read it; reading on without end would let a client keep the server busy.
 */
export function lingerAfterResponse(req: IncomingMessage, res: ServerResponse): void {
  res.once('finish', () => {
    if (req.complete) return;
    req.resume();
    const timer = setTimeout(() => req.socket?.destroy(), LINGER_MS);
    timer.unref();
    req.once('end', () => clearTimeout(timer));
    req.once('close', () => clearTimeout(timer));
  });
}
