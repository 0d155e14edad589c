import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../../demo/server/server.ts';
import { admin, client, type Client, passport, start, UUID_RE } from './helpers.ts';
import { askUntilPaused, formUrl, submitForm, uploadFormFile, uploadToken, validInputs } from './hitl-helpers.ts';

/* Uploads for human-input forms (Dify 1.15+, era 1.16): upload tokens and POST /api/human-input-forms/files. */
let server: MockServer;
let base: string;
let hitl: Client;

beforeAll(async () => {
  server = await start();
  base = server.url;
  hitl = client(base, await passport(base, 'demo-hitl', 'uploader-1'));
});
afterAll(() => server.close());
beforeEach(() => admin(base, 'POST', '/reset'));

const errorOf = async (res: Response) => (await res.json()) as { code: string; message: string; status: number };

describe('form uploads', () => {
  it('upload-token: {upload_token: "hitl_upload_…", expires_at = the form expiry}', async () => {
    const { form } = await askUntilPaused(hitl);
    const res = await fetch(formUrl(base, form.form_token, '/upload-token'), { method: 'POST' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { upload_token: string; expires_at: number };
    expect(body.upload_token).toMatch(/^hitl_upload_[\w-]{10,}$/);
    expect(body.expires_at).toBe(form.expiration_time);
  });

  it('POST /api/human-input-forms/files: 201 for a local file or a url field; Dify errors otherwise', async () => {
    const { form } = await askUntilPaused(hitl);
    const auth = `Bearer ${await uploadToken(base, form.form_token)}`;
    const local = await uploadFormFile(base, auth, [['file', new Blob(['hello'], { type: 'text/plain' }), 'note.txt']]);
    expect(local.status).toBe(201);
    expect(await local.json()).toMatchObject({
      id: expect.stringMatching(UUID_RE),
      name: 'note.txt',
      size: 5,
      extension: 'txt',
      mime_type: 'text/plain',
    });
    const remote = await uploadFormFile(base, auth, [['url', 'https://example.com/files/report.pdf']]);
    expect(remote.status).toBe(201);
    const remoteBody = (await remote.json()) as Record<string, unknown>;
    expect(Object.keys(remoteBody)).toEqual(['id', 'name', 'size', 'extension', 'url', 'mime_type', 'created_by', 'created_at']);
    expect(remoteBody).toMatchObject({ name: 'report.pdf', extension: 'pdf', mime_type: 'application/pdf' });

    const expectError = async (res: Response, status: number, code: string, message?: string) => {
      expect(res.status).toBe(status);
      const body = await errorOf(res);
      expect(body.code).toBe(code);
      if (message) expect(body.message).toBe(message);
    };
    const file: [string, Blob, string] = ['file', new Blob(['x']), 'x.txt'];
    await expectError(await uploadFormFile(base, null, [file]), 401, 'invalid_upload_token', 'Upload token is required.');
    await expectError(await uploadFormFile(base, 'Basic abc', [file]), 400, 'invalid_upload_token', 'Invalid upload token.');
    await expectError(await uploadFormFile(base, 'Bearer app-123', [file]), 400, 'invalid_upload_token', 'Invalid upload token.');
    await expectError(
      await uploadFormFile(base, 'Bearer hitl_upload_nope', [file]),
      403,
      'invalid_upload_token',
      'Upload token is invalid or expired.',
    );
    await expectError(await uploadFormFile(base, auth, [['note', 'no file']]), 400, 'no_file_uploaded');
    await expectError(await uploadFormFile(base, auth, [file, ['other', new Blob(['y']), 'y.txt']]), 400, 'too_many_files');
    await expectError(await uploadFormFile(base, auth, [['file', new Blob(['z']), 'tool.exe']]), 415, 'unsupported_file_type');
    await expectError(await uploadFormFile(base, auth, [['url', 'https://fail.example.com/a.pdf']]), 400, 'remote_file_upload_error');
    await expectError(await uploadFormFile(base, auth, [['url', 'not a url']]), 400, 'invalid_param');

    // Once the form is answered its upload tokens stop working.
    await submitForm(base, form.form_token, { inputs: validInputs(), action: 'approve' });
    await expectError(await uploadFormFile(base, auth, [file]), 403, 'invalid_upload_token');
  });

  it('files uploaded through the form are accepted as file and file-list values', async () => {
    const { form } = await askUntilPaused(hitl);
    const auth = `Bearer ${await uploadToken(base, form.form_token)}`;
    const image = await uploadFormFile(base, auth, [['file', new Blob(['png bytes'], { type: 'image/png' }), 'shot.png']]);
    const doc = await uploadFormFile(base, auth, [['file', new Blob(['a pdf'], { type: 'application/pdf' }), 'spec.pdf']]);
    const imageId = ((await image.json()) as { id: string }).id;
    const docId = ((await doc.json()) as { id: string }).id;
    const res = await submitForm(base, form.form_token, {
      inputs: validInputs({
        attachment: { type: 'image', transfer_method: 'local_file', upload_file_id: imageId, url: '' },
        extra_files: [
          { type: 'document', transfer_method: 'local_file', upload_file_id: docId, url: '' },
          { type: 'document', transfer_method: 'remote_url', url: 'https://example.com/brief.txt' },
        ],
      }),
      action: 'revise',
    });
    expect(res.status).toBe(200);
  });
});
