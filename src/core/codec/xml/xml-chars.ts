/**
 * Character classes and namespace facts shared by the XML decoder and encoder.
 * Name rules follow XML 1.0 (Fifth Edition) §2.3 productions [4] NameStartChar and [4a] NameChar.
 */
import { Namespace } from '../../constants/meta-types.js';

/** True for XML white space (§2.3 [3] S): space, tab, LF, CR. */
export function isXmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/**
 * True for a BMP NameStartChar, colon excluded (namespaces make `:` a separator, not a name char).
 * Supplementary name characters (U+10000..U+EFFFF) are surrogate pairs: see {@link isNamePair}.
 */
export function isNameStart(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
  return (
    (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) || (c >= 0x37f && c <= 0x1fff) || c === 0x200c || c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) || (c >= 0x2c00 && c <= 0x2fef) || (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd)
  );
}

/** ASCII NameChar lookup (letters, digits, `_`, `-`, `.`): one load instead of six comparisons. */
const ASCII_NAME_CHAR = new Uint8Array(128).map((_, c) =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d || c === 0x2e ? 1 : 0);

/** True for a BMP NameChar, colon excluded. */
export function isNameChar(c: number): boolean {
  if (c < 0x80) return ASCII_NAME_CHAR[c] === 1;
  return isNameStart(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040;
}

/** True when the two code units are a surrogate pair for a code point in U+10000..U+EFFFF (a name char). */
export function isNamePair(hi: number, lo: number): boolean {
  return hi >= 0xd800 && hi <= 0xdb7f && lo >= 0xdc00 && lo <= 0xdfff;
}

/** True when `name` is a QName: an NCName, or two NCNames joined by one colon (Namespaces in XML §3). */
export function isQName(name: string): boolean {
  const n = name.length;
  let colon = -1;
  let i = 0;
  while (i < n) {
    const c = name.charCodeAt(i);
    const atStart = i === 0 || i === colon + 1;
    if (atStart ? isNameStart(c) : isNameChar(c)) i++;
    else if (isNamePair(c, name.charCodeAt(i + 1))) i += 2;
    else if (c === 0x3a && colon === -1 && !atStart) colon = i++;
    else return false;
  }
  return n > 0 && colon !== n - 1;
}

/** Namespace of the XML prefix, bound without a declaration (Namespaces in XML §3). */
export const XML_PREFIX_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/**
 * True for the SyncML default namespaces in any spelling devices use: any case, and with the space
 * of `SYNCML:SYNCML 1.1` as printed in Microsoft's documentation. The tree records these as `ns`
 * undefined, so 1.1 and 1.2 documents yield the same elements (the version lives in VerDTD).
 */
export function isSyncMLNamespace(uri: string): boolean {
  const n = uri.length;
  if (n < 16 || n > 17) return false;
  const u = uri.toUpperCase();
  if (!u.startsWith('SYNCML:SYNCML')) return false;
  let i = 13;
  if (u.charCodeAt(i) === 0x20) i++;
  return i + 3 === n && isDigit(u.charCodeAt(i)) && u.charCodeAt(i + 1) === 0x2e && isDigit(u.charCodeAt(i + 2));
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Element names of the MetInf DTD (OMA-TS-SyncML_MetaInfo). A tolerated unbound prefix on one of
 * these (`<A:Format>` in fleet vectors) is read as the `syncml:metinf` namespace.
 */
export const METINF_NAMES: ReadonlySet<string> = new Set([
  'Anchor', 'EMI', 'FieldLevel', 'Format', 'FreeID', 'FreeMem', 'Last', 'MaxMsgSize', 'MaxObjSize',
  'Mark', 'Mem', 'MetInf', 'Next', 'NextNonce', 'SharedMem', 'Size', 'Type', 'Version',
]);

/** The MetInf namespace URI as DM engines write it. */
export const METINF_NAMESPACE: string = Namespace.METINF;

/**
 * Offset of the first character in `s[start, end)` that XML 1.0 §2.2 [2] does not allow (C0 controls
 * other than tab/LF/CR, U+FFFE, U+FFFF, unpaired surrogates), or -1. A per-char loop: only called on
 * the rare slices that the fast scans flagged.
 */
export function firstInvalidChar(s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    } else if (c >= 0xd800) {
      if (c <= 0xdbff) {
        const d = s.charCodeAt(i + 1);
        if (i + 1 >= end || d < 0xdc00 || d > 0xdfff) return i;
        i++;
      } else if (c <= 0xdfff || c >= 0xfffe) {
        return i;
      }
    }
  }
  return -1;
}
