import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setMaxListeners } from 'node:events';
import { join, resolve } from 'node:path';
import { handleAdmin } from './admin.ts';
import { AppRegistry, loadAppDefinitions } from './apps.ts';
import type { MockState, RequestContext } from './context.ts';
import { answerPreflight, applyCommonHeaders } from './cors.ts';
import { DifyError, internalError } from './errors.ts';
import { FaultQueue } from './faults.ts';
import { HumanInputForms } from './human-input/forms.ts';
import { readBody, sendError, tryParseJson } from './http.ts';
import { findRepoRoot } from './paths.ts';
import { RequestLog } from './requests.ts';
import { handleApi } from './router.ts';
import { defaultSettings } from './settings.ts';
import { serveStatic } from './static.ts';
import { Store } from './store.ts';
import { WorkflowRuns } from './workflow-runs.ts';

export interface MockServerOptions {
  /** Default 0 (a random free port). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default <repo>/demo/apps.json. */
  appsFile?: string;
  /** JSON persistence of end users, conversations and messages; null = memory only. */
  dataFile?: string | null;
  /** Default <repo>/dist; its files are served at the root path (/embed.min.js …). */
  distDir?: string;
  /** Default <repo>/demo/public; GET / serves its index.html. */
  publicDir?: string;
  /** Delay between streamed tokens; default 30. */
  tokenDelayMs?: number;
  /** No request logging. */
  quiet?: boolean;
}

export interface MockServer {
  /** e.g. http://127.0.0.1:54321 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Largest request body read (uploads up to the 100 MB video limit); larger ones get 413. */
const MAX_UPLOAD_BODY = 110 * 1024 * 1024;
const MAX_BODY = 10 * 1024 * 1024;

async function handle(state: MockState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const method = (req.method ?? 'GET').toUpperCase();
  applyCommonHeaders(req, res);
  res.on('close', () => {
    if (ctx.record) ctx.record.status = res.statusCode;
    const aborted = res.writableEnded ? '' : ', connection closed early';
    state.log(`${method} ${url.pathname}${url.search} → ${res.statusCode} (${Date.now() - started} ms${aborted})`, true);
  });
  const ctx: RequestContext = {
    req,
    res,
    url,
    method,
    path: url.pathname,
    state,
    body: Buffer.alloc(0),
    bodyTooLarge: false,
    params: [],
    origin: `http://${req.headers.host ?? 'localhost'}`,
    record: null,
    auth: null,
    streamFaults: new Map(),
  };
  try {
    if (method === 'OPTIONS') return answerPreflight(res);
    const isApi = ctx.path.startsWith('/api/');
    if (isApi || ctx.path.startsWith('/__mock/')) {
      if (method !== 'GET' && method !== 'HEAD') {
        const uploads = /^\/api\/(files\/upload|audio-to-text)$/.test(ctx.path);
        const read = await readBody(req, uploads ? MAX_UPLOAD_BODY : MAX_BODY);
        ctx.body = read.body;
        ctx.bodyTooLarge = read.tooLarge;
      }
      if (isApi) {
        const isJson = /json/i.test(String(req.headers['content-type'] ?? '')) || !req.headers['content-type'];
        ctx.record = state.requests.record(req, url, isJson ? tryParseJson(ctx.body) : null);
        return await handleApi(ctx);
      }
      return await handleAdmin(ctx);
    }
    if (method !== 'GET' && method !== 'HEAD')
      throw new DifyError(405, 'method_not_allowed', 'The method is not allowed for the requested URL.');
    serveStatic(ctx);
  } catch (err) {
    if (err instanceof DifyError) return sendError(res, err);
    state.log(`[mock] unhandled error on ${method} ${ctx.path}: ${(err as Error).stack ?? String(err)}`);
    if (!res.headersSent) sendError(res, internalError());
    else res.destroy();
  }
}

export async function startMockServer(opts: MockServerOptions = {}): Promise<MockServer> {
  const root = findRepoRoot();
  const appsFile = resolve(opts.appsFile ?? join(root, 'demo', 'apps.json'));
  const closing = new AbortController();
  setMaxListeners(0, closing.signal);
  const quiet = opts.quiet ?? false;
  const log = (line: string): void => {
    if (!quiet) console.log(line);
  };
  const state: MockState = {
    apps: new AppRegistry(loadAppDefinitions(appsFile)),
    store: new Store(opts.dataFile === undefined || opts.dataFile === null ? null : resolve(opts.dataFile)),
    faults: new FaultQueue((line) => log(line)),
    requests: new RequestLog(200),
    tasks: new Map(),
    uploads: new Map(),
    workflowRuns: new WorkflowRuns(),
    forms: new HumanInputForms(closing.signal),
    settings: defaultSettings(opts.tokenDelayMs ?? 30),
    initialTokenDelayMs: opts.tokenDelayMs ?? 30,
    distDir: resolve(opts.distDir ?? join(root, 'dist')),
    publicDir: resolve(opts.publicDir ?? join(root, 'demo', 'public')),
    appsFile,
    closing: closing.signal,
    log,
  };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => void handle(state, req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolveClose) => {
        closing.abort();
        server.close(() => resolveClose());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        state.store.flush();
      });
      return closed;
    },
  };
}
