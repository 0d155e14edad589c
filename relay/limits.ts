/**
 * Request limits per visitor and per client IP: sliding windows of a minute and an hour over the
 * times of the requests let through. Sliding, so a burst is cut at the same count wherever it falls
 * on the clock; counted only when let through, so hammering a full window does not extend it.
 */
export interface Limit {
  perMinute: number;
  perHour: number;
}

export const DEFAULT_LIMIT: Limit = { perMinute: 60, perHour: 3600 };

export type LimitVerdict = { ok: true } | { ok: false; retryAfterSeconds: number; key: string; limit: number; window: 'minute' | 'hour' };

/** Where the counts live: this process (MemoryLimiter) or a Redis several relays share (redis-limiter.ts). */
export interface Limiter {
  /** Counts one request against every key at once, or refuses it (counting nothing) with the wait. */
  hit(keys: readonly { key: string; limit: Limit }[], now?: number): Promise<LimitVerdict>;
  close?(): Promise<void>;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

function firstAfter(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] ?? 0) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The verdict for one key's (ascending) request times; shared by both limiters' tests. */
export function judge(
  times: number[],
  limit: Limit,
  now: number,
): { window: 'minute' | 'hour'; retryAfterSeconds: number; limit: number } | null {
  const inMinute = times.length - firstAfter(times, now - MINUTE);
  const inHour = times.length - firstAfter(times, now - HOUR);
  // A place frees up when the request `max` places from the newest leaves the window.
  const wait = (max: number, span: number): number => Math.max(1, Math.ceil(((times[times.length - max] ?? now) + span - now) / 1000));
  if (inMinute >= limit.perMinute) return { window: 'minute', limit: limit.perMinute, retryAfterSeconds: wait(limit.perMinute, MINUTE) };
  if (inHour >= limit.perHour) return { window: 'hour', limit: limit.perHour, retryAfterSeconds: wait(limit.perHour, HOUR) };
  return null;
}

export class MemoryLimiter implements Limiter {
  private times = new Map<string, number[]>();
  private sweeps = 0;

  async hit(keys: readonly { key: string; limit: Limit }[], now = Date.now()): Promise<LimitVerdict> {
    const lists = keys.map(({ key }) => {
      const all = this.times.get(key) ?? [];
      const recent = all.slice(firstAfter(all, now - HOUR));
      this.times.set(key, recent);
      return recent;
    });
    for (const [i, { key, limit }] of keys.entries()) {
      const refused = judge(lists[i]!, limit, now);
      if (refused) return { ok: false, key, ...refused };
    }
    for (const list of lists) list.push(now);
    if (++this.sweeps % 1000 === 0) this.sweep(now);
    return { ok: true };
  }

  /** Drops visitors not seen for an hour, so memory follows the active visitors only. */
  private sweep(now: number): void {
    for (const [key, list] of this.times) if ((list[list.length - 1] ?? 0) <= now - HOUR) this.times.delete(key);
  }
}
