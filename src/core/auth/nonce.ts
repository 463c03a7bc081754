/**
 * Nonces and challenges (OMA-TS-DM_Security §5.1.3.3, OMA-TS-DM_Protocol §2.4.1):
 * nonces travel base64 (NextNonce Meta Format `b64`) and are hashed as decoded bytes; a new one is
 * issued per session (MD5) or per message (HMAC); a Chal carries Meta Type, Format `b64` and, for
 * md5/MAC, a NextNonce.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AuthType } from '../constants/meta-types.js';
import { AuthError, ErrorCode } from '../errors.js';
import { fromBase64Strict, toBase64, utf8 } from './bytes.js';

/**
 * Length of generated nonces: 16 bytes = 128 bits (OMA-TS-DM_Security §5.1.3.3 recommends at least
 * 128). 16 is also ≢ 2 (mod 3), which avoids a base64 decoding bug some clients have.
 */
export const NONCE_LENGTH = 16;

/** A fresh random nonce of {@link NONCE_LENGTH} bytes; `random` is injectable for tests. */
export function generateNonce(random: (n: number) => Uint8Array = defaultRandom): Uint8Array {
  const bytes = random(NONCE_LENGTH);
  if (bytes.byteLength !== NONCE_LENGTH) {
    throw new AuthError(ErrorCode.ERR_AUTH_INVALID, `random source returned ${bytes.byteLength} bytes, expected ${NONCE_LENGTH}`);
  }
  return Uint8Array.from(bytes);
}

function defaultRandom(n: number): Uint8Array {
  return new Uint8Array(randomBytes(n));
}

/** The base64 form of a nonce, as carried in NextNonce or AAuthData. */
export function encodeNonce(bytes: Uint8Array): string {
  return toBase64(bytes);
}

/** Decodes a base64 nonce strictly; throws `AuthError(ERR_AUTH_INVALID)` on anything else. */
export function decodeNonce(b64: string): Uint8Array {
  const bytes = fromBase64Strict(b64);
  if (bytes === undefined) throw new AuthError(ErrorCode.ERR_AUTH_INVALID, 'nonce is not valid base64');
  return bytes;
}

/**
 * The nonce-resync value "0x00000000" (OMA-TS-DM_Notification §6.2, DM 1.2) in the form this project
 * uses: four zero bytes. The spec gives no byte form; see docs/reference/notification.md.
 */
export const RESYNC_NONCE: Uint8Array = new Uint8Array(4);

/**
 * The forms of the resync nonce a verifier should try, in order: four zero bytes (ours), then the
 * ten ASCII characters `0x00000000` (what libdmclient hashes). Fresh copies on every call.
 */
export function resyncNonceCandidates(): Uint8Array[] {
  return [new Uint8Array(4), utf8('0x00000000')];
}

/** Options of a {@link NonceTracker}. */
export interface NonceTrackerOptions {
  /** How long an accepted (nonce, digest) pair is remembered, in ms. Default 24 h. */
  readonly windowMs?: number;
  /** Upper bound on remembered pairs; the oldest is forgotten first. Default 10 000. */
  readonly maxEntries?: number;
  /** Time source in ms (injected for tests). Default `Date.now`. */
  readonly clock?: () => number;
}

/**
 * Remembers the (nonce, digest) pairs accepted per credential key for a time window and reports a
 * pair seen again as a replay, which the caller refuses with `AuthError(ERR_AUTH_NONCE_REPLAYED)`.
 * Memory is bounded: entries expire after the window and the oldest go first beyond `maxEntries`.
 */
export class NonceTracker {
  readonly #windowMs: number;
  readonly #maxEntries: number;
  readonly #clock: () => number;
  /** Fingerprint → expiry time. A Map iterates in insertion order, which is also expiry order. */
  readonly #seen = new Map<string, number>();

  constructor(options: NonceTrackerOptions = {}) {
    this.#windowMs = options.windowMs ?? 24 * 60 * 60 * 1000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#clock = options.clock ?? Date.now;
    if (!(this.#windowMs > 0) || !Number.isInteger(this.#maxEntries) || this.#maxEntries < 1) {
      throw new AuthError(ErrorCode.ERR_AUTH_INVALID, 'NonceTracker needs windowMs > 0 and maxEntries ≥ 1');
    }
  }

  /** Number of pairs currently remembered. */
  get size(): number {
    this.#expire(this.#clock());
    return this.#seen.size;
  }

  /** Records the pair for `key` and says whether it was already accepted within the window. */
  check(key: string, nonceB64: string, digest: string): 'fresh' | 'replayed' {
    const now = this.#clock();
    this.#expire(now);
    // Store a fixed-size fingerprint rather than the inputs, so memory per entry is bounded too.
    const id = createHash('sha256').update(utf8(`${key}\u0000${nonceB64.trim()}\u0000${digest.trim()}`)).digest('base64');
    const until = this.#seen.get(id);
    if (until !== undefined && until > now) return 'replayed';
    this.#seen.set(id, now + this.#windowMs);
    while (this.#seen.size > this.#maxEntries) {
      const oldest = this.#seen.keys().next();
      if (oldest.done === true) break;
      this.#seen.delete(oldest.value);
    }
    return 'fresh';
  }

  #expire(now: number): void {
    for (const [id, until] of this.#seen) {
      if (until > now) break; // insertion order = expiry order (constant window)
      this.#seen.delete(id);
    }
  }
}

/** Meta of a Chal element, shaped like `Meta` of src/core/syncml/message.ts. */
export interface ChallengeMeta {
  readonly type: string;
  readonly format: 'b64';
  readonly nextNonce?: string;
}

/**
 * Builds the Meta of a Chal (OMA-TS-DM_Protocol §2.4.1; RepPro "Chal"): Type, Format `b64`, and
 * for md5 / MAC the NextNonce, which those types require. Throws `AuthError(ERR_AUTH_MISSING)`
 * when md5/MAC lacks a nonce and `ERR_AUTH_UNSUPPORTED` for `syncml:auth-none`.
 */
export function buildChallengeMeta(type: AuthType, nextNonce?: Uint8Array): ChallengeMeta {
  if (type === AuthType.NONE) {
    throw new AuthError(ErrorCode.ERR_AUTH_UNSUPPORTED, 'cannot challenge for syncml:auth-none');
  }
  if (nextNonce === undefined) {
    if (type !== AuthType.BASIC) {
      throw new AuthError(ErrorCode.ERR_AUTH_MISSING, `a ${type} challenge must carry a NextNonce`);
    }
    return { type, format: 'b64' };
  }
  return { type, format: 'b64', nextNonce: encodeNonce(nextNonce) };
}

/**
 * Maps a Cred/Chal Meta Type to an {@link AuthType}, ignoring case and surrounding whitespace
 * (`syncml:auth-mac` is `syncml:auth-MAC`). Returns `undefined` for absent or unknown types.
 */
export function parseAuthType(metaType: string | undefined): AuthType | undefined {
  if (metaType === undefined) return undefined;
  const t = metaType.trim().toLowerCase();
  for (const v of Object.values(AuthType)) if (v.toLowerCase() === t) return v;
  return undefined;
}
