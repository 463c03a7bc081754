/**
 * Low-level WBXML reading over one Uint8Array: bytes, mb_u_int32, inline and table strings,
 * OPAQUE data, and the document header (WAP-192-WBXML-20010725 §5.3–5.8). Every failure is a
 * CodecError carrying the byte offset; nothing here allocates per byte.
 */
import { CodecError, ErrorCode } from '../../errors.js';
import { CHARSET_UTF8, PUBLIC_ID_LITERAL } from './wbxml-tokens.js';

/** What the header says about the document. */
export interface WbxmlHeader {
  /** Version byte (0x01 = WBXML 1.1 ... 0x03 = WBXML 1.3). */
  readonly version: number;
  /** Numeric public id, or undefined when the header gives a string-table literal instead. */
  readonly publicId: number | undefined;
  /** The literal public id (from the string table), when the header uses one. */
  readonly publicIdLiteral: string | undefined;
  /** IANA MIBenum of the charset (always 106 once the header is accepted). */
  readonly charset: number;
}

/** Longest mb_u_int32 (§5.1: 32 bits in 7-bit groups). */
const MB_MAX_BYTES = 5;

/** Sequential reader over WBXML bytes. */
export class WbxmlReader {
  readonly #bytes: Uint8Array;
  readonly #buf: Buffer;
  /**
   * The whole input as Latin-1, one char per byte, made by one native call: an ASCII string is
   * then a substring of it, which is several times cheaper than a decode call per string.
   */
  readonly #latin1: string;
  #pos = 0;
  #tableStart = 0;
  #tableEnd = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#latin1 = this.#buf.toString('latin1');
  }

  /** Offset of the next byte. */
  get offset(): number {
    return this.#pos;
  }

  /** True when every byte has been read. */
  get atEnd(): boolean {
    return this.#pos >= this.#bytes.length;
  }

  /** Reads one byte. */
  u8(): number {
    const b = this.#bytes[this.#pos];
    if (b === undefined) throw truncated('token', this.#pos);
    this.#pos++;
    return b;
  }

  /** Reads a multi-byte unsigned integer (§5.1), rejecting encodings longer than 5 bytes or above 2^32 - 1. */
  mbUint32(): number {
    const start = this.#pos;
    const bytes = this.#bytes;
    let value = 0;
    for (let i = 0; i < MB_MAX_BYTES; i++) {
      const b = bytes[this.#pos];
      if (b === undefined) throw truncated('mb_u_int32', start);
      this.#pos++;
      value = value * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) {
        if (value > 0xffffffff) throw malformed('mb_u_int32 above 2^32 - 1', start);
        return value;
      }
    }
    throw malformed('mb_u_int32 longer than 5 bytes', start);
  }

  /** Reads a NUL-terminated inline string (STR_I operand, §5.8.4.1). */
  inlineString(): string {
    const bytes = this.#bytes;
    const start = this.#pos;
    const n = bytes.length;
    let high = 0;
    let end = start;
    for (; end < n; end++) {
      const c = bytes[end]!;
      if (c === 0) break;
      high |= c;
    }
    if (end === n) throw truncated('inline string without its terminating NUL', start);
    this.#pos = end + 1;
    return (high & 0x80) === 0 ? this.#latin1.substring(start, end) : this.#buf.toString('utf8', start, end);
  }

  /**
   * The string at a string-table offset (§5.7). A string that runs to the end of the table
   * without a NUL is accepted: the AOSP DM vectors store the public id that way.
   */
  tableString(index: number, at: number): string {
    const start = this.#tableStart + index;
    if (index >= this.#tableEnd - this.#tableStart) {
      throw malformed(`string-table reference ${index} outside the ${this.#tableEnd - this.#tableStart}-byte table`, at);
    }
    let end = this.#bytes.indexOf(0, start);
    if (end < 0 || end > this.#tableEnd) end = this.#tableEnd;
    return this.#utf8(start, end);
  }

  /** Reads `length` bytes as an independent copy (OPAQUE operand, §5.8.4.6). */
  bytes(length: number, what: string): Uint8Array {
    const start = this.#pos;
    if (length > this.#bytes.length - start) throw truncated(`${what} of ${length} bytes`, start);
    const out = new Uint8Array(length);
    out.set(this.#bytes.subarray(start, start + length));
    this.#pos = start + length;
    return out;
  }

  /** Reads `length` bytes as UTF-8 text. */
  text(length: number, what: string): string {
    const start = this.#pos;
    if (length > this.#bytes.length - start) throw truncated(`${what} of ${length} bytes`, start);
    this.#pos = start + length;
    return this.#utf8(start, start + length);
  }

  /** Reads the header: version, public id, charset and string table (§5.3). */
  header(): WbxmlHeader {
    const version = this.u8();
    if (version < 0x01 || version > 0x03) {
      const v = version === 0 ? 'WBXML 1.0 (no charset field)' : `version byte 0x${hex(version)}`;
      throw new CodecError(ErrorCode.ERR_WBXML_UNSUPPORTED, `${v} is not supported`, { offset: 0 });
    }
    let publicId: number | undefined = this.mbUint32();
    let literalIndex: number | undefined;
    let literalAt = 0;
    if (publicId === PUBLIC_ID_LITERAL) {
      literalAt = this.#pos;
      literalIndex = this.mbUint32();
      publicId = undefined;
    }
    const charsetAt = this.#pos;
    const charset = this.mbUint32();
    if (charset !== CHARSET_UTF8) {
      throw new CodecError(ErrorCode.ERR_WBXML_UNSUPPORTED, `charset MIBenum ${charset} is not supported (only UTF-8, 106)`, { offset: charsetAt });
    }
    const lengthAt = this.#pos;
    const tableLength = this.mbUint32();
    if (tableLength > this.#bytes.length - this.#pos) throw truncated(`string table of ${tableLength} bytes`, lengthAt);
    this.#tableStart = this.#pos;
    this.#tableEnd = this.#pos + tableLength;
    this.#pos = this.#tableEnd;
    const publicIdLiteral = literalIndex === undefined ? undefined : this.tableString(literalIndex, literalAt);
    return { version, publicId, publicIdLiteral, charset };
  }

  #utf8(start: number, end: number): string {
    const bytes = this.#bytes;
    for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return this.#buf.toString('utf8', start, end);
    return this.#latin1.substring(start, end);
  }
}

/**
 * The literal public id of a WBXML document, read without throwing: undefined unless `bytes`
 * starts with a 1.1–1.3 header whose public id is a string-table reference (§5.6) and UTF-8.
 * Used to recognise documents embedded in OPAQUE before paying for a full decode.
 */
export function probeLiteralPublicId(bytes: Uint8Array): string | undefined {
  const version = bytes[0];
  if (version === undefined || version < 0x01 || version > 0x03 || bytes[1] !== PUBLIC_ID_LITERAL) return undefined;
  let pos = 2;
  const mb = (): number | undefined => {
    let v = 0;
    for (let i = 0; i < MB_MAX_BYTES; i++) {
      const b = bytes[pos++];
      if (b === undefined) return undefined;
      v = v * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) return v;
    }
    return undefined;
  };
  const index = mb();
  if (index === undefined || mb() !== CHARSET_UTF8) return undefined;
  const length = mb();
  if (length === undefined || index >= length || pos + length > bytes.length) return undefined;
  let end = bytes.indexOf(0, pos + index);
  if (end < 0 || end > pos + length) end = pos + length;
  return Buffer.from(bytes.buffer, bytes.byteOffset + pos + index, end - pos - index).toString('utf8');
}

/** A CodecError for input that ends too early. */
export function truncated(what: string, offset: number): CodecError {
  return new CodecError(ErrorCode.ERR_WBXML_TRUNCATED, `WBXML ends inside ${what}`, { offset });
}

/** A CodecError for input that breaks the WBXML grammar. */
export function malformed(what: string, offset: number): CodecError {
  return new CodecError(ErrorCode.ERR_WBXML_MALFORMED, `malformed WBXML: ${what}`, { offset });
}

/** Two-digit hex of a byte, for messages. */
export function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
