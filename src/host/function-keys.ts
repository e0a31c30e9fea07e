import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A key in the shape Azure generates (base64url, 40+ characters). */
export function generateKey(): string {
  return randomBytes(30).toString('base64url');
}

/** Compares in constant time, whatever the lengths: both sides are hashed first. */
export function keysMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
