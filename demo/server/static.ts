import { createReadStream, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { RequestContext } from './context.ts';
import { TIME_TOOL_ICON_SVG, TOOL_PNG } from './png.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

function notFoundText(ctx: RequestContext): void {
  ctx.res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  ctx.res.end('Not Found');
}

function sendBuffer(ctx: RequestContext, type: string, data: Buffer | string): void {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  ctx.res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(buf.length), 'Cache-Control': 'no-cache' });
  ctx.res.end(ctx.method === 'HEAD' ? undefined : buf);
}

/** Resolves a URL path inside `root`, refusing anything that would leave it. */
export function safeJoin(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.split(/[\\/]/).some((seg) => seg === '..')) return null;
  const base = resolve(root);
  const full = resolve(join(base, decoded));
  return full === base || full.startsWith(base + sep) ? full : null;
}

function serveFile(ctx: RequestContext, file: string): boolean {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return false;
    size = stat.size;
  } catch {
    return false;
  }
  ctx.res.writeHead(200, {
    'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(size),
    'Cache-Control': 'no-cache',
  });
  if (ctx.method === 'HEAD') ctx.res.end();
  else createReadStream(file).pipe(ctx.res);
  return true;
}

/**
 * Everything outside /api and /__mock: tool files and icons the API refers to, uploaded file
 * previews, the demo page (publicDir, `/` → index.html) and the built bundles (distDir, at the root).
 */
export function serveStatic(ctx: RequestContext): void {
  const path = ctx.path;
  if (/^\/files\/tools\/[^/]+\.png$/.test(path)) return sendBuffer(ctx, 'image/png', TOOL_PNG);
  if (/^\/console\/api\/workspaces\/current\/tool-provider\/builtin\/[^/]+\/icon$/.test(path)) {
    return sendBuffer(ctx, 'image/svg+xml', TIME_TOOL_ICON_SVG);
  }
  const preview = /^\/files\/([0-9a-f-]{36})\/file-preview$/.exec(path);
  if (preview) {
    const upload = ctx.state.uploads.get(preview[1]!);
    if (upload?.data) return sendBuffer(ctx, upload.mime_type, upload.data);
    if (upload?.remote_url) {
      ctx.res.writeHead(302, { Location: upload.remote_url });
      ctx.res.end();
      return;
    }
    return notFoundText(ctx);
  }
  const rel = path === '/' ? '/index.html' : path;
  for (const root of [ctx.state.publicDir, ctx.state.distDir]) {
    const file = safeJoin(root, rel);
    if (file && serveFile(ctx, file)) return;
  }
  notFoundText(ctx);
}
