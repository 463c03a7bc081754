/**
 * Element tree → XML text. Iterative (an explicit stack, so any depth the decoder accepted can be
 * written back), escaping only what XML 1.0 requires, namespaces written as default-namespace
 * `xmlns` attributes exactly where an element's namespace differs from its parent's.
 */
import type { DmDocument, DmElement, DmNode } from '../element.js';
import { CodecError, ErrorCode } from '../../errors.js';
import { Namespace } from '../../constants/meta-types.js';
import { firstInvalidChar, isNameChar, isNamePair, isNameStart, isQName } from './xml-chars.js';

/** Options of {@link encodeXmlDocument}. */
export interface XmlEncodeOptions {
  /** Write `<?xml version="1.0" encoding="UTF-8"?>` first (default false: DM clients send none). */
  readonly declaration?: boolean;
  /** Write a DOCTYPE with `doc.publicId` when it is set (default false). */
  readonly doctype?: boolean;
  /** Indentation per level for element-only content, e.g. `'  '` (default none: compact). */
  readonly indent?: string;
  /**
   * The namespace that `ns: undefined` stands for, written as `xmlns` on the root (default: for a
   * `SyncML` root `SYNCML:SYNCML1.x` from SyncHdr/VerDTD or the public id, otherwise none).
   */
  readonly rootNamespace?: string;
}

/** System identifiers written after the public ids DM documents use (the DTDs are never fetched). */
const SYSTEM_IDS: Readonly<Record<string, string>> = {
  '-//SYNCML//DTD SyncML 1.1//EN': 'http://www.syncml.org/docs/syncml_represent_v11_20020213.dtd',
  '-//SYNCML//DTD SyncML 1.2//EN': 'http://www.openmobilealliance.org/tech/DTD/OMA-TS-SyncML_RepPro_DTD-V1_2.dtd',
  '-//OMA//DTD-DM-DDF 1.2//EN': 'http://www.openmobilealliance.org/tech/DTD/dm_ddf-v1_2.dtd',
  '-//WAPFORUM//DTD PROV 1.0//EN': 'http://www.wapforum.org/DTD/prov.dtd',
};

/** Encodes a document as XML text; throws CodecError (ERR_XML_MALFORMED) for a tree XML cannot carry. */
export function encodeXmlDocument(doc: DmDocument, options: XmlEncodeOptions = {}): string {
  const root = doc.root;
  const nl = options.indent === undefined || options.indent === '' ? '' : '\n';
  let out = options.declaration === true ? `<?xml version="1.0" encoding="UTF-8"?>${nl}` : '';
  if (options.doctype === true && doc.publicId !== undefined) out += doctype(root.name, doc.publicId) + nl;
  const defaultNs = options.rootNamespace ?? inferRootNamespace(doc);
  return out + writeTree(root, defaultNs, options.indent ?? '');
}

/** `SYNCML:SYNCML1.x` for a SyncML root (VerDTD first, then the public id, else 1.2); '' otherwise. */
function inferRootNamespace(doc: DmDocument): string {
  const root = doc.root;
  if (root.name !== 'SyncML' || root.ns !== undefined) return '';
  const hdr = root.children.find((c): c is DmElement => isElementNode(c) && c.name === 'SyncHdr');
  const ver = hdr?.children.find((c): c is DmElement => isElementNode(c) && c.name === 'VerDTD')?.children[0];
  if (typeof ver === 'string' && /^\s*\d\.\d\s*$/.test(ver)) return `SYNCML:SYNCML${ver.trim()}`;
  const m = doc.publicId === undefined ? null : /SyncML (\d\.\d)/i.exec(doc.publicId);
  return m === null ? Namespace.SYNCML_12 : `SYNCML:SYNCML${m[1]}`;
}

function doctype(rootName: string, publicId: string): string {
  const q = publicId.includes('"') ? "'" : '"';
  if (publicId.includes(q) || firstInvalidChar(publicId, 0, publicId.length) !== -1) {
    throw new CodecError(ErrorCode.ERR_XML_MALFORMED, `public identifier ${JSON.stringify(publicId)} cannot be written in a DOCTYPE`);
  }
  return `<!DOCTYPE ${rootName} PUBLIC ${q}${publicId}${q} "${SYSTEM_IDS[publicId] ?? ''}">`;
}

/**
 * Writes the tree with an explicit stack. `defaultNs` is what `ns: undefined` means: an element
 * whose namespace differs from its parent's gets `xmlns="…"` (`xmlns=""` to return to none), the
 * way DM engines write `<Format xmlns="syncml:metinf">`.
 */
function writeTree(root: DmElement, defaultNs: string, indent: string): string {
  const stack: DmElement[] = [];
  const next: number[] = [];
  const pretty: boolean[] = [];
  const pads: string[] = [];
  const pad = (depth: number): string => (pads[depth] ??= '\n' + indent.repeat(depth));
  let out = '<' + elementName(root, stack) + rootXmlns(root, defaultNs) + attributes(root, stack);
  if (root.children.length === 0) return out + '/>';
  out += '>';
  stack.push(root);
  next.push(0);
  pretty.push(indent !== '' && isElementOnly(root));
  for (;;) {
    const d = stack.length - 1;
    const el = stack[d] as DmElement;
    const kids = el.children;
    const i = next[d] as number;
    if (i === kids.length) {
      if (pretty[d] === true) out += pad(d);
      out += '</' + el.name + '>';
      stack.pop();
      next.pop();
      pretty.pop();
      if (d === 0) return out;
      continue;
    }
    next[d] = i + 1;
    const k = kids[i] as DmNode;
    if (typeof k === 'string') {
      out += escapeText(k, stack);
    } else if (k instanceof Uint8Array) {
      // Bytes are written as base64 text; the SyncML mapper sets Meta Format b64 alongside.
      out += Buffer.from(k.buffer, k.byteOffset, k.byteLength).toString('base64');
    } else {
      if (pretty[d] === true) out += pad(d + 1);
      out += '<' + elementName(k, stack);
      if (k.ns !== el.ns) out += ' xmlns="' + escapeAttr(k.ns ?? defaultNs, stack) + '"';
      if (k.attrs !== undefined) out += attributes(k, stack);
      const c = k.children;
      if (c.length === 0) {
        out += '/>';
      } else if (c.length === 1 && typeof c[0] === 'string') {
        // Leaf with text (most SyncML elements): no stack round trip.
        out += '>' + escapeText(c[0], stack) + '</' + k.name + '>';
      } else {
        out += '>';
        stack.push(k);
        next.push(0);
        pretty.push(indent !== '' && isElementOnly(k));
      }
    }
  }
}

function rootXmlns(root: DmElement, defaultNs: string): string {
  const ns = root.ns ?? defaultNs;
  return ns === '' ? '' : ' xmlns="' + escapeAttr(ns, [root]) + '"';
}

function isElementOnly(el: DmElement): boolean {
  return el.children.every(isElementNode);
}

function isElementNode(n: DmNode): n is DmElement {
  return typeof n === 'object' && !(n instanceof Uint8Array);
}

/** The element's local name, checked to be an NCName (a prefix would be read back as a namespace). */
function elementName(el: DmElement, stack: readonly DmElement[]): string {
  const n = el.name;
  if (!isNcName(n)) fail(`invalid element name ${JSON.stringify(n)}`, stack);
  return n;
}

function isNcName(n: string): boolean {
  const len = n.length;
  if (len === 0) return false;
  let i = 0;
  const c0 = n.charCodeAt(0);
  if (isNameStart(c0)) i = 1;
  else if (isNamePair(c0, n.charCodeAt(1))) i = 2;
  else return false;
  while (i < len) {
    const c = n.charCodeAt(i);
    if (isNameChar(c)) i++;
    else if (isNamePair(c, n.charCodeAt(i + 1))) i += 2;
    else return false;
  }
  return true;
}

function attributes(el: DmElement, stack: readonly DmElement[]): string {
  const attrs = el.attrs;
  if (attrs === undefined) return '';
  let out = '';
  for (const name of Object.keys(attrs)) {
    if (!isQName(name) || name === 'xmlns' || name.startsWith('xmlns:')) {
      // Namespace declarations come from `ns`; writing them from attrs could contradict it.
      fail(`invalid attribute name ${JSON.stringify(name)} on <${el.name}>`, stack);
    }
    out += ' ' + name + '="' + escapeAttr(attrs[name] as string, stack) + '"';
  }
  return out;
}

/** Text content: `&`, `<`, `>` escaped, CR as `&#13;` so it survives line-end normalization. */
function escapeText(t: string, stack: readonly DmElement[]): string {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x3f ? c === 0x26 || c === 0x3c || c === 0x3e || c < 0x20 : c >= 0xd800) return escapeSlow(t, i, false, stack);
  }
  return t;
}

/** Attribute value: `&`, `<`, `"` escaped, tab/LF/CR as references so §3.3.3 normalization keeps them. */
function escapeAttr(t: string, stack: readonly DmElement[]): string {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x3d ? c === 0x26 || c === 0x3c || c === 0x22 || c < 0x20 : c >= 0xd800) return escapeSlow(t, i, true, stack);
  }
  return t;
}

function escapeSlow(t: string, from: number, attr: boolean, stack: readonly DmElement[]): string {
  const bad = firstInvalidChar(t, from, t.length);
  if (bad !== -1) {
    const cp = t.charCodeAt(bad).toString(16).toUpperCase().padStart(4, '0');
    fail(`character U+${cp} cannot be written in XML`, stack);
  }
  let out = t.slice(0, from);
  let seg = from;
  for (let i = from; i < t.length; i++) {
    const c = t.charCodeAt(i);
    let rep: string | undefined;
    if (c === 0x26) rep = '&amp;';
    else if (c === 0x3c) rep = '&lt;';
    else if (c === 0x0d) rep = '&#13;';
    else if (attr ? c === 0x22 : c === 0x3e) rep = attr ? '&quot;' : '&gt;';
    else if (attr && (c === 0x09 || c === 0x0a)) rep = c === 0x09 ? '&#9;' : '&#10;';
    if (rep !== undefined) {
      out += t.slice(seg, i) + rep;
      seg = i + 1;
    }
  }
  return out + t.slice(seg);
}

function fail(message: string, stack: readonly DmElement[]): never {
  const path = stack.map((e) => e.name).join('/');
  throw new CodecError(ErrorCode.ERR_XML_MALFORMED, message, path === '' ? {} : { path });
}
