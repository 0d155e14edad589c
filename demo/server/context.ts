import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, AppRegistry } from './apps.ts';
import type { ByteBudget } from './body.ts';
import type { Fault, FaultKind, FaultQueue } from './faults.ts';
import type { HumanInputForms } from './human-input/forms.ts';
import type { RecordedRequest, RequestLog } from './requests.ts';
import type { Settings } from './settings.ts';
import type { EndUser, Store } from './store.ts';
import type { PassportClaims } from './passport.ts';
import type { WorkflowRuns } from './workflow-runs.ts';

/** A file received by /api/files/upload, kept in memory only. */
export interface UploadedFile {
  id: string;
  name: string;
  size: number;
  extension: string;
  mime_type: string;
  created_by: string;
  created_at: number;
  app_id: string;
  /** Bytes of a local upload; null for remote files, whose preview redirects to `remote_url`. */
  data: Buffer | null;
  remote_url: string | null;
}

/** A running generation, findable by task id for /chat-messages/<task_id>/stop. */
export interface TaskHandle {
  taskId: string;
  endUserId: string;
  stop(): void;
}

/** Everything that lives as long as the server. */
export interface MockState {
  apps: AppRegistry;
  store: Store;
  faults: FaultQueue;
  requests: RequestLog;
  tasks: Map<string, TaskHandle>;
  /** Bounded: the oldest are dropped past a total size (upload-store.ts). */
  uploads: Map<string, UploadedFile>;
  /** Request bodies being read, across requests (body.ts). */
  bodyBudget: ByteBudget;
  /** The HOST the server listens on; the admin API also answers requests addressed to it. */
  listenHost: string;
  /** Chatflow runs of the pub/sub eras, for the workflow events endpoint. */
  workflowRuns: WorkflowRuns;
  /** Human-input forms (Dify 1.13+). */
  forms: HumanInputForms;
  settings: Settings;
  /** tokenDelayMs given to startMockServer, restored by /__mock/reset. */
  initialTokenDelayMs: number;
  distDir: string;
  publicDir: string;
  appsFile: string;
  /** Aborted by close(): every sleep and stream ends promptly. */
  closing: AbortSignal;
  /** Console log unless quiet; `isRequest` marks the one-line-per-request access log. */
  log(line: string, isRequest?: boolean): void;
}

export interface AuthInfo {
  app: App;
  endUser: EndUser;
  claims: PassportClaims;
}

/** One request on its way through the router. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  path: string;
  state: MockState;
  /** The JSON body, read before routing; empty for GET and for uploads, which read their own (body.ts). */
  body: Buffer;
  /** Regex groups of the matched route. */
  params: string[];
  /** `http://host:port` as the client addressed us; for absolute URLs in responses. */
  origin: string;
  record: RecordedRequest | null;
  /** Set by the router for passport-protected routes. */
  auth: AuthInfo | null;
  /** Stream faults consumed by this request (cut, error-event, stall, malformed-event). */
  streamFaults: Map<FaultKind, Fault>;
}

/** `ctx.auth` for handlers of protected routes (the router guarantees it is set). */
export function authOf(ctx: RequestContext): AuthInfo {
  if (!ctx.auth) throw new Error(`route ${ctx.path} needs a passport but has no auth`);
  return ctx.auth;
}
