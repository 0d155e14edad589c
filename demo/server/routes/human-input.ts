import { randomUUID } from 'node:crypto';
import { sizeLimitBytes } from '../apps.ts';
import type { RequestContext, UploadedFile } from '../context.ts';
import { atLeast } from '../eras.ts';
import { DifyError, notFound, pydanticError } from '../errors.ts';
import { parseJsonBody, sendJson } from '../http.ts';
import { checkSubmission, renderSubmission, type SubmittedFile } from '../human-input/definition.ts';
import { type FormRecord, UPLOAD_TOKEN_PREFIX } from '../human-input/forms.ts';
import { formResponse } from '../human-input/payloads.ts';
import { pythonJson } from '../json.ts';
import { parseMultipart } from '../multipart.ts';
import { resumeRun } from '../scripts/human-input.ts';
import { nowSeconds } from '../store.ts';
import { sitePayload } from './app-info.ts';
import { kindOf, mimeOf } from './files.ts';

/**
 * The human-input form endpoints (Dify 1.13+; uploads 1.15+): unauthenticated on purpose, found by the
 * form token, rate-limited per IP with a bucket per endpoint (docs/PROTOCOL.md §2.11, newer releases).
 */
const formNotFound = (): DifyError => notFound('Form not found');

function limit(ctx: RequestContext, bucket: string): void {
  const { settings, forms } = ctx.state;
  const ip = ctx.req.socket.remoteAddress ?? '';
  if (forms.rateLimited(bucket, ip, settings.formRateLimitMax, settings.formRateLimitWindowMs)) {
    throw new DifyError(429, 'web_form_rate_limit_exceeded', 'Too many form requests. Please try again later.');
  }
}

/** The form of the token in the path, if it is still open (412 once answered or expired). */
function openForm(ctx: RequestContext): FormRecord {
  const form = ctx.state.forms.get(ctx.params[0] ?? '');
  if (!form || !ctx.state.apps.byId(form.appId)) throw formNotFound();
  if (form.state === 'submitted') {
    throw new DifyError(412, 'human_input_form_submitted', `This form has already been submitted by another user, form_id=${form.formId}`);
  }
  if (form.state === 'expired') throw new DifyError(412, 'human_input_form_expired', `This form has expired, form_id=${form.formId}`);
  return form;
}

/** GET /api/form/human_input/<token> → the form and its site, as Python `json.dumps(..., ensure_ascii=False)`. */
export async function getHumanInputForm(ctx: RequestContext): Promise<void> {
  limit(ctx, 'access');
  const form = openForm(ctx);
  const app = ctx.state.apps.byId(form.appId)!;
  const text = pythonJson(formResponse(form, sitePayload(app, null)), false);
  ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  ctx.res.end(text);
}

function fileNameOf(form: FormRecord, file: SubmittedFile): string {
  if (file.transfer_method === 'local_file') return form.uploads.get(file.upload_file_id ?? '') ?? 'file';
  return decodeURIComponent(new URL(file.url ?? 'http://x/file').pathname.split('/').pop() || 'file');
}

/** POST /api/form/human_input/<token> {inputs, action} → {} and the run resumes. */
export async function submitHumanInputForm(ctx: RequestContext): Promise<void> {
  const model = 'HumanInputFormSubmitPayload';
  const body = parseJsonBody(ctx.body) as Record<string, unknown>;
  const b = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
  if (!('inputs' in b)) throw pydanticError(model, 'inputs', 'Field required', 'missing', body);
  if (!b.inputs || typeof b.inputs !== 'object' || Array.isArray(b.inputs)) {
    throw pydanticError(model, 'inputs', 'Input should be a valid dictionary', 'dict_type', b.inputs);
  }
  if (typeof b.action !== 'string') throw pydanticError(model, 'action', 'Input should be a valid string', 'string_type', b.action);
  limit(ctx, 'submit');
  const form = openForm(ctx);
  const checked = checkSubmission(form.definition, b.inputs as Record<string, unknown>, b.action, (id) => form.uploads.get(id) ?? null);
  if (typeof checked === 'string') throw new DifyError(400, 'invalid_form_data', checked);
  form.state = 'submitted';
  form.submission = { ...checked, renderedContent: renderSubmission(form.definition, checked.values, (f) => fileNameOf(form, f)) };
  resumeRun(ctx.state, form);
  sendJson(ctx.res, 200, {});
}

/** POST /api/form/human_input/<token>/upload-token (1.15+) → {upload_token, expires_at}, valid while the form is open. */
export async function humanInputUploadToken(ctx: RequestContext): Promise<void> {
  limit(ctx, 'upload-token');
  const form = openForm(ctx);
  if (!atLeast(ctx.state.apps.byId(form.appId)!.era, '1.16')) throw notFound();
  sendJson(ctx.res, 200, { upload_token: ctx.state.forms.issueUploadToken(form), expires_at: form.expirationTime });
}

const invalidToken = (status: 400 | 401 | 403, message: string): DifyError => new DifyError(status, 'invalid_upload_token', message);

/** The form behind `Authorization: Bearer <upload token>`, with Dify's three `invalid_upload_token` answers. */
function formOfUpload(ctx: RequestContext): FormRecord {
  const header = ctx.req.headers.authorization;
  const parts = typeof header === 'string' ? header.trim().split(/\s+/) : [];
  if (parts.length !== 2) throw invalidToken(401, 'Upload token is required.');
  const [scheme, token] = parts as [string, string];
  if (scheme.toLowerCase() !== 'bearer' || !token.startsWith(UPLOAD_TOKEN_PREFIX)) throw invalidToken(400, 'Invalid upload token.');
  const form = ctx.state.forms.formOfUploadToken(token);
  if (!form) throw invalidToken(403, 'Upload token is invalid or expired.');
  return form;
}

function store(
  ctx: RequestContext,
  form: FormRecord,
  file: Omit<UploadedFile, 'id' | 'created_by' | 'created_at' | 'app_id'>,
): UploadedFile {
  const upload: UploadedFile = { ...file, id: randomUUID(), created_by: form.endUserId, created_at: nowSeconds(), app_id: form.appId };
  ctx.state.uploads.set(upload.id, upload);
  form.uploads.set(upload.id, upload.name);
  return upload;
}

const previewUrl = (ctx: RequestContext, id: string): string =>
  `${ctx.state.settings.filesUrl || ctx.origin}/files/${id}/file-preview?timestamp=${nowSeconds()}&nonce=${randomUUID().slice(0, 8)}&sign=mock`;

/**
 * POST /api/human-input-forms/files, multipart: a non-empty `url` field fetches a remote file (the mock
 * fetches nothing; a host with "fail" or "invalid" fails), otherwise one `file` is uploaded → 201.
 */
export async function humanInputFileUpload(ctx: RequestContext): Promise<void> {
  const form = formOfUpload(ctx);
  const app = ctx.state.apps.byId(form.appId)!;
  const parts = parseMultipart(ctx.body, ctx.req.headers['content-type']) ?? [];
  const url =
    parts
      .find((p) => p.name === 'url' && p.filename === null)
      ?.data.toString('utf8')
      .trim() ?? '';
  if (url) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol)) {
      throw pydanticError('HumanInputFileUploadFormPayload', 'url', 'Input should be a valid URL', 'url_parsing', url);
    }
    if (/fail|invalid/i.test(parsed.hostname)) {
      throw new DifyError(400, 'remote_file_upload_error', `Failed to fetch file from ${url}: could not connect`);
    }
    const name = decodeURIComponent(parsed.pathname.split('/').pop() || 'remote-file');
    const extension = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
    const upload = store(ctx, form, { name, size: 1024, extension, mime_type: mimeOf(extension), data: null, remote_url: url });
    const { id, size, mime_type, created_by, created_at } = upload;
    return sendJson(ctx.res, 201, { id, name, size, extension, url: previewUrl(ctx, id), mime_type, created_by, created_at });
  }
  const files = parts.filter((p) => p.filename !== null);
  const file = parts.find((p) => p.name === 'file');
  if (!file) throw new DifyError(400, 'no_file_uploaded', 'Please upload your file.');
  if (files.length > 1) throw new DifyError(400, 'too_many_files', 'Only one file is allowed.');
  if (!file.filename) throw new DifyError(400, 'filename_not_exists_error', 'The specified filename does not exist.');
  const extension = file.filename.includes('.') ? file.filename.split('.').pop()!.toLowerCase() : '';
  const kind = kindOf(extension);
  if (!kind) throw new DifyError(415, 'unsupported_file_type', 'File type not allowed.');
  if (file.data.length > sizeLimitBytes(app, kind))
    throw new DifyError(413, 'file_too_large', `File size exceeded. ${file.filename} is too large.`);
  const mime = file.contentType && file.contentType !== 'application/octet-stream' ? file.contentType : mimeOf(extension);
  const upload = store(ctx, form, {
    name: file.filename,
    size: file.data.length,
    extension,
    mime_type: mime,
    data: file.data,
    remote_url: null,
  });
  sendJson(ctx.res, 201, {
    id: upload.id,
    name: upload.name,
    size: upload.size,
    extension,
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
