/**
 * Application-layer authentication as the client does it (OMA-TS-DM_Security §5; reference §2.5,
 * §3.3): building its own SyncHdr Cred or x-syncml-hmac header, and checking the server's.
 */
import { encodeBasicCredential, verifyBasicCredential } from '../../core/auth/basic.js';
import { computeHmacMd5, formatHmacHeader, verifyHmacMd5 } from '../../core/auth/hmac-md5.js';
import { computeMd5DigestFromSecret, md5Secret, verifyMd5Digest } from '../../core/auth/md5-digest.js';
import { decodeNonce, parseAuthType } from '../../core/auth/nonce.js';
import { AuthType, Format } from '../../core/constants/meta-types.js';
import type { Cred } from '../../core/syncml/message.js';
import type { AuthScheme, SessionCredentials } from './session-types.js';

/** The Meta Type of each scheme. */
export function authTypeOf(scheme: AuthScheme): AuthType {
  switch (scheme) {
    case 'basic': return AuthType.BASIC;
    case 'md5': return AuthType.MD5;
    case 'hmac': return AuthType.HMAC;
    case 'none': return AuthType.NONE;
  }
}

/** The scheme of a Cred / Chal Meta Type, or undefined when unknown. */
export function schemeOf(metaType: string | undefined): AuthScheme | undefined {
  switch (parseAuthType(metaType)) {
    case AuthType.BASIC: return 'basic';
    case AuthType.MD5: return 'md5';
    case AuthType.HMAC: return 'hmac';
    case AuthType.NONE: return 'none';
    default: return undefined;
  }
}

/**
 * Nonce bytes from their stored or received form. Nonces travel base64 (NextNonce Format b64);
 * a value that is not base64 (hand-written account settings) is taken as its UTF-8 bytes.
 */
export function nonceBytes(text: string | undefined): Uint8Array | undefined {
  if (text === undefined) return undefined;
  try {
    return decodeNonce(text);
  } catch {
    return new TextEncoder().encode(text);
  }
}

/** B64(MD5(username:password)), from the password or the stored secret. */
export function secretOf(creds: SessionCredentials): string | undefined {
  if (creds.password !== undefined) return md5Secret(creds.username, creds.password);
  return creds.secret;
}

/**
 * The SyncHdr Cred for Basic or MD5 (Meta Format b64). MD5 needs the nonce the server issued;
 * without one, no Cred is sent and the server is expected to challenge (reference §3.2).
 */
export function buildCred(scheme: AuthScheme, creds: SessionCredentials | undefined, nonce: Uint8Array | undefined): Cred | undefined {
  if (creds === undefined) return undefined;
  if (scheme === 'basic' && creds.password !== undefined) {
    return { meta: { format: Format.B64, type: AuthType.BASIC }, data: encodeBasicCredential(creds.username, creds.password) };
  }
  if (scheme === 'md5' && nonce !== undefined) {
    const secret = secretOf(creds);
    if (secret === undefined) return undefined;
    return { meta: { format: Format.B64, type: AuthType.MD5 }, data: computeMd5DigestFromSecret({ secret, nonce }) };
  }
  return undefined;
}

/** The x-syncml-hmac header value over the exact body bytes, or undefined without a nonce. */
export function buildHmacHeader(creds: SessionCredentials | undefined, nonce: Uint8Array | undefined, body: Uint8Array): string | undefined {
  if (creds === undefined || nonce === undefined) return undefined;
  const secret = secretOf(creds);
  if (secret === undefined) return undefined;
  return formatHmacHeader({ username: creds.username, mac: computeHmacMd5({ username: creds.username, secret, nonce, body }) });
}

/** Outcome of checking the server's credentials. */
export type ServerAuthCheck = 'ok' | 'missing' | 'invalid';

/**
 * Checks the server's SyncHdr Cred (Basic / MD5) or x-syncml-hmac header (HMAC) against the
 * account's server credentials and each acceptable nonce (the stored one, and the resync nonce
 * after a Package 0 nonce resync).
 */
export function verifyServer(opts: {
  scheme: AuthScheme;
  creds: SessionCredentials | undefined;
  cred: Cred | undefined;
  hmacHeader: string | undefined;
  body: Uint8Array;
  nonces: readonly Uint8Array[];
}): ServerAuthCheck {
  const { scheme, creds } = opts;
  if (scheme === 'none') return 'ok';
  if (creds === undefined) return 'invalid';
  if (scheme === 'hmac') {
    if (opts.hmacHeader === undefined) return 'missing';
    const secret = secretOf(creds);
    if (secret === undefined) return 'invalid';
    try {
      const ok = opts.nonces.some((nonce) => verifyHmacMd5({ header: opts.hmacHeader ?? '', secret, nonce, body: opts.body, expectedUsername: creds.username }));
      return ok ? 'ok' : 'invalid';
    } catch {
      return 'invalid';
    }
  }
  const cred = opts.cred;
  if (cred === undefined) return 'missing';
  const type = schemeOf(cred.meta?.type) ?? 'basic'; // RepPro: Cred Type defaults to auth-basic
  // MD5 is accepted where Basic is configured (it proves the same password without sending it);
  // Basic is never accepted in place of MD5.
  if (type !== scheme && !(type === 'md5' && scheme === 'basic')) return 'invalid';
  if (type === 'basic') {
    if (creds.password === undefined) return 'invalid';
    return verifyBasicCredential(cred.data, { username: creds.username, password: creds.password }) ? 'ok' : 'invalid';
  }
  const secret = secretOf(creds);
  if (secret === undefined) return 'invalid';
  return opts.nonces.some((nonce) => verifyMd5Digest({ digest: cred.data, secret, nonce })) ? 'ok' : 'invalid';
}
