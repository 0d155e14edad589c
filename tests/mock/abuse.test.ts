import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../demo/server/server.ts';
import { admin, client, type Client, passport, readAll, start } from './helpers.ts';

/** Bodies meant to hurt: oversized JSON, oversized and parallel uploads (demo/server/body.ts). */

let server: MockServer;
let base: string;
let token: string;
let chat: Client;

beforeAll(async () => {
  server = await start();
  base = server.url;
  token = await passport(base, 'demo-chat', 'abuser');
  chat = client(base, token);
});
afterAll(() => server.close());

const MB = 1024 * 1024;

interface Answer {
  status: number;
  body: string;
  /** Bytes of the body the client had handed to the socket when the answer's headers came. */
  sentBeforeAnswer: number;
}

/**
 * POSTs `head`, then up to `planned` filler bytes in 64 KB writes that wait for the socket to drain,
 * stopping as soon as the server answers. Without `contentLength` the body goes chunked, so the
 * server cannot know its size in advance and has to measure it as it arrives.
 */
function sendUntilAnswered(
  path: string,
  headers: Record<string, string>,
  head: string,
  planned: number,
  contentLength = false,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const all = { ...headers, ...(contentLength ? { 'Content-Length': String(Buffer.byteLength(head) + planned) } : {}) };
    const req = request(`${base}${path}`, { method: 'POST', headers: all }, (res) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, sentBeforeAnswer });
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const filler = Buffer.alloc(64 * 1024, 0x61);
    const pump = (): void => {
      while (!answered && sent < planned) {
        sent += filler.length;
        if (!req.write(filler)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    req.write(head);
    pump();
  });
}

const memory = async (): Promise<{ bodiesBeingRead: number; storedUploads: number }> =>
  ((await (await admin(base, 'GET', '/state')).json()) as { memory: { bodiesBeingRead: number; storedUploads: number } }).memory;

describe('JSON bodies over 4 MB get 413 in Dify error shape', () => {
  const TOO_LARGE = { code: 'request_entity_too_large', message: 'The data value transmitted exceeds the capacity limit.', status: 413 };

  it('a chat message with an 11 MB query', async () => {
    const res = await chat.post('/api/chat-messages', { inputs: {}, query: 'x'.repeat(11 * MB), response_mode: 'streaming' });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(TOO_LARGE);
    // A question of a normal size still works on the same server.
    const { events } = await readAll(await chat.chat({ query: 'still there?' }));
    expect(events.at(-1)!.event).toBe('message_end');
  });

  it('a chunked body without Content-Length is refused once 4 MB have arrived, not after the whole body', async () => {
    const headers = { 'Content-Type': 'application/json', 'X-App-Passport': token };
    const answer = await sendUntilAnswered('/api/chat-messages', headers, '{"inputs":{},"query":"', 200 * MB);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual(TOO_LARGE);
    // What the client had written includes what sockets buffer (a few MB on loopback), but not 200 MB.
    expect(answer.sentBeforeAnswer).toBeLessThan(40 * MB);
    expect((await memory()).bodiesBeingRead).toBe(0);
  });

  it('the admin API too, past its own 16 MB', async () => {
    const res = await admin(base, 'POST', '/settings', { tokenDelayMs: 0, padding: 'x'.repeat(17 * MB) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(TOO_LARGE);
  });
});

describe('uploads are held to the app limit while they are read (docs/PROTOCOL.md §2.10)', () => {
  const BOUNDARY = 'mock-abuse-boundary';
  const partHead = (filename: string): string =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;
  const headers = (): Record<string, string> => ({ 'Content-Type': MULTIPART, 'X-App-Passport': token });

  beforeAll(async () => {
    // Images limited to 1 MB for this app (the other limits as in demo/apps.json).
    const limits = { image_file_size_limit: 1, video_file_size_limit: 100, audio_file_size_limit: 50, file_size_limit: 15 };
    await admin(base, 'POST', '/apps/demo-chat', { parameters: { system_parameters: { ...limits, workflow_file_upload_limit: 10 } } });
  });
  afterAll(() => admin(base, 'POST', '/reset'));

  it('a 200 MB image sent chunked is answered 413 file_too_large after about 1 MB, while the client is still sending', async () => {
    const answer = await sendUntilAnswered('/api/files/upload', headers(), partHead('huge.png'), 200 * MB);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      code: 'file_too_large',
      message: 'File size exceeded. huge.png exceeds the 1 MB limit.',
      status: 413,
    });
    // Stopped at the image limit (named above), long before the 100 MB video limit or the body's end.
    expect(answer.sentBeforeAnswer).toBeLessThan(40 * MB);
    expect(await memory()).toMatchObject({ bodiesBeingRead: 0, storedUploads: 0 });
  });

  it('a declared Content-Length over every limit is refused before the body is read', async () => {
    const answer = await sendUntilAnswered('/api/files/upload', headers(), partHead('movie.mp4'), 300 * MB, true);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'file_too_large', status: 413 });
    expect(answer.sentBeforeAnswer).toBeLessThan(40 * MB);
  });

  it('an upload without a passport is refused before its body is read', async () => {
    const answer = await sendUntilAnswered('/api/files/upload', { 'Content-Type': MULTIPART }, partHead('a.png'), 200 * MB);
    expect(answer.status).toBe(401);
    expect(answer.sentBeforeAnswer).toBeLessThan(40 * MB);
  });

  it('a file within the limit is still accepted', async () => {
    const fd = new FormData();
    fd.append('file', new Blob([Buffer.alloc(512 * 1024, 1)], { type: 'image/png' }), 'fine.png');
    const res = await fetch(`${base}/api/files/upload`, { method: 'POST', headers: { 'X-App-Passport': token }, body: fd });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { size: number }).size).toBe(512 * 1024);
  });
});

describe('all bodies being read share one memory budget', () => {
  it('past it an upload is refused with 503 instead of held; once answered its bytes are free again', async () => {
    const small = await start({ bodyBudgetBytes: 1 * MB });
    try {
      const t = await passport(small.url, 'demo-chat', 'budget');
      const upload = (bytes: number): Promise<Response> => {
        const fd = new FormData();
        fd.append('file', new Blob([Buffer.alloc(bytes, 0x61)], { type: 'text/plain' }), 'notes.txt');
        return fetch(`${small.url}/api/files/upload`, { method: 'POST', headers: { 'X-App-Passport': t }, body: fd });
      };
      const over = await upload(2 * MB);
      expect(over.status).toBe(503);
      expect(await over.json()).toMatchObject({ code: 'service_unavailable', status: 503 });
      expect((await upload(100 * 1024)).status).toBe(201);
      expect((await upload(100 * 1024)).status).toBe(201);
    } finally {
      await small.close();
    }
  });
});

describe('malformed requests', () => {
  /** Sends one raw request asking the server to close afterwards, and returns everything it answered. */
  const raw = (head: string): Promise<string> =>
    new Promise((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write(`${head}Connection: close\r\n\r\n`));
      let reply = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (reply += chunk));
      socket.on('close', () => resolve(reply));
    });

  it('a Host header that is not a host name is answered, and the server goes on', async () => {
    const reply = await raw(`GET /api/site HTTP/1.1\r\nHost: a b\r\nX-App-Passport: ${token}\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(reply).toContain('Acme Support');
    expect((await fetch(`${base}/api/system-features`)).status).toBe(200);
  });

  it('a request target that looks like a URL stays a path', async () => {
    const reply = await raw('GET //127.0.0.1/__mock/state HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 404 /);
  });
});
