/**
 * Low-level WBXML writing into one growable buffer: bytes, mb_u_int32, inline strings and
 * OPAQUE data (WAP-192-WBXML-20010725 §5.1, §5.8.4). ASCII text is copied byte by byte;
 * other text goes through TextEncoder.encodeInto, so nothing allocates per character.
 */
import { GlobalToken } from './wbxml-tokens.js';

const UTF8 = new TextEncoder();

/** Growable output buffer for a WBXML document. */
export class WbxmlWriter {
  #buf: Uint8Array;
  #len = 0;

  constructor(initialCapacity = 1024) {
    // Scratch space from Buffer's pool (cheap for small sizes); finish() copies out the result.
    this.#buf = Buffer.allocUnsafe(Math.max(16, initialCapacity));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#len;
  }

  /** Writes one byte. */
  u8(b: number): void {
    if (this.#len === this.#buf.length) this.#grow(1);
    this.#buf[this.#len++] = b;
  }

  /** Writes a multi-byte unsigned integer (§5.1): 7-bit groups, most significant first. */
  mbUint32(n: number): void {
    if (n < 0x80) {
      this.u8(n);
      return;
    }
    this.#ensure(5);
    let groups = 1;
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) groups++;
    const buf = this.#buf;
    let at = this.#len + groups - 1;
    buf[at] = n % 128;
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) buf[--at] = (v % 128) | 0x80;
    this.#len += groups;
  }

  /** Writes text as UTF-8 followed by NUL (STR_I operand or string-table entry). */
  cString(s: string): void {
    this.#utf8(s);
    this.u8(0);
  }

  /**
   * Writes text as STR_I (§5.8.4.1). U+0000 would end the inline string, so each one is written as
   * ENTITY 0 between inline strings; the decoder joins the pieces back into one text.
   */
  inlineText(s: string): void {
    const n = s.length;
    this.#ensure(n + 2);
    const buf = this.#buf;
    let at = this.#len;
    buf[at++] = GlobalToken.STR_I;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 0 || c >= 0x80) {
        this.#len = at;
        this.#inlineTextSlow(s, i);
        return;
      }
      buf[at++] = c;
    }
    buf[at++] = 0;
    this.#len = at;
  }

  #inlineTextSlow(s: string, from: number): void {
    for (let nul = s.indexOf('\0', from); nul >= 0; nul = s.indexOf('\0', from)) {
      this.#utf8(s.slice(from, nul));
      this.u8(0);
      this.u8(GlobalToken.ENTITY);
      this.u8(0);
      from = nul + 1;
      if (from === s.length) return;
      this.u8(GlobalToken.STR_I);
    }
    this.#utf8(from === 0 ? s : s.slice(from));
    this.u8(0);
  }

  /** Writes raw bytes. */
  bytes(b: Uint8Array): void {
    this.#ensure(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
  }

  /** Writes OPAQUE, the byte length and the bytes (§5.8.4.6). */
  opaque(b: Uint8Array): void {
    this.u8(GlobalToken.OPAQUE);
    this.mbUint32(b.length);
    this.bytes(b);
  }

  /** Writes text as OPAQUE UTF-8 bytes. */
  opaqueText(s: string): void {
    if (!isAscii(s)) {
      this.opaque(UTF8.encode(s)); // the byte length must precede the bytes
      return;
    }
    this.u8(GlobalToken.OPAQUE);
    this.mbUint32(s.length);
    this.#utf8(s);
  }

  /** The document written so far, as an exact-length copy in its own ArrayBuffer. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.#len);
    out.set(this.#buf.subarray(0, this.#len));
    return out;
  }

  #utf8(s: string): void {
    const n = s.length;
    this.#ensure(n);
    const buf = this.#buf;
    let at = this.#len;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.#len = at;
        this.#utf8Slow(s, i);
        return;
      }
      buf[at++] = c;
    }
    this.#len = at;
  }

  #utf8Slow(s: string, from: number): void {
    const rest = s.length - from;
    this.#ensure(rest * 3);
    const { written } = UTF8.encodeInto(from === 0 ? s : s.slice(from), this.#buf.subarray(this.#len));
    this.#len += written;
  }

  #ensure(extra: number): void {
    if (this.#len + extra > this.#buf.length) this.#grow(extra);
  }

  #grow(extra: number): void {
    let cap = this.#buf.length * 2;
    while (cap < this.#len + extra) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }
}

/** True when every UTF-16 unit of `s` is below 0x80 (so UTF-8 length = string length). */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}
