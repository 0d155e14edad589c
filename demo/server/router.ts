import { authenticate, appNamesOf } from './auth.ts';
import type { RequestContext } from './context.ts';
import { badRequest, methodNotAllowed, notFound, unauthorized } from './errors.ts';
import { AUTH_KINDS, PRE_KINDS, STREAM_KINDS, type FaultTarget } from './faults.ts';
import { respondWithFault } from './fault-responses.ts';
import { sleep } from './http.ts';
import { accessMode, loginStatus, logout, permission, systemFeatures } from './routes/public.ts';
import { meta, parameters, site } from './routes/app-info.ts';
import { audioToText, textToAudio } from './routes/audio.ts';
import { chatMessages, stopChatMessage } from './routes/chat.ts';
import { deleteConversation, listConversations, pinConversation, renameConversation, unpinConversation } from './routes/conversations.ts';
import { remoteFileInfo, uploadFile, uploadRemoteFile } from './routes/files.ts';
import { getHumanInputForm, humanInputFileUpload, humanInputUploadToken, submitHumanInputForm } from './routes/human-input.ts';
import { listMessages, messageFeedback, suggested } from './routes/messages.ts';
import { passport } from './routes/passport.ts';
import { workflowEvents } from './routes/workflow-events.ts';
import { ROUTE_UUID } from './uuid.ts';

type Handler = (ctx: RequestContext) => Promise<void>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** Needs a passport (docs/PROTOCOL.md §1.4). */
  auth: boolean;
}

const U = ROUTE_UUID;
const r = (method: string, pattern: string, handler: Handler, auth = true): Route => ({
  method,
  pattern: new RegExp(`^/api${pattern}$`),
  handler,
  auth,
});

/** The web API under /api (docs/PROTOCOL.md §1–2). */
const ROUTES: Route[] = [
  r('GET', '/passport', passport, false),
  r('GET', '/system-features', systemFeatures, false),
  r('GET', '/webapp/access-mode', accessMode, false),
  r('GET', '/login/status', loginStatus, false),
  r('POST', '/logout', logout, false),
  r('GET', '/webapp/permission', permission),
  r('GET', '/site', site),
  r('GET', '/parameters', parameters),
  r('GET', '/meta', meta),
  r('POST', '/chat-messages', chatMessages),
  r('POST', '/chat-messages/([^/]+)/stop', stopChatMessage),
  r('GET', '/conversations', listConversations),
  r('POST', `/conversations/${U}/name`, renameConversation),
  r('DELETE', `/conversations/${U}`, deleteConversation),
  r('PATCH', `/conversations/${U}/pin`, pinConversation),
  r('PATCH', `/conversations/${U}/unpin`, unpinConversation),
  r('GET', '/messages', listMessages),
  r('POST', `/messages/${U}/feedbacks`, messageFeedback),
  r('GET', `/messages/${U}/suggested-questions`, suggested),
  r('POST', '/files/upload', uploadFile),
  r('POST', '/remote-files/upload', uploadRemoteFile),
  r('GET', '/remote-files/(.+)', remoteFileInfo),
  r('POST', '/audio-to-text', audioToText),
  r('POST', '/text-to-audio', textToAudio),
  // Dify 1.13+: human-input forms (public, found by token) and following a workflow run.
  r('GET', '/form/human_input/([^/]+)', getHumanInputForm, false),
  r('POST', '/form/human_input/([^/]+)', submitHumanInputForm, false),
  r('POST', '/form/human_input/([^/]+)/upload-token', humanInputUploadToken, false),
  r('POST', '/human-input-forms/files', humanInputFileUpload, false),
  r('GET', '/workflow/([^/]+)/events', workflowEvents),
];

function findRoute(ctx: RequestContext): Route {
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(ctx.path);
    if (!m) continue;
    pathMatched = true;
    if (route.method === ctx.method || (route.method === 'GET' && ctx.method === 'HEAD')) {
      ctx.params = m.slice(1);
      return route;
    }
  }
  throw pathMatched ? methodNotAllowed() : notFound();
}

/**
 * Dispatches one /api request: route → auth faults → passport check → latency and error faults →
 * handler (with any stream faults attached). Throws DifyError for the caller to answer.
 */
export async function handleApi(ctx: RequestContext): Promise<void> {
  const route = findRoute(ctx);
  const { faults } = ctx.state;
  const target: FaultTarget = { method: ctx.method, path: ctx.path, appNames: appNamesOf(ctx), needsPassport: route.auth };

  const authFaults = faults.take(target, AUTH_KINDS);
  if (authFaults.has('passport-invalid')) throw unauthorized('Invalid token signature.');
  if (authFaults.has('site-disabled')) throw route.handler === passport ? notFound() : badRequest('Site is disabled.');
  if (route.auth) ctx.auth = authenticate(ctx);

  const pre = faults.take(target, PRE_KINDS);
  const latency = pre.get('latency');
  if (latency) await sleep(Number(latency.params.ms), ctx.state.closing);
  const appId = ctx.auth?.app.app_id ?? ctx.state.apps.byKeyOrCode(target.appNames[0] ?? '')?.app_id ?? 'unknown';
  if (respondWithFault(ctx, pre, appId)) return;
  ctx.streamFaults = faults.take(target, STREAM_KINDS);
  await route.handler(ctx);
}
