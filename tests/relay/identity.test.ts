import { describe, expect, it } from 'vitest';
import { createRelay, optionsFromEnv, redact, signVisitor, verifyVisitor } from '../../relay/index.ts';
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

describe('optionsFromEnv', () => {
  it('reads a deployment from its environment', () => {
    const options = optionsFromEnv({
      DIFY_API_URL: 'https://dify.example.com/v1',
      DIFY_API_KEY: 'app-secret',
      RELAY_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      RELAY_IDENTITY_SECRET: 's',
      RELAY_INPUTS: '{"plan":"gold"}',
      RELAY_LIMIT_PER_MINUTE: '30',
      RELAY_IP_LIMIT_PER_HOUR: '900',
      RELAY_TRUST_PROXY: '1',
    });
    expect(options).toMatchObject({
      difyApiUrl: 'https://dify.example.com/v1',
      apiKey: 'app-secret',
      allowedOrigins: ['https://a.example', 'https://b.example'],
      identitySecret: 's',
      inputs: { plan: 'gold' },
      visitorLimit: { perMinute: 30, perHour: 3600 },
      ipLimit: { perMinute: 60, perHour: 900 },
      trustProxy: true,
    });
    expect(() => optionsFromEnv({ RELAY_INPUTS: '[1]' })).toThrow(/RELAY_INPUTS must be a JSON object/);
  });
});
