import type { App } from '../apps.ts';
import { MODES, type AppMode } from '../apps.ts';
import type { RequestContext } from '../context.ts';
import { badRequest, DifyError, invalidParam, methodNotAllowed, notFound, unauthorized } from '../errors.ts';
import { parseJsonBody, sendJson } from '../http.ts';
import { type ApiKeyRecord, type Deployment, deploymentOf, MAX_KEYS_PER_APP } from './deployment.ts';
import { maskKey } from '../mask.ts';
import { KEY_PREFIX, sameSecret } from './keys.ts';

/**
 * The console (admin) API, at Dify's own console paths where Dify has one. Every call needs
 * `Authorization: Bearer <admin secret>` (MOCK_ADMIN_SECRET). App ids are the app_id, or the
 * apps.json key.
 *   GET|POST  /console/api/apps                          list | create {name, mode, description?, site?, parameters?}
 *   GET|DELETE /console/api/apps/<id>                    one app | delete it
 *   POST      /console/api/apps/<id>/site                site settings (merged)
 *   POST      /console/api/apps/<id>/parameters          parameters (merged; Dify edits them in the app's config)
 *   POST      /console/api/apps/<id>/site-enable         {enable_site}
 *   POST      /console/api/apps/<id>/api-enable          {enable_api}
 *   POST      /console/api/apps/<id>/site/access-token-reset   a new site code; the old one stops at once
 *   GET|POST  /console/api/apps/<id>/api-keys            masked list | a new key, shown in full only here
 *   DELETE    /console/api/apps/<id>/api-keys/<key_id>   effective at once
 *   GET|POST  /console/api/apps/<id>/rate-limit          {per_minute, per_hour} of the service API
 */

type Json = Record<string, unknown>;

function appDetail(d: Deployment, app: App): Json {
  const record = d.recordOf(app);
  return {
    id: app.app_id,
    key: app.key,
    name: record.name,
    description: record.description,
    mode: app.mode,
    created_at: record.created_at,
    enable_site: app.enable_site,
    enable_api: record.enable_api,
    site: { code: app.code, ...app.site },
    parameters: app.parameters,
    rate_limit: record.rate_limit,
    api_key_count: d.keysOf(app).length,
  };
}

function appSummary(d: Deployment, app: App): Json {
  const record = d.recordOf(app);
  return {
    id: app.app_id,
    key: app.key,
    name: record.name,
    mode: app.mode,
    enable_site: app.enable_site,
    enable_api: record.enable_api,
    site_code: app.code,
  };
}

/** A key as lists show it: never the secret, only `app-…WXYZ`. */
function keyItem(key: ApiKeyRecord): Json {
  return { id: key.id, type: 'app', token: maskKey(KEY_PREFIX, key.last4), last_used_at: key.last_used_at, created_at: key.created_at };
}

function objectBody(ctx: RequestContext): Json {
  const body = parseJsonBody(ctx.body);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidParam('The body must be a JSON object.');
  return body as Json;
}

function boolField(body: Json, name: string): boolean {
  if (typeof body[name] !== 'boolean') throw invalidParam(`${name} must be true or false.`);
  return body[name] as boolean;
}

function objectField(body: Json, name: string): Json | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidParam(`${name} must be an object.`);
  return value as Json;
}

function limitField(body: Json, name: string, fallback: number): number {
  const value = body[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1_000_000) {
    throw invalidParam(`${name} must be a whole number from 1 to 1000000.`);
  }
  return value;
}

function checkAdmin(ctx: RequestContext, d: Deployment): void {
  const header = ctx.req.headers.authorization;
  const [scheme, token] = typeof header === 'string' ? header.trim().split(/\s+/, 2) : [];
  if (scheme?.toLowerCase() !== 'bearer' || !token || !sameSecret(token, d.adminSecret)) {
    throw unauthorized('The console API needs Authorization: Bearer <admin secret> (MOCK_ADMIN_SECRET).');
  }
}

function createApp(d: Deployment, body: Json): App {
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (!name || name.length > 100) throw invalidParam('name is required (1 to 100 characters).');
  const mode = body.mode;
  if (typeof mode !== 'string' || !MODES.includes(mode)) throw invalidParam(`mode must be one of ${MODES.join(', ')}.`);
  const description = typeof body.description === 'string' ? body.description : '';
  const site = objectField(body, 'site');
  const parameters = objectField(body, 'parameters');
  return d.createApp({ name, mode: mode as AppMode, description, ...(site ? { site } : {}), ...(parameters ? { parameters } : {}) });
}

export async function handleConsole(ctx: RequestContext): Promise<void> {
  const d = deploymentOf(ctx.state);
  checkAdmin(ctx, d);
  const { method, res } = ctx;
  const parts = ctx.path
    .replace(/^\/console\/api\/apps\/?/, '')
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent);

  if (parts.length === 0) {
    if (method === 'GET') {
      const apps = ctx.state.apps.all();
      return sendJson(res, 200, { data: apps.map((a) => appSummary(d, a)), total: apps.length });
    }
    if (method === 'POST') {
      const app = createApp(d, objectBody(ctx));
      ctx.state.log(`[console] app ${app.key} created (${app.mode})`);
      return sendJson(res, 201, appDetail(d, app));
    }
    throw methodNotAllowed();
  }

  const app = d.find(parts[0]!);
  if (!app) throw notFound('App not found.');
  const record = d.recordOf(app);
  const route = `${method} ${parts.slice(1).join('/')}`;

  switch (route) {
    case 'GET ':
      return sendJson(res, 200, appDetail(d, app));
    case 'DELETE ':
      d.deleteApp(app);
      ctx.state.log(`[console] app ${app.key} deleted`);
      return sendJson(res, 204, null);
    case 'POST site': {
      // The code is changed only by a reset, which makes the old one stop; never by an edit.
      const { code: _code, ...settings } = objectBody(ctx);
      Object.assign(app.site, settings);
      d.changed();
      return sendJson(res, 200, appDetail(d, app));
    }
    case 'POST parameters':
      Object.assign(app.parameters, objectBody(ctx));
      d.changed();
      return sendJson(res, 200, appDetail(d, app));
    case 'POST site-enable':
      app.enable_site = boolField(objectBody(ctx), 'enable_site');
      d.changed();
      return sendJson(res, 200, appDetail(d, app));
    case 'POST api-enable':
      record.enable_api = boolField(objectBody(ctx), 'enable_api');
      d.changed();
      return sendJson(res, 200, appDetail(d, app));
    case 'POST site/access-token-reset':
      ctx.state.apps.regenerateCode(app);
      d.changed();
      ctx.state.log(`[console] app ${app.key}: site code regenerated; the old one no longer works`);
      return sendJson(res, 200, appDetail(d, app));
    case 'GET api-keys':
      return sendJson(res, 200, { data: d.keysOf(app).map(keyItem) });
    case 'POST api-keys': {
      const created = d.createKey(app);
      if (!created) throw badRequest(`Cannot create more than ${MAX_KEYS_PER_APP} API keys for this resource type.`);
      return sendJson(res, 201, { ...keyItem(created.record), token: created.token });
    }
    case 'GET rate-limit':
      return sendJson(res, 200, record.rate_limit);
    case 'POST rate-limit': {
      const body = objectBody(ctx);
      record.rate_limit = {
        per_minute: limitField(body, 'per_minute', record.rate_limit.per_minute),
        per_hour: limitField(body, 'per_hour', record.rate_limit.per_hour),
      };
      d.limiter.forget(app.app_id);
      d.changed();
      return sendJson(res, 200, record.rate_limit);
    }
    default:
      break;
  }
  if (method === 'DELETE' && parts[1] === 'api-keys' && parts.length === 3) {
    if (!d.deleteKey(app, parts[2]!)) throw notFound('API key not found.');
    return sendJson(res, 204, null);
  }
  throw new DifyError(404, 'not_found', 'No such console route.');
}
