/**
 * Bytes → JavaScript string for XML input (XML 1.0 Appendix F): byte-order mark first, then the
 * `encoding` label of the XML declaration. Only the encodings DM peers use are accepted.
 */
import type { DecodeLimits } from '../element.js';
import { DEFAULT_LIMITS } from '../element.js';
import { CodecError, ErrorCode } from '../../errors.js';

type Charset = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';

/** Labels accepted for ISO-8859-1 (IANA character-set aliases). */
const LATIN1_LABELS = new Set(['ISO-8859-1', 'ISO8859-1', 'ISO_8859-1', 'LATIN1', 'LATIN-1', 'L1', 'ISO-IR-100', 'CP819', 'IBM819']);
/** Labels read as UTF-8 (US-ASCII is a subset of it). */
const UTF8_LABELS = new Set(['UTF-8', 'UTF8', 'US-ASCII', 'ASCII']);

/**
 * Decodes XML bytes to text: UTF-8 (with or without BOM), UTF-16 LE/BE (BOM, or `<?` seen as
 * UTF-16), or ISO-8859-1 when the declaration says so. Other labels fail with ERR_UNKNOWN_ENCODING;
 * invalid byte sequences fail with ERR_XML_MALFORMED.
 */
export function xmlTextFromBytes(bytes: Uint8Array, limits: DecodeLimits = {}): string {
  const maxBytes = limits.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  if (bytes.length > maxBytes) {
    throw new CodecError(ErrorCode.ERR_CODEC_LIMIT_SIZE, `XML input of ${bytes.length} bytes exceeds the limit of ${maxBytes}`, { offset: maxBytes });
  }
  return decodeAs(bytes, detectCharset(bytes));
}

function detectCharset(b: Uint8Array): Charset {
  const b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return 'utf-8';
  if (b0 === 0xff && b1 === 0xfe) return 'utf-16le';
  if (b0 === 0xfe && b1 === 0xff) return 'utf-16be';
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x3f && b3 === 0x00) return 'utf-16le';
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 === 0x3f) return 'utf-16be';
  const label = declaredEncoding(b);
  if (label === undefined) return 'utf-8';
  const upper = label.toUpperCase();
  if (UTF8_LABELS.has(upper)) return 'utf-8';
  if (LATIN1_LABELS.has(upper)) return 'latin1';
  const why = upper.startsWith('UTF-16') ? ' without a UTF-16 byte-order mark' : '';
  throw new CodecError(ErrorCode.ERR_UNKNOWN_ENCODING, `unsupported XML encoding "${label}"${why} (accepted: UTF-8, UTF-16 with BOM, ISO-8859-1)`, { offset: 0 });
}

/** The `encoding` pseudo-attribute of a leading `<?xml ...?>`, read as ASCII. */
function declaredEncoding(b: Uint8Array): string | undefined {
  if (!(b[0] === 0x3c && b[1] === 0x3f && b[2] === 0x78 && b[3] === 0x6d && b[4] === 0x6c)) return undefined;
  const limit = Math.min(b.length, 512);
  let end = 5;
  while (end < limit && !(b[end] === 0x3f && b[end + 1] === 0x3e)) end++;
  const decl = Buffer.from(b.buffer, b.byteOffset, end).toString('latin1');
  const m = /\sencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/.exec(decl);
  return m?.[2];
}

function decodeAs(bytes: Uint8Array, charset: Charset): string {
  if (charset === 'latin1') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  try {
    // fatal: invalid sequences are an error, not U+FFFD; the decoder drops a leading BOM itself.
    return new TextDecoder(charset, { fatal: true }).decode(bytes);
  } catch (err) {
    throw new CodecError(ErrorCode.ERR_XML_MALFORMED, `input is not valid ${charset.toUpperCase()}`, {}, { cause: err });
  }
}
