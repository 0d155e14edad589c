import type { MockServer } from '../../../demo/server/server.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  status?: number;
}

/** The mock server's QA controls (/__mock/*), for tests. */
export function mockControl(mock: MockServer) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${mock.url}${path}`, {
      method,
      // The admin API takes every change as JSON, with or without a body (demo/server/admin-access.ts).
      headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  };
  return {
    fault: (fault: Record<string, unknown> | Record<string, unknown>[]) => call('POST', '/__mock/faults', fault),
    clearFaults: () => call('DELETE', '/__mock/faults'),
    settings: (settings: Record<string, unknown>) => call('POST', '/__mock/settings', settings),
    app: (code: string, change: Record<string, unknown>) => call('POST', `/__mock/apps/${code}`, change),
    reset: () => call('POST', '/__mock/reset'),
    async requests(pathPrefix = '/api/'): Promise<RecordedRequest[]> {
      const data = (await call('GET', `/__mock/requests?path=${encodeURIComponent(pathPrefix)}`)) as
        | { data?: RecordedRequest[] }
        | RecordedRequest[];
      return Array.isArray(data) ? data : (data.data ?? []);
    },
    clearRequests: () => call('DELETE', '/__mock/requests'),
  };
}

/** A unique end-user id per test, so tests sharing a mock server never see each other's chats. */
export function uniqueUser(prefix = 'user'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
