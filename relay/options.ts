import { DEFAULT_LIMIT, type Limit, type Limiter } from './limits.ts';
import type { LogFn } from './redact.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './upstream.ts';

/** What a visitor is, as far as the relay knows: the `user` Dify sees, and how it was established. */
export interface Visitor {
  user: string;
  /** True when the site's backend signed the id; false for the relay's own anonymous ids. */
  signed: boolean;
}

export interface RelayOptions {
  /** Dify's service API root, e.g. `https://api.dify.ai/v1` or `https://dify.example.com/v1`. */
  difyApiUrl: string;
  /** The app's secret key (`app-…`). It stays on the server: the relay is the only one to send it. */
  apiKey: string;
  /**
   * Page origins allowed to use the relay, exactly as the browser sends them
   * (`https://www.example.com`, no path). A request from another origin gets 403.
   */
  allowedOrigins: readonly string[];
  /**
   * The secret your site's backend signs visitor ids with (see `signVisitor`). Without it every
   * visitor is anonymous, whatever `user_id` the page sends.
   */
  identitySecret?: string;
  /** Refuse visitors without a signed id (a members-only chat). Default false. */
  requireIdentity?: boolean;
  /**
   * Signs the relay's passports. Give every instance the same one. Default: derived from the API
   * key, so rotating the key also resets anonymous visitors (they get a new identity).
   */
  passportSecret?: string;
  /**
   * Inputs the page must not control (a plan, a tenant): merged over the page's own `inputs`
   * on every question, so the server's value always wins.
   */
  inputs?: Record<string, unknown> | ((visitor: Visitor) => Record<string, unknown> | Promise<Record<string, unknown>>);
  /** Per visitor (its `user`). Default 60 a minute, 3,600 an hour. */
  visitorLimit?: Limit;
  /** Per client IP. Default 60 a minute, 3,600 an hour. */
  ipLimit?: Limit;
  /** Where the counts live; default in memory (one process), or Redis with `redisUrl`. */
  limiter?: Limiter;
  /** Share the limits of several relay instances through this Redis (needs `@redis/client`). */
  redisUrl?: string;
  /** Take the client IP from the first `X-Forwarded-For` entry (only behind a proxy you run). Default false. */
  trustProxy?: boolean;
  /** The path the relay is mounted at, stripped before routing (e.g. `/dify`). Default ''. */
  basePath?: string;
  retry?: Partial<RetryPolicy>;
  /** Redacted access and error log lines; `false` for silence. Default console.log. */
  log?: LogFn | false;
  /** Injectable for tests. */
  fetch?: typeof fetch;
}

export interface ResolvedOptions extends Omit<RelayOptions, 'retry' | 'visitorLimit' | 'ipLimit' | 'passportSecret'> {
  retry: RetryPolicy;
  visitorLimit: Limit;
  ipLimit: Limit;
  passportSecret: string;
}

function limitFrom(value: Limit | undefined, name: string): Limit {
  const limit = value ?? DEFAULT_LIMIT;
  for (const field of ['perMinute', 'perHour'] as const) {
    if (!Number.isInteger(limit[field]) || limit[field] < 1)
      throw new Error(`[dify-relay] ${name}.${field} must be a whole number above 0`);
  }
  return limit;
}

/** Checks the options once, at start-up, with one clear message for each mistake. */
export function resolveOptions(options: RelayOptions): ResolvedOptions {
  if (!/^https?:\/\//.test(options.difyApiUrl ?? ''))
    throw new Error('[dify-relay] difyApiUrl must be the http(s) URL of the service API, e.g. https://api.dify.ai/v1');
  if (!options.apiKey) throw new Error('[dify-relay] apiKey is missing: the app secret key (app-…) from Dify, kept on the server');
  if (!Array.isArray(options.allowedOrigins) || options.allowedOrigins.length === 0) {
    throw new Error('[dify-relay] allowedOrigins is empty: list the page origins that may use the relay, e.g. ["https://www.example.com"]');
  }
  for (const origin of options.allowedOrigins) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = null;
    }
    if (!parsed || parsed.origin !== origin)
      throw new Error(`[dify-relay] allowedOrigins: "${origin}" is not an origin like https://www.example.com`);
  }
  if (options.requireIdentity && !options.identitySecret) throw new Error('[dify-relay] requireIdentity needs identitySecret');
  return {
    ...options,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    visitorLimit: limitFrom(options.visitorLimit, 'visitorLimit'),
    ipLimit: limitFrom(options.ipLimit, 'ipLimit'),
    passportSecret: options.passportSecret || `dify-relay passport|${options.apiKey}`,
    basePath: (options.basePath ?? '').replace(/\/+$/, ''),
  };
}

/**
 * Options from the environment: DIFY_API_URL, DIFY_API_KEY, RELAY_ALLOWED_ORIGINS (comma-separated),
 * RELAY_IDENTITY_SECRET, RELAY_REQUIRE_IDENTITY=1, RELAY_PASSPORT_SECRET, RELAY_INPUTS (a JSON
 * object), RELAY_LIMIT_PER_MINUTE and RELAY_LIMIT_PER_HOUR (per visitor), RELAY_IP_LIMIT_PER_MINUTE and
 * RELAY_IP_LIMIT_PER_HOUR (per IP), REDIS_URL, RELAY_TRUST_PROXY=1, RELAY_BASE_PATH.
 */
export function optionsFromEnv(env: Record<string, string | undefined> = process.env): RelayOptions {
  const limit = (prefix: string): Limit => ({
    perMinute: env[`${prefix}_PER_MINUTE`] ? Number(env[`${prefix}_PER_MINUTE`]) : DEFAULT_LIMIT.perMinute,
    perHour: env[`${prefix}_PER_HOUR`] ? Number(env[`${prefix}_PER_HOUR`]) : DEFAULT_LIMIT.perHour,
  });
  let inputs: Record<string, unknown> | undefined;
  if (env.RELAY_INPUTS) {
    const parsed: unknown = JSON.parse(env.RELAY_INPUTS);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('[dify-relay] RELAY_INPUTS must be a JSON object');
    inputs = parsed as Record<string, unknown>;
  }
  return {
    difyApiUrl: env.DIFY_API_URL ?? '',
    apiKey: env.DIFY_API_KEY ?? '',
    allowedOrigins: (env.RELAY_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    ...(env.RELAY_IDENTITY_SECRET ? { identitySecret: env.RELAY_IDENTITY_SECRET } : {}),
    requireIdentity: env.RELAY_REQUIRE_IDENTITY === '1',
    ...(env.RELAY_PASSPORT_SECRET ? { passportSecret: env.RELAY_PASSPORT_SECRET } : {}),
    ...(inputs ? { inputs } : {}),
    visitorLimit: limit('RELAY_LIMIT'),
    ipLimit: limit('RELAY_IP_LIMIT'),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    trustProxy: env.RELAY_TRUST_PROXY === '1',
    basePath: env.RELAY_BASE_PATH ?? '',
  };
}

export { DEFAULT_RETRY };
