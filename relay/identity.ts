/**
 * The visitor identity a site's backend signs and the relay checks (Dify's own `user_id` is not
 * authenticated: anyone who knows it can act as that user, docs/PROTOCOL.md §1.2). Format:
 * `<user id>.<expiry, unix seconds>.<signature>`, the signature being HMAC-SHA256 of
 * `<user id>.<expiry>` with the shared secret, base64url. It travels as the widget's
 * `systemVariables.user_id`, which the widget already sends to `/passport?user_id=`.
 *
 * Web Crypto only, so the same code runs in Node, Deno, Bun and edge runtimes.
 */
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

export function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

export function base64url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

export async function hmacSign(secret: string, data: string): Promise<string> {
  return base64url(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(data)));
}

/** Constant-time check (Web Crypto's verify), so the signature cannot be guessed byte by byte. */
export async function hmacVerify(secret: string, data: string, signature: string): Promise<boolean> {
  const given = fromBase64url(signature);
  if (given?.length !== 32) return false;
  return crypto.subtle.verify('HMAC', await hmacKey(secret), given, encoder.encode(data));
}

/**
 * For the site's backend: the `user_id` value to put in the widget's config for a signed-in user.
 * `expiresAt` is in unix seconds; keep it short (hours), the relay refuses it after that.
 */
export async function signVisitor(userId: string, expiresAt: number, secret: string): Promise<string> {
  if (!userId) throw new Error('signVisitor: the user id is empty');
  const exp = Math.floor(expiresAt);
  return `${userId}.${exp}.${await hmacSign(secret, `${userId}.${exp}`)}`;
}

export type VisitorCheck = { ok: true; userId: string; expiresAt: number } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

export async function verifyVisitor(value: string, secret: string, nowSeconds = Date.now() / 1000): Promise<VisitorCheck> {
  // The id may itself hold dots: the expiry and the signature are the last two parts.
  const sigAt = value.lastIndexOf('.');
  const expAt = sigAt > 0 ? value.lastIndexOf('.', sigAt - 1) : -1;
  if (expAt <= 0) return { ok: false, reason: 'malformed' };
  const userId = value.slice(0, expAt);
  const expText = value.slice(expAt + 1, sigAt);
  if (!/^\d{1,12}$/.test(expText)) return { ok: false, reason: 'malformed' };
  if (!(await hmacVerify(secret, `${userId}.${expText}`, value.slice(sigAt + 1)))) return { ok: false, reason: 'signature' };
  const expiresAt = Number(expText);
  if (expiresAt <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, userId, expiresAt };
}
