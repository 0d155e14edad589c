import { randomBytes } from 'node:crypto';
import type { RequestContext, MockState } from '../context.ts';
import { entityTooLarge, MAX_JSON_BODY, readBody } from '../body.ts';
import { handleServiceApi } from '../v1/routes.ts';
import { attachDeployment, Deployment } from './deployment.ts';
import { handleConsole } from './routes.ts';

/** How demo/server/server.ts plugs in the deployment model: one setup call, one dispatch line. */

export interface DeploymentOptions {
  /** Where keys, toggles and console-made apps persist; null = memory only. */
  file: string | null;
  /** The console API's bearer secret; a random one when not given (see main.ts). */
  adminSecret?: string | undefined;
}

export function setupDeployment(state: MockState, options: DeploymentOptions): Deployment {
  const secret = options.adminSecret || randomBytes(18).toString('base64url');
  const deployment = new Deployment(state, options.file, secret);
  attachDeployment(state, deployment);
  return deployment;
}

/** The service API and the console API (but not the console's tool icons, which are static files). */
export function isDeploymentPath(path: string): boolean {
  return path.startsWith('/v1/') || path === '/console/api/apps' || path.startsWith('/console/api/apps/');
}

/**
 * The service API's upload reads its own body, held to the app's upload limits as it arrives
 * (v1/routes.ts, routes/files.ts); every other body is JSON, read here with the web API's limit.
 */
const READS_OWN_BODY = /^\/v1\/files\/upload$/;

export async function handleDeployment(ctx: RequestContext): Promise<void> {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && !READS_OWN_BODY.test(ctx.path)) {
    ctx.body = await readBody(ctx.req, ctx.res, { max: MAX_JSON_BODY, tooLarge: entityTooLarge, budget: ctx.state.bodyBudget });
  }
  if (ctx.path.startsWith('/v1/')) return handleServiceApi(ctx);
  return handleConsole(ctx);
}
