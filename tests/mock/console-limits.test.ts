import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Console, startConsole } from './console-helpers.ts';
import { admin } from './helpers.ts';

/**
 * The service API and the console API read bodies as the web API does (demo/server/body.ts): JSON
 * held to 4 MB, an upload to its app's limit for the file's kind while it is still arriving.
 */

let c: Console;
afterEach(async () => c?.server.close());

const MB = 1024 * 1024;
const TOO_LARGE = { code: 'request_entity_too_large', message: 'The data value transmitted exceeds the capacity limit.', status: 413 };
const BOUNDARY = 'console-limits-boundary';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

const field = (name: string, value: string): string =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const fileHead = (filename: string): string =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;

/** POSTs `head`, then filler in 64 KB chunked writes until the server answers (or `planned` bytes went). */
function sendUntilAnswered(url: string, headers: Record<string, string>, head: string, planned: number) {
  return new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url, { method: 'POST', headers }, (res) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, sent: sentBeforeAnswer });
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

const bodiesBeingRead = async (): Promise<number> =>
  ((await (await admin(c.server.url, 'GET', '/state')).json()) as { memory: { bodiesBeingRead: number } }).memory.bodiesBeingRead;

describe('service and console API bodies', () => {
  it('a /v1 JSON body over 4 MB gets 413 in Dify error shape, and the key still works', async () => {
    c = await startConsole();
    const key = await c.newKey('demo-chat');
    const big = await c.v1(key, 'POST', '/chat-messages', {
      inputs: {},
      query: 'x'.repeat(5 * MB),
      user: 'ann',
      response_mode: 'blocking',
    });
    expect(big.status).toBe(413);
    expect(big.json).toEqual(TOO_LARGE);
    const small = await c.v1(key, 'POST', '/chat-messages', { inputs: {}, query: 'still there?', user: 'ann', response_mode: 'blocking' });
    expect(small.status).toBe(200);
  });

  it('a console API body over 4 MB too', async () => {
    c = await startConsole();
    const res = await c.call('POST', '', { name: 'Big', mode: 'chat', description: 'x'.repeat(5 * MB) });
    expect(res.status).toBe(413);
    expect(res.json).toEqual(TOO_LARGE);
    expect((await c.call('GET', '')).json.data.some((app: { name: string }) => app.name === 'Big')).toBe(false);
  });

  it('a /v1 upload over the image limit is refused while it is still being sent', async () => {
    c = await startConsole();
    const key = await c.newKey('demo-chat');
    const limits = { image_file_size_limit: 1, video_file_size_limit: 100, audio_file_size_limit: 50, file_size_limit: 15 };
    await admin(c.server.url, 'POST', '/apps/demo-chat', {
      parameters: { system_parameters: { ...limits, workflow_file_upload_limit: 10 } },
    });
    const headers = { Authorization: `Bearer ${key}`, 'Content-Type': MULTIPART };
    const answer = await sendUntilAnswered(
      `${c.server.url}/v1/files/upload`,
      headers,
      field('user', 'ann') + fileHead('huge.png'),
      200 * MB,
    );
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      code: 'file_too_large',
      message: 'File size exceeded. huge.png exceeds the 1 MB limit.',
      status: 413,
    });
    expect(answer.sent).toBeLessThan(40 * MB);
    expect(await bodiesBeingRead()).toBe(0);
  });

  it('a /v1 upload finds its user after the file part, and needs one', async () => {
    c = await startConsole();
    const key = await c.newKey('demo-chat');
    const upload = (body: string) =>
      fetch(`${c.server.url}/v1/files/upload`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': MULTIPART },
        body,
      });
    const userLast = await upload(`${fileHead('note.txt')}hello\r\n${field('user', 'ann')}--${BOUNDARY}--\r\n`);
    expect(userLast.status).toBe(201);
    expect(await userLast.json()).toMatchObject({ name: 'note.txt', size: 5 });
    const noUser = await upload(`${fileHead('note.txt')}hello\r\n--${BOUNDARY}--\r\n`);
    expect(await noUser.json()).toEqual({ code: 'invalid_param', message: 'user is required', status: 400 });
  });

  it('a /v1 upload with a wrong key is refused before its body is read', async () => {
    c = await startConsole();
    const headers = { Authorization: 'Bearer app-NotARealKeyAtAll0000000', 'Content-Type': MULTIPART };
    const answer = await sendUntilAnswered(`${c.server.url}/v1/files/upload`, headers, fileHead('a.png'), 200 * MB);
    expect(answer.status).toBe(401);
    expect(answer.sent).toBeLessThan(40 * MB);
  });
});
