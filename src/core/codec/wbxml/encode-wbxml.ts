/**
 * Element tree → WBXML bytes (WAP-192-WBXML-20010725). Defaults match what DM clients send and
 * what `xml2wbxml -n -v 1.2` writes: WBXML 1.2, numeric public id, UTF-8, empty string table,
 * SWITCH_PAGE only when the code page changes, and `<Data>` text as OPAQUE where libwbxml puts it.
 */
import { CodecError, ErrorCode } from '../../errors.js';
import { MediaType, Namespace } from '../../constants/meta-types.js';
import { isElement, type DmDocument, type DmElement, type DmNode } from '../element.js';
import { DMDDF_12, SYNCML_10, SYNCML_11, SYNCML_12, WBXML_LANGUAGES, type WbxmlLanguage } from './code-pages.js';
import { dataMetaType, libwbxmlOpaqueData, type OpaqueDataPredicate } from './opaque-data.js';
import { compiled, languageByXmlPublicId, type CompiledLanguage } from './wbxml-language.js';
import { CHARSET_UTF8, GlobalToken, PUBLIC_ID_LITERAL, TAG_ATTRIBUTES, TAG_CONTENT, WbxmlVersion } from './wbxml-tokens.js';
import { WbxmlWriter } from './wbxml-writer.js';
import { StringTable } from './string-table.js';

/** Options of {@link encodeWbxmlDocument}. */
export interface WbxmlEncodeOptions {
  /** Version byte: 0x02 (WBXML 1.2, default, what DM clients send) or 0x03 (WBXML 1.3). */
  readonly version?: 0x02 | 0x03;
  /** Write the public id as a string-table literal (public id 0 + index), as one shipping client does. */
  readonly publicIdAsLiteral?: boolean;
  /** Put repeated strings (and unknown element names, as LITERAL) in a string table. Default false. */
  readonly stringTable?: boolean;
  /** Which `Data` texts become OPAQUE; default {@link libwbxmlOpaqueData}. Uint8Array children are always OPAQUE. */
  readonly opaqueData?: OpaqueDataPredicate;
}

const { SWITCH_PAGE, END, STR_T, LITERAL } = GlobalToken;

/** Namespace whose elements inside Data travel as an embedded WBXML document. */
const DMDDF_NAMESPACE: string = Namespace.DMDDF_12;
/** Strings shorter than this (in UTF-16 units) stay inline even when repeated (libwbxml's minimum is 3). */
const TABLE_MIN_LENGTH = 3;
/** Guard against call-stack exhaustion on absurd trees; far above any DM message. */
const MAX_ENCODE_DEPTH = 1024;

/**
 * Encodes an element tree as WBXML.
 *
 * The language comes from `doc.publicId`, else from the root (`SyncML` with VerDTD 1.0/1.1/1.2,
 * `MgmtTree`). Elements map to code pages by namespace (`ns` undefined → page 0,
 * `syncml:metinf` → 1, `syncml:dmddf1.2` → 2); a name missing from its namespace's page is looked
 * up on the other pages, as libwbxml does. Attributes are dropped for languages without attribute
 * tokens (SyncML), as libwbxml does.
 *
 * @throws CodecError ERR_WBXML_UNSUPPORTED for an unknown public id or root, or an element name
 *   with no token when the string table is off (with it on, the name is written as LITERAL).
 */
export function encodeWbxmlDocument(doc: DmDocument, options: WbxmlEncodeOptions = {}): Uint8Array {
  return encodeDocument(doc, options, 0);
}

/** `depth` counts the elements around an embedded document, so the depth guard spans documents. */
function encodeDocument(doc: DmDocument, options: WbxmlEncodeOptions, depth: number): Uint8Array {
  const language = languageFor(doc);
  const tables = compiled(language);
  const useTable = options.stringTable === true;
  const literalId = options.publicIdAsLiteral === true || language.publicIds.length === 0;
  const state: EncodeState = {
    options,
    tables,
    w: new WbxmlWriter(2048),
    page: 0,
    table: undefined,
    opaque: options.opaqueData ?? libwbxmlOpaqueData,
    depth,
    path: [],
    ancestors: [],
  };

  // Pass 1 (only with a string table): choose the table content before the header is written.
  const table = new StringTable();
  if (literalId) table.add(language.xmlPublicId);
  if (useTable) {
    const counts = new Map<string, number>();
    collect(state, doc.root, counts, table);
    for (const [s, n] of counts) if (n >= 2 && s.length >= TABLE_MIN_LENGTH) table.add(s);
    state.table = table;
  }

  const w = state.w;
  w.u8(options.version ?? WbxmlVersion.V1_2);
  if (literalId) {
    w.u8(PUBLIC_ID_LITERAL);
    w.mbUint32(0);
  } else {
    w.mbUint32(language.publicIds[0]!);
  }
  w.mbUint32(CHARSET_UTF8);
  w.mbUint32(table.byteLength);
  for (const s of table.strings) w.cString(s);
  element(state, doc.root);
  return w.finish();
}

interface EncodeState {
  readonly options: WbxmlEncodeOptions;
  readonly tables: CompiledLanguage;
  readonly w: WbxmlWriter;
  page: number;
  table: StringTable | undefined;
  readonly opaque: OpaqueDataPredicate;
  readonly depth: number;
  readonly path: string[];
  readonly ancestors: DmElement[];
}


function languageFor(doc: DmDocument): WbxmlLanguage {
  if (doc.publicId !== undefined) {
    const l = languageByXmlPublicId(doc.publicId);
    if (!l) throw new CodecError(ErrorCode.ERR_WBXML_UNSUPPORTED, `no WBXML token table for public id "${doc.publicId}"`);
    return l;
  }
  const root = doc.root;
  if (root.name === 'SyncML' && (root.ns === undefined || /^SYNCML:SYNCML ?1\.\d$/i.test(root.ns))) {
    const verDtd = textAt(root, 'SyncHdr', 'VerDTD');
    return verDtd === '1.0' ? SYNCML_10 : verDtd === '1.1' ? SYNCML_11 : SYNCML_12;
  }
  if (root.name === DMDDF_12.rootName) return DMDDF_12;
  const l = WBXML_LANGUAGES.find((x) => x.rootName === root.name);
  if (!l) throw new CodecError(ErrorCode.ERR_WBXML_UNSUPPORTED, `no WBXML token table for root element ${root.name}`, { path: root.name });
  return l;
}

function textAt(root: DmElement, ...names: string[]): string | undefined {
  let e: DmElement | undefined = root;
  for (const n of names) {
    e = e.children.find((c): c is DmElement => typeof c !== 'string' && isElement(c) && c.name === n);
    if (!e) return undefined;
  }
  const t = e.children[0];
  return typeof t === 'string' ? t.trim() : undefined;
}

/** Packed page/token of an element, or undefined when it has none in this language. */
function tagOf(tables: CompiledLanguage, el: DmElement): number | undefined {
  const byName = el.ns === undefined ? tables.defaultTags : tables.tagsByNamespace.get(el.ns);
  return byName?.get(el.name) ?? tables.tagsByName.get(el.name);
}

function collect(state: EncodeState, el: DmElement, counts: Map<string, number>, table: StringTable): void {
  if (state.depth + state.path.length >= MAX_ENCODE_DEPTH) throw tooDeep(state);
  if (tagOf(state.tables, el) === undefined) table.add(el.name);
  if (state.tables.hasAttributes && el.attrs) {
    for (const name of Object.keys(el.attrs)) if (!state.tables.attrsByName.has(name)) table.add(name);
  }
  const opaque = hasText(el) && isOpaqueData(state, el);
  state.path.push(el.name);
  state.ancestors.push(el);
  const data = isDataElement(el);
  for (const c of el.children) {
    if (typeof c === 'string') {
      if (!opaque && c.length > 0) counts.set(c, (counts.get(c) ?? 0) + 1);
    } else if (isElement(c) && !(data && c.ns === DMDDF_NAMESPACE)) collect(state, c, counts, table);
  }
  state.path.pop();
  state.ancestors.pop();
}

function element(state: EncodeState, el: DmElement): void {
  const { w, tables } = state;
  if (state.depth + state.path.length >= MAX_ENCODE_DEPTH) throw tooDeep(state);
  const content = hasContent(el.children);
  const attrs = tables.hasAttributes && el.attrs !== undefined && Object.keys(el.attrs).length > 0 ? el.attrs : undefined;
  const flags = (content ? TAG_CONTENT : 0) | (attrs ? TAG_ATTRIBUTES : 0);
  const packed = tagOf(tables, el);
  if (packed !== undefined) {
    const page = packed >> 8;
    if (page !== state.page) {
      w.u8(SWITCH_PAGE);
      w.u8(page);
      state.page = page;
    }
    w.u8((packed & 0xff) | flags);
  } else {
    const index = state.table?.offsetOf(el.name);
    if (index === undefined) {
      const where = el.ns === undefined ? '' : ` (namespace ${el.ns})`;
      throw new CodecError(
        ErrorCode.ERR_WBXML_UNSUPPORTED,
        `element ${el.name}${where} has no token in ${tables.language.name}; enable the string table to write it as LITERAL`,
        { path: [...state.path, el.name].join('/') },
      );
    }
    w.u8(LITERAL | flags);
    w.mbUint32(index);
  }
  if (attrs) attributes(state, attrs);
  if (!content) return;
  const opaque = hasText(el) && isOpaqueData(state, el);
  const data = isDataElement(el);
  state.path.push(el.name);
  state.ancestors.push(el);
  for (const c of el.children) {
    if (typeof c === 'string') text(state, el.name === 'Type' ? tndsType(state, el, c) : c, opaque);
    else if (c instanceof Uint8Array) w.opaque(c);
    else if (data && c.ns === DMDDF_NAMESPACE) w.opaque(embedded(state, c));
    else element(state, c);
  }
  state.path.pop();
  state.ancestors.pop();
  w.u8(END);
}

function text(state: EncodeState, s: string, opaque: boolean): void {
  const w = state.w;
  if (s.length === 0) return;
  if (opaque) {
    w.opaqueText(s);
    return;
  }
  const index = state.table?.offsetOf(s);
  if (index !== undefined) {
    w.u8(STR_T);
    w.mbUint32(index);
    return;
  }
  w.inlineText(s);
}

/** Attribute list for languages with attribute tokens: value-less start token or LITERAL name, value as STR_I. */
function attributes(state: EncodeState, attrs: Readonly<Record<string, string>>): void {
  const { w, tables } = state;
  let attrPage = 0;
  for (const [name, value] of Object.entries(attrs)) {
    const packed = tables.attrsByName.get(name);
    if (packed !== undefined) {
      if (packed >> 8 !== attrPage) {
        attrPage = packed >> 8;
        w.u8(SWITCH_PAGE);
        w.u8(attrPage);
      }
      w.u8(packed & 0xff);
    } else {
      const index = state.table?.offsetOf(name);
      if (index === undefined) {
        throw new CodecError(ErrorCode.ERR_WBXML_UNSUPPORTED, `attribute ${name} has no token in ${tables.language.name}`, { path: state.path.join('/') });
      }
      w.u8(LITERAL);
      w.mbUint32(index);
    }
    if (value.length > 0) text(state, value, false);
  }
  w.u8(END);
}

/** True when some child produces bytes (empty strings do not). */
function hasContent(children: readonly DmNode[]): boolean {
  for (let i = 0; i < children.length; i++) {
    const c = children[i]!;
    if (typeof c !== 'string' || c.length > 0) return true;
  }
  return false;
}

/**
 * A DM DDF element (a TNDS MgmtTree) inside Data, as its own WBXML document carried in OPAQUE,
 * which is how libwbxml writes it (literal public id `-//OMA//DTD-DM-DDF 1.2//EN`, page 2 tokens).
 */
function embedded(state: EncodeState, root: DmElement): Uint8Array {
  if (state.depth + state.path.length >= MAX_ENCODE_DEPTH) throw tooDeep(state);
  return encodeDocument({ root, publicId: DMDDF_12.xmlPublicId }, state.options, state.depth + state.path.length);
}

/**
 * The Meta Type `application/vnd.syncml.dmtnds+xml` (white space around it ignored) of a Data whose TNDS tree is written as an
 * embedded WBXML document becomes `+wbxml`, the type of what is now on the wire (libwbxml does
 * the same; it is what lets its wbxml2xml expand the document again). `state.ancestors` ends with
 * the Type element itself here.
 */
function tndsType(state: EncodeState, type: DmElement, text: string): string {
  if (text.length < MediaType.TNDS_XML.length || text.trim() !== MediaType.TNDS_XML) return text;
  const a = state.ancestors;
  const meta = a[a.length - 2];
  const holder = a[a.length - 3];
  if (!meta || meta.name !== 'Meta' || !holder) return text;
  const embeds = (data: DmElement, parent: DmElement, grand: DmElement | undefined): boolean =>
    isDataElement(data) && data.children.some((d) => typeof d !== 'string' && isElement(d) && d.ns === DMDDF_NAMESPACE) &&
    dataMetaType(data, parent, grand) === type;
  for (const c of holder.children) {
    if (typeof c === 'string' || !isElement(c)) continue;
    if (embeds(c, holder, a[a.length - 4])) return MediaType.TNDS_WBXML;
    for (const d of c.children) if (typeof d !== 'string' && isElement(d) && embeds(d, c, holder)) return MediaType.TNDS_WBXML;
  }
  return text;
}

function isDataElement(el: DmElement): boolean {
  return el.name === 'Data' && el.ns === undefined;
}

function hasText(el: DmElement): boolean {
  if (!isDataElement(el)) return false;
  for (const c of el.children) if (typeof c === 'string' && c.length > 0) return true;
  return false;
}

/** Asks the predicate; the arrays it gets are the live traversal state, valid during the call only. */
function isOpaqueData(state: EncodeState, el: DmElement): boolean {
  state.path.push(el.name);
  try {
    return state.opaque(state.path, { element: el, ancestors: state.ancestors });
  } finally {
    state.path.pop();
  }
}

function tooDeep(state: EncodeState): CodecError {
  return new CodecError(ErrorCode.ERR_CODEC_LIMIT_DEPTH, `elements nested deeper than ${MAX_ENCODE_DEPTH}`, { path: state.path.slice(0, 8).join('/') });
}
