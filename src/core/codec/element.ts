/**
 * The neutral element tree both codecs read into and write from. XML and WBXML differ only in
 * how they put this tree on the wire; the SyncML mapping (syncml/from-element.ts,
 * syncml/to-element.ts) is written once against it.
 */

/** Content of an element: child elements, text, or opaque bytes (WBXML OPAQUE / XML base64 is *not* implied). */
export type DmNode = DmElement | string | Uint8Array;

/** One element. `ns` is the namespace URI (undefined = the document's SyncML namespace). */
export interface DmElement {
  /** Local name, without prefix (`Format`, not `A:Format`). */
  readonly name: string;
  /** Namespace URI when it differs from the SyncML default, e.g. `syncml:metinf`. */
  readonly ns?: string;
  /** Attributes other than namespace declarations (rare in SyncML; kept for fidelity). */
  readonly attrs?: Readonly<Record<string, string>>;
  /** Children in document order. Text in XML CDATA sections arrives as plain strings. */
  readonly children: readonly DmNode[];
}

/** Decoded document: the root element plus what the header said about it. */
export interface DmDocument {
  /** The root element (`SyncML`, `MgmtTree`, `wap-provisioningdoc`, ...). */
  readonly root: DmElement;
  /** Public identifier (XML DOCTYPE or WBXML public id, resolved to its string form). */
  readonly publicId?: string;
}

/** Decoder limits; every decoder checks them and fails with a typed CodecError. */
export interface DecodeLimits {
  /** Largest accepted input, in bytes (XML: characters). */
  readonly maxBytes?: number;
  /** Deepest element nesting. */
  readonly maxDepth?: number;
  /** Most elements in one document. */
  readonly maxElements?: number;
}

/** Limits used when the caller gives none: generous for DM, small enough to stop abuse. */
export const DEFAULT_LIMITS: Required<DecodeLimits> = {
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 200_000,
};

/** Builds an element (helper for tests and mappers). */
export function el(name: string, children: readonly DmNode[] = [], ns?: string): DmElement {
  return ns === undefined ? { name, children } : { name, ns, children };
}

/** Concatenated text content of an element (bytes are decoded as UTF-8). */
export function textOf(e: DmElement): string {
  const c = e.children;
  if (c.length === 1 && typeof c[0] === 'string') return c[0];
  let out = '';
  for (const n of c) {
    if (typeof n === 'string') out += n;
    else if (n instanceof Uint8Array) out += Buffer.from(n.buffer, n.byteOffset, n.byteLength).toString('utf8');
  }
  return out;
}

/** True when the node is an element. */
export function isElement(n: DmNode): n is DmElement {
  return typeof n === 'object' && !(n instanceof Uint8Array);
}
