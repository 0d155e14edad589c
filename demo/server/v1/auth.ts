import type { App } from '../apps.ts';
import { deploymentOf } from '../console/deployment.ts';
import type { RequestContext } from '../context.ts';
import { DifyError, forbidden, invalidParam, unauthorized } from '../errors.ts';
import { tryParseJson } from '../http.ts';
import { parseMultipart } from '../multipart.ts';
import type { EndUser } from '../store.ts';

/**
 * The service API's key check, in Dify's order (`validate_app_token`): the header, the key, the
 * app, the API channel; then the app's request limits, which Dify itself leaves to a gateway and
 * the mock models so that clients (and the relay) meet a real 429 with `Retry-After`.
 */
export function authenticateKey(ctx: RequestContext): App {
  const header = ctx.req.headers.authorization;
  if (typeof header !== 'string' || !header.trim().includes(' ')) {
    throw unauthorized("Authorization header must be provided and start with 'Bearer'");
  }
  const [scheme, token] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() !== 'bearer') throw unauthorized("Authorization scheme must be 'Bearer'");
  const deployment = deploymentOf(ctx.state);
  const found = token ? deployment.appOfKey(token) : null;
  if (!found) throw unauthorized('Access token is invalid');
  const { app } = found;
  if (!app) throw forbidden('forbidden', 'The app no longer exists.');
  if (!deployment.recordOf(app).enable_api) throw forbidden('forbidden', "The app's API service has been disabled.");
  const limit = deployment.hit(app);
  if (!limit.ok) {
    const per = limit.window === 'minute' ? 'a minute' : 'an hour';
    throw new DifyError(
      429,
      'too_many_requests',
      `Too many requests. Please try again later. This app allows ${limit.limit} requests ${per}.`,
      { 'Retry-After': String(limit.retryAfterSeconds) },
    );
  }
  return app;
}

/**
 * The `user` of a service API call, where Dify's docs put it: the JSON body for POST and DELETE,
 * the query for GET, a form field for uploads.
 */
export function userOf(ctx: RequestContext): string {
  let user: unknown;
  if (ctx.method === 'GET') user = ctx.url.searchParams.get('user');
  else if (/^multipart\/form-data/i.test(String(ctx.req.headers['content-type'] ?? ''))) {
    const part = parseMultipart(ctx.body, ctx.req.headers['content-type'])?.find((p) => p.name === 'user' && p.filename === null);
    user = part?.data.toString('utf8');
  } else {
    const body = tryParseJson(ctx.body);
    user = body && typeof body === 'object' ? (body as Record<string, unknown>).user : undefined;
  }
  if (typeof user !== 'string' || !user.trim()) throw invalidParam('user is required');
  return user;
}

/**
 * The end user behind a `user` string. Service API end users are apart from the web app's (Dify
 * keys them by type too), so the same string through the two channels is two people.
 */
export function serviceEndUser(ctx: RequestContext, app: App, user: string): EndUser {
  return ctx.state.store.findOrCreateEndUser(app.app_id, `service_api:${user}`);
}

/** For routes that need no user: the web handlers read only the app from the auth. */
export function noUser(app: App): EndUser {
  return { id: '', app_id: app.app_id, session_id: '', type: 'browser', is_anonymous: true, created_at: 0 };
}
