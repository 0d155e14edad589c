import type { RequestContext } from '../context.ts';
import { sendJson } from '../http.ts';
import { verifyPassport } from '../passport.ts';

/** Endpoints that need no passport (docs/PROTOCOL.md §1.5), answered as a community-edition server does. */

export async function systemFeatures(ctx: RequestContext): Promise<void> {
  sendJson(ctx.res, 200, {
    sso_enforced_for_signin: false,
    enable_marketplace: false,
    max_plugin_package_size: 52428800,
    enable_email_code_login: false,
    enable_email_password_login: true,
    enable_social_oauth_login: false,
    is_allow_register: false,
    is_allow_create_workspace: false,
    is_email_setup: false,
    license: { status: 'none', expired_at: '' },
    branding: { enabled: false, application_title: '', login_page_logo: '', workspace_logo: '', favicon: '' },
    webapp_auth: {
      enabled: false,
      allow_sso: false,
      sso_config: { protocol: '' },
      allow_email_code_login: false,
      allow_email_password_login: false,
    },
  });
}

export async function accessMode(ctx: RequestContext): Promise<void> {
  sendJson(ctx.res, 200, { accessMode: 'public' });
}

export async function permission(ctx: RequestContext): Promise<void> {
  sendJson(ctx.res, 200, { result: true });
}

/** GET /api/login/status: `app_logged_in` when the stored passport still passes (and matches user_id). */
export async function loginStatus(ctx: RequestContext): Promise<void> {
  const header = ctx.req.headers['x-app-passport'];
  const bearer = /^bearer\s+(\S+)/i.exec(String(ctx.req.headers.authorization ?? ''))?.[1];
  const token = typeof header === 'string' && header ? header : bearer;
  let appLoggedIn = false;
  if (token) {
    const result = verifyPassport(token, ctx.state.store.secret);
    if (result.ok) {
      const app = ctx.state.apps.byId(result.claims.app_id);
      const endUser = ctx.state.store.getEndUser(result.claims.end_user_id);
      const code = ctx.url.searchParams.get('app_code');
      const userId = ctx.url.searchParams.get('user_id');
      appLoggedIn =
        !!app &&
        app.enable_site &&
        app.code === result.claims.app_code &&
        (!code || code === app.code) &&
        !!endUser &&
        (!userId || endUser.session_id === userId);
    }
  }
  sendJson(ctx.res, 200, { logged_in: true, app_logged_in: appLoggedIn });
}

export async function logout(ctx: RequestContext): Promise<void> {
  sendJson(ctx.res, 200, { result: 'success' });
}
