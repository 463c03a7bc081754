/**
 * The parts of the XML scanner that sit around the element content: prolog and epilog, XML
 * declaration, DOCTYPE (public id only, never an internal subset), comments, processing
 * instructions, references and attribute values. The element loop lives in decode-xml.ts.
 */
import { CodecError, ErrorCode } from '../../errors.js';
import { firstInvalidChar, isNameChar, isNamePair, isNameStart, isXmlSpace } from './xml-chars.js';

const LT = 0x3c, GT = 0x3e, QM = 0x3f, BANG = 0x21, SLASH = 0x2f, COLON = 0x3a, AMP = 0x26, SEMI = 0x3b;
const HASH = 0x23, LOWER_X = 0x78, DQUOTE = 0x22, SQUOTE = 0x27, CR = 0x0d, LF = 0x0a, LBRACKET = 0x5b;

/** Base of the XML decoder: input, position reporting and the non-element markup. */
export abstract class XmlMarkup {
  /** The whole input. */
  protected readonly s: string;
  /** Its length. */
  protected readonly len: number;
  /** Refuse tolerated deviations. */
  protected readonly strict: boolean;
  /** Qualified names of the open elements, outermost first (end-tag matching and error paths). */
  protected readonly qnames: string[] = [];
  /** Public identifier of the DOCTYPE, if any. */
  protected publicId: string | undefined;
  /** Offset just after the last name, literal or reference scanned. */
  protected scanEnd = 0;

  constructor(text: string, strict: boolean) {
    this.s = text;
    this.len = text.length;
    this.strict = strict;
  }

  /** Throws a CodecError with offset, 1-based line:column and the open element path. */
  protected fail(code: ErrorCode, message: string, offset: number): never {
    const o = Math.max(0, Math.min(offset, this.len));
    let line = 1;
    let last = -1;
    for (let i = this.s.indexOf('\n'); i !== -1 && i < o; i = this.s.indexOf('\n', i + 1)) {
      line++;
      last = i;
    }
    const path = this.openPath();
    const position = { offset: o, line, column: o - last };
    throw new CodecError(code, message, path === '' ? position : { ...position, path });
  }

  /** Element path for error messages. */
  protected openPath(): string {
    return this.qnames.join('/');
  }

  protected skipSpace(p: number): number {
    const s = this.s;
    while (isXmlSpace(s.charCodeAt(p))) p++;
    return p;
  }

  /** Scans a QName (at most one colon, Namespaces in XML §3); sets scanEnd, returns the colon offset or -1. */
  protected scanQName(start: number, what: string): number {
    const s = this.s;
    const c0 = s.charCodeAt(start);
    if (!isNameStart(c0) && !isNamePair(c0, s.charCodeAt(start + 1))) {
      return this.fail(ErrorCode.ERR_XML_MALFORMED, start >= this.len ? `unexpected end of input in ${what}` : `invalid ${what}`, start);
    }
    let p = start + (isNameStart(c0) ? 1 : 2);
    let colon = -1;
    for (;;) {
      const c = s.charCodeAt(p);
      if (isNameChar(c)) p++;
      else if (c === COLON && colon === -1 && isLocalStart(s, p + 1)) { colon = p; p++; }
      else if (c >= 0xd800 && isNamePair(c, s.charCodeAt(p + 1))) p += 2;
      else break;
    }
    this.scanEnd = p;
    return colon;
  }

  /** Refuses characters XML 1.0 §2.2 does not allow in `[start, end)`. */
  protected checkChars(start: number, end: number): void {
    const bad = firstInvalidChar(this.s, start, end);
    if (bad !== -1) {
      const cp = this.s.charCodeAt(bad).toString(16).toUpperCase().padStart(4, '0');
      this.fail(ErrorCode.ERR_XML_MALFORMED, `character U+${cp} is not allowed in XML`, bad);
    }
  }

  /** Misc items and the DOCTYPE before the root; returns the offset of the root's `<`. */
  protected prolog(start: number): number {
    const s = this.s;
    let p = start;
    let first = true;
    let sawDoctype = false;
    for (;;) {
      p = this.skipSpace(p);
      if (p >= this.len) return this.fail(ErrorCode.ERR_XML_MALFORMED, 'no root element', p);
      if (s.charCodeAt(p) !== LT) return this.fail(ErrorCode.ERR_XML_MALFORMED, 'text before the root element', p);
      const c = s.charCodeAt(p + 1);
      if (c === QM) {
        // XML 1.0 §2.8: the declaration must be the very first thing; tolerated after white space.
        p = this.pi(p, p === start || (first && !this.strict));
      } else if (c === BANG) {
        if (s.startsWith('<!--', p)) p = this.comment(p);
        else if (s.startsWith('<!DOCTYPE', p) && !sawDoctype) { p = this.doctype(p); sawDoctype = true; }
        else p = this.misplacedDeclaration(p);
      } else {
        return p;
      }
      first = false;
    }
  }

  /** Comments, PIs and white space after the root; anything else is refused. */
  protected epilog(start: number): void {
    const s = this.s;
    let p = start;
    for (;;) {
      p = this.skipSpace(p);
      if (p >= this.len) return;
      if (s.charCodeAt(p) !== LT) this.fail(ErrorCode.ERR_XML_MALFORMED, 'text after the root element', p);
      const c = s.charCodeAt(p + 1);
      if (c === QM) p = this.pi(p, false);
      else if (s.startsWith('<!--', p)) p = this.comment(p);
      else if (c === BANG) p = this.misplacedDeclaration(p);
      else if (c === SLASH) this.fail(ErrorCode.ERR_XML_MALFORMED, 'end tag after the root element', p);
      else this.fail(ErrorCode.ERR_XML_MALFORMED, 'more than one root element', p);
    }
  }

  /** Skips a processing instruction (including the XML declaration when allowed there). */
  protected pi(lt: number, declarationAllowed: boolean): number {
    const s = this.s;
    this.scanQName(lt + 2, 'processing instruction target');
    const e = this.scanEnd;
    if (e - lt === 5 && s.slice(lt + 2, e).toLowerCase() === 'xml' && !declarationAllowed) {
      this.fail(ErrorCode.ERR_XML_MALFORMED, 'the XML declaration must start the document', lt);
    }
    const c = s.charCodeAt(e);
    if (!isXmlSpace(c) && !(c === QM && s.charCodeAt(e + 1) === GT)) {
      this.fail(ErrorCode.ERR_XML_MALFORMED, 'invalid processing instruction', e);
    }
    const end = s.indexOf('?>', e);
    if (end === -1) this.fail(ErrorCode.ERR_XML_MALFORMED, 'unterminated processing instruction', lt);
    this.checkChars(e, end);
    return end + 2;
  }

  /** Skips a comment. */
  protected comment(lt: number): number {
    const s = this.s;
    const end = s.indexOf('-->', lt + 4);
    if (end === -1) this.fail(ErrorCode.ERR_XML_MALFORMED, 'unterminated comment', lt);
    this.checkChars(lt + 4, end);
    if (this.strict) {
      // XML 1.0 §2.5: '--' may not occur inside a comment (this also catches '--->').
      const dd = s.indexOf('--', lt + 4);
      if (dd < end) this.fail(ErrorCode.ERR_XML_MALFORMED, "'--' is not allowed inside a comment", dd);
    }
    return end + 3;
  }

  /**
   * `<!DOCTYPE name [PUBLIC "pub" "sys" | SYSTEM "sys"]>`. The public id is recorded; nothing is
   * ever fetched; an internal subset (where ENTITY declarations live) is refused.
   */
  protected doctype(lt: number): number {
    const s = this.s;
    let p = lt + 9;
    if (!isXmlSpace(s.charCodeAt(p))) this.fail(ErrorCode.ERR_XML_MALFORMED, 'invalid DOCTYPE', p);
    this.scanQName(this.skipSpace(p), 'DOCTYPE name');
    p = this.skipSpace(this.scanEnd);
    if (s.startsWith('PUBLIC', p)) {
      this.publicId = this.#literal(this.#requireSpace(p + 6), 'public identifier');
      p = this.scanEnd;
      const q = this.skipSpace(p);
      const c = s.charCodeAt(q);
      if (q > p && (c === DQUOTE || c === SQUOTE)) {
        this.#literal(q, 'system identifier');
        p = this.scanEnd;
      } else if (this.strict) {
        this.fail(ErrorCode.ERR_XML_MALFORMED, 'a PUBLIC DOCTYPE needs a system identifier', q);
      }
    } else if (s.startsWith('SYSTEM', p)) {
      this.#literal(this.#requireSpace(p + 6), 'system identifier');
      p = this.scanEnd;
    }
    p = this.skipSpace(p);
    const c = s.charCodeAt(p);
    if (c === LBRACKET) {
      this.fail(ErrorCode.ERR_XML_DTD_FORBIDDEN, 'DOCTYPE internal subsets are refused (no DTD processing in DM)', p);
    }
    if (c !== GT) this.fail(ErrorCode.ERR_XML_MALFORMED, p >= this.len ? 'unterminated DOCTYPE' : 'invalid DOCTYPE', p);
    return p + 1;
  }

  #requireSpace(p: number): number {
    if (!isXmlSpace(this.s.charCodeAt(p))) this.fail(ErrorCode.ERR_XML_MALFORMED, 'invalid DOCTYPE', p);
    return this.skipSpace(p);
  }

  #literal(p: number, what: string): string {
    const s = this.s;
    const q = s.charCodeAt(p);
    if (q !== DQUOTE && q !== SQUOTE) this.fail(ErrorCode.ERR_XML_MALFORMED, `expected a quoted ${what}`, p);
    const end = s.indexOf(q === DQUOTE ? '"' : "'", p + 1);
    if (end === -1) this.fail(ErrorCode.ERR_XML_MALFORMED, `unterminated ${what}`, p);
    this.checkChars(p + 1, end);
    this.scanEnd = end + 1;
    return s.slice(p + 1, end);
  }

  /** `<!` that is not a comment (or CDATA inside the root): DTD declarations are refused as such. */
  protected misplacedDeclaration(lt: number): never {
    const s = this.s;
    for (const decl of ['<!ENTITY', '<!ELEMENT', '<!ATTLIST', '<!NOTATION']) {
      if (s.startsWith(decl, lt)) this.fail(ErrorCode.ERR_XML_DTD_FORBIDDEN, `${decl.slice(2)} declarations are refused (no DTD processing in DM)`, lt);
    }
    if (s.startsWith('<!DOCTYPE', lt)) this.fail(ErrorCode.ERR_XML_MALFORMED, 'a DOCTYPE may only appear once, before the root element', lt);
    return this.fail(ErrorCode.ERR_XML_MALFORMED, s.startsWith('<![CDATA[', lt) ? 'CDATA section outside the root element' : 'invalid markup after <!', lt);
  }

  /**
   * Resolves the reference at `amp` (XML 1.0 §4.1, §4.6): the five predefined entities and character
   * references. Any other name is refused (there is no DTD, hence no expansion and no entity bomb).
   * Returns undefined for a bare `&` that starts no reference, kept literally unless strict.
   */
  protected reference(amp: number): string | undefined {
    const s = this.s;
    let p = amp + 1;
    let c = s.charCodeAt(p);
    if (c === HASH) {
      p++;
      let base = 10;
      if (s.charCodeAt(p) === LOWER_X) { base = 16; p++; }
      const digits = p;
      let v = 0;
      for (;;) {
        c = s.charCodeAt(p);
        const d = digitValue(c, base);
        if (d < 0) break;
        v = Math.min(v * base + d, 0x110000);
        p++;
      }
      if (p === digits || c !== SEMI) return this.#bareAmpersand(amp);
      if (!isXmlCodePoint(v)) this.fail(ErrorCode.ERR_XML_MALFORMED, `character reference ${s.slice(amp, p + 1)} is not an XML character`, amp);
      this.scanEnd = p + 1;
      return String.fromCodePoint(v);
    }
    if (!isNameStart(c)) return this.#bareAmpersand(amp);
    p++;
    while (isNameChar(s.charCodeAt(p))) p++;
    if (s.charCodeAt(p) !== SEMI) return this.#bareAmpersand(amp);
    this.scanEnd = p + 1;
    switch (s.slice(amp + 1, p)) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'apos': return "'";
      case 'quot': return '"';
      default:
        return this.fail(ErrorCode.ERR_XML_ENTITY_UNKNOWN, `unknown entity ${s.slice(amp, p + 1)} (only the five predefined entities exist without a DTD)`, amp);
    }
  }

  #bareAmpersand(amp: number): undefined {
    // AOSP testalert*.xml carry raw `MAXDT=15&DR=1` option data; DM engines read it literally.
    if (this.strict) this.fail(ErrorCode.ERR_XML_MALFORMED, "'&' must start a reference (write &amp;)", amp);
    return undefined;
  }

  /** Attribute value between the quotes, normalized per XML 1.0 §3.3.3 (tab, LF, CR, CRLF → space). */
  protected attrValue(start: number, end: number): string {
    const s = this.s;
    let i = start;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === LT || c === AMP || c < 0x20 || c >= 0xd800) break;
    }
    if (i === end) return s.slice(start, end);
    this.checkChars(i, end);
    let out = '';
    let seg = start;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === LT) {
        this.fail(ErrorCode.ERR_XML_MALFORMED, "'<' is not allowed in an attribute value", i);
      } else if (c === AMP) {
        const r = this.reference(i);
        if (r === undefined) continue;
        out += s.slice(seg, i) + r;
        i = this.scanEnd - 1;
        seg = this.scanEnd;
      } else if (c < 0x20) {
        out += s.slice(seg, i) + ' ';
        if (c === CR && s.charCodeAt(i + 1) === LF) i++;
        seg = i + 1;
      }
    }
    return out + s.slice(seg, end);
  }
}

/** A name start character (BMP, or a supplementary one as a surrogate pair) at `i`. */
function isLocalStart(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return isNameStart(c) || isNamePair(c, s.charCodeAt(i + 1));
}

function digitValue(c: number, base: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (base === 16) {
    if (c >= 0x61 && c <= 0x66) return c - 0x57;
    if (c >= 0x41 && c <= 0x46) return c - 0x37;
  }
  return -1;
}

/** XML 1.0 §2.2 [2] Char. */
function isXmlCodePoint(v: number): boolean {
  return v === 0x9 || v === 0xa || v === 0xd || (v >= 0x20 && v <= 0xd7ff) || (v >= 0xe000 && v <= 0xfffd) ||
    (v >= 0x10000 && v <= 0x10ffff);
}
