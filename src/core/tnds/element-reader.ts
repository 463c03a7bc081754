/**
 * Internal helpers to read MgmtTree documents (TNDS and DDF share the DTD of OMA-TS-DM_TND
 * §8.5 / DM_DDF 1.2) from the neutral element tree, with errors that name the element path.
 */
import { type DmElement, type DmNode, isElement, textOf } from '../codec/element.js';
import { CodecError, ErrorCode } from '../errors.js';
import { Namespace } from '../constants/meta-types.js';

/** Error raised while reading `path`. */
export function tndsError(message: string, path: string): CodecError {
  return new CodecError(ErrorCode.ERR_TNDS_INVALID, message, { path });
}

/**
 * True when the element belongs to the MgmtTree vocabulary: namespace `syncml:dmddf1.2` (any case)
 * or none (decoders leave `ns` undefined for the document's default namespace).
 */
export function isDdfElement(e: DmElement): boolean {
  return e.ns === undefined || e.ns.toLowerCase() === Namespace.DMDDF_12;
}

/** One child element with the path used in error messages (`Node[2]` = second Node sibling). */
export interface PathedElement {
  /** The element. */
  readonly el: DmElement;
  /** Slash-separated path from the root, sibling index in brackets when repeated. */
  readonly path: string;
}

/**
 * Child elements of `parent` in the MgmtTree vocabulary (elements in other namespaces, such as
 * Microsoft `MSFT:` extensions, are skipped). Non-blank text between child elements is an error.
 */
export function childElements(parent: DmElement, path: string): PathedElement[] {
  const out: PathedElement[] = [];
  const seen = new Map<string, number>();
  for (const n of parent.children) {
    if (!isElement(n)) {
      if (typeof n === 'string' ? n.trim() !== '' : n.length > 0) throw tndsError('unexpected text content', path);
      continue;
    }
    if (!isDdfElement(n)) continue;
    const i = (seen.get(n.name) ?? 0) + 1;
    seen.set(n.name, i);
    out.push({ el: n, path: `${path}/${n.name}[${i}]` });
  }
  return out.map((c) => (seen.get(c.el.name) === 1 ? { el: c.el, path: c.path.replace(/\[1\]$/, '') } : c));
}

/** Text of a leaf element, trimmed; child elements are an error. */
export function leafText(e: PathedElement): string {
  if (e.el.children.some((n: DmNode) => isElement(n) && isDdfElement(n))) throw tndsError(`<${e.el.name}> must contain text only`, e.path);
  return textOf(e.el).trim();
}

/**
 * The single empty child element that names a choice, as in `<Format><chr/></Format>` or
 * `<Scope><Dynamic/></Scope>`. Returns `{ name, text }`; text is the child's content (DDFName/MIME).
 * Tolerates plain text (`<Format>chr</Format>`) by returning it as the name.
 */
export function choiceOf(e: PathedElement): { name: string; text: string; path: string } {
  const kids = e.el.children.some((n) => isElement(n)) ? childElements(e.el, e.path) : [];
  if (kids.length === 0) {
    const t = textOf(e.el).trim();
    if (t === '') throw tndsError(`<${e.el.name}> is empty`, e.path);
    return { name: t, text: '', path: e.path };
  }
  const [only] = kids;
  if (kids.length > 1 || only === undefined) throw tndsError(`<${e.el.name}> must contain exactly one element`, e.path);
  return { name: only.el.name, text: leafText(only), path: only.path };
}

/** Parses a decimal unsigned integer no larger than `max`, or throws naming the path. */
export function readUnsigned(e: PathedElement, max: number): number {
  const t = leafText(e);
  const n = /^\d{1,10}$/.test(t) ? Number(t) : Number.NaN;
  if (!(n <= max)) throw tndsError(`<${e.el.name}> must be an integer 0..${max}, got "${t}"`, e.path);
  return n;
}

/** Raw content of a Value element: bytes when the element holds only opaque data, else text. */
export function valueContent(e: PathedElement): string | Uint8Array {
  const c = e.el.children;
  if (c.some((n) => isElement(n))) throw tndsError('<Value> must not contain elements', e.path);
  if (c.length === 1 && c[0] instanceof Uint8Array) return c[0];
  return textOf(e.el);
}
