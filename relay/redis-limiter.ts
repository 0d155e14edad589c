import type { Limit, Limiter, LimitVerdict } from './limits.ts';

/**
 * The limits of limits.ts kept in Redis, so that every relay instance behind a load balancer counts
 * against the same windows. One Lua script checks every key and records the request atomically,
 * with Redis's own clock, so instances with drifting clocks still agree. A sorted set per key holds
 * the request times of the last hour and expires an hour after the last request.
 *
 * The client is node-redis's core, `@redis/client` (an optional peer dependency: only relays with
 * REDIS_URL need it), chosen because Redis maintains it, it has no dependencies of its own, and it
 * reconnects by itself.
 */
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - 3600000)
  local perMinute = tonumber(ARGV[i * 2 - 1])
  local perHour = tonumber(ARGV[i * 2])
  local inMinute = redis.call('ZCOUNT', key, '(' .. (now - 60000), '+inf')
  local inHour = redis.call('ZCARD', key)
  if inMinute >= perMinute then
    local at = redis.call('ZRANGE', key, inHour - perMinute, inHour - perMinute, 'WITHSCORES')
    return {i, 'minute', perMinute, tonumber(at[2]) + 60000 - now}
  end
  if inHour >= perHour then
    local at = redis.call('ZRANGE', key, inHour - perHour, inHour - perHour, 'WITHSCORES')
    return {i, 'hour', perHour, tonumber(at[2]) + 3600000 - now}
  end
end
local member = now .. '-' .. ARGV[#ARGV]
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, 3600000)
end
return {0}
`;

/** The part of a node-redis client this limiter uses. */
interface RedisLike {
  connect(): Promise<unknown>;
  sendCommand<T>(args: string[]): Promise<T>;
  on(event: 'error', listener: (err: Error) => void): unknown;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  destroy?(): unknown;
}

export interface RedisLimiterOptions {
  url: string;
  /** Prefix of every key, so several relays (or apps) can share one Redis. */
  prefix?: string;
  /** Told about Redis trouble (the limiter then lets requests through rather than break the chat). */
  onError?: (message: string) => void;
}

export class RedisLimiter implements Limiter {
  private sha: string | null = null;
  private lastComplaint = 0;

  private constructor(
    private readonly client: RedisLike,
    private readonly prefix: string,
    private readonly onError: (message: string) => void,
  ) {}

  static async connect(options: RedisLimiterOptions): Promise<RedisLimiter> {
    let createClient: (options: { url: string; disableOfflineQueue: boolean; socket: { connectTimeout: number } }) => RedisLike;
    try {
      ({ createClient } = (await import('@redis/client')) as unknown as { createClient: typeof createClient });
    } catch {
      throw new Error('[dify-relay] REDIS_URL is set but @redis/client is not installed: npm install @redis/client@6.4.0');
    }
    const onError = options.onError ?? ((message: string) => console.error(message));
    // While Redis is away, commands fail at once (and the limiter lets requests through) instead of
    // queueing and holding every visitor's request until it is back.
    const client = createClient({ url: options.url, disableOfflineQueue: true, socket: { connectTimeout: 5_000 } });
    const limiter = new RedisLimiter(client, options.prefix ?? 'dify-relay:limit:', onError);
    client.on('error', (err) => limiter.complain(`[dify-relay] Redis: ${err.message}`));
    // A Redis that is down at start-up must not hold the relay up: it keeps reconnecting behind.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 5_000)));
    const connected = await Promise.race([
      client.connect().then(
        () => 'ok' as const,
        (err: Error) => err,
      ),
      late,
    ]);
    clearTimeout(timer);
    if (connected !== 'ok')
      limiter.complain(
        `[dify-relay] Redis at ${options.url.replace(/\/\/[^@/]*@/, '//')} is not reachable yet; requests pass unlimited until it is`,
      );
    return limiter;
  }

  async hit(keys: readonly { key: string; limit: Limit }[]): Promise<LimitVerdict> {
    const names = keys.map(({ key }) => `${this.prefix}${key}`);
    const args = keys.flatMap(({ limit }) => [String(limit.perMinute), String(limit.perHour)]);
    args.push(Math.random().toString(36).slice(2));
    let reply: [number, string?, number?, number?];
    try {
      reply = await this.run(names, args);
    } catch (err) {
      this.complain(`[dify-relay] Redis limit check failed, letting the request through: ${(err as Error).message}`);
      return { ok: true };
    }
    const [index, window, limit, waitMs] = reply;
    if (!index) return { ok: true };
    return {
      ok: false,
      key: keys[index - 1]!.key,
      window: window === 'hour' ? 'hour' : 'minute',
      limit: Number(limit),
      retryAfterSeconds: Math.max(1, Math.ceil(Number(waitMs) / 1000)),
    };
  }

  private async run(names: string[], args: string[]): Promise<[number, string?, number?, number?]> {
    this.sha ??= await this.client.sendCommand<string>(['SCRIPT', 'LOAD', SCRIPT]);
    try {
      return await this.client.sendCommand(['EVALSHA', this.sha, String(names.length), ...names, ...args]);
    } catch (err) {
      // A restarted or flushed Redis has forgotten the script.
      if (!/NOSCRIPT/.test(String((err as Error).message))) throw err;
      this.sha = await this.client.sendCommand<string>(['SCRIPT', 'LOAD', SCRIPT]);
      return this.client.sendCommand(['EVALSHA', this.sha, String(names.length), ...names, ...args]);
    }
  }

  /** At most one complaint a minute: a Redis outage must not flood the logs. */
  private complain(message: string): void {
    const now = Date.now();
    if (now - this.lastComplaint < 60_000) return;
    this.lastComplaint = now;
    this.onError(message);
  }

  async close(): Promise<void> {
    try {
      if (this.client.close) await this.client.close();
      else if (this.client.quit) await this.client.quit();
    } catch {
      this.client.destroy?.();
    }
  }
}
