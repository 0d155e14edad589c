import { randomUUID } from 'node:crypto';
import { type App, sizeLimitBytes } from '../apps.ts';
import { readBody } from '../body.ts';
import { authOf, type RequestContext, type UploadedFile } from '../context.ts';
import { DifyError, pydanticError } from '../errors.ts';
import { parseJsonBody, sendJson } from '../http.ts';
import { filePartName, parseMultipart } from '../multipart.ts';
import { type EndUser, nowSeconds } from '../store.ts';

/** Extensions by kind, after Dify's constants; anything else is 415 unsupported_file_type. */
const KINDS: Record<'image' | 'video' | 'audio' | 'document', string[]> = {
  image: ['jpg', 'jpeg', 'png', 'webp', 'gif', 'svg'],
  video: ['mp4', 'mov', 'mpeg', 'webm'],
  audio: ['mp3', 'm4a', 'wav', 'amr', 'mpga'],
  document: [
    'txt',
    'markdown',
    'md',
    'mdx',
    'pdf',
    'html',
    'htm',
    'xlsx',
    'xls',
    'vtt',
    'properties',
    'doc',
    'docx',
    'csv',
    'eml',
    'msg',
    'pptx',
    'xml',
    'epub',
    'ppt',
    'json',
  ],
};

const MIME: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  mpeg: 'video/mpeg',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  amr: 'audio/amr',
  mpga: 'audio/mpeg',
  txt: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  pdf: 'application/pdf',
  html: 'text/html',
  htm: 'text/html',
  csv: 'text/csv',
  json: 'application/json',
  xml: 'application/xml',
};

export function kindOf(extension: string): keyof typeof KINDS | null {
  for (const [kind, list] of Object.entries(KINDS)) if (list.includes(extension)) return kind as keyof typeof KINDS;
  return null;
}

export function mimeOf(extension: string, fallback = 'application/octet-stream'): string {
  return MIME[extension] ?? fallback;
}

function previewUrl(ctx: RequestContext, id: string): string {
  const base = ctx.state.settings.filesUrl || ctx.origin;
  return `${base}/files/${id}/file-preview?timestamp=${nowSeconds()}&nonce=${randomUUID().slice(0, 8)}&sign=mock`;
}

/** Room for the multipart framing and small fields around the file itself. */
export const MULTIPART_OVERHEAD = 64 * 1024;
/** The `file` part must begin within this many bytes (Dify's form has no large fields before it). */
const FILE_PART_WITHIN = 1024 * 1024;

const fileTooLarge = (name: string | null, limit: number): DifyError =>
  new DifyError(413, 'file_too_large', `File size exceeded. ${name ?? 'The file'} exceeds the ${limit / 1024 / 1024} MB limit.`);

const extensionOf = (filename: string): string => (filename.includes('.') ? filename.split('.').pop()!.toLowerCase() : '');

/**
 * Reads an upload, held to the app's limit for the file's kind from the moment the file part's
 * headers arrive: a file over it is refused (413 file_too_large) while it is still being sent, so
 * the server never holds more than the limit. Kinds the app does not know are held to the
 * document limit, and then refused as unsupported once read.
 */
export function readUpload(ctx: RequestContext, app: App): Promise<Buffer> {
  const contentType = ctx.req.headers['content-type'];
  const limitOf = (name: string | null): number => sizeLimitBytes(app, kindOf(extensionOf(name ?? '')) ?? 'document');
  const largest = Math.max(...(['image', 'video', 'audio', 'document'] as const).map((kind) => sizeLimitBytes(app, kind)));
  let name: string | null | undefined;
  return readBody(ctx.req, ctx.res, {
    max: largest + MULTIPART_OVERHEAD,
    limitFromHead: (head) => {
      name = filePartName(head, contentType);
      return name === undefined ? undefined : limitOf(name) + MULTIPART_OVERHEAD;
    },
    undecidedMax: FILE_PART_WITHIN,
    tooLarge: () =>
      name === undefined
        ? new DifyError(413, 'file_too_large', 'File size exceeded. The request body is too large.')
        : fileTooLarge(name, limitOf(name)),
    budget: ctx.state.bodyBudget,
  });
}

/** POST /api/files/upload (multipart `file`) → 201 (docs/PROTOCOL.md §2.10). */
export async function uploadFile(ctx: RequestContext): Promise<void> {
  const { app, endUser } = authOf(ctx);
  storeUpload(ctx, app, endUser, await readUpload(ctx, app));
}

/** Checks an upload read by `readUpload` and keeps it; 201 with its record (the service API's too). */
export function storeUpload(ctx: RequestContext, app: App, endUser: EndUser, body: Buffer): void {
  const parts = parseMultipart(body, ctx.req.headers['content-type']) ?? [];
  const files = parts.filter((p) => p.name === 'file');
  if (files.length === 0) throw new DifyError(400, 'no_file_uploaded', 'Please upload your file.');
  if (parts.filter((p) => p.filename !== null).length > 1) throw new DifyError(400, 'too_many_files', 'Only one file is allowed.');
  const file = files[0]!;
  if (!file.filename) throw new DifyError(400, 'filename_not_exists_error', 'The specified filename does not exist.');
  const extension = extensionOf(file.filename);
  const kind = kindOf(extension);
  if (!kind) throw new DifyError(415, 'unsupported_file_type', 'File type not allowed.');
  const limit = sizeLimitBytes(app, kind);
  if (file.data.length > limit) throw fileTooLarge(file.filename, limit);
  const upload: UploadedFile = {
    id: randomUUID(),
    name: file.filename,
    size: file.data.length,
    extension,
    mime_type: file.contentType && file.contentType !== 'application/octet-stream' ? file.contentType : mimeOf(extension),
    created_by: endUser.id,
    created_at: nowSeconds(),
    app_id: app.app_id,
    data: file.data,
    remote_url: null,
  };
  ctx.state.uploads.set(upload.id, upload);
  sendJson(ctx.res, 201, {
    id: upload.id,
    name: upload.name,
    size: upload.size,
    extension: upload.extension,
    mime_type: upload.mime_type,
    created_by: upload.created_by,
    created_at: upload.created_at,
    preview_url: null,
    source_url: previewUrl(ctx, upload.id),
    original_url: null,
    user_id: null,
    tenant_id: null,
    conversation_id: null,
    file_key: null,
  });
}

function remoteUrlOf(body: unknown): string {
  const url = body && typeof body === 'object' ? (body as Record<string, unknown>).url : undefined;
  if (typeof url !== 'string') throw pydanticError('RemoteFileUploadPayload', 'url', 'Field required', 'missing', body);
  return url;
}

/**
 * POST /api/remote-files/upload {url} → 201. The mock cannot fetch (no network): any http(s) URL
 * succeeds unless its host contains "fail" or "invalid", which gives 400 remote_file_upload_error.
 */
export async function uploadRemoteFile(ctx: RequestContext): Promise<void> {
  const { app, endUser } = authOf(ctx);
  const url = remoteUrlOf(parseJsonBody(ctx.body));
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol) || /fail|invalid/i.test(parsed.hostname)) {
    throw new DifyError(400, 'remote_file_upload_error', `Failed to fetch file from ${url}: could not connect`);
  }
  const name = decodeURIComponent(parsed.pathname.split('/').pop() || 'remote-file');
  const extension = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  const upload: UploadedFile = {
    id: randomUUID(),
    name,
    size: 1024,
    extension,
    mime_type: mimeOf(extension),
    created_by: endUser.id,
    created_at: nowSeconds(),
    app_id: app.app_id,
    data: null,
    remote_url: url,
  };
  ctx.state.uploads.set(upload.id, upload);
  sendJson(ctx.res, 201, {
    id: upload.id,
    name: upload.name,
    size: upload.size,
    extension: upload.extension,
    url: previewUrl(ctx, upload.id),
    mime_type: upload.mime_type,
    created_by: upload.created_by,
    created_at: upload.created_at,
  });
}

/** GET /api/remote-files/<url-encoded url> → {file_type, file_length}. */
export async function remoteFileInfo(ctx: RequestContext): Promise<void> {
  authOf(ctx);
  const url = decodeURIComponent(ctx.params[0] ?? '');
  const name = url.split('?')[0]!.split('/').pop() ?? '';
  const extension = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  sendJson(ctx.res, 200, { file_type: mimeOf(extension), file_length: -1 });
}
