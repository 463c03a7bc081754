/**
 * Authentication of pushed provisioning documents (OMA-WAP-TS-ProvBoot-V1_1 §5.3–5.4): the WSP
 * content-type parameters SEC (method) and MAC (40 hex digits) carry
 * `M = HMAC-SHA1(K, A)`, A being the document bytes exactly as pushed (the WBXML body), and K
 * depending on the method:
 *
 * - NETWPIN:     K = the IMSI in semi-octet form (3GPP TS 31.102 §4.2.2 EF_IMSI without its
 *                length byte: parity/type nibble 9 (odd count) or 1 (even count, then an F filler),
 *                two digits per octet, low nibble first).
 * - USERPIN:     K = the user PIN as ASCII.
 * - USERNETWPIN: K = NETWPIN key ‖ user PIN ASCII.
 * - USERPINMAC:  the PIN the user types is 2m digits: m chosen digits, then m digits derived from
 *                `M = HMAC-SHA1(first m digits, A)` as `M[i] mod 10` (i = 0..m-1).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ErrorCode, AuthError } from '../errors.js';
import { SecMethod } from '../notification/wap-push.js';

/** Name of a CP security method. */
export type CpSecMethod = keyof typeof SecMethod;

/** Secrets a MAC is computed with; which ones are needed depends on the method. */
export interface CpMacSecrets {
  /** Security method (name or the SEC parameter's number). */
  readonly sec: CpSecMethod | number;
  /** IMSI digits (NETWPIN, USERNETWPIN). */
  readonly imsi?: string;
  /** The PIN the user enters (USERPIN, USERNETWPIN; the full 2m digits for USERPINMAC). */
  readonly userPin?: string;
}

/** Options of {@link verifyCpMac}. */
export interface VerifyCpMacOptions extends CpMacSecrets {
  /** The document bytes exactly as received (the push body). */
  readonly document: Uint8Array;
  /** The MAC parameter as received (hex, any case). */
  readonly mac: string | undefined;
}

const HEX_MAC = /^[0-9A-Fa-f]{40}$/;

/** The method name of a SEC parameter value (number or name); undefined when unknown. */
export function secMethodName(sec: number | string): CpSecMethod | undefined {
  if (typeof sec === 'number') {
    return (Object.keys(SecMethod) as CpSecMethod[]).find((k) => SecMethod[k] === sec);
  }
  const name = sec.trim().toUpperCase();
  if (name in SecMethod) return name as CpSecMethod;
  // Some senders write the code as text ("0").
  return /^\d+$/.test(name) ? secMethodName(Number(name)) : undefined;
}

/**
 * The NETWPIN key: the IMSI as EF_IMSI semi-octets (ProvBoot §5.4.1; TS 31.102 §4.2.2).
 * `123456789012345` → `19 32 54 76 98 10 32 54`.
 *
 * @throws AuthError ERR_CP_SECURITY when the IMSI is not 1–15 decimal digits.
 */
export function netwPinKey(imsi: string): Uint8Array {
  const digits = imsi.trim();
  if (!/^\d{1,15}$/.test(digits)) throw securityError(`IMSI must be 1 to 15 decimal digits, got ${JSON.stringify(imsi)}`);
  // First nibble: identity type 1 (IMSI) with the odd/even bit (8); an even count ends with an F filler.
  const nibbles = digits.length % 2 === 1 ? `9${digits}` : `1${digits}F`;
  const out = new Uint8Array(nibbles.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = (parseInt(nibbles[2 * i + 1] as string, 16) << 4) | parseInt(nibbles[2 * i] as string, 16);
  }
  return out;
}

/**
 * The HMAC key of a method (USERPINMAC: the first half of the PIN).
 *
 * @throws AuthError ERR_CP_SECURITY when a needed secret is missing or malformed.
 */
export function cpMacKey(secrets: CpMacSecrets): Uint8Array {
  const method = methodOf(secrets.sec);
  switch (method) {
    case 'NETWPIN':
      return netwPinKey(need(secrets.imsi, 'NETWPIN needs the IMSI'));
    case 'USERPIN':
      return ascii(need(secrets.userPin, 'USERPIN needs the user PIN'));
    case 'USERNETWPIN': {
      const net = netwPinKey(need(secrets.imsi, 'USERNETWPIN needs the IMSI'));
      const pin = ascii(need(secrets.userPin, 'USERNETWPIN needs the user PIN'));
      const key = new Uint8Array(net.length + pin.length);
      key.set(net);
      key.set(pin, net.length);
      return key;
    }
    case 'USERPINMAC': {
      const pin = need(secrets.userPin, 'USERPINMAC needs the user PIN');
      checkPinMacFormat(pin);
      return ascii(pin.slice(0, pin.length / 2));
    }
  }
}

/**
 * The MAC parameter for a document: HMAC-SHA1 as 40 upper-case hex digits (the form Windows
 * Mobile, NowSMS and Android compare against).
 */
export function createCpMac(options: CpMacSecrets & { readonly document: Uint8Array }): string {
  return hmac(cpMacKey(options), options.document).toString('hex').toUpperCase();
}

/**
 * The full USERPINMAC PIN for a document: `keyDigits` followed by as many digits derived from
 * HMAC-SHA1(keyDigits, document) (ProvBoot §5.4.4). What the user is told, e.g. on a receipt.
 *
 * @throws AuthError ERR_CP_SECURITY when `keyDigits` is not 1–20 decimal digits.
 */
export function userPinMacPin(options: { readonly keyDigits: string; readonly document: Uint8Array }): string {
  const k = options.keyDigits;
  if (!/^\d{1,20}$/.test(k)) throw securityError('USERPINMAC key digits must be 1 to 20 decimal digits');
  return k + derivedDigits(hmac(ascii(k), options.document), k.length);
}

/**
 * Checks a pushed document's MAC in constant time. USERPINMAC is judged by the PIN alone (its
 * second half must be derived from the document), as the MAC travels inside the PIN; a MAC
 * parameter sent with it, if any, must then also match HMAC-SHA1(first half, document).
 *
 * Returns false for a wrong MAC; throws only when the inputs cannot be used at all.
 *
 * @throws AuthError ERR_CP_SECURITY for an unknown method or a missing/malformed secret or MAC.
 */
export function verifyCpMac(options: VerifyCpMacOptions): boolean {
  const method = methodOf(options.sec);
  const key = cpMacKey(options);
  const m = hmac(key, options.document);
  if (method === 'USERPINMAC') {
    const pin = options.userPin as string;
    const half = pin.length / 2;
    const digitsOk = timingSafeEqual(Buffer.from(derivedDigits(m, half)), Buffer.from(pin.slice(half)));
    if (options.mac === undefined || options.mac === '') return digitsOk;
    return digitsOk && HEX_MAC.test(options.mac) && timingSafeEqual(Buffer.from(options.mac, 'hex'), m);
  }
  if (options.mac === undefined || !HEX_MAC.test(options.mac.trim())) {
    throw securityError(`MAC parameter must be 40 hex digits, got ${JSON.stringify(options.mac ?? '')}`);
  }
  return timingSafeEqual(Buffer.from(options.mac.trim(), 'hex'), m);
}

/** The user PIN a method needs (NETWPIN needs none). */
export function needsUserPin(sec: CpSecMethod | number): boolean {
  return methodOf(sec) !== 'NETWPIN';
}

function methodOf(sec: CpSecMethod | number): CpSecMethod {
  const name = secMethodName(sec);
  if (name === undefined) throw securityError(`unknown security method ${String(sec)}`);
  return name;
}

function checkPinMacFormat(pin: string): void {
  if (!/^\d+$/.test(pin) || pin.length % 2 !== 0 || pin.length < 2 || pin.length > 40) {
    throw securityError('a USERPINMAC PIN is an even number (2 to 40) of decimal digits');
  }
}

function derivedDigits(m: Buffer, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String((m[i] ?? 0) % 10);
  return out;
}

function hmac(key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac('sha1', key).update(data).digest();
}

function ascii(s: string): Uint8Array {
  return Buffer.from(s, 'utf8');
}

function need(value: string | undefined, message: string): string {
  if (value === undefined || value === '') throw securityError(message);
  return value;
}

function securityError(message: string): AuthError {
  return new AuthError(ErrorCode.ERR_CP_SECURITY, message);
}
