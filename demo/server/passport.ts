import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * HS256 JWTs as Dify's PassportService issues them (docs/PROTOCOL.md §1.2): no `exp` for public apps.
 * Verification follows PyJWT's outcomes, which Dify maps to 401 messages (§1.4).
 */
export interface PassportClaims {
  iss: string;
  sub: string;
  app_id: string;
  app_code: string;
  end_user_id: string;
  exp?: number;
  [key: string]: unknown;
}

export type VerifyResult =
  | { ok: true; claims: PassportClaims }
  | { ok: false; message: 'Invalid token signature.' | 'Invalid token.' | 'Token has expired.' };

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function sign(input: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

export function signPassport(claims: PassportClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const body = `${HEADER}.${payload}`;
  return `${body}.${sign(body, secret).toString('base64url')}`;
}

function decodeSegment(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) throw new Error('bad base64url');
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

/** Reads the claims without checking the signature (used to route auth faults to an app). */
export function peekClaims(token: string): Partial<PassportClaims> | null {
  try {
    const claims = decodeSegment(token.split('.')[1] ?? '');
    return claims && typeof claims === 'object' ? (claims as Partial<PassportClaims>) : null;
  } catch {
    return null;
  }
}

export function verifyPassport(token: string, secret: string, nowSeconds = Date.now() / 1000): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, message: 'Invalid token.' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: unknown;
  let claims: unknown;
  try {
    header = decodeSegment(headerPart);
    claims = decodeSegment(payloadPart);
  } catch {
    return { ok: false, message: 'Invalid token.' };
  }
  if (!header || typeof header !== 'object' || (header as { alg?: unknown }).alg !== 'HS256') {
    return { ok: false, message: 'Invalid token.' };
  }
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) return { ok: false, message: 'Invalid token.' };
  if (!/^[A-Za-z0-9_-]*$/.test(signaturePart)) return { ok: false, message: 'Invalid token.' };
  const expected = sign(`${headerPart}.${payloadPart}`, secret);
  const given = Buffer.from(signaturePart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, message: 'Invalid token signature.' };
  }
  const exp = (claims as { exp?: unknown }).exp;
  if (typeof exp === 'number' && exp < nowSeconds) return { ok: false, message: 'Token has expired.' };
  return { ok: true, claims: claims as PassportClaims };
}
