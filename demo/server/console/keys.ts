import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Service API secret keys as Dify's console makes them: `app-` and 24 random letters and digits.
 * The mock keeps only a SHA-256 of each key, so the full secret exists in exactly one place: the
 * response that created it. Lists and log lines show the prefix and the last four characters
 * (`maskKey` in ../mask.ts, which masks every log line of the mock).
 */
export const KEY_PREFIX = 'app-';
const KEY_BODY_LENGTH = 24;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function newApiKey(): string {
  const bytes = randomBytes(KEY_BODY_LENGTH * 2);
  let body = '';
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
  for (const byte of bytes) {
    if (byte >= 248) continue;
    body += ALPHABET[byte % ALPHABET.length];
    if (body.length === KEY_BODY_LENGTH) break;
  }
  return body.length === KEY_BODY_LENGTH ? `${KEY_PREFIX}${body}` : newApiKey();
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Compares two secrets in constant time (of their hashes, so lengths leak nothing either). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
