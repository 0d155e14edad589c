import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../demo/server/server.ts';
import { safeJoin } from '../../demo/server/static.ts';
import { admin, client, type Client, passport, readAll, start, UUID_RE } from './helpers.ts';

let server: MockServer;
let base: string;
let token: string;
let chat: Client;
let dist: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'mock-dist-'));
  writeFileSync(join(dist, 'embed.min.js'), 'console.log("embed");');
  mkdirSync(join(dist, 'mock'));
  writeFileSync(join(dist, 'mock', 'server.js'), '// bundle');
  server = await start({ distDir: dist });
  base = server.url;
  token = await passport(base, 'demo-chat', 'uploader');
  chat = client(base, token);
});
afterAll(() => server.close());

function form(file: Blob | null, filename = 'notes.txt', extra?: [string, string | Blob, string?]): FormData {
  const fd = new FormData();
  if (file) fd.append('file', file, filename);
  if (extra) extra[2] ? fd.append(extra[0], extra[1] as Blob, extra[2]) : fd.append(extra[0], extra[1] as string);
  return fd;
}

const upload = (fd: FormData, path = '/api/files/upload', t = token): Promise<Response> =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'X-App-Passport': t }, body: fd });

describe('POST /api/files/upload (docs/PROTOCOL.md §2.10)', () => {
  it('201 with the upload shape; the preview serves the bytes', async () => {
    const res = await upload(form(new Blob(['hello file'], { type: 'text/plain' })));
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, any>;
    expect(Object.keys(body)).toEqual([
      'id',
      'name',
      'size',
      'extension',
      'mime_type',
      'created_by',
      'created_at',
      'preview_url',
      'source_url',
      'original_url',
      'user_id',
      'tenant_id',
      'conversation_id',
      'file_key',
    ]);
    expect(body.id).toMatch(UUID_RE);
    expect(body).toMatchObject({ name: 'notes.txt', size: 10, extension: 'txt', mime_type: 'text/plain' });
    const preview = await fetch(body.source_url);
    expect(await preview.text()).toBe('hello file');
  });

  it('uploaded files can be sent with a question and show up as user message_files', async () => {
    const up = (await (await upload(form(new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }), 'pic.png'))).json()) as {
      id: string;
    };
    const { events } = await readAll(
      await chat.chat({ query: 'look', files: [{ type: 'image', transfer_method: 'local_file', upload_file_id: up.id, url: '' }] }),
    );
    const list = (await (await chat.get(`/api/messages?conversation_id=${events[0]!.conversation_id}`)).json()) as {
      data: Record<string, any>[];
    };
    expect(list.data[0]!.message_files).toEqual([
      expect.objectContaining({ belongs_to: 'user', upload_file_id: up.id, transfer_method: 'local_file', type: 'image' }),
    ]);
    const bad = await chat.chat({
      query: 'look',
      files: [{ type: 'image', transfer_method: 'local_file', upload_file_id: 'nope', url: '' }],
    });
    expect(bad.status).toBe(400);
  });

  it('400 no_file_uploaded, too_many_files; 415 unsupported_file_type; 413 file_too_large', async () => {
    const none = await upload(form(null, '', ['source', 'datasets']));
    expect(await none.json()).toEqual({ code: 'no_file_uploaded', message: 'Please upload your file.', status: 400 });
    const two = await upload(form(new Blob(['a']), 'a.txt', ['file2', new Blob(['b']), 'b.txt']));
    expect(((await two.json()) as { code: string }).code).toBe('too_many_files');
    const exe = await upload(form(new Blob(['MZ']), 'virus.exe'));
    expect(exe.status).toBe(415);
    expect(await exe.json()).toEqual({ code: 'unsupported_file_type', message: 'File type not allowed.', status: 415 });
    await admin(base, 'POST', '/apps/demo-chat', {
      parameters: {
        system_parameters: {
          image_file_size_limit: 10,
          video_file_size_limit: 100,
          audio_file_size_limit: 50,
          file_size_limit: 0.001,
          workflow_file_upload_limit: 10,
        },
      },
    });
    const big = await upload(form(new Blob(['x'.repeat(4096)]), 'big.txt'));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { code: string }).code).toBe('file_too_large');
    await admin(base, 'POST', '/reset');
  });
});

describe('remote files', () => {
  it('POST /api/remote-files/upload → 201; unreachable host → 400', async () => {
    const res = await chat.post('/api/remote-files/upload', { url: 'https://cdn.example.com/docs/guide.pdf' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['id', 'name', 'size', 'extension', 'url', 'mime_type', 'created_by', 'created_at']);
    expect(body).toMatchObject({ name: 'guide.pdf', extension: 'pdf', mime_type: 'application/pdf' });
    const fail = await chat.post('/api/remote-files/upload', { url: 'https://fail.example.com/x.png' });
    expect(fail.status).toBe(400);
    expect(((await fail.json()) as { code: string }).code).toBe('remote_file_upload_error');
    const info = await chat.get(`/api/remote-files/${encodeURIComponent('https://cdn.example.com/a.png')}`);
    expect(await info.json()).toEqual({ file_type: 'image/png', file_length: -1 });
  });
});

describe('audio (docs/PROTOCOL.md §2.9)', () => {
  it('answers the feature-off errors', async () => {
    const stt = await upload(form(new Blob(['x'], { type: 'audio/mp3' }), 'temp.mp3'), '/api/audio-to-text');
    expect(await stt.json()).toEqual({ code: 'invalid_param', message: 'Speech to text is not enabled', status: 400 });
    const tts = await chat.post('/api/text-to-audio', { text: 'hi' });
    expect(await tts.json()).toEqual({ code: 'invalid_param', message: 'TTS is not enabled', status: 400 });
  });

  it('works when switched on', async () => {
    await admin(base, 'POST', '/apps/demo-chat', { parameters: { speech_to_text: { enabled: true }, text_to_speech: { enabled: true } } });
    const stt = await upload(form(new Blob(['x'], { type: 'audio/mp3' }), 'temp.mp3'), '/api/audio-to-text');
    expect(stt.status).toBe(200);
    expect(((await stt.json()) as { text: string }).text).toBeTruthy();
    const wrongType = await upload(form(new Blob(['x'], { type: 'text/plain' }), 'temp.txt'), '/api/audio-to-text');
    expect(wrongType.status).toBe(415);
    const tts = await chat.post('/api/text-to-audio', { text: 'hi' });
    expect(tts.headers.get('content-type')).toBe('audio/mpeg');
    expect((await tts.arrayBuffer()).byteLength).toBeGreaterThan(0);
    await admin(base, 'POST', '/reset');
  });
});

describe('static files', () => {
  it('GET / serves the demo page and dist files are served at the root', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('qa-config.js');
    expect(await (await fetch(`${base}/embed.min.js`)).text()).toBe('console.log("embed");');
    expect((await fetch(`${base}/embed.min.js`)).headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(`${base}/mock/server.js`)).status).toBe(200);
    expect((await fetch(`${base}/qa-config.js`)).status).toBe(200);
    expect((await fetch(`${base}/nope.js`)).status).toBe(404);
  });

  it('refuses directory traversal', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/mock/..%2f..%2fpackage.json']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
    expect(safeJoin('/srv/root', '/../etc/passwd')).toBeNull();
    expect(safeJoin('/srv/root', '/%2e%2e/etc/passwd')).toBeNull();
    expect(safeJoin('/srv/root', '/a/b.js')).toBe('/srv/root/a/b.js');
  });

  it('serves a real PNG for tool files', async () => {
    const res = await fetch(`${base}/files/tools/anything.png?timestamp=1&nonce=2&sign=3`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(64);
  });
});
