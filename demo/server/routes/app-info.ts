import { requirePublishedAgent } from '../app-mode-checks.ts';
import type { App } from '../apps.ts';
import { authOf, type RequestContext } from '../context.ts';
import { sendJson } from '../http.ts';

const SITE_DEFAULTS: Record<string, unknown> = {
  icon_url: null,
  input_placeholder: null,
  custom_disclaimer: null,
  prompt_public: false,
};

function withDefaults(site: Record<string, unknown>): Record<string, unknown> {
  const out = { ...site };
  for (const [key, value] of Object.entries(SITE_DEFAULTS)) if (!(key in out)) out[key] = value;
  return out;
}

/** The /api/site body; GET /api/form/human_input/<token> embeds it with no end user. */
export function sitePayload(app: App, endUserId: string | null): Record<string, unknown> {
  return {
    app_id: app.app_id,
    end_user_id: endUserId,
    enable_site: app.enable_site,
    site: withDefaults(app.site),
    model_config: null,
    plan: 'basic',
    can_replace_logo: false,
    custom_config: null,
  };
}

/** GET /api/site (docs/PROTOCOL.md §2.1). */
export async function site(ctx: RequestContext): Promise<void> {
  const { app, endUser } = authOf(ctx);
  sendJson(ctx.res, 200, sitePayload(app, endUser.id));
}

/** GET /api/parameters (docs/PROTOCOL.md §2.2): served as configured in apps.json. */
export async function parameters(ctx: RequestContext): Promise<void> {
  const { app } = authOf(ctx);
  requirePublishedAgent(app);
  sendJson(ctx.res, 200, app.parameters);
}

/** GET /api/meta (docs/PROTOCOL.md §2.3): path-only icon URLs become absolute on this server. */
export async function meta(ctx: RequestContext): Promise<void> {
  const { app } = authOf(ctx);
  const icons: Record<string, unknown> = {};
  for (const [tool, icon] of Object.entries(app.meta.tool_icons)) {
    icons[tool] = typeof icon === 'string' && icon.startsWith('/') ? `${ctx.origin}${icon}` : icon;
  }
  sendJson(ctx.res, 200, { tool_icons: icons });
}
