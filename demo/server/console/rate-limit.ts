/**
 * Per-app request limits of the service API, a minute's and an hour's, as sliding windows over
 * the times of the requests let through (in memory: a restart forgets them). Sliding, so the 61st
 * request of a burst is refused wherever the burst falls on the clock; counted only when let
 * through, so a client hammering a full window does not push its own reopening back.
 */
export interface RateLimits {
  per_minute: number;
  per_hour: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { per_minute: 60, per_hour: 3600 };

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number; window: 'minute' | 'hour'; limit: number };

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Index of the first time in the ascending list that is after `t`. */
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

export class SlidingWindowLimiter {
  private log = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one request of `key` against `limits`, or says how long to wait. */
  hit(key: string, limits: RateLimits): LimitResult {
    const now = this.now();
    let times = this.log.get(key) ?? [];
    times = times.slice(firstAfter(times, now - HOUR));
    const inMinute = times.length - firstAfter(times, now - MINUTE);
    const refuse = (window: 'minute' | 'hour', limit: number, span: number): LimitResult => {
      // The request that frees a place is the oldest one that still counts in this window.
      const oldest = times[times.length - limit] ?? now;
      return { ok: false, window, limit, retryAfterSeconds: Math.max(1, Math.ceil((oldest + span - now) / 1000)) };
    };
    this.log.set(key, times);
    if (inMinute >= limits.per_minute) return refuse('minute', limits.per_minute, MINUTE);
    if (times.length >= limits.per_hour) return refuse('hour', limits.per_hour, HOUR);
    times.push(now);
    return { ok: true };
  }

  /** Forgets one app's requests (it was deleted, or QA wants a fresh window). */
  forget(key: string): void {
    this.log.delete(key);
  }
}
