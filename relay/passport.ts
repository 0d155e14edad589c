import { base64url, fromBase64url, hmacSign, hmacVerify } from './identity.ts';

/**
 * The relay's own passport, which the widget keeps and sends like Dify's (X-App-Passport): it
 * carries the `user` the relay tells Dify, so a visitor cannot name another one. Format
 * `rp1.<payload>.<signature>` (HMAC-SHA256 with the passport secret); signed visitors' passports
 * end with their signature's expiry, anonymous ones never do, as Dify's (docs/PROTOCOL.md §1.2).
 */
export interface RelayPassport {
  /** The `user` sent to Dify. */
  user: string;
  /** Made from a valid signature (true) or a random anonymous id (false). */
  signed: boolean;
  /** Unix seconds; absent for anonymous visitors. */
  exp?: number;
}

const PREFIX = 'rp1';
const decoder = new TextDecoder();

export async function issuePassport(passport: RelayPassport, secret: string): Promise<string> {
  const body = `${PREFIX}.${base64url(new TextEncoder().encode(JSON.stringify(passport)))}`;
  return `${body}.${await hmacSign(secret, body)}`;
}

export type PassportCheck = { ok: true; passport: RelayPassport } | { ok: false; message: string };

/** The messages are Dify's for the same cases (docs/PROTOCOL.md §1.4). */
export async function readPassport(token: string, secret: string, nowSeconds = Date.now() / 1000): Promise<PassportCheck> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return { ok: false, message: 'Invalid token.' };
  if (!(await hmacVerify(secret, `${parts[0]}.${parts[1]}`, parts[2]!))) return { ok: false, message: 'Invalid token signature.' };
  const bytes = fromBase64url(parts[1]!);
  let value: unknown = null;
  try {
    value = bytes ? JSON.parse(decoder.decode(bytes)) : null;
  } catch {
    value = null;
  }
  const p = value as Partial<RelayPassport> | null;
  if (!p || typeof p.user !== 'string' || !p.user) return { ok: false, message: 'Invalid token.' };
  if (typeof p.exp === 'number' && p.exp <= nowSeconds) return { ok: false, message: 'Token has expired.' };
  return { ok: true, passport: { user: p.user, signed: p.signed === true, ...(typeof p.exp === 'number' ? { exp: p.exp } : {}) } };
}
