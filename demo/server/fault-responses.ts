import type { RequestContext } from './context.ts';
import { conversationCompleted, conversationNotExists, DifyError, internalError, invalidParam } from './errors.ts';
import type { Fault, FaultKind } from './faults.ts';
import { sendError, sendHtml } from './http.ts';
import { streamWorkerError } from './pubsub.ts';
import { streamsEarlyErrors } from './routes/chat.ts';

/** nginx's own error page, what a Dify behind nginx returns when the api container is down. */
export function nginxErrorPage(status: number): string {
  const title = status === 504 ? '504 Gateway Time-out' : status === 503 ? '503 Service Temporarily Unavailable' : `${status} Bad Gateway`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx/1.27.4</center>\r\n</body>\r\n</html>\r\n`;
}

/** A cloud load balancer's HTML error page (server-error with status 502/503). */
function proxyErrorPage(status: number): string {
  const reason = status === 503 ? 'Service Unavailable' : 'Bad Gateway';
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${status} ${reason}</title></head>
<body style="font-family: sans-serif; text-align: center; padding: 4rem;">
<h1>${status} ${reason}</h1>
<p>The upstream server did not answer in time. Please try again in a few seconds.</p>
<p><small>proxy · request id ${Math.random().toString(16).slice(2, 14)}</small></p>
</body>
</html>
`;
}

/**
 * Answers a request with the error fault it consumed, if any; returns true when it did.
 * The first of these in this order wins when several were queued.
 */
export function respondWithFault(ctx: RequestContext, taken: Map<FaultKind, Fault>, appId: string): boolean {
  const { res } = ctx;
  const f = (kind: FaultKind): Fault | undefined => taken.get(kind);
  let fault: Fault | undefined;
  if ((fault = f('html-error'))) {
    sendHtml(res, Number(fault.params.status) || 502, nginxErrorPage(Number(fault.params.status) || 502));
    return true;
  }
  if ((fault = f('server-error'))) {
    const status = Number(fault.params.status);
    if (status === 500) sendError(res, internalError());
    else sendHtml(res, status, proxyErrorPage(status));
    return true;
  }
  if ((fault = f('too-many-requests'))) {
    const limit = Number(fault.params.limit ?? 1);
    const message = `Too many requests. Please try again later. The current maximum concurrent requests allowed for ${appId} is ${limit}.`;
    const headers: Record<string, string> = {};
    if (typeof fault.params.retryAfter === 'number') headers['Retry-After'] = String(fault.params.retryAfter);
    // docs/PROTOCOL.md §8.1: the docs say 429 too_many_requests, the 1.12.1 code gives 400 invalid_param.
    const err =
      ctx.state.settings.concurrencyErrorStyle === '400'
        ? new DifyError(400, 'invalid_param', message, headers)
        : new DifyError(429, 'too_many_requests', message, headers);
    sendError(res, err);
    return true;
  }
  if ((fault = f('invalid-param'))) {
    sendError(res, invalidParam(String(fault.params.message)));
    return true;
  }
  const conversationError = f('conversation-gone') ? conversationNotExists() : f('conversation-completed') ? conversationCompleted() : null;
  if (conversationError) {
    // A 1.13+ chatflow meets these in its worker: a 200 stream with a message-less error event.
    if (ctx.auth && streamsEarlyErrors(ctx, ctx.auth.app)) {
      streamWorkerError(ctx, '').catch(() => res.destroy());
    } else {
      sendError(res, conversationError);
    }
    return true;
  }
  return false;
}
