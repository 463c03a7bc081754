/**
 * WSP binary encoding primitives (WAP-230-WSP §8.1.2 and §8.4.2) used by the push PDU codec:
 * uintvar, Short-integer, Long-integer, Integer-value, Text-string, Value-length.
 * Decoding errors are `CodecError(ERR_WAP_PUSH_MALFORMED)` carrying the byte offset.
 */
import { CodecError, ErrorCode } from '../errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Quote octet that prefixes a Text-string whose first octet is ≥ 0x80 (§8.4.2.1). */
export const QUOTE = 0x7f;
/** Length-quote: a uintvar length follows (§8.4.2.2). */
export const LENGTH_QUOTE = 0x1f;

/** A `CodecError(ERR_WAP_PUSH_MALFORMED)`. */
export function wspError(message: string, offset?: number): CodecError {
  return new CodecError(ErrorCode.ERR_WAP_PUSH_MALFORMED, message, offset === undefined ? {} : { offset });
}

/** uintvar (§8.1.2): 7 bits per octet, most significant first, high bit = more octets follow. */
export function encodeUintvar(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw wspError(`uintvar ${value} out of range`);
  const groups: number[] = [value % 128];
  let v = Math.floor(value / 128);
  while (v > 0) {
    groups.unshift((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  return Uint8Array.from(groups);
}

/** Short-integer (§8.4.2.1): one octet, 0x80 | value, value 0..127. */
export function encodeShortInteger(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 127) throw wspError(`short-integer ${value} out of range`);
  return Uint8Array.of(0x80 | value);
}

/** Long-integer (§8.4.2.1): Short-length (1..30) then a big-endian multi-octet integer. */
export function encodeLongInteger(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw wspError(`long-integer ${value} out of range`);
  const octets: number[] = [];
  let v = value;
  do {
    octets.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  return Uint8Array.from([octets.length, ...octets]);
}

/** Integer-value (§8.4.2.3): Short-integer when it fits, else Long-integer. */
export function encodeIntegerValue(value: number): Uint8Array {
  return value >= 0 && value <= 127 && Number.isInteger(value) ? encodeShortInteger(value) : encodeLongInteger(value);
}

/**
 * Text-string (§8.4.2.1): UTF-8 text, NUL-terminated, Quote-prefixed when it starts with an octet
 * ≥ 0x80 — and also when it starts with 0x7F itself, which a reader would otherwise take for the Quote.
 */
export function encodeTextString(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  if (bytes.includes(0)) throw wspError('WSP text must not contain NUL');
  const quoted = (bytes[0] ?? 0) >= QUOTE;
  const out = new Uint8Array(bytes.byteLength + (quoted ? 2 : 1));
  if (quoted) out[0] = QUOTE;
  out.set(bytes, quoted ? 1 : 0);
  return out;
}

/** Value-length (§8.4.2.2): Short-length 0..30, else Length-quote + uintvar. */
export function encodeValueLength(length: number): Uint8Array {
  if (length <= 30) return Uint8Array.of(length);
  const u = encodeUintvar(length);
  const out = new Uint8Array(1 + u.byteLength);
  out[0] = LENGTH_QUOTE;
  out.set(u, 1);
  return out;
}

/** Sequential reader over WSP octets; every read checks bounds and reports the offset on failure. */
export class WspReader {
  readonly #bytes: Uint8Array;
  #pos: number;
  readonly #end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.byteLength) {
    this.#bytes = bytes;
    this.#pos = start;
    this.#end = end;
  }

  /** Current offset from the start of the whole buffer. */
  get offset(): number {
    return this.#pos;
  }

  /** Octets left before the end of this reader. */
  get remaining(): number {
    return this.#end - this.#pos;
  }

  /** The next octet without consuming it. */
  peek(what: string): number {
    if (this.#pos >= this.#end) throw wspError(`truncated: expected ${what}`, this.#pos);
    return this.#bytes[this.#pos] ?? 0;
  }

  /** Consumes one octet. */
  octet(what: string): number {
    const b = this.peek(what);
    this.#pos++;
    return b;
  }

  /** Consumes `n` octets. */
  take(n: number, what: string): Uint8Array {
    if (n > this.remaining) throw wspError(`truncated: ${what} needs ${n} octets, ${this.remaining} left`, this.#pos);
    const out = this.#bytes.slice(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  /** A sub-reader over the next `n` octets, which this reader skips. */
  sub(n: number, what: string): WspReader {
    if (n > this.remaining) throw wspError(`truncated: ${what} declares ${n} octets, ${this.remaining} left`, this.#pos);
    const r = new WspReader(this.#bytes, this.#pos, this.#pos + n);
    this.#pos += n;
    return r;
  }

  /** uintvar, at most 5 octets and 32 bits. */
  uintvar(what: string): number {
    const start = this.#pos;
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.octet(what);
      value = value * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) {
        if (value > 0xffffffff) throw wspError(`${what}: uintvar exceeds 32 bits`, start);
        return value;
      }
    }
    throw wspError(`${what}: uintvar longer than 5 octets`, start);
  }

  /** Integer-value: Short-integer or Long-integer (up to 6 octets so the result stays exact). */
  integerValue(what: string): number {
    const at = this.#pos;
    const b = this.octet(what);
    if (b >= 0x80) return b & 0x7f;
    if (b < 1 || b > 30) throw wspError(`${what}: expected an Integer-value, found 0x${hex(b)}`, at);
    if (b > 6) throw wspError(`${what}: Long-integer of ${b} octets is too large`, at);
    let v = 0;
    for (const o of this.take(b, what)) v = v * 256 + o;
    return v;
  }

  /** Octets up to (not including) the NUL terminator, which is consumed. */
  cString(what: string): Uint8Array {
    const start = this.#pos;
    let i = start;
    while (i < this.#end && this.#bytes[i] !== 0) i++;
    if (i >= this.#end) throw wspError(`truncated: ${what} has no NUL terminator`, start);
    this.#pos = i + 1;
    return this.#bytes.slice(start, i);
  }

  /** Text-string: optional Quote, text, NUL. */
  textString(what: string): string {
    if (this.peek(what) === QUOTE) this.#pos++;
    return decoder.decode(this.cString(what));
  }

  /** Value-length: Short-length or Length-quote + uintvar. */
  valueLength(what: string): number {
    const at = this.#pos;
    const b = this.octet(what);
    if (b <= 30) return b;
    if (b === LENGTH_QUOTE) return this.uintvar(what);
    throw wspError(`${what}: expected a Value-length, found 0x${hex(b)}`, at);
  }
}

/** Two-digit upper-case hex of an octet. */
export function hex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}
