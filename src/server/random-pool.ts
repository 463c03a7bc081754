/**
 * Cryptographically strong random bytes served from a pooled buffer. `crypto.randomBytes(16)` costs
 * one synchronous trip to the OS generator per call; session ids, response-URI tokens and nonces
 * are drawn several times per DM session, so one 4 KiB refill serves a few hundred of them.
 * Every call returns a fresh copy: no caller can see (or alter) bytes handed to another.
 */
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let offset = POOL_SIZE;

/** `n` fresh random bytes (CSPRNG), drawn from a pool that is refilled when exhausted. */
export function pooledRandomBytes(n: number): Uint8Array {
  if (n > POOL_SIZE / 4) return randomFillSync(new Uint8Array(n));
  if (offset + n > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = pool.slice(offset, offset + n);
  // Used bytes are never served twice: the offset only moves forward until the next refill.
  offset += n;
  return out;
}
