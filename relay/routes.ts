import { invalidParam } from './errors.ts';
import type { UpstreamCall } from './upstream.ts';

/**
 * The web API the widget speaks (docs/PROTOCOL.md §2), each route mapped to its service API call.
 * Only named fields go through, and the `user` is always the relay's: a page cannot slip in
 * another user, a query flag or a path of its own.
 */
export interface RouteInput {
  match: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
  user: string;
  /** The server-side inputs (options.inputs), merged over the page's. */
  serverInputs: Record<string, unknown>;
}

export interface RelayRoute {
  method: string;
  pattern: RegExp;
  /** Reads a JSON body (POST/DELETE with a body). */
  json: boolean;
  /** The service API call; `site` is reshaped by the handler. */
  upstream: (input: RouteInput) => UpstreamCall;
}

const UUID = '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';
const TASK = '([A-Za-z0-9-]{1,64})';

function pickQuery(query: URLSearchParams, names: string[], user: string): URLSearchParams {
  const out = new URLSearchParams();
  for (const name of names) {
    const value = query.get(name);
    if (value !== null && value !== '') out.set(name, value);
  }
  out.set('user', user);
  return out;
}

function pick(body: Record<string, unknown>, names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) if (body[name] !== undefined) out[name] = body[name];
  return out;
}

const route = (method: string, path: string, json: boolean, upstream: RelayRoute['upstream']): RelayRoute => ({
  method,
  pattern: new RegExp(`^${path}$`),
  json,
  upstream,
});

export const ROUTES: RelayRoute[] = [
  route('GET', '/site', false, ({ user }) => ({ method: 'GET', path: '/site', query: pickQuery(new URLSearchParams(), [], user) })),
  route('GET', '/parameters', false, ({ user }) => ({
    method: 'GET',
    path: '/parameters',
    query: pickQuery(new URLSearchParams(), [], user),
  })),
  route('GET', '/meta', false, ({ user }) => ({ method: 'GET', path: '/meta', query: pickQuery(new URLSearchParams(), [], user) })),
  route('POST', '/chat-messages', true, ({ body, user, serverInputs }) => {
    const inputs = body.inputs ?? {};
    if (!inputs || typeof inputs !== 'object' || Array.isArray(inputs)) throw invalidParam('inputs must be an object');
    return {
      method: 'POST',
      path: '/chat-messages',
      json: {
        ...pick(body, ['query', 'files', 'response_mode', 'conversation_id', 'parent_message_id']),
        inputs: { ...(inputs as Record<string, unknown>), ...serverInputs },
        user,
        // The web API never names conversations on its own; the widget asks for a name afterwards (§2.4).
        auto_generate_name: false,
      },
    };
  }),
  route('POST', `/chat-messages/${TASK}/stop`, false, ({ match, user }) => ({
    method: 'POST',
    path: `/chat-messages/${match[1]}/stop`,
    json: { user },
  })),
  route('GET', '/messages', false, ({ query, user }) => ({
    method: 'GET',
    path: '/messages',
    query: pickQuery(query, ['conversation_id', 'first_id', 'limit'], user),
  })),
  route('GET', '/conversations', false, ({ query, user }) => ({
    method: 'GET',
    path: '/conversations',
    query: pickQuery(query, ['last_id', 'limit', 'sort_by', 'pinned'], user),
  })),
  route('POST', `/conversations/${UUID}/name`, true, ({ match, body, user }) => ({
    method: 'POST',
    path: `/conversations/${match[1]}/name`,
    json: { ...pick(body, ['name', 'auto_generate']), user },
  })),
  route('DELETE', `/conversations/${UUID}`, false, ({ match, user }) => ({
    method: 'DELETE',
    path: `/conversations/${match[1]}`,
    json: { user },
  })),
  route('POST', `/messages/${UUID}/feedbacks`, true, ({ match, body, user }) => ({
    method: 'POST',
    path: `/messages/${match[1]}/feedbacks`,
    json: { ...pick(body, ['rating', 'content']), user },
  })),
  route('GET', `/messages/${UUID}/suggested-questions`, false, ({ match, user }) => ({
    method: 'GET',
    path: `/messages/${match[1]}/suggested`,
    query: pickQuery(new URLSearchParams(), [], user),
  })),
];

export function findRoute(method: string, path: string): { route: RelayRoute; match: string[] } | 'method' | null {
  let pathMatched = false;
  for (const candidate of ROUTES) {
    const m = candidate.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (candidate.method === method || (candidate.method === 'GET' && method === 'HEAD')) return { route: candidate, match: [...m] };
  }
  return pathMatched ? 'method' : null;
}
