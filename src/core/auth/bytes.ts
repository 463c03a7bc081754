/**
 * Byte helpers shared by the credential modules: MD5 over byte concatenations, strict base64,
 * UTF-8 and a constant-time comparison. Everything works on bytes, never on JS strings, because
 * OMA DM nonces are binary (OMA-TS-DM_Security §5.1.3.2: the digest uses the decoded nonce).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, returning `undefined` for ill-formed input instead of substituting U+FFFD. */
export function utf8DecodeStrict(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** MD5 of the concatenation of the parts (strings are taken as UTF-8). */
export function md5(...parts: readonly (Uint8Array | string)[]): Uint8Array {
  const h = createHash('md5');
  for (const p of parts) h.update(typeof p === 'string' ? utf8(p) : p);
  return new Uint8Array(h.digest());
}

/** Standard base64 (RFC 4648 §4, with padding) of some bytes. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const B64_BODY = /^[A-Za-z0-9+/]*$/;

/**
 * Strict base64 decoding: standard alphabet only, no interior whitespace, padding optional but
 * correct when present, and the unused trailing bits must be zero (canonical form). Leading and
 * trailing ASCII whitespace is ignored because XML content (`<NextNonce>`, `<Data>`) often carries
 * it. Returns `undefined` when the text is not base64, so each caller can throw its own error code.
 */
export function fromBase64Strict(text: string): Uint8Array | undefined {
  const trimmed = text.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
  let body = trimmed;
  const pad = /=*$/.exec(body)?.[0].length ?? 0;
  if (pad > 2) return undefined;
  body = body.slice(0, body.length - pad);
  if (!B64_BODY.test(body)) return undefined;
  const rem = body.length % 4;
  if (rem === 1) return undefined;
  if (pad > 0 && (body.length + pad) % 4 !== 0) return undefined;
  const bytes = Buffer.from(body, 'base64');
  // Canonical check: re-encoding must give back the same characters (rejects non-zero pad bits).
  if (bytes.toString('base64').replace(/=+$/, '') !== body) return undefined;
  return new Uint8Array(bytes); // a copy, detached from Buffer's shared pool
}

/**
 * Constant-time equality of two byte strings. Both sides are first hashed to a fixed length so that
 * neither the content nor the length of the expected value leaks through timing.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  // The length check runs after the fixed-time compare so both paths do the same work.
  return timingSafeEqual(ha, hb) && a.byteLength === b.byteLength;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
