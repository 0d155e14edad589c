import { describe, expect, it } from 'vitest';
import { createRelay, MemoryLimiter, redact, signVisitor, verifyVisitor } from '../../relay/index.ts';
import { issuePassport, readPassport } from '../../relay/passport.ts';
import { PAGE } from './helpers.ts';

describe('signed visitor ids', () => {
  const secret = 'site-secret';
  const now = 1_800_000_000;

  it('verifies what signVisitor made, dots in the id included', async () => {
    const value = await signVisitor('user.42@example.com', now + 60, secret);
    expect(value.startsWith('user.42@example.com.1800000060.')).toBe(true);
    expect(await verifyVisitor(value, secret, now)).toEqual({ ok: true, userId: 'user.42@example.com', expiresAt: now + 60 });
  });

  it('refuses a changed id, a changed expiry, another secret, an expired one and garbage', async () => {
    const value = await signVisitor('alice', now + 60, secret);
    const [, exp, sig] = value.split('.');
    expect(await verifyVisitor(`bob.${exp}.${sig}`, secret, now)).toEqual({ ok: false, reason: 'signature' });
    expect(await verifyVisitor(`alice.${now + 9999}.${sig}`, secret, now)).toEqual({ ok: false, reason: 'signature' });
    expect(await verifyVisitor(value, 'other', now)).toEqual({ ok: false, reason: 'signature' });
    expect(await verifyVisitor(value, secret, now + 61)).toEqual({ ok: false, reason: 'expired' });
    for (const bad of ['', 'alice', 'alice.x.y', '.1.abc', 'alice.123.%%%']) {
      expect((await verifyVisitor(bad, secret, now)).ok).toBe(false);
    }
  });

  it('requireIdentity refuses anonymous visitors', async () => {
    const relay = createRelay({
      difyApiUrl: 'http://dify.test/v1',
      apiKey: 'app-x',
      allowedOrigins: [PAGE],
      identitySecret: secret,
      requireIdentity: true,
      log: false,
    });
    const res = await relay.fetch(new Request('http://relay.test/passport', { headers: { Origin: PAGE } }));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(/needs a signed visitor identity/);
  });
});

describe("the relay's passports", () => {
  it("carry the user, end with a signed visitor's expiry, and cannot be altered", async () => {
    const token = await issuePassport({ user: 'alice', signed: true, exp: 1_800_000_060 }, 'p-secret');
    expect(await readPassport(token, 'p-secret', 1_800_000_000)).toEqual({
      ok: true,
      passport: { user: 'alice', signed: true, exp: 1_800_000_060 },
    });
    expect(await readPassport(token, 'p-secret', 1_800_000_061)).toEqual({ ok: false, message: 'Token has expired.' });
    expect(await readPassport(token, 'other', 1_800_000_000)).toEqual({ ok: false, message: 'Invalid token signature.' });
    const [prefix, , sig] = token.split('.');
    const forged = `${prefix}.${Buffer.from(JSON.stringify({ user: 'bob', signed: true })).toString('base64url')}.${sig}`;
    expect(await readPassport(forged, 'p-secret', 1_800_000_000)).toEqual({ ok: false, message: 'Invalid token signature.' });
    expect(await readPassport('eyJ.a.b', 'p-secret')).toEqual({ ok: false, message: 'Invalid token.' });
  });
});

describe('redact', () => {
  it('masks keys, bearer values, passports, signatures and token fields', () => {
    const line = redact(
      'Authorization: Bearer app-AbCdEfGhIjKlMnOpQrStUvWx x-app-passport=rp1.eyJ1IjoiYSJ9.c2lnbmF0dXJl {"access_token":"eyJhbGciOi.eyJzdWIiOiJ4In0.sig"} /passport?user_id=alice.1800000000.SiGnAtUrE',
    );
    expect(line).not.toContain('AbCdEfGhIjKlMnOpQrStUvWx');
    expect(line).not.toContain('c2lnbmF0dXJl');
    expect(line).not.toContain('eyJzdWIiOiJ4In0');
    expect(line).not.toContain('SiGnAtUrE');
    expect(redact('key app-AbCdEfGhIjKlMnOpQrStUvWx made')).toBe('key app-…UvWx made');
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
