/**
 * Provisioning documents as WBXML (content type application/vnd.wap.connectivity-wbxml, WSP 0x36;
 * OMA-WAP-TS-ProvCont-V1_1 §7). Decoding goes through the generic WBXML decoder with the PROV
 * tables; encoding is done here because ProvCont is attribute-centric: an attribute becomes the
 * longest matching attribute-start token plus value tokens, inline strings and string-table
 * references, and which token wins depends on the ordered tables in prov-code-pages.ts. With the
 * same choices as libwbxml 0.11.8 the output is byte-identical to `xml2wbxml` (with or without -n).
 */
import { CodecError, ErrorCode } from '../errors.js';
import type { DecodeLimits, DmElement } from '../codec/element.js';
import { decodeWbxmlDocument } from '../codec/wbxml/decode-wbxml.js';
import { PROV_10, PROV_ATTR_STARTS, PROV_ATTR_VALUES, PROV_WBXML_PUBLIC_ID, type ProvAttrStartToken } from '../codec/wbxml/prov-code-pages.js';
import { WbxmlReader } from '../codec/wbxml/wbxml-reader.js';
import { CHARSET_UTF8, GlobalToken as T, TAG_ATTRIBUTES, TAG_CONTENT } from '../codec/wbxml/wbxml-tokens.js';
import { WbxmlWriter } from '../codec/wbxml/wbxml-writer.js';
import { cpFromElement, cpToElement, type CpDocument } from './cp-document.js';
import { StringTable } from '../codec/wbxml/string-table.js';

/** Options of {@link encodeCpWbxml}. */
export interface CpWbxmlEncodeOptions {
  /** WBXML version byte: 0x01, 0x02 or 0x03 (default, WBXML 1.3, what `xml2wbxml` writes). */
  readonly version?: 0x01 | 0x02 | 0x03;
  /**
   * Build a string table for repeated values (default true, as `xml2wbxml` does; false is
   * `xml2wbxml -n`). Either way the result is valid WBXML; the table only saves bytes.
   */
  readonly stringTable?: boolean;
}

/** Strings must be longer than this many bytes to enter the string table (libwbxml's minimum). */
const TABLE_MIN_BYTES = 3;

/** A piece of an attribute value once tokenised. */
type Piece = string | { readonly page: number; readonly token: number } | { readonly ref: number };

/** The start token chosen for an attribute, and the value text it leaves to encode. */
interface StartChoice {
  readonly start: ProvAttrStartToken;
  /** Text still to encode after the token; `undefined` when the token is the exact name/value pair. */
  readonly rest: string | undefined;
}

/**
 * Encodes a provisioning document as WBXML with public id 0x0B and UTF-8.
 *
 * @throws CodecError ERR_WBXML_UNSUPPORTED for an attribute name PROV has no token for.
 */
export function encodeCpWbxml(doc: CpDocument, options: CpWbxmlEncodeOptions = {}): Uint8Array {
  const root = cpToElement(doc).root;
  const table = options.stringTable === false ? new StringTable() : buildStringTable(root);
  const w = new WbxmlWriter(512);
  w.u8(options.version ?? 0x03);
  w.mbUint32(PROV_WBXML_PUBLIC_ID);
  w.mbUint32(CHARSET_UTF8);
  w.mbUint32(table.byteLength);
  for (const s of table.strings) w.cString(s);
  const state = { w, table, attrPage: 0 };
  writeElement(state, root);
  return w.finish();
}

/**
 * Decodes a WBXML provisioning document. The header must carry public id 0x0B (or the PROV
 * formal public identifier as a literal).
 *
 * @throws CodecError ERR_WBXML_* for malformed WBXML, ERR_CP_INVALID for another document type
 *   or a document that breaks the ProvCont structure.
 */
export function decodeCpWbxml(bytes: Uint8Array, limits?: DecodeLimits): CpDocument {
  const header = new WbxmlReader(bytes).header();
  const isProv = header.publicId === PROV_WBXML_PUBLIC_ID ||
    (header.publicIdLiteral !== undefined && header.publicIdLiteral.trim().toUpperCase() === PROV_10.xmlPublicId.toUpperCase());
  if (!isProv) {
    const id = header.publicIdLiteral ?? `0x${(header.publicId ?? 0).toString(16)}`;
    throw new CodecError(ErrorCode.ERR_CP_INVALID, `WBXML public id ${id} is not a provisioning document (0x0B)`, { offset: 1 });
  }
  return cpFromElement(decodeWbxmlDocument(bytes, limits));
}

interface EncodeState {
  readonly w: WbxmlWriter;
  readonly table: StringTable;
  /** Attribute code page in force (WBXML §5.8.4.7: separate from the tag code page, never reset). */
  attrPage: number;
}

const TAG_TOKENS: ReadonlyMap<string, number> = new Map(
  Object.entries(PROV_10.pages.find((p) => p.page === 0)?.tags ?? {}).map(([t, name]) => [name, Number(t)]),
);

function writeElement(state: EncodeState, el: DmElement): void {
  const { w } = state;
  const token = TAG_TOKENS.get(el.name);
  if (token === undefined) throw new CodecError(ErrorCode.ERR_WBXML_UNSUPPORTED, `element ${el.name} has no PROV token`);
  const attrs = el.attrs === undefined ? [] : Object.entries(el.attrs);
  const children = el.children.filter((c): c is DmElement => typeof c === 'object' && !(c instanceof Uint8Array));
  // Every PROV tag is on page 0, the initial tag page, so no tag SWITCH_PAGE is ever needed.
  w.u8(token | (children.length > 0 ? TAG_CONTENT : 0) | (attrs.length > 0 ? TAG_ATTRIBUTES : 0));
  if (attrs.length > 0) {
    for (const [name, value] of attrs) writeAttribute(state, name, value);
    w.u8(T.END);
  }
  if (children.length === 0) return;
  for (const c of children) writeElement(state, c);
  w.u8(T.END);
}

function writeAttribute(state: EncodeState, name: string, value: string): void {
  const choice = chooseStart(name, value);
  if (!choice) throw new CodecError(ErrorCode.ERR_WBXML_UNSUPPORTED, `attribute ${name} has no PROV token`);
  // STR_I ends at U+0000, so such a value cannot be written (XML cannot carry it either).
  if (value.includes('\0')) throw new CodecError(ErrorCode.ERR_WBXML_UNSUPPORTED, `attribute ${name} value contains U+0000`);
  writeToken(state, choice.start.page, choice.start.token);
  if (choice.rest === undefined || choice.rest === '') return;
  for (const piece of tokenize(choice.rest, state.table)) {
    if (typeof piece === 'string') {
      if (piece.length === 0) continue;
      state.w.u8(T.STR_I);
      state.w.cString(piece);
    } else if ('ref' in piece) {
      state.w.u8(T.STR_T);
      state.w.mbUint32(piece.ref);
    } else {
      writeToken(state, piece.page, piece.token);
    }
  }
}

function writeToken(state: EncodeState, page: number, token: number): void {
  if (page !== state.attrPage) {
    state.w.u8(T.SWITCH_PAGE);
    state.w.u8(page);
    state.attrPage = page;
  }
  state.w.u8(token);
}

/**
 * The attribute-start token for a name/value pair (WBXML §6.1: the encoder may fold a value
 * prefix into the start token): an exact name/value token first, else the token whose value is the
 * longest proper prefix of the value, else the value-less token; equal candidates go to the first
 * listed.
 */
function chooseStart(name: string, value: string): StartChoice | undefined {
  let best: ProvAttrStartToken | undefined;
  let bestLength = 0;
  for (const a of PROV_ATTR_STARTS) {
    if (a.name !== name) continue;
    if (a.value === undefined) {
      best ??= a;
    } else if (a.value === value) {
      return { start: a, rest: undefined };
    } else if (a.value.length < value.length && a.value.length > bestLength && value.startsWith(a.value)) {
      best = a;
      bestLength = a.value.length;
    }
  }
  return best === undefined ? undefined : { start: best, rest: value.slice(bestLength) };
}

/** Splits a value by attribute-value tokens (in table order), then by string-table entries. */
function tokenize(value: string, table: StringTable): Piece[] {
  let pieces: Piece[] = [value];
  for (const v of PROV_ATTR_VALUES) pieces = splitPieces(pieces, v.text, { page: v.page, token: v.token });
  for (const s of table.strings) pieces = splitPieces(pieces, s, { ref: table.offsetOf(s) ?? 0 });
  return pieces;
}

/** Replaces every occurrence of `needle` in the string pieces by `marker`, left to right. */
function splitPieces(pieces: readonly Piece[], needle: string, marker: Exclude<Piece, string>): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    if (typeof p !== 'string' || !p.includes(needle)) {
      out.push(p);
      continue;
    }
    const parts = p.split(needle);
    parts.forEach((part, i) => {
      if (i > 0) out.push(marker);
      out.push(part);
    });
  }
  return out;
}


/**
 * The string table libwbxml builds (WBXML §5.7 leaves the choice to the encoder): collect the
 * attribute values that would be written as plain strings (no folding start token, no value token
 * inside) and longer than 3 bytes, in document order; those seen twice enter the table; the words
 * (split at ASCII white space) of the others that occur twice enter it next.
 */
function buildStringTable(root: DmElement): StringTable {
  const strings: string[] = [];
  const collect = (el: DmElement): void => {
    for (const [name, value] of Object.entries(el.attrs ?? {})) {
      if (byteLength(value) <= TABLE_MIN_BYTES) continue;
      const choice = chooseStart(name, value);
      const plain = choice === undefined || (choice.start.value === undefined);
      if (plain && !PROV_ATTR_VALUES.some((v) => value.includes(v.text))) strings.push(value);
    }
    for (const c of el.children) if (typeof c === 'object' && !(c instanceof Uint8Array)) collect(c);
  };
  collect(root);
  const table = new StringTable();
  const once = addRepeated(strings, table);
  addRepeated(once.flatMap((s) => s.split(/[ \t\n\v\f\r]+/).filter((w) => w.length > 0)), table);
  return table;
}

/** Adds the strings that occur more than once (and are long enough); returns the others, first-seen order. */
function addRepeated(list: readonly string[], table: StringTable): string[] {
  const counts = new Map<string, number>();
  for (const s of list) counts.set(s, (counts.get(s) ?? 0) + 1);
  const once: string[] = [];
  for (const [s, n] of counts) {
    if (n > 1 && byteLength(s) > TABLE_MIN_BYTES) table.add(s);
    else once.push(s);
  }
  return once;
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
