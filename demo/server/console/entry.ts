import { randomBytes } from 'node:crypto';
import type { RequestContext, MockState } from '../context.ts';
import { readBody } from '../http.ts';
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

const MAX_UPLOAD_BODY = 110 * 1024 * 1024;
const MAX_BODY = 10 * 1024 * 1024;

export async function handleDeployment(ctx: RequestContext): Promise<void> {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
    const read = await readBody(ctx.req, ctx.path === '/v1/files/upload' ? MAX_UPLOAD_BODY : MAX_BODY);
    ctx.body = read.body;
    ctx.bodyTooLarge = read.tooLarge;
  }
  if (ctx.path.startsWith('/v1/')) return handleServiceApi(ctx);
  return handleConsole(ctx);
}
