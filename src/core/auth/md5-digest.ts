/**
 * `syncml:auth-md5` credentials (OMA-TS-DM_Security §5.1.3.2):
 *
 *   secret = B64(MD5(username ":" password))      what the authenticator stores at rest
 *   digest = B64(MD5(secret ":" nonce))           Cred Data, Meta Format `b64`
 *
 * `nonce` is the DECODED nonce bytes (the NextNonce travels base64-encoded), and the concatenation
 * is a byte concatenation: a nonce with bytes ≥ 0x80 or a 0x3A in it must not pass through a JS
 * string. Spec vector: Bruce2 / OhBehave / nonce `Nonce` → `Zz6EivR3yeaaENcRN6lpAQ==`.
 */
import { constantTimeEqual, fromBase64Strict, md5, toBase64 } from './bytes.js';

const COLON = new Uint8Array([0x3a]);

/** B64(MD5(username ":" password)) of the UTF-8 bytes: the MD5 secret a server keeps instead of the password. */
export function md5Secret(username: string, password: string): string {
  return toBase64(md5(`${username}:${password}`));
}

/** The MD5 Cred Data for a user name, password and decoded nonce. */
export function computeMd5Digest(opts: { username: string; password: string; nonce: Uint8Array }): string {
  return computeMd5DigestFromSecret({ secret: md5Secret(opts.username, opts.password), nonce: opts.nonce });
}

/** The MD5 Cred Data from a stored secret (see {@link md5Secret}) and decoded nonce bytes. */
export function computeMd5DigestFromSecret(opts: { secret: string; nonce: Uint8Array }): string {
  return toBase64(md5(opts.secret, COLON, opts.nonce));
}

/**
 * Checks an MD5 Cred Data against the stored secret and the nonce the verifier issued, in constant
 * time. Data that is not base64 is simply not a match.
 */
export function verifyMd5Digest(opts: { digest: string; secret: string; nonce: Uint8Array }): boolean {
  const got = fromBase64Strict(opts.digest);
  const expected = md5(opts.secret, COLON, opts.nonce);
  return constantTimeEqual(got ?? new Uint8Array(0), expected);
}
