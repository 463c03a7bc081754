/**
 * Server-side check of the credentials a device presents (OMA-TS-DM_Security §5.1, §5.2):
 * Basic and MD5 in the SyncHdr Cred, HMAC-MD5 in the `x-syncml-hmac` transport header. Pure apart
 * from the async scrypt check of Basic-only secrets: nonces and replay memory are the caller's.
 */
import type { SyncHdr } from '../../core/syncml/message.js';
import { AuthType } from '../../core/constants/meta-types.js';
import { decodeBasicCredential } from '../../core/auth/basic.js';
import { md5Secret, verifyMd5Digest } from '../../core/auth/md5-digest.js';
import { parseHmacHeader, verifyHmacMd5 } from '../../core/auth/hmac-md5.js';
import { parseAuthType } from '../../core/auth/nonce.js';
import { constantTimeEqual, utf8 } from '../../core/auth/bytes.js';
import type { AuthFailureReason, ClientAuthType, ClientCredential } from '../store/store.js';
import { verifyPassword } from '../registry/password-hash.js';

/** What a credential check needs to know about one received message. */
export interface CredentialCheck {
  /** The device's client credential. */
  readonly credential: ClientCredential;
  /** The received SyncHdr (Cred, Source LocName). */
  readonly header: SyncHdr;
  /** Value of the `x-syncml-hmac` HTTP header, if any. */
  readonly hmacHeader: string | undefined;
  /** The exact request body bytes (HMAC is computed over them). */
  readonly body: Uint8Array;
  /** The request came over TLS. */
  readonly secure: boolean;
  /** The nonce the server last issued to this device (decoded), if any. */
  readonly nonce: Uint8Array | undefined;
  /** Accept Basic over plain HTTP. */
  readonly allowBasicWithoutTls: boolean;
}

/** Outcome of a credential check. */
export type CredentialVerdict =
  | {
      readonly ok: true;
      readonly type: ClientAuthType;
      /** (nonce, digest) pair to remember for replay detection (MD5 and HMAC). */
      readonly replay?: { readonly nonce: Uint8Array; readonly digest: string };
    }
  | {
      readonly ok: false;
      /** 407 = credentials missing, 401 = credentials refused (OMA-TS-DM_Protocol §9.2). */
      readonly status: 401 | 407;
      readonly reason: AuthFailureReason;
      readonly detail: string;
    };

/** The Meta Type string for an auth kind (`md5` → `syncml:auth-md5`). */
export function authTypeName(kind: ClientAuthType): string {
  return kind === 'md5' ? AuthType.MD5 : kind === 'hmac' ? AuthType.HMAC : AuthType.BASIC;
}

/** The auth kind of a Meta Type string, or `undefined` for types this server does not verify. */
export function authKindOf(metaType: string | undefined): ClientAuthType | undefined {
  const t = parseAuthType(metaType);
  return t === AuthType.MD5 ? 'md5' : t === AuthType.HMAC ? 'hmac' : t === AuthType.BASIC ? 'basic' : undefined;
}

const fail = (status: 401 | 407, reason: AuthFailureReason, detail: string): CredentialVerdict => ({ ok: false, status, reason, detail });

/**
 * Checks the credential of one message against the device's stored credential. The type must be
 * the device's configured one (OMA-TS-DM_Protocol §9.2: the auth type stays the same for the
 * whole session and a challenged party answers with the requested type).
 */
export async function checkClientCredential(c: CredentialCheck): Promise<CredentialVerdict> {
  const expected = c.credential.authType;
  if (expected === 'hmac') return checkHmac(c);
  const cred = c.header.cred;
  if (cred === undefined) return fail(407, 'missing', 'no Cred in SyncHdr');
  // RepPro "Cred": Meta Type defaults to syncml:auth-basic when absent.
  const kind = cred.meta?.type === undefined ? 'basic' : authKindOf(cred.meta.type);
  if (kind !== expected) return fail(401, 'unsupported', `Cred type ${cred.meta?.type ?? 'syncml:auth-basic'} is not the device's ${authTypeName(expected)}`);
  if (kind === 'basic') return checkBasic(c, cred.data);
  // MD5: the user name travels as SyncHdr Source LocName (OMA-TS-DM_Security §5.1.3.2).
  const locName = c.header.source.locName;
  if (locName !== undefined && locName !== c.credential.username) return fail(401, 'invalid', 'LocName does not match the account');
  if (c.credential.secret.kind !== 'md5') return fail(401, 'unsupported', 'the stored secret cannot verify MD5');
  if (c.nonce === undefined) return fail(401, 'stale_nonce', 'no nonce was issued to this device yet');
  const ok = verifyMd5Digest({ digest: cred.data.trim(), secret: c.credential.secret.value, nonce: c.nonce });
  if (!ok) return fail(401, 'invalid', 'MD5 digest does not match');
  return { ok: true, type: 'md5', replay: { nonce: c.nonce, digest: cred.data.trim() } };
}

async function checkBasic(c: CredentialCheck, data: string): Promise<CredentialVerdict> {
  // OMA-TS-DM_Security §5.1.3.1: Basic sends the password in the clear, so only over TLS by default.
  if (!c.secure && !c.allowBasicWithoutTls) return fail(401, 'unsupported', 'Basic credentials over plain HTTP are not accepted');
  let user: string;
  let password: string;
  try {
    ({ username: user, password } = decodeBasicCredential(data.trim()));
  } catch {
    return fail(401, 'invalid', 'Basic credential is malformed');
  }
  const userOk = constantTimeEqual(utf8(user), utf8(c.credential.username));
  const secret = c.credential.secret;
  const passOk = secret.kind === 'md5'
    ? constantTimeEqual(utf8(md5Secret(c.credential.username, password)), utf8(secret.value))
    : await verifyPassword(password, secret.value);
  return userOk && passOk ? { ok: true, type: 'basic' } : fail(401, 'invalid', 'Basic credential does not match');
}

function checkHmac(c: CredentialCheck): CredentialVerdict {
  if (c.hmacHeader === undefined || c.hmacHeader === '') return fail(407, 'missing', 'no x-syncml-hmac header');
  let mac: string;
  try {
    mac = parseHmacHeader(c.hmacHeader).mac;
  } catch {
    return fail(401, 'invalid', 'x-syncml-hmac header is malformed');
  }
  if (c.credential.secret.kind !== 'md5') return fail(401, 'unsupported', 'the stored secret cannot verify HMAC');
  if (c.nonce === undefined) return fail(401, 'stale_nonce', 'no nonce was issued to this device yet');
  let ok: boolean;
  try {
    ok = verifyHmacMd5({ header: c.hmacHeader, secret: c.credential.secret.value, nonce: c.nonce, body: c.body, expectedUsername: c.credential.username });
  } catch {
    return fail(401, 'unsupported', 'x-syncml-hmac algorithm is not MD5');
  }
  if (!ok) return fail(401, 'invalid', 'HMAC does not match the body');
  return { ok: true, type: 'hmac', replay: { nonce: c.nonce, digest: mac } };
}
