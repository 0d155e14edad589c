import { type MockServer, type MockServerOptions, startMockServer } from '../../demo/server/server.ts';

/**
 * A mock server with its console: every response body read through `call` is kept, so a test can
 * check afterwards that no secret ever left the server except where it should.
 */
export const ADMIN = 'console-test-secret';

export interface Console {
  server: MockServer;
  bodies: string[];
  call(method: string, path: string, body?: unknown, secret?: string): Promise<{ status: number; json: any; headers: Headers }>;
  newKey(app: string): Promise<string>;
  v1(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any; headers: Headers; text: string }>;
}

export async function startConsole(opts: MockServerOptions = {}): Promise<Console> {
  const server = await startMockServer({ port: 0, dataFile: null, tokenDelayMs: 0, quiet: true, adminSecret: ADMIN, ...opts });
  const bodies: string[] = [];
  const read = async (res: Response) => {
    const text = await res.text();
    bodies.push(text);
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, headers: res.headers, text };
  };
  const call: Console['call'] = async (method, path, body, secret = ADMIN) =>
    read(
      await fetch(`${server.url}/console/api/apps${path}`, {
        method,
        headers: { Authorization: `Bearer ${secret}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  return {
    server,
    bodies,
    call,
    async newKey(app) {
      const res = await call('POST', `/${app}/api-keys`);
      if (res.status !== 201) throw new Error(`key ${res.status}`);
      // The one response allowed to hold the secret; not kept for the scans.
      bodies.pop();
      return res.json.token as string;
    },
    async v1(key, method, path, body) {
      return read(
        await fetch(`${server.url}/v1${path}`, {
          method,
          headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );
    },
  };
}
