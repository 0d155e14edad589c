import { type App, eraProblem } from './apps.ts';
import type { MockState, RequestContext } from './context.ts';
import { DifyError, notFound } from './errors.ts';
import { FAULT_KINDS } from './faults.ts';
import { parseJsonBody, sendJson } from './http.ts';
import { maskSecret } from './mask.ts';
import { defaultSettings, mergeSettings } from './settings.ts';

/**
 * /__mock/*: the QA and test controls. Who may call them is decided before this (admin-access.ts).
 *   GET    /__mock/state            faults, consumed faults, settings, apps, counts, memory
 *   POST   /__mock/faults           queue one fault or a list;  DELETE clears the queue and the log
 *   POST   /__mock/settings         partial Settings
 *   POST   /__mock/apps/<code>      {enable_site?, regenerate_code?, site?, parameters?, era?, published?}
 *   POST   /__mock/rotate-secret    every passport issued so far stops verifying
 *   POST   /__mock/reset            faults, settings, apps, conversations and the request log
 *   GET    /__mock/requests         recorded /api requests (?path= prefix filter);  DELETE clears
 */
/** The server's memory in bytes, for the load test's before/after figures. */
function memoryFigures(state: MockState): Record<string, number> {
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  const storedUploads = [...state.uploads.values()].reduce((sum, file) => sum + (file.data?.length ?? 0), 0);
  return { rss, heapUsed, heapTotal, external, arrayBuffers, bodiesBeingRead: state.bodyBudget.inUse, storedUploads };
}

function appState(app: App): Record<string, unknown> {
  return {
    key: app.key,
    code: app.code,
    app_id: app.app_id,
    mode: app.mode,
    enable_site: app.enable_site,
    title: app.site.title ?? null,
    era: app.era,
    published: app.published,
    human_input: app.human_input,
  };
}

function jsonObject(ctx: RequestContext): Record<string, unknown> {
  if (ctx.body.length === 0) return {};
  const body = parseJsonBody(ctx.body);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new DifyError(400, 'invalid_param', 'expected a JSON object');
  return body as Record<string, unknown>;
}

export async function handleAdmin(ctx: RequestContext): Promise<void> {
  const { state, method, path, res } = ctx;
  const route = `${method} ${path.replace(/\/+$/, '')}`;

  if (route === 'GET /__mock/state') {
    return sendJson(res, 200, {
      settings: state.settings,
      faults: state.faults.queued(),
      consumedFaults: state.faults.consumed(),
      faultKinds: FAULT_KINDS,
      apps: state.apps.all().map(appState),
      runningTasks: [...state.tasks.keys()],
      counts: state.store.counts(),
      memory: memoryFigures(state),
    });
  }
  if (route === 'POST /__mock/faults') {
    const added = state.faults.add(parseJsonBody(ctx.body));
    return sendJson(res, 201, { queued: added, faults: state.faults.queued() });
  }
  if (route === 'DELETE /__mock/faults') {
    state.faults.clear();
    return sendJson(res, 200, { result: 'success' });
  }
  if (route === 'POST /__mock/settings') {
    state.settings = mergeSettings(state.settings, jsonObject(ctx));
    return sendJson(res, 200, { settings: state.settings });
  }
  const appMatch = /^POST \/__mock\/apps\/([^/]+)$/.exec(route);
  if (appMatch) {
    const app = state.apps.byKeyOrCode(decodeURIComponent(appMatch[1]!));
    if (!app) throw notFound('No such app.');
    const body = jsonObject(ctx);
    if (body.era !== undefined) {
      const problem = eraProblem(app, body.era);
      if (problem) throw new DifyError(400, 'invalid_param', problem);
    }
    if (body.published !== undefined && typeof body.published !== 'boolean')
      throw new DifyError(400, 'invalid_param', 'published must be a boolean');
    if (body.era !== undefined) app.era = body.era as App['era'];
    if (typeof body.published === 'boolean') app.published = body.published;
    if (typeof body.enable_site === 'boolean') app.enable_site = body.enable_site;
    if (body.regenerate_code === true) state.apps.regenerateCode(app);
    if (body.site && typeof body.site === 'object') Object.assign(app.site, body.site);
    if (body.parameters && typeof body.parameters === 'object') Object.assign(app.parameters, body.parameters);
    state.log(`[mock] app ${app.key}: code=${maskSecret(app.code)} enable_site=${app.enable_site} era=${app.era}`);
    return sendJson(res, 200, { app: appState(app) });
  }
  if (route === 'POST /__mock/rotate-secret') {
    state.store.rotateSecret();
    state.log('[mock] secret rotated: existing passports are now invalid');
    return sendJson(res, 200, { result: 'success' });
  }
  if (route === 'POST /__mock/reset') {
    state.faults.clear();
    state.settings = defaultSettings(state.initialTokenDelayMs);
    state.apps.reset();
    state.store.clearConversations();
    state.workflowRuns.clear();
    state.forms.clear();
    state.uploads.clear();
    state.requests.clear();
    return sendJson(res, 200, { result: 'success' });
  }
  if (route === 'GET /__mock/requests') {
    const prefix = ctx.url.searchParams.get('path');
    const items = state.requests.list().filter((r) => !prefix || r.path.startsWith(prefix));
    return sendJson(res, 200, { data: items });
  }
  if (route === 'DELETE /__mock/requests') {
    state.requests.clear();
    return sendJson(res, 200, { result: 'success' });
  }
  throw notFound();
}
