import type { RequestContext } from '../context.ts';
import { notFound, unauthorized } from '../errors.ts';
import { sendJson } from '../http.ts';
import { signPassport } from '../passport.ts';

/**
 * GET /api/passport (docs/PROTOCOL.md §1.2): `X-App-Code` required; `user_id` finds or creates the end user
 * by session id, none creates a new anonymous one. The JWT has no `exp`.
 */
export async function passport(ctx: RequestContext): Promise<void> {
  const code = ctx.req.headers['x-app-code'];
  if (typeof code !== 'string' || !code) throw unauthorized('X-App-Code header is missing.');
  const app = ctx.state.apps.byCode(code);
  if (!app?.enable_site) throw notFound();
  const userId = ctx.url.searchParams.get('user_id');
  const endUser = ctx.state.store.findOrCreateEndUser(app.app_id, userId ? userId : null);
  const token = signPassport(
    { iss: app.app_id, sub: 'Web API Passport', app_id: app.app_id, app_code: app.code, end_user_id: endUser.id },
    ctx.state.store.secret,
  );
  sendJson(ctx.res, 200, { access_token: token });
}
