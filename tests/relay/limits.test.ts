import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLimiter } from '../../relay/index.ts';
import { type RunningRelay, serveRelay, startUpstream, type Upstream, widget } from './helpers.ts';

describe('relay limits', () => {
  let upstream: Upstream;
  let relay: RunningRelay;
  beforeAll(async () => {
    upstream = await startUpstream();
    await upstream.admin('POST', '/demo-chat/rate-limit', { per_minute: 1000, per_hour: 10000 });
    relay = await serveRelay({ difyApiUrl: `${upstream.mock.url}/v1`, apiKey: upstream.key, ipLimit: { perMinute: 1000, perHour: 10000 } });
  });
  afterAll(async () => {
    await relay?.close();
    await upstream?.close();
  });

  it('lets a visitor make 60 requests a minute and refuses the 61st with Retry-After', async () => {
    const w = widget(relay.url);
    await w.login();
    for (let i = 1; i <= 60; i++) expect((await w.get('/meta')).status, `request ${i}`).toBe(200);
    const refused = await w.get('/meta');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
    const body = (await refused.json()) as { code: string; message: string };
    expect(body.code).toBe('rate_limit_error');
    expect(body.message).toMatch(/60 requests a minute/);
    // Another visitor on the same IP is not held back by this one.
    const other = widget(relay.url);
    await other.login();
    expect((await other.get('/meta')).status).toBe(200);
  });

  it('limits an IP across visitors', async () => {
    const tight = await serveRelay({
      difyApiUrl: `${upstream.mock.url}/v1`,
      apiKey: upstream.key,
      ipLimit: { perMinute: 3, perHour: 100 },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await widget(tight.url).login()).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await tight.close();
    }
  });
});

describe('MemoryLimiter', () => {
  const limit = { perMinute: 3, perHour: 5 };
  const key = [{ key: 'v:a', limit }];

  it('lets the limit through, refuses the next with the wait until a place frees', async () => {
    const limiter = new MemoryLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect((await limiter.hit(key, t0 + i * 1000)).ok).toBe(true);
    expect(await limiter.hit(key, t0 + 10_000)).toEqual({ ok: false, key: 'v:a', window: 'minute', limit: 3, retryAfterSeconds: 50 });
    // The first request leaves the minute at t0 + 60 s.
    expect((await limiter.hit(key, t0 + 60_001)).ok).toBe(true);
    expect((await limiter.hit(key, t0 + 121_000)).ok).toBe(true);
    // Five in the hour now: the sixth waits for the oldest to leave the hour.
    const refused = await limiter.hit(key, t0 + 200_000);
    expect(refused).toMatchObject({ ok: false, window: 'hour', limit: 5 });
    expect(refused.ok === false && refused.retryAfterSeconds).toBe(3400);
  });

  it('counts nothing when one of the keys is full', async () => {
    const limiter = new MemoryLimiter();
    const visitor = { key: 'v:b', limit: { perMinute: 10, perHour: 10 } };
    const ip = { key: 'ip:1', limit: { perMinute: 1, perHour: 10 } };
    expect((await limiter.hit([visitor, ip], 0)).ok).toBe(true);
    expect(await limiter.hit([visitor, ip], 1)).toMatchObject({ ok: false, key: 'ip:1' });
    // The refused request did not count for the visitor: nine more fit.
    for (let i = 0; i < 9; i++) expect((await limiter.hit([visitor], 2 + i)).ok).toBe(true);
    expect((await limiter.hit([visitor], 20)).ok).toBe(false);
  });
});
