/**
 * Leaf value formats (OMA-TS-DM_TND §7.7.2 Format; RepPro Meta Format; reference §2.8). Checks a
 * value received for a node against its Format and returns the form the tree stores.
 */
import { Format } from '../constants/meta-types.js';

/** Format assumed when Meta gives none (OMA-TS-SyncML_MetaInf: default `chr`). */
export const DEFAULT_FORMAT: Format = Format.CHR;
/** Type assumed for a leaf when Meta gives none. */
export const DEFAULT_TYPE = 'text/plain';

const FORMATS = new Set<string>(Object.values(Format));

/** True when `text` is one of the OMA formats (`mchr` and other vendor formats are not). */
export function isFormat(text: string): text is Format {
  return FORMATS.has(text);
}

/** Stored form of a value: bytes for `bin`, text for every other format. */
export type NormalizedValue<F extends Format> = F extends 'bin' ? Uint8Array : string;

/** Outcome of {@link validateValue}. */
export type ValueCheck<F extends Format> =
  | { readonly ok: true; readonly normalized: NormalizedValue<F> }
  | { readonly ok: false; readonly reason: string };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const DATE_EXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_BASIC = /^(\d{4})(\d{2})(\d{2})$/;
const TIME_EXT = /^(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?$/;
const TIME_BASIC = /^(\d{2})(?:(\d{2})(?:(\d{2})(?:[.,]\d+)?)?)?$/;
const ZONE = /(Z|[+-]\d{2}(?::?\d{2})?)$/;
const FLOAT = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN)$/;
const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function asText(value: string | Uint8Array): string | undefined {
  if (typeof value === 'string') return value;
  try {
    return strictUtf8.decode(value);
  } catch {
    return undefined;
  }
}

function isValidDate(text: string): boolean {
  const m = DATE_EXT.exec(text) ?? DATE_BASIC.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

function isValidTime(text: string): boolean {
  const zone = ZONE.exec(text);
  const body = zone ? text.slice(0, zone.index) : text;
  if (zone && zone[1] !== 'Z') {
    const z = zone[1]?.replace(':', '') ?? '';
    if (Number(z.slice(1, 3)) > 23 || Number(z.slice(3, 5) || '0') > 59) return false;
  }
  const m = TIME_EXT.exec(body) ?? TIME_BASIC.exec(body);
  if (!m) return false;
  const [h, mi, s] = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
  if (h === 24) return mi === 0 && s === 0 && !/[.,]\d*[1-9]/.test(body);
  return h <= 23 && mi <= 59 && s <= 60;
}

/** `time`, optionally preceded by `<date>T` (WM writes times as ISO 8601 date-times, reference §2.8). */
function isValidTimeValue(text: string): boolean {
  const t = text.indexOf('T');
  if (t < 0) return isValidTime(text);
  return isValidDate(text.slice(0, t)) && isValidTime(text.slice(t + 1));
}

/** Strict base64 → bytes (whitespace ignored, padding required); undefined when malformed. */
export function b64ToBin(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!B64.test(compact)) return undefined;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/** Bytes → base64 text (with padding, no line breaks). */
export function binToB64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function ok<F extends Format>(normalized: NormalizedValue<F>): ValueCheck<F> {
  return { ok: true, normalized };
}
function bad<F extends Format>(reason: string): ValueCheck<F> {
  return { ok: false, reason };
}

/**
 * Checks `value` against `format` and normalizes it: int (32-bit signed decimal, canonical digits),
 * bool (`true`/`false`, any case, stored lower-case), float (XML Schema lexical form), date
 * (ISO 8601 calendar date, basic or extended), time (ISO 8601 time with optional zone, optionally
 * `date` + `T`), chr and xml (any valid UTF-8 text), b64 (strict base64, whitespace removed),
 * bin (bytes; text is taken as its UTF-8 bytes), null and node (empty). Surrounding whitespace is
 * ignored for int, bool, float, date, time, null and node; kept for chr, xml and bin.
 */
export function validateValue<F extends Format>(format: F, value: string | Uint8Array): ValueCheck<F> {
  const f: Format = format;
  if (f === 'bin') {
    const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    return ok<F>(bytes as NormalizedValue<F>);
  }
  const raw = asText(value);
  if (raw === undefined) return bad(`${f} value is not valid UTF-8`);
  const text = f === 'chr' || f === 'xml' ? raw : raw.trim();
  const str = (s: string): ValueCheck<F> => ok<F>(s as NormalizedValue<F>);
  switch (f) {
    case 'chr':
    case 'xml':
      return str(text);
    case 'int': {
      if (!/^[+-]?\d+$/.test(text)) return bad(`"${text}" is not an integer`);
      const n = Number(text);
      if (n < INT32_MIN || n > INT32_MAX) return bad(`${text} is outside the 32-bit signed range`);
      return str(String(n === 0 ? 0 : n));
    }
    case 'bool': {
      const lower = text.toLowerCase();
      return lower === 'true' || lower === 'false' ? str(lower) : bad(`"${text}" is not true or false`);
    }
    case 'float':
      return FLOAT.test(text) ? str(text) : bad(`"${text}" is not a float`);
    case 'date':
      return isValidDate(text) ? str(text) : bad(`"${text}" is not an ISO 8601 date`);
    case 'time':
      return isValidTimeValue(text) ? str(text) : bad(`"${text}" is not an ISO 8601 time`);
    case 'b64': {
      const compact = text.replace(/\s+/g, '');
      return B64.test(compact) ? str(compact) : bad('value is not valid base64');
    }
    case 'null':
    case 'node':
      return text === '' ? str('') : bad(`a ${f} node has no value`);
    default:
      return bad(`unknown format "${String(f)}"`);
  }
}
