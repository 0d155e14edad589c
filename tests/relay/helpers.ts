import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMockServer, type MockServer } from '../../demo/server/server.ts';
import { createRelay, type Relay, type RelayOptions } from '../../relay/index.ts';

/** A mock Dify with a service API key for one app, and relays in front of it on their own ports. */

export const PAGE = 'https://shop.example';

export interface Upstream {
  mock: MockServer;
  key: string;
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  /** Conversations Dify holds for a `user`, through the service API. */
  conversationsOf(user: string): Promise<{ id: string; name: string }[]>;
  close(): Promise<void>;
}

export async function startUpstream(app = 'demo-chat', tokenDelayMs = 0): Promise<Upstream> {
  const mock = await startMockServer({ port: 0, dataFile: null, tokenDelayMs, quiet: true, adminSecret: 'test-admin' });
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${mock.url}/console/api/apps${path}`, {
      method,
      headers: { Authorization: 'Bearer test-admin', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const created = await admin('POST', `/${app}/api-keys`);
  const key = ((await created.json()) as { token: string }).token;
  return {
    mock,
    key,
    admin,
    async conversationsOf(user) {
      const res = await fetch(`${mock.url}/v1/conversations?user=${encodeURIComponent(user)}`, {
        headers: { Authorization: `Bearer ${key}` },
      });
      return ((await res.json()) as { data: { id: string; name: string }[] }).data;
    },
    close: () => mock.close(),
  };
}

export interface RunningRelay {
  relay: Relay;
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** A relay served by node:http (its `node` handler) on a free loopback port. */
export async function serveRelay(options: Partial<RelayOptions> & Pick<RelayOptions, 'difyApiUrl' | 'apiKey'>): Promise<RunningRelay> {
  const relay = createRelay({ allowedOrigins: [PAGE], log: false, ...options });
  const server = createServer(relay.node);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await relay.ready();
  return {
    relay,
    server,
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await relay.close();
    },
  };
}

/** What the widget sends: the page's Origin, its X-App-Code, and the passport once it has one. */
export function widget(base: string, origin = PAGE) {
  let passport: string | null = null;
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    Origin: origin,
    'X-App-Code': 'relay',
    ...(passport ? { 'X-App-Passport': passport } : {}),
    ...extra,
  });
  return {
    get passport() {
      return passport;
    },
    set passport(value: string | null) {
      passport = value;
    },
    async login(userId?: string): Promise<Response> {
      const query = userId === undefined ? '' : `?user_id=${encodeURIComponent(userId)}`;
      const res = await fetch(`${base}/passport${query}`, { headers: headers() });
      if (res.ok) passport = ((await res.clone().json()) as { access_token: string }).access_token;
      return res;
    },
    get: (path: string) => fetch(`${base}${path}`, { headers: headers() }),
    post: (path: string, body: unknown) =>
      fetch(`${base}${path}`, { method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(body) }),
    ask: (query: string, extra: Record<string, unknown> = {}) =>
      fetch(`${base}/chat-messages`, {
        method: 'POST',
        headers: headers({ 'Content-Type': 'application/json' }),
        body: JSON.stringify({ inputs: {}, query, response_mode: 'streaming', conversation_id: '', ...extra }),
      }),
  };
}
