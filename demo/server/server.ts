import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setMaxListeners } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { handleAdmin } from './admin.ts';
import { checkAdminAccess } from './admin-access.ts';
import { handleDeployment, isDeploymentPath, setupDeployment } from './console/entry.ts';
import { AppRegistry, loadAppDefinitions } from './apps.ts';
import {
  ByteBudget,
  ClientGone,
  DEFAULT_BODY_BUDGET,
  entityTooLarge,
  lingerAfterResponse,
  MAX_ADMIN_BODY,
  MAX_JSON_BODY,
  readBody,
} from './body.ts';
import type { MockState, RequestContext } from './context.ts';
import { answerPreflight, applyCommonHeaders } from './cors.ts';
import { DifyError, internalError } from './errors.ts';
import { FaultQueue } from './faults.ts';
import { HumanInputForms } from './human-input/forms.ts';
import { sendError, tryParseJson } from './http.ts';
import { maskPathAndQuery, maskText } from './mask.ts';
import { findRepoRoot } from './paths.ts';
import { RequestLog } from './requests.ts';
import { handleApi } from './router.ts';
import { defaultSettings } from './settings.ts';
import { serveStatic } from './static.ts';
import { Store } from './store.ts';
import { DEFAULT_STORED_UPLOAD_BYTES, UploadStore } from './upload-store.ts';
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
  /** Where log lines go (default console.log); they are masked before they get here (mask.ts). */
  logger?: (line: string) => void;
  /** What request bodies being read may hold at once (default 256 MB); past it they get 503. */
  bodyBudgetBytes?: number;
  /** What stored uploads may hold (default 256 MB); past it the oldest are dropped. */
  storedUploadBytes?: number;
  /** Bearer secret of the console API (/console/api/apps); random when not given. */
  adminSecret?: string;
  /** Where API keys, channel toggles and console-made apps persist; default: console.json beside dataFile. */
  consoleFile?: string | null;
}

export interface MockServer {
  /** e.g. http://127.0.0.1:54321 */
  url: string;
  port: number;
  /** The console API's bearer secret. */
  adminSecret: string;
  close(): Promise<void>;
}

/** Routes that read their own body, held to their own limits while it arrives (routes/files.ts, audio.ts). */
const UPLOAD_ROUTES = /^\/api\/(files\/upload|audio-to-text)$/;

/**
 * Node's own limits on slow clients (slowloris): the headers within 10 s, the whole request within
 * 60 s (a 100 MB upload needs ~14 Mbit/s). Streamed answers are not affected: they start once the
 * request is in.
 */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 60_000;

const isRead = (method: string): boolean => method === 'GET' || method === 'HEAD';

async function handle(state: MockState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  // Parsed against a fixed base: a malformed Host header made `new URL` throw outside any catch (an
  // unhandled rejection ends the process), and `//x` must stay a path, not become a host.
  const target = req.url ?? '/';
  const url = new URL(`http://localhost${target.startsWith('/') ? target : '/'}`);
  const method = (req.method ?? 'GET').toUpperCase();
  const isAdmin = url.pathname === '/__mock' || url.pathname.startsWith('/__mock/');
  applyCommonHeaders(req, res, !isAdmin);
  lingerAfterResponse(req, res);
  res.on('close', () => {
    if (ctx.record) ctx.record.status = res.statusCode;
    const aborted = res.writableEnded ? '' : ', connection closed early';
    state.log(`${method} ${maskPathAndQuery(url)} → ${res.statusCode} (${Date.now() - started} ms${aborted})`, true);
  });
  const ctx: RequestContext = {
    req,
    res,
    url,
    method,
    path: url.pathname,
    state,
    body: Buffer.alloc(0),
    params: [],
    origin: `http://${req.headers.host ?? 'localhost'}`,
    record: null,
    auth: null,
    streamFaults: new Map(),
  };
  const readJsonBody = (max = MAX_JSON_BODY): Promise<Buffer> =>
    readBody(req, res, { max, tooLarge: entityTooLarge, budget: state.bodyBudget });
  try {
    if (isAdmin) {
      checkAdminAccess(ctx, { listenHost: state.listenHost });
      if (method === 'OPTIONS') {
        res.writeHead(204, { Allow: 'GET, POST, DELETE' });
        return void res.end();
      }
      if (!isRead(method)) ctx.body = await readJsonBody(MAX_ADMIN_BODY);
      return await handleAdmin(ctx);
    }
    if (method === 'OPTIONS') return answerPreflight(res);
    if (isDeploymentPath(ctx.path)) return await handleDeployment(ctx);
    if (ctx.path.startsWith('/api/')) {
      ctx.record = state.requests.record(req, url);
      if (!isRead(method) && !UPLOAD_ROUTES.test(ctx.path)) {
        ctx.body = await readJsonBody();
        const isJson = /json/i.test(String(req.headers['content-type'] ?? '')) || !req.headers['content-type'];
        if (isJson) state.requests.setBody(ctx.record, tryParseJson(ctx.body));
      }
      return await handleApi(ctx);
    }
    if (!isRead(method)) throw new DifyError(405, 'method_not_allowed', 'The method is not allowed for the requested URL.');
    serveStatic(ctx);
  } catch (err) {
    if (err instanceof ClientGone) return void res.destroy();
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
  const logger = opts.logger ?? ((line: string) => console.log(line));
  // Every line is masked, whoever wrote it: a passport in a stack trace is as bad as in the access log.
  const log = (line: string): void => {
    if (!quiet) logger(maskText(line));
  };
  const host = opts.host ?? '127.0.0.1';
  const state: MockState = {
    apps: new AppRegistry(loadAppDefinitions(appsFile)),
    store: new Store(opts.dataFile === undefined || opts.dataFile === null ? null : resolve(opts.dataFile)),
    faults: new FaultQueue((line) => log(line)),
    requests: new RequestLog(200),
    tasks: new Map(),
    uploads: new UploadStore(opts.storedUploadBytes ?? DEFAULT_STORED_UPLOAD_BYTES),
    bodyBudget: new ByteBudget(opts.bodyBudgetBytes ?? DEFAULT_BODY_BUDGET),
    listenHost: host,
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

  const dataFile = opts.dataFile ? resolve(opts.dataFile) : null;
  const consoleFile = opts.consoleFile === undefined ? (dataFile ? join(dirname(dataFile), 'console.json') : null) : opts.consoleFile;
  const deployment = setupDeployment(state, { file: consoleFile, adminSecret: opts.adminSecret });

  const sockets = new Set<Socket>();
  const server = createServer(
    // Checked every second, so slow clients (slowloris) are cut close to the timeouts.
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 },
    (req, res) => {
      // handle() answers its own errors; this is the last guard, so no request can stop the process.
      handle(state, req, res).catch((err: unknown) => {
        log(`[mock] request failed: ${(err as Error)?.stack ?? String(err)}`);
        res.destroy();
      });
    },
  );
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    adminSecret: deployment.adminSecret,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolveClose) => {
        closing.abort();
        server.close(() => resolveClose());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        state.store.flush();
        deployment.flush();
      });
      return closed;
    },
  };
}
