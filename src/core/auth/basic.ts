/**
 * `syncml:auth-basic` credentials: Cred Data = B64(username ":" password), Meta Format `b64`
 * (OMA-TS-DM_RepPro "Cred"; OMA-TS-DM_Security §5.1.3). Spec vector: Bruce2 / OhBehave →
 * `QnJ1Y2UyOk9oQmVoYXZl`.
 */
import { AuthError, ErrorCode } from '../errors.js';
import { constantTimeEqual, fromBase64Strict, toBase64, utf8, utf8DecodeStrict } from './bytes.js';

/** A user name and password pair as carried by a Basic credential. */
export interface BasicCredential {
  readonly username: string;
  readonly password: string;
}

/** Builds the Cred Data of a Basic credential: base64 of the UTF-8 bytes of `username:password`. */
export function encodeBasicCredential(username: string, password: string): string {
  if (username.includes(':')) {
    // The first colon separates the two parts, so a colon in the user name cannot round-trip.
    throw new AuthError(ErrorCode.ERR_AUTH_INVALID, 'a Basic credential user name must not contain ":"');
  }
  return toBase64(utf8(`${username}:${password}`));
}

/**
 * Splits the Cred Data of a Basic credential into user name and password. Throws
 * `AuthError(ERR_AUTH_INVALID)` when the data is not base64, not UTF-8 or has no colon.
 */
export function decodeBasicCredential(data: string): BasicCredential {
  const bytes = fromBase64Strict(data);
  if (bytes === undefined) {
    throw new AuthError(ErrorCode.ERR_AUTH_INVALID, 'Basic credential is not valid base64');
  }
  const text = utf8DecodeStrict(bytes);
  if (text === undefined) {
    throw new AuthError(ErrorCode.ERR_AUTH_INVALID, 'Basic credential is not valid UTF-8');
  }
  const colon = text.indexOf(':');
  if (colon < 0) {
    throw new AuthError(ErrorCode.ERR_AUTH_INVALID, 'Basic credential has no ":" between user name and password');
  }
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * Checks a Basic Cred Data against the expected pair in constant time. Malformed data is simply
 * not a match (returns `false`); use {@link decodeBasicCredential} to learn why.
 */
export function verifyBasicCredential(data: string, expected: BasicCredential): boolean {
  let got: BasicCredential;
  try {
    got = decodeBasicCredential(data);
  } catch {
    return false;
  }
  // Compare both parts every time (no short-circuit) so timing does not reveal which one differs.
  const userOk = constantTimeEqual(utf8(got.username), utf8(expected.username));
  const passOk = constantTimeEqual(utf8(got.password), utf8(expected.password));
  return userOk && passOk;
}
