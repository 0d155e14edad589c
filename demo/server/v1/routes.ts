import type { App, AppMode } from '../apps.ts';
import type { RequestContext } from '../context.ts';
import { DifyError, methodNotAllowed, notFound } from '../errors.ts';
import { sendJson } from '../http.ts';
import { meta, parameters } from '../routes/app-info.ts';
import { chatMessages, stopChatMessage } from '../routes/chat.ts';
import { deleteConversation, listConversations, renameConversation } from '../routes/conversations.ts';
import { readUpload, storeUpload } from '../routes/files.ts';
import { listMessages, messageFeedback, suggested } from '../routes/messages.ts';
import type { EndUser } from '../store.ts';
import { ROUTE_UUID } from '../uuid.ts';
import { authenticateKey, noUser, serviceEndUser, userOf } from './auth.ts';
import { completionMessages, runWorkflow } from './generate.ts';

/**
 * The service API under /v1 (docs/PROTOCOL.md §0), with a secret key instead of a passport and the
 * caller's `user` naming the end user. Where the service API and the web API agree, the web
 * handler does the work: the key check fills in the same `ctx.auth` a passport would.
 */

type Kind = 'chat' | 'completion' | 'workflow' | 'any';
type Handler = (ctx: RequestContext, app: App) => Promise<void>;

interface Route {
  method: string;
  pattern: RegExp;
  /** The app modes the route serves; others get Dify's `not_<kind>_app`. */
  kind: Kind;
  /** Needs the `user` field (every route that touches an end user's data). */
  user: boolean;
  handler: Handler;
}

const U = ROUTE_UUID;
const r = (method: string, pattern: string, kind: Kind, user: boolean, handler: Handler): Route => ({
  method,
  pattern: new RegExp(`^/v1${pattern}$`),
  kind,
  user,
  handler,
});

const web =
  (handler: (ctx: RequestContext) => Promise<void>): Handler =>
  (ctx) =>
    handler(ctx);

const SITE_DEFAULTS = { icon_url: null, input_placeholder: null, custom_disclaimer: null };

/**
 * An upload's `user` is a form field, so it is known only once the body is in: the body is read
 * first, held to the app's upload limits as it arrives (as /api/files/upload is), then the user.
 */
async function uploadWithKey(ctx: RequestContext, app: App): Promise<void> {
  ctx.body = await readUpload(ctx, app);
  const endUser = serviceEndUser(ctx, app, userOf(ctx));
  ctx.auth = authFor(app, endUser);
  storeUpload(ctx, app, endUser, ctx.body);
}

const ROUTES: Route[] = [
  r('GET', '/info', 'any', false, async (ctx, app) => {
    sendJson(ctx.res, 200, {
      name: String(app.site.title ?? app.key),
      description: String(app.site.description ?? ''),
      tags: [],
      mode: app.mode,
      author_name: 'Acme Admin',
    });
  }),
  r('GET', '/site', 'any', false, async (ctx, app) => sendJson(ctx.res, 200, { ...SITE_DEFAULTS, ...app.site })),
  r('GET', '/parameters', 'any', false, web(parameters)),
  r('GET', '/meta', 'any', false, web(meta)),
  r('POST', '/chat-messages', 'chat', true, web(chatMessages)),
  r('POST', '/chat-messages/([^/]+)/stop', 'chat', true, web(stopChatMessage)),
  r('GET', '/messages', 'chat', true, web(listMessages)),
  r('POST', `/messages/${U}/feedbacks`, 'any', true, web(messageFeedback)),
  r('GET', `/messages/${U}/suggested`, 'chat', true, web(suggested)),
  r('GET', '/conversations', 'chat', true, web(listConversations)),
  r('POST', `/conversations/${U}/name`, 'chat', true, web(renameConversation)),
  r('DELETE', `/conversations/${U}`, 'chat', true, web(deleteConversation)),
  r('POST', '/files/upload', 'any', false, uploadWithKey),
  r('POST', '/completion-messages', 'completion', true, (ctx, app) => completionMessages(ctx, app, ctx.auth!.endUser)),
  r('POST', '/completion-messages/([^/]+)/stop', 'completion', true, web(stopChatMessage)),
  r('POST', '/workflows/run', 'workflow', true, (ctx, app) => runWorkflow(ctx, app, ctx.auth!.endUser)),
  r('POST', '/workflows/tasks/([^/]+)/stop', 'workflow', true, web(stopChatMessage)),
];

const CHAT_MODES: readonly AppMode[] = ['chat', 'agent-chat', 'advanced-chat', 'agent'];

/** The service API's words for a route of the wrong app mode. */
function checkMode(kind: Kind, app: App): void {
  if (kind === 'chat' && !CHAT_MODES.includes(app.mode)) {
    throw new DifyError(400, 'not_chat_app', 'Please check if your app mode matches the right API route.');
  }
  if (kind === 'completion' && app.mode !== 'completion') {
    throw new DifyError(400, 'not_completion_app', 'Please check if your Completion app mode matches the right API route.');
  }
  if (kind === 'workflow' && app.mode !== 'workflow') {
    throw new DifyError(400, 'not_workflow_app', 'Please check if your Workflow app mode matches the right API route.');
  }
}

function findRoute(ctx: RequestContext): Route {
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(ctx.path);
    if (!m) continue;
    pathMatched = true;
    if (route.method === ctx.method) {
      ctx.params = m.slice(1);
      return route;
    }
  }
  throw pathMatched ? methodNotAllowed() : notFound();
}

export async function handleServiceApi(ctx: RequestContext): Promise<void> {
  const route = findRoute(ctx);
  const app = authenticateKey(ctx);
  checkMode(route.kind, app);
  ctx.auth = authFor(app, route.user ? serviceEndUser(ctx, app, userOf(ctx)) : noUser(app));
  await route.handler(ctx, app);
}

/** What a key check fills in for the web handlers, where a passport's claims would be. */
function authFor(app: App, endUser: EndUser): NonNullable<RequestContext['auth']> {
  return {
    app,
    endUser,
    claims: { iss: app.app_id, sub: 'Service API', app_id: app.app_id, app_code: app.code, end_user_id: endUser.id },
  };
}
