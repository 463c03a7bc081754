/**
 * `syncml:auth-MAC`: message integrity through the `x-syncml-hmac` transport header
 * (OMA-TS-DM_Security §5.2, HMAC; OMA-TS-DM_RepPro "syncml:auth-MAC"):
 *
 *   x-syncml-hmac: algorithm=MD5, username="Bruce2", mac=<B64 digest>
 *   mac = B64(MD5(B64(MD5(username ":" password)) ":" nonce ":" B64(MD5(body))))
 *
 * `body` is the exact transmitted XML or WBXML bytes and `nonce` the decoded NextNonce bytes. The
 * nonce changes with every message (each reply carries a new NextNonce).
 */
import { AuthError, ErrorCode } from '../errors.js';
import { constantTimeEqual, fromBase64Strict, md5, toBase64 } from './bytes.js';
import { md5Secret } from './md5-digest.js';

/** Name of the HTTP header carrying the MAC. */
export const HMAC_HEADER_NAME = 'x-syncml-hmac';

const COLON = new Uint8Array([0x3a]);

/** The parts of an `x-syncml-hmac` header value. */
export interface HmacHeader {
  /** Algorithm name as sent (`MD5` when the header omits it, the spec default). */
  readonly algorithm: string;
  readonly username: string;
  readonly mac: string;
}

/**
 * Computes the MAC of a message body. Give either the `password` or the stored `secret`
 * (B64(MD5(username:password))); the secret wins when both are present.
 */
export function computeHmacMd5(opts: {
  username: string;
  password?: string;
  secret?: string;
  nonce: Uint8Array;
  body: Uint8Array;
}): string {
  let secret = opts.secret;
  if (secret === undefined) {
    if (opts.password === undefined) {
      throw new AuthError(ErrorCode.ERR_AUTH_MISSING, 'computeHmacMd5 needs a password or a secret');
    }
    secret = md5Secret(opts.username, opts.password);
  }
  return toBase64(macBytes(secret, opts.nonce, opts.body));
}

function macBytes(secret: string, nonce: Uint8Array, body: Uint8Array): Uint8Array {
  return md5(secret, COLON, nonce, COLON, toBase64(md5(body)));
}

/** Formats the header value: `algorithm=MD5, username="<name>", mac=<mac>`. */
export function formatHmacHeader(opts: { username: string; mac: string; algorithm?: 'MD5' }): string {
  const user = opts.username.replace(/["\\]/g, (c) => `\\${c}`);
  return `algorithm=${opts.algorithm ?? 'MD5'}, username="${user}", mac=${opts.mac}`;
}

/**
 * Parses an `x-syncml-hmac` value. Tolerant of spacing, quoting, parameter order and the case of
 * parameter names; strict about what makes it unusable (no username or mac, a parameter repeated,
 * unbalanced quotes), which throws `AuthError(ERR_AUTH_HMAC_HEADER)`. Unknown parameters are ignored.
 */
export function parseHmacHeader(value: string): HmacHeader {
  const params = new Map<string, string>();
  let i = 0;
  const n = value.length;
  const fail = (why: string): never => {
    throw new AuthError(ErrorCode.ERR_AUTH_HMAC_HEADER, `x-syncml-hmac header ${why} (at character ${i})`);
  };
  const skip = (chars: string): void => {
    while (i < n && chars.includes(value[i] ?? '')) i++;
  };
  while (i < n) {
    skip(' \t,');
    if (i >= n) break;
    const keyStart = i;
    while (i < n && !' \t=,'.includes(value[i] ?? '')) i++;
    const key = value.slice(keyStart, i).toLowerCase();
    skip(' \t');
    if (value[i] !== '=') fail(`has parameter "${key}" without "="`);
    i++;
    skip(' \t');
    let val: string;
    if (value[i] === '"') {
      i++;
      let out = '';
      for (;;) {
        if (i >= n) fail('has an unterminated quoted value');
        const c = value[i] ?? '';
        if (c === '"') break;
        if (c === '\\' && i + 1 < n) {
          out += value[i + 1];
          i += 2;
          continue;
        }
        out += c;
        i++;
      }
      i++;
      val = out;
    } else {
      const valStart = i;
      // Unquoted values end at a comma or at whitespace, so a header that separates its
      // parameters with spaces only still parses.
      while (i < n && !' \t,'.includes(value[i] ?? '')) i++;
      val = value.slice(valStart, i);
    }
    if (key === '') fail('has an empty parameter name');
    if (params.has(key)) fail(`repeats parameter "${key}"`);
    params.set(key, val);
  }
  const username = params.get('username');
  const mac = params.get('mac');
  if (username === undefined || username === '') fail('has no username');
  if (mac === undefined || mac === '') fail('has no mac');
  const algorithm = params.get('algorithm');
  return { algorithm: algorithm === undefined || algorithm === '' ? 'MD5' : algorithm, username: username ?? '', mac: mac ?? '' };
}

/**
 * Verifies the `x-syncml-hmac` header of a received body against the stored secret and the nonce the
 * verifier issued. Returns `false` on a wrong MAC or an unexpected user name; throws
 * `AuthError(ERR_AUTH_HMAC_HEADER)` for an unusable header and `ERR_AUTH_UNSUPPORTED` for an
 * algorithm other than MD5 (the only one OMA DM defines).
 */
export function verifyHmacMd5(opts: {
  header: string;
  secret: string;
  nonce: Uint8Array;
  body: Uint8Array;
  expectedUsername?: string;
}): boolean {
  const h = parseHmacHeader(opts.header);
  if (h.algorithm.toUpperCase() !== 'MD5') {
    throw new AuthError(ErrorCode.ERR_AUTH_UNSUPPORTED, `x-syncml-hmac algorithm "${h.algorithm}" is not supported`);
  }
  const got = fromBase64Strict(h.mac) ?? new Uint8Array(0);
  const macOk = constantTimeEqual(got, macBytes(opts.secret, opts.nonce, opts.body));
  const userOk = opts.expectedUsername === undefined || h.username === opts.expectedUsername;
  return macOk && userOk;
}
