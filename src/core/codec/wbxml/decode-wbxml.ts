/**
 * WBXML bytes → element tree, in one pass over the input (WAP-192-WBXML-20010725 §5.8).
 * Any language of code-pages.ts (SyncML 1.0–1.2, DM DDF 1.2, PROV); the header's public id picks it.
 * Every failure is a CodecError with the byte offset; the loop consumes at least one byte per
 * step and keeps its own stack, so no input can hang it or overflow the call stack.
 */
import { CodecError, ErrorCode } from '../../errors.js';
import { MediaType } from '../../constants/meta-types.js';
import { DEFAULT_LIMITS, type DecodeLimits, type DmDocument, type DmElement, type DmNode } from '../element.js';
import { DMDDF_12, SYNCML_12, type WbxmlLanguage } from './code-pages.js';
import { dataMetaType } from './opaque-data.js';
import { compiled, languageByPublicId, languageByXmlPublicId, type CompiledLanguage } from './wbxml-language.js';
import { hex, malformed, probeLiteralPublicId, truncated, WbxmlReader } from './wbxml-reader.js';
import { GlobalToken as T, PUBLIC_ID_UNKNOWN, TAG_ATTRIBUTES, TAG_CONTENT, TAG_MASK } from './wbxml-tokens.js';

const { SWITCH_PAGE, END, ENTITY, STR_I, STR_T, OPAQUE, PI, LITERAL, LITERAL_C, LITERAL_A, LITERAL_AC } = T;
/** Lowest tag identity; identities 0–4 are the global tokens on every page (§5.8.4). */
const FIRST_TAG = 0x05;

/** The element shape built while decoding (exposed read-only as DmElement). */
interface Building {
  name: string;
  ns?: string;
  attrs?: Record<string, string>;
  children: DmNode[];
}

/**
 * Decodes a WBXML document into the element tree.
 *
 * - Public id: numeric (0x0FD1, 0x0FD3, 0x1201) or a string-table literal; an unknown id
 *   (0x01, or an unrecognised literal) is read with the SyncML 1.2 tables.
 * - SyncML 1.0/1.1 documents are read with the 1.2 tables (a superset), so a 1.2 token under a
 *   1.1 public id still decodes (AOSP vectors label VerDTD 1.2 messages as 1.1).
 * - Page 0 elements get `ns` undefined, page 1 `syncml:metinf`, page 2 `syncml:dmddf1.2`.
 * - Adjacent text pieces (STR_I, STR_T, ENTITY) become one string; OPAQUE becomes a Uint8Array;
 *   empty strings are dropped.
 * - OPAQUE in Data holding a DM DDF document (libwbxml's way of carrying a TNDS MgmtTree) becomes
 *   that document's root element. See docs/reference/wbxml.md.
 *
 * @throws CodecError ERR_WBXML_TRUNCATED, ERR_WBXML_MALFORMED, ERR_WBXML_UNKNOWN_TOKEN,
 *   ERR_WBXML_UNSUPPORTED, ERR_CODEC_LIMIT_SIZE / _DEPTH / _ELEMENTS.
 */
export function decodeWbxmlDocument(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_LIMITS): DmDocument {
  if (!(bytes instanceof Uint8Array)) throw new CodecError(ErrorCode.ERR_WBXML_MALFORMED, 'WBXML input is not a Uint8Array');
  const maxBytes = limits.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  if (bytes.length > maxBytes) {
    throw new CodecError(ErrorCode.ERR_CODEC_LIMIT_SIZE, `WBXML message of ${bytes.length} bytes exceeds the ${maxBytes}-byte limit`, { offset: maxBytes });
  }
  const budget: Budget = {
    maxDepth: limits.maxDepth ?? DEFAULT_LIMITS.maxDepth,
    maxElements: limits.maxElements ?? DEFAULT_LIMITS.maxElements,
    elements: 0,
  };
  return decodeDocument(bytes, budget, 0);
}

/** Limits shared by a document and the documents embedded in it. */
interface Budget {
  readonly maxDepth: number;
  readonly maxElements: number;
  elements: number;
}

function decodeDocument(bytes: Uint8Array, budget: Budget, depth: number): DmDocument {
  const r = new WbxmlReader(bytes);
  const h = r.header();
  let language: WbxmlLanguage | undefined;
  let publicId: string | undefined;
  if (h.publicIdLiteral !== undefined) {
    language = languageByXmlPublicId(h.publicIdLiteral);
    publicId = h.publicIdLiteral;
  } else if (h.publicId !== undefined) {
    language = languageByPublicId(h.publicId);
    if (!language && h.publicId !== PUBLIC_ID_UNKNOWN) {
      throw new CodecError(ErrorCode.ERR_WBXML_UNSUPPORTED, `unknown WBXML public id 0x${h.publicId.toString(16)}`, { offset: 1 });
    }
    publicId = language?.xmlPublicId;
  }
  language ??= SYNCML_12;
  const root = decodeBody(r, compiled(language.decodeWith ?? language), budget, depth);
  return publicId === undefined ? { root } : { root, publicId };
}

function decodeBody(r: WbxmlReader, tables: CompiledLanguage, budget: Budget, depth: number): DmElement {
  const { maxDepth, maxElements } = budget;
  const stack: Building[] = [];
  let current: Building | undefined;
  let root: Building | undefined;
  let page = 0;
  const attrPage = { value: 0 };

  for (;;) {
    if (r.atEnd) {
      if (current) throw truncated(`element ${pathOf(stack)}`, r.offset);
      if (!root) throw truncated('the document body (no root element)', r.offset);
      return root;
    }
    const at = r.offset;
    const t = r.u8();
    let name: string | undefined;
    let ns: string | undefined;
    if ((t & TAG_MASK) >= FIRST_TAG) {
      // Tag tokens are most of the stream: test them first, before the global tokens.
      name = tables.tagNames[page]?.[t & TAG_MASK];
      if (name === undefined) throw unknownToken(`tag token 0x${hex(t & TAG_MASK)} on code page ${page} of ${tables.language.name}`, at);
      ns = tables.pageNamespaces[page];
    } else if (t === END) {
      if (!current) throw malformed('END outside any element', at);
      stack.pop();
      current = stack[stack.length - 1];
      continue;
    } else if (t === STR_I) {
      addText(need(current, root, at), r.inlineString());
      continue;
    } else if (t === SWITCH_PAGE) {
      page = r.u8();
      continue;
    } else if (t === OPAQUE) {
      const parent = need(current, root, at);
      const data = r.bytes(r.mbUint32(), 'OPAQUE data');
      let node: DmNode = data;
      if (depth === 0 && parent.name === 'Data' && parent.ns === undefined) {
        node = unembed(data, budget, depth + stack.length);
        if (node !== data) relabelTnds(stack);
      }
      parent.children.push(node);
      continue;
    } else if (t === STR_T) {
      addText(need(current, root, at), r.tableString(r.mbUint32(), at));
      continue;
    } else if (t === ENTITY) {
      addText(need(current, root, at), entity(r.mbUint32(), at));
      continue;
    } else if (t === PI) {
      readAttributes(r, tables, attrPage);
      continue;
    } else if (t === LITERAL || t === LITERAL_C || t === LITERAL_A || t === LITERAL_AC) {
      name = r.tableString(r.mbUint32(), at);
      ns = tables.pageNamespaces[page];
    } else {
      // EXT_I_n, EXT_T_n, EXT_n: extension tokens, which no supported language defines.
      throw unknownToken(`extension token 0x${hex(t)} (not used by ${tables.language.name})`, at);
    }
    // An element starts.
    if (!current && root) throw malformed('a second root element', at);
    if (++budget.elements > maxElements) {
      throw new CodecError(ErrorCode.ERR_CODEC_LIMIT_ELEMENTS, `more than ${maxElements} elements`, { offset: at });
    }
    if (depth + stack.length + 1 > maxDepth) {
      throw new CodecError(ErrorCode.ERR_CODEC_LIMIT_DEPTH, `elements nested deeper than ${maxDepth}`, { offset: at, path: pathOf(stack) });
    }
    const el: Building = ns === undefined ? { name, children: [] } : { name, ns, children: [] };
    if ((t & TAG_ATTRIBUTES) !== 0) {
      const attrs = readAttributes(r, tables, attrPage);
      if (attrs) el.attrs = attrs;
    }
    if (current) current.children.push(el);
    else root = el;
    if ((t & TAG_CONTENT) !== 0) {
      stack.push(el);
      current = el;
    }
  }
}

/**
 * OPAQUE inside Data that holds a DM DDF (TNDS) WBXML document, as libwbxml embeds a MgmtTree,
 * becomes that document's root element again; anything else (and an embedded document that does
 * not decode) stays bytes, as in libwbxml. A cheap header probe keeps ordinary data off this path.
 * Only the outer document un-embeds (`depth === 0` above), so nesting cannot recurse without bound.
 */
function unembed(data: Uint8Array, budget: Budget, depth: number): DmNode {
  if (probeLiteralPublicId(data) !== DMDDF_12.xmlPublicId) return data;
  const elements = budget.elements;
  try {
    return decodeDocument(data, budget, depth).root;
  } catch (err) {
    if (err instanceof CodecError && err.code.startsWith('ERR_CODEC_LIMIT')) throw err;
    budget.elements = elements;
    return data;
  }
}

/**
 * After un-embedding a TNDS document, its Meta Type `application/vnd.syncml.dmtnds+wbxml` reads
 * `+xml` again, so the tree matches the XML form of the message (libwbxml's wbxml2xml does the same).
 */
function relabelTnds(stack: readonly Building[]): void {
  const data = stack[stack.length - 1];
  const parent = stack[stack.length - 2];
  if (!data || !parent) return;
  const type = dataMetaType(data, parent, stack[stack.length - 3]) as Building | undefined;
  if (type && type.children[0] === MediaType.TNDS_WBXML) type.children[0] = MediaType.TNDS_XML;
}

/** The element text may go into, or an error when the token stands outside the root element. */
function need(current: Building | undefined, root: Building | undefined, at: number): Building {
  if (current) return current;
  throw malformed(root ? 'content after the root element' : 'content before the root element', at);
}

function addText(el: Building, s: string): void {
  if (s.length === 0) return;
  const ch = el.children;
  const last = ch.length - 1;
  if (last >= 0) {
    const prev = ch[last];
    if (typeof prev === 'string') {
      ch[last] = prev + s;
      return;
    }
  }
  ch.push(s);
}

function entity(codePoint: number, at: number): string {
  if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
    throw malformed(`ENTITY ${codePoint} is not a Unicode scalar value`, at);
  }
  return String.fromCodePoint(codePoint);
}

/**
 * Reads an attribute list up to its END (§5.8.3). SyncML defines no attribute tokens, so in
 * practice only LITERAL names with string values occur; token tables serve languages that have them.
 */
function readAttributes(r: WbxmlReader, tables: CompiledLanguage, attrPage: { value: number }): Record<string, string> | undefined {
  let attrs: Record<string, string> | undefined;
  let name: string | undefined;
  let value = '';
  const flush = (): void => {
    if (name === undefined) return;
    attrs ??= {};
    Object.defineProperty(attrs, name, { value, enumerable: true, writable: true, configurable: true });
  };
  for (;;) {
    const at = r.offset;
    const t = r.u8();
    if (t === T.END) break;
    if (t === T.SWITCH_PAGE) {
      attrPage.value = r.u8();
      continue;
    }
    if (t === T.LITERAL) {
      flush();
      name = r.tableString(r.mbUint32(), at);
      value = '';
      continue;
    }
    if (t === T.STR_I || t === T.STR_T || t === T.ENTITY || t === T.OPAQUE) {
      if (name === undefined) throw malformed('attribute value without an attribute name', at);
      if (t === T.STR_I) value += r.inlineString();
      else if (t === T.STR_T) value += r.tableString(r.mbUint32(), at);
      else if (t === T.ENTITY) value += entity(r.mbUint32(), at);
      else value += r.text(r.mbUint32(), 'OPAQUE attribute value');
      continue;
    }
    if (t < 0x80) {
      const start = tables.attrStarts[attrPage.value]?.[t];
      if (!start) throw unknownToken(`attribute token 0x${hex(t)} on code page ${attrPage.value} of ${tables.language.name}`, at);
      flush();
      name = start.name;
      value = start.value ?? '';
      continue;
    }
    const v = tables.attrValues[attrPage.value]?.[t];
    if (v === undefined || name === undefined) {
      throw unknownToken(`attribute value token 0x${hex(t)} on code page ${attrPage.value} of ${tables.language.name}`, at);
    }
    value += v;
  }
  flush();
  return attrs;
}

function unknownToken(what: string, offset: number): CodecError {
  return new CodecError(ErrorCode.ERR_WBXML_UNKNOWN_TOKEN, `unknown ${what}`, { offset });
}

function pathOf(stack: readonly Building[]): string {
  return stack.map((e) => e.name).join('/');
}
