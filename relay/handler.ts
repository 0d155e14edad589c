import { errorResponse, notFound, RelayError, unauthorized, upstreamError } from './errors.ts';
import { verifyVisitor } from './identity.ts';
import { MemoryLimiter, type Limiter } from './limits.ts';
import { type RelayOptions, resolveOptions, type Visitor } from './options.ts';
import { issuePassport, readPassport } from './passport.ts';
import { safeLogger } from './redact.ts';
import { RedisLimiter } from './redis-limiter.ts';
import { passportOf, readJson } from './request.ts';
import { findRoute } from './routes.ts';
import { createUpstream } from './upstream.ts';

/** What a server adapter knows about the connection that Request does not carry. */
export interface RequestInfo {
  /** The client's IP address, for the per-IP limit. */
  clientIp?: string;
}

export interface RelayHandler {
  /** The fetch-style handler: Hono, Next.js route handlers, Deno, Bun, edge runtimes. */
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
  /** Resolves once the limiter (Redis) is connected; requests wait for it anyway. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const ALLOWED_HEADERS = 'Content-Type, X-App-Code, X-App-Passport, Authorization, X-CSRF-Token';

export function createRelayHandler(relayOptions: RelayOptions): RelayHandler {
  const options = resolveOptions(relayOptions);
  const log = safeLogger(options.log);
  const upstream = createUpstream({
    apiUrl: options.difyApiUrl,
    apiKey: options.apiKey,
    retry: options.retry,
    fetch: options.fetch ?? ((...args) => fetch(...args)),
  });
  const origins = new Set(options.allowedOrigins);
  const limiterReady: Promise<Limiter> = options.limiter
    ? Promise.resolve(options.limiter)
    : options.redisUrl
      ? RedisLimiter.connect({ url: options.redisUrl, onError: log }).catch((err: Error) => {
          log(`${err.message}; limits fall back to this process's memory`);
          return new MemoryLimiter();
        })
      : Promise.resolve(new MemoryLimiter());

  function cors(origin: string | null): Record<string, string> {
    // Echoed for any origin so that a refused page can read why (the body holds nothing else).
    return origin ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'Retry-After', Vary: 'Origin' } : {};
  }

  function checkOrigin(request: Request, origin: string | null): void {
    if (origin) {
      if (!origins.has(origin)) throw new RelayError(403, 'forbidden', `This chat relay does not serve pages of ${origin}.`);
      return;
    }
    // Browsers leave Origin off same-origin GETs; Sec-Fetch-Site still says where the call comes from.
    if (request.headers.get('sec-fetch-site') !== 'same-origin')
      throw new RelayError(403, 'forbidden', 'This chat relay serves web pages of its allowed origins only.');
  }

  async function limit(keys: { key: string; limit: { perMinute: number; perHour: number } }[]): Promise<void> {
    const verdict = await (await limiterReady).hit(keys);
    if (verdict.ok) return;
    const who = verdict.key.startsWith('ip:') ? 'this network' : 'this visitor';
    // Dify's code for a used-up quota (docs/PROTOCOL.md §4.2): the widget says so and does not
    // retry by itself, where `too_many_requests` would have it back off and try again.
    throw new RelayError(
      429,
      'rate_limit_error',
      `Request limit reached: ${who} may make ${verdict.limit} requests ${verdict.window === 'minute' ? 'a minute' : 'an hour'}. Try again in ${verdict.retryAfterSeconds} s.`,
      { 'Retry-After': String(verdict.retryAfterSeconds) },
    );
  }

  let warnedUnsigned = false;
  /** GET /passport?user_id=: a signed id becomes the visitor's `user`; none makes an anonymous one. */
  async function mintPassport(url: URL): Promise<Response> {
    const given = url.searchParams.get('user_id');
    let visitor: Visitor & { exp?: number };
    if (given && options.identitySecret) {
      const check = await verifyVisitor(given, options.identitySecret);
      if (!check.ok) {
        throw unauthorized(
          check.reason === 'expired'
            ? "The visitor's signed identity has expired; the page must get a fresh one from the site."
            : "The visitor's identity is not signed by the site (expected <id>.<expiry>.<signature>).",
        );
      }
      visitor = { user: check.userId, signed: true, exp: check.expiresAt };
    } else {
      if (options.requireIdentity) throw unauthorized('This chat needs a signed visitor identity (systemVariables.user_id).');
      if (given && !warnedUnsigned) {
        warnedUnsigned = true;
        log('[dify-relay] a page sent user_id, but identitySecret is not set: every visitor is anonymous');
      }
      visitor = { user: `anon-${crypto.randomUUID()}`, signed: false };
    }
    const token = await issuePassport(visitor, options.passportSecret);
    return Response.json({ access_token: token });
  }

  /** Passports already checked, so a visitor's every request does not recompute its HMAC. */
  const checked = new Map<string, Visitor & { exp?: number }>();
  async function visitorOf(request: Request): Promise<Visitor> {
    const token = passportOf(request);
    const known = checked.get(token);
    if (known && (known.exp === undefined || known.exp > Date.now() / 1000)) return known;
    const check = await readPassport(token, options.passportSecret);
    if (!check.ok) throw unauthorized(check.message);
    if (checked.size >= 10_000) checked.clear();
    checked.set(token, check.passport);
    return check.passport;
  }

  async function serverInputs(visitor: Visitor): Promise<Record<string, unknown>> {
    const inputs = typeof options.inputs === 'function' ? await options.inputs(visitor) : options.inputs;
    return inputs ?? {};
  }

  /** The web API's /site wraps the service API's site settings (docs/PROTOCOL.md §2.1). */
  async function siteResponse(res: Response, visitor: Visitor): Promise<Response> {
    const site = (await res.json()) as Record<string, unknown>;
    return Response.json({
      app_id: '00000000-0000-4000-8000-000000000000',
      end_user_id: visitor.user,
      enable_site: true,
      site: { prompt_public: false, ...site },
      model_config: null,
      plan: 'basic',
      can_replace_logo: false,
      custom_config: null,
    });
  }

  async function route(request: Request, url: URL, path: string, ip: string): Promise<Response> {
    const found = findRoute(request.method, path);
    if (found === 'method') throw new RelayError(405, 'method_not_allowed', 'The method is not allowed for the requested URL.');
    if (path === '/passport' && request.method === 'GET') {
      await limit([{ key: `ip:${ip}`, limit: options.ipLimit }]);
      return mintPassport(url);
    }
    if (!found) throw notFound();
    const visitor = await visitorOf(request);
    await limit([
      { key: `v:${visitor.user}`, limit: options.visitorLimit },
      { key: `ip:${ip}`, limit: options.ipLimit },
    ]);
    const body = found.route.json ? await readJson(request) : {};
    const inputs = path === '/chat-messages' ? await serverInputs(visitor) : {};
    const call = found.route.upstream({ match: found.match, query: url.searchParams, body, user: visitor.user, serverInputs: inputs });
    const res = await upstream.call({ ...call, signal: request.signal });
    if (res.status >= 400) throw await upstreamError(res, log);
    if (path === '/site') return siteResponse(res, visitor);
    const headers = new Headers();
    const type = res.headers.get('content-type');
    if (type) headers.set('Content-Type', type);
    if (type?.startsWith('text/event-stream')) {
      // Streams pass through as they come: no proxy buffering, no caching.
      headers.set('Cache-Control', 'no-cache');
      headers.set('X-Accel-Buffering', 'no');
    }
    return new Response(res.status === 204 ? null : res.body, { status: res.status, headers });
  }

  return {
    ready: async () => {
      await limiterReady;
    },
    async close() {
      await (await limiterReady).close?.();
    },
    async fetch(request, info = {}) {
      const started = Date.now();
      const url = new URL(request.url);
      const base = options.basePath ?? '';
      const path = base && url.pathname.startsWith(base) ? url.pathname.slice(base.length) || '/' : url.pathname;
      const origin = request.headers.get('origin');
      const forwarded = options.trustProxy ? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
      const ip = forwarded || info.clientIp || 'unknown';
      if (request.method === 'OPTIONS') {
        return new Response(null, {
          status: 204,
          headers: {
            ...cors(origin),
            'Access-Control-Allow-Headers': ALLOWED_HEADERS,
            'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE, OPTIONS',
            'Access-Control-Max-Age': '600',
          },
        });
      }
      let response: Response;
      let why = '';
      try {
        checkOrigin(request, origin);
        response = await route(request, url, path, ip);
      } catch (err) {
        if (!(err instanceof RelayError)) {
          if (request.signal.aborted) return new Response(null, { status: 499 });
          log(`[dify-relay] ${request.method} ${path} failed: ${(err as Error)?.stack ?? String(err)}`);
        }
        const relayError = err instanceof RelayError ? err : new RelayError(500, 'internal_server_error', 'Internal Server Error');
        response = errorResponse(relayError);
        why = ` ${relayError.code}: ${relayError.message}`;
      }
      for (const [name, value] of Object.entries(cors(origin))) response.headers.set(name, value);
      // The path only: the query can hold a visitor's signed identity.
      log(`[dify-relay] ${request.method} ${path} → ${response.status} (${Date.now() - started} ms)${why}`);
      return response;
    },
  };
}
