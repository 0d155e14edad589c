import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorResponse, RelayError } from './errors.ts';
import type { RelayHandler } from './handler.ts';

/**
 * The relay as a `node:http` request listener, which is also Express/Connect middleware
 * (`app.use('/dify', relay.node)`; mount it before any body parser, or it relays what the parser
 * left). Streams go out chunk by chunk as Dify sends them; a visitor who goes away aborts the
 * call to Dify, which then stops generating for nobody.
 */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

/** Reads a request body whole: question bodies are small, and this is cheaper than a web stream. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The largest body relayed: a question is a few kilobytes. */
const READ_WHOLE = 1024 * 1024;

async function toRequest(req: IncomingMessage, signal: AbortSignal): Promise<Request> {
  const host = req.headers.host ?? 'localhost';
  const url = new URL(req.url ?? '/', `http://${host}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const init: RequestInit = { method, headers, signal };
  if (method !== 'GET' && method !== 'HEAD') {
    // A body parser that ran first left the parsed body behind and the stream empty.
    const parsed = (req as IncomingMessage & { body?: unknown }).body;
    if (parsed !== undefined && req.readableEnded) init.body = typeof parsed === 'string' ? parsed : JSON.stringify(parsed);
    else {
      // Refused before reading a byte when the size is announced; counted while reading otherwise.
      const body = Number(req.headers['content-length'] ?? 0) > READ_WHOLE ? null : await readBody(req, READ_WHOLE);
      if (!body) throw new RelayError(413, 'request_too_large', 'The request body is too large.');
      init.body = body.toString('utf8');
    }
  }
  return new Request(url, init);
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    res.once('drain', resolve);
    res.once('close', resolve);
  });
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  // Each chunk is written as it arrives (no buffering); a full socket buffer pauses the reading.
  res.flushHeaders();
  const reader = response.body.getReader();
  res.on('close', () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drained(res);
      if (res.destroyed) break;
    }
  } catch {
    // The upstream stream broke (Dify went away): end the response without a terminal event, as Dify would.
  }
  if (!res.destroyed) res.end();
}

export function nodeHandler(relay: RelayHandler): NodeHandler {
  return (req, res, next) => {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const clientIp = req.socket.remoteAddress ?? undefined;
    toRequest(req, controller.signal)
      .then((request) => relay.fetch(request, clientIp ? { clientIp } : {}))
      .then((response) => send(response, res))
      .catch((err: unknown) => {
        if (err instanceof RelayError) {
          // The unread rest of the body must not hold up the next request on this connection.
          res.setHeader('Connection', 'close');
          const origin = req.headers.origin;
          return send(errorResponse(err, origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {}), res);
        }
        if (next) return next(err);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ code: 'internal_server_error', message: 'Internal Server Error', status: 500 }));
      });
  };
}
