import type { AuthInfo, RequestContext } from './context.ts';
import { badRequest, DifyError, notFound, unauthorized } from './errors.ts';
import { peekClaims, verifyPassport } from './passport.ts';

/**
 * Where the passport travels (docs/PROTOCOL.md §1.3): `X-App-Passport` (Dify ≥ 1.9.2/1.10) or
 * `Authorization: Bearer` (≤ 1.9.1). Both are accepted so the widget works against either.
 */
export function extractPassport(ctx: RequestContext): string {
  const header = ctx.req.headers['x-app-passport'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const authorization = ctx.req.headers.authorization;
  if (typeof authorization === 'string' && authorization.trim()) {
    const [scheme, token] = authorization.trim().split(/\s+/, 2);
    if (!token || scheme?.toLowerCase() !== 'bearer') {
      throw unauthorized("Invalid Authorization header format. Expected 'Bearer <api-key>' format.");
    }
    return token;
  }
  throw unauthorized('App token is missing.');
}

/** `decode_jwt_token` (docs/PROTOCOL.md §1.4), in Dify's order of checks. */
export function authenticate(ctx: RequestContext): AuthInfo {
  const token = extractPassport(ctx);
  const result = verifyPassport(token, ctx.state.store.secret);
  if (!result.ok) throw unauthorized(result.message);
  const { claims } = result;
  const app = typeof claims.app_id === 'string' ? ctx.state.apps.byId(claims.app_id) : undefined;
  if (!app) throw notFound();
  if (typeof claims.app_code !== 'string' || claims.app_code !== app.code) {
    throw badRequest('Site URL is no longer valid.');
  }
  if (!app.enable_site) throw badRequest('Site is disabled.');
  const endUser = typeof claims.end_user_id === 'string' ? ctx.state.store.getEndUser(claims.end_user_id) : undefined;
  if (!endUser || endUser.app_id !== app.app_id) throw notFound();
  return { app, endUser, claims };
}

/** Names of the request's app for fault filters: from the passport claims, else X-App-Code. */
export function appNamesOf(ctx: RequestContext): string[] {
  const names: string[] = [];
  const add = (code: string | undefined): void => {
    if (!code) return;
    const app = ctx.state.apps.byKeyOrCode(code);
    if (app) names.push(app.key, app.code);
    else names.push(code);
  };
  let token: string | null = null;
  try {
    token = extractPassport(ctx);
  } catch (err) {
    if (!(err instanceof DifyError)) throw err;
  }
  const claims = token ? peekClaims(token) : null;
  if (claims && typeof claims.app_id === 'string') {
    const app = ctx.state.apps.byId(claims.app_id);
    if (app) names.push(app.key, app.code);
  }
  const code = ctx.req.headers['x-app-code'];
  add(typeof code === 'string' ? code : undefined);
  return [...new Set(names)];
}
