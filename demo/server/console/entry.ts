import { randomBytes } from 'node:crypto';
import type { RequestContext, MockState } from '../context.ts';
import { DifyError } from '../errors.ts';
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

/** The whole body, or a 413 past `limit` (read on, and dropped, so the client can read the answer). */
function readWhole(ctx: RequestContext, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    ctx.req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    ctx.req.on('end', () =>
      size > limit
        ? reject(new DifyError(413, 'request_entity_too_large', 'The request body is too large.'))
        : resolve(Buffer.concat(chunks)),
    );
    ctx.req.on('error', reject);
  });
}

export async function handleDeployment(ctx: RequestContext): Promise<void> {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
    ctx.body = await readWhole(ctx, ctx.path === '/v1/files/upload' ? MAX_UPLOAD_BODY : MAX_BODY);
  }
  if (ctx.path.startsWith('/v1/')) return handleServiceApi(ctx);
  return handleConsole(ctx);
}
