/**
 * XML → element tree, hand-written for DM: one pass over the string with charCodeAt/indexOf, an
 * explicit element stack (no recursion), no DTD processing and no entity expansion beyond the five
 * predefined entities and character references. See docs/reference/xml.md for the accepted subset
 * and why no library parser is used.
 */
import type { DecodeLimits, DmDocument, DmElement, DmNode } from '../element.js';
import { DEFAULT_LIMITS } from '../element.js';
import { CodecError, ErrorCode } from '../../errors.js';
import { XmlMarkup } from './xml-markup.js';
import { xmlTextFromBytes } from './xml-bytes.js';
import {
  METINF_NAMES, METINF_NAMESPACE, XML_PREFIX_NAMESPACE, isNameChar, isSyncMLNamespace,
  isXmlSpace,
} from './xml-chars.js';

/** Options of {@link decodeXmlDocument}: the decode limits plus the strictness switch. */
export interface XmlDecodeOptions extends DecodeLimits {
  /**
   * Refuse the deviations tolerated by default: a bare `&` that starts no reference, an unbound
   * namespace prefix, `]]>` in text, `--` inside a comment and `<?xml` after leading white space.
   */
  readonly strict?: boolean;
}

const LT = 0x3c, GT = 0x3e, SLASH = 0x2f, BANG = 0x21, QM = 0x3f, EQ = 0x3d, AMP = 0x26, COLON = 0x3a;
const DQUOTE = 0x22, SQUOTE = 0x27, CR = 0x0d, LF = 0x0a, SPACE = 0x20, TAB = 0x09;

type PrefixMap = Map<string, string | undefined>;

/**
 * An element while it is open. `children` starts as the shared NO_CHILDREN marker and becomes an
 * exact-size array on the first child: most SyncML elements hold one text, and a growing empty
 * array would allocate room for 17.
 */
interface OpenElement extends DmElement {
  children: DmNode[];
}

const NO_CHILDREN: DmNode[] = [];

function addChild(el: OpenElement, node: DmNode): void {
  if (el.children === NO_CHILDREN) el.children = [node];
  else el.children.push(node);
}

/** Namespace scope: shared by every element that declares nothing, so most elements push no new one. */
interface Scope {
  readonly defaultNs: string | undefined;
  readonly prefixes: PrefixMap | null;
  readonly parent: Scope | null;
}

/** Decodes one XML document into the neutral element tree; throws only {@link CodecError}. */
export function decodeXmlDocument(text: string, options: XmlDecodeOptions = {}): DmDocument {
  const maxBytes = options.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  if (text.length > maxBytes) {
    throw new CodecError(ErrorCode.ERR_CODEC_LIMIT_SIZE, `XML input of ${text.length} characters exceeds the limit of ${maxBytes}`, { offset: maxBytes });
  }
  try {
    return new XmlDecoder(text, options).decode();
  } catch (err) {
    if (err instanceof CodecError) throw err;
    // Safety net (e.g. out of memory on a huge allowed input): callers match only on CodecError.
    throw new CodecError(ErrorCode.ERR_XML_MALFORMED, `XML decoding failed: ${String(err)}`, {}, { cause: err });
  }
}

/**
 * Decodes XML bytes: UTF-8 (BOM optional), UTF-16 with BOM, or ISO-8859-1 when declared; other
 * encodings fail with ERR_UNKNOWN_ENCODING. `maxBytes` applies to the byte length.
 */
export function decodeXmlBytes(bytes: Uint8Array, options: XmlDecodeOptions = {}): DmDocument {
  return decodeXmlDocument(xmlTextFromBytes(bytes, options), options);
}

class XmlDecoder extends XmlMarkup {
  readonly #maxDepth: number;
  readonly #maxElements: number;
  #elements = 0;
  #root: DmElement | undefined;
  /** Child lists and namespace scopes of the open elements (parallel to `qnames`). */
  readonly #open: OpenElement[] = [];
  readonly #scopes: Scope[] = [];
  readonly #rootScope: Scope = { defaultNs: undefined, prefixes: null, parent: null };
  #lastNs: string | undefined;
  #nextCdataEnd = -1;
  #lastNsMapped: string | undefined;

  constructor(text: string, options: XmlDecodeOptions) {
    super(text, options.strict === true);
    this.#maxDepth = options.maxDepth ?? DEFAULT_LIMITS.maxDepth;
    this.#maxElements = options.maxElements ?? DEFAULT_LIMITS.maxElements;
  }

  decode(): DmDocument {
    const s = this.s;
    let p = this.prolog(s.charCodeAt(0) === 0xfeff ? 1 : 0);
    p = this.#content(p);
    this.epilog(p);
    const root = this.#root as DmElement;
    return this.publicId === undefined ? { root } : { root, publicId: this.publicId };
  }

  /**
   * The root element and everything inside it; returns the offset after its end tag. The hot loop:
   * `indexOf('<')` finds the end of each text run; a run is sliced as is unless it holds something
   * for the slow path (references, CR, characters to validate); indentation is not sliced at all.
   */
  #content(start: number): number {
    const s = this.s;
    const len = this.len;
    const open = this.#open;
    const qnames = this.qnames;
    let pending = '';
    let p = this.#startTag(start);
    if (qnames.length === 0) return p;
    for (;;) {
      const i = s.indexOf('<', p);
      if (i === -1) {
        return this.fail(ErrorCode.ERR_XML_MALFORMED, `element <${qnames[qnames.length - 1]}> is not closed`, len);
      }
      if (i > p && (pending !== '' || !isSpaceRange(s, p, i) || !isDroppedSpace(s.charCodeAt(i + 1), open[open.length - 1] as OpenElement))) {
        const t = isPlainText(s, p, i) ? s.slice(p, i) : this.#decodeText(p, i);
        pending = pending === '' ? t : pending + t;
        if (this.strict) this.#noCdataEnd(p, i);
      }
      p = i;
      const c = s.charCodeAt(p + 1);
      if (c === SLASH) {
        const depth = qnames.length;
        const qname = qnames[depth - 1] as string;
        let e = p + 2 + qname.length;
        // slice + === (a memcmp) beats a charCodeAt loop and startsWith for these short names.
        if (s.slice(p + 2, e) !== qname) this.#mismatch(p, qname);
        let d = s.charCodeAt(e);
        if (isNameChar(d) || d === COLON) this.#mismatch(p, qname);
        if (d !== GT) {
          e = this.skipSpace(e);
          d = s.charCodeAt(e);
          if (d !== GT) this.fail(ErrorCode.ERR_XML_MALFORMED, `expected '>' to close </${qname}`, e);
        }
        if (pending !== '') {
          // Leaf text is kept exactly; white space after the last child element is not content.
          const el = open[depth - 1] as OpenElement;
          if (el.children === NO_CHILDREN) el.children = [pending];
          else if (!isAllSpace(pending)) el.children.push(pending);
          pending = '';
        }
        const done = open.pop() as OpenElement;
        if (done.children === NO_CHILDREN) done.children = [];
        qnames.pop();
        this.#scopes.pop();
        p = e + 1;
        if (depth === 1) return p;
      } else if (c === BANG) {
        if (s.startsWith('<!--', p)) {
          p = this.comment(p);
        } else if (s.startsWith('<![CDATA[', p)) {
          pending += this.#cdata(p);
          p = this.scanEnd;
        } else {
          p = this.misplacedDeclaration(p);
        }
      } else if (c === QM) {
        p = this.pi(p, false);
      } else {
        if (pending !== '') {
          // Text before a child element: real text of mixed content is kept, indentation dropped.
          if (!isAllSpace(pending)) addChild(open[open.length - 1] as OpenElement, pending);
          pending = '';
        }
        p = this.#startTag(p);
      }
    }
  }

  /** Slow path for text holding references, CR (XML 1.0 §2.11: CRLF and CR become LF) or odd chars. */
  #decodeText(start: number, end: number): string {
    const s = this.s;
    this.checkChars(start, end);
    let out = '';
    let seg = start;
    for (let i = start; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === AMP) {
        const ref = this.reference(i);
        if (ref === undefined) continue;
        out += s.slice(seg, i) + ref;
        i = this.scanEnd - 1;
        seg = this.scanEnd;
      } else if (c === CR) {
        out += s.slice(seg, i) + '\n';
        if (s.charCodeAt(i + 1) === LF) i++;
        seg = i + 1;
      }
    }
    return out + s.slice(seg, end);
  }

  /** Strict mode: `]]>` may not appear in text (XML 1.0 §2.4). The next occurrence is cached (linear). */
  #noCdataEnd(start: number, end: number): void {
    if (this.#nextCdataEnd < start) {
      const i = this.s.indexOf(']]>', start);
      this.#nextCdataEnd = i === -1 ? this.len : i;
    }
    if (this.#nextCdataEnd + 2 < end) this.fail(ErrorCode.ERR_XML_MALFORMED, "']]>' is not allowed in text", this.#nextCdataEnd);
  }

  /** Content of the CDATA section at `lt` (sets scanEnd after it). */
  #cdata(lt: number): string {
    const s = this.s;
    const end = s.indexOf(']]>', lt + 9);
    if (end === -1) this.fail(ErrorCode.ERR_XML_MALFORMED, 'unterminated CDATA section', lt);
    this.checkChars(lt + 9, end);
    this.scanEnd = end + 3;
    const t = s.slice(lt + 9, end);
    return t.indexOf('\r') === -1 ? t : t.replace(/\r\n?/g, '\n');
  }

  #mismatch(lt: number, qname: string): never {
    const s = this.s;
    let e = lt + 2;
    while (e < this.len && (isNameChar(s.charCodeAt(e)) || s.charCodeAt(e) === COLON)) e++;
    return this.fail(ErrorCode.ERR_XML_MALFORMED, `end tag </${s.slice(lt + 2, e)}> does not match <${qname}>`, lt);
  }

  /** Start tag at `lt`: creates the element, appends it to its parent and opens it unless `/>`. */
  #startTag(lt: number): number {
    const s = this.s;
    const nameStart = lt + 1;
    const colon = this.scanQName(nameStart, 'element name');
    let p = this.scanEnd;
    const qname = s.slice(nameStart, p);
    const depth = this.qnames.length;
    const parentScope = depth > 0 ? (this.#scopes[depth - 1] as Scope) : this.#rootScope;
    let scope = parentScope;
    let attrs: Record<string, string> | undefined;
    let selfClose = false;
    let c = s.charCodeAt(p);
    if (c === GT) {
      p++;
    } else if (c === SLASH && s.charCodeAt(p + 1) === GT) {
      p += 2;
      selfClose = true;
    } else {
      let defaultNs = parentScope.defaultNs;
      let prefixes: PrefixMap | null = null;
      let declares = false;
      let sawXmlns = false;
      for (;;) {
        if (c === GT) { p++; break; }
        if (c === SLASH && s.charCodeAt(p + 1) === GT) { p += 2; selfClose = true; break; }
        if (!isXmlSpace(c)) {
          this.fail(ErrorCode.ERR_XML_MALFORMED, p >= this.len ? `unterminated start tag <${qname}` : `unexpected character in start tag <${qname}>`, p);
        }
        p = this.skipSpace(p);
        c = s.charCodeAt(p);
        if (c === GT || c === SLASH) continue;
        const an = p;
        this.scanQName(p, 'attribute name');
        const ne = this.scanEnd;
        p = this.skipSpace(ne);
        if (s.charCodeAt(p) !== EQ) this.fail(ErrorCode.ERR_XML_MALFORMED, `expected '=' after attribute ${s.slice(an, ne)}`, p);
        p = this.skipSpace(p + 1);
        const q = s.charCodeAt(p);
        if (q !== DQUOTE && q !== SQUOTE) this.fail(ErrorCode.ERR_XML_MALFORMED, `value of attribute ${s.slice(an, ne)} must be quoted`, p);
        const close = s.indexOf(q === DQUOTE ? '"' : "'", p + 1);
        if (close === -1) this.fail(ErrorCode.ERR_XML_MALFORMED, `unterminated value of attribute ${s.slice(an, ne)}`, p);
        if (ne - an === 5 && s.startsWith('xmlns', an)) {
          if (sawXmlns) this.fail(ErrorCode.ERR_XML_MALFORMED, 'duplicate attribute xmlns', an);
          sawXmlns = declares = true;
          defaultNs = this.#namespaceValue(p + 1, close);
        } else if (ne - an > 6 && s.startsWith('xmlns:', an)) {
          const prefix = s.slice(an + 6, ne);
          const v = this.attrValue(p + 1, close);
          if (prefix === 'xmlns' || (prefix === 'xml') !== (v === XML_PREFIX_NAMESPACE) || v === '') {
            this.fail(ErrorCode.ERR_XML_MALFORMED, `invalid namespace declaration xmlns:${prefix}="${v}"`, an);
          }
          prefixes ??= new Map();
          if (prefixes.has(prefix)) this.fail(ErrorCode.ERR_XML_MALFORMED, `duplicate attribute xmlns:${prefix}`, an);
          // The SyncML namespaces (any spelling) and "no namespace" are both recorded as undefined.
          prefixes.set(prefix, isSyncMLNamespace(v) ? undefined : v);
          declares = true;
        } else {
          const attrName = s.slice(an, ne);
          attrs ??= {};
          if (Object.hasOwn(attrs, attrName)) this.fail(ErrorCode.ERR_XML_MALFORMED, `duplicate attribute ${attrName}`, an);
          setAttr(attrs, attrName, this.attrValue(p + 1, close));
        }
        p = close + 1;
        c = s.charCodeAt(p);
      }
      if (declares) scope = { defaultNs, prefixes, parent: parentScope };
      if (this.strict && attrs !== undefined) {
        for (const n of Object.keys(attrs)) {
          const i = n.indexOf(':');
          if (i !== -1) this.#resolvePrefix(n.slice(0, i), n.slice(i + 1), scope, nameStart);
        }
      }
    }

    let name = qname;
    let ns = scope.defaultNs;
    if (colon !== -1) {
      name = qname.slice(colon - nameStart + 1);
      ns = this.#resolvePrefix(qname.slice(0, colon - nameStart), name, scope, nameStart);
    }
    if (++this.#elements > this.#maxElements) {
      this.fail(ErrorCode.ERR_CODEC_LIMIT_ELEMENTS, `more than ${this.#maxElements} elements`, lt);
    }
    if (depth >= this.#maxDepth) this.fail(ErrorCode.ERR_CODEC_LIMIT_DEPTH, `elements nested deeper than ${this.#maxDepth}`, lt);
    const children: DmNode[] = selfClose ? [] : NO_CHILDREN;
    const el: OpenElement = attrs === undefined
      ? (ns === undefined ? { name, children } : { name, ns, children })
      : (ns === undefined ? { name, attrs, children } : { name, ns, attrs, children });
    if (depth === 0) this.#root = el;
    else addChild(this.#open[depth - 1] as OpenElement, el);
    if (!selfClose) {
      this.#open.push(el);
      this.qnames.push(qname);
      this.#scopes.push(scope);
    }
    return p;
  }

  /**
   * A default-namespace value, mapped (SyncML namespaces and "" → undefined). The last one is
   * remembered: MetInf children repeat `xmlns="syncml:metinf"` dozens of times per message.
   */
  #namespaceValue(start: number, end: number): string | undefined {
    const last = this.#lastNs;
    if (last !== undefined && last.length === end - start && this.s.slice(start, end) === last) return this.#lastNsMapped;
    const v = this.attrValue(start, end);
    const mapped = v === '' || isSyncMLNamespace(v) ? undefined : v;
    // Cache only values read verbatim (no reference changed them), so the raw text identifies them.
    if (v.length === end - start && v.indexOf('&') === -1) {
      this.#lastNs = v;
      this.#lastNsMapped = mapped;
    }
    return mapped;
  }

  /**
   * Namespace of a prefixed name. An unbound prefix is tolerated (fleet vectors write `A:Format`
   * without declaring A): a MetInf element name then means `syncml:metinf`, anything else none.
   */
  #resolvePrefix(prefix: string, local: string, scope: Scope, at: number): string | undefined {
    for (let sc: Scope | null = scope; sc !== null; sc = sc.parent) {
      if (sc.prefixes !== null && sc.prefixes.has(prefix)) return sc.prefixes.get(prefix);
    }
    if (prefix === 'xml') return XML_PREFIX_NAMESPACE;
    if (this.strict) this.fail(ErrorCode.ERR_XML_MALFORMED, `namespace prefix ${prefix} is not declared`, at);
    return METINF_NAMES.has(local) ? METINF_NAMESPACE : undefined;
  }
}

/**
 * True when text needs no slow path: no `&`, CR, control or surrogate. `!"#$%` also take the slow
 * path (one comparison per char instead of three); it handles them correctly, just not as fast.
 */
function isPlainText(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x27 ? c !== 0x20 && c !== 0x0a && c !== 0x09 : c >= 0xd800) return false;
  }
  return true;
}

/**
 * Whether white space followed by `<` + `next` is indentation that can be dropped without slicing
 * it: before a start tag, or before an end tag once the element has children. Before a comment, PI
 * or CDATA it is kept for now, as it may join text that follows.
 */
function isDroppedSpace(next: number, parent: OpenElement): boolean {
  if (next === BANG || next === QM) return false;
  return next !== SLASH || parent.children !== NO_CHILDREN;
}

function isSpaceRange(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isXmlSpace(s.charCodeAt(i))) return false;
  return true;
}

function isAllSpace(t: string): boolean {
  for (let i = 0; i < t.length; i++) if (!isXmlSpace(t.charCodeAt(i))) return false;
  return true;
}

/** Sets an attribute; `__proto__` becomes an own property instead of replacing the prototype. */
function setAttr(attrs: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(attrs, name, { value, enumerable: true, writable: true, configurable: true });
  else attrs[name] = value;
}
