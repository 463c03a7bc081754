/**
 * Tree and Description Serialization (OMA-TS-DM_TNDS 1.2): a management sub-tree as a
 * `MgmtTree` document in namespace `syncml:dmddf1.2` (MIME application/vnd.syncml.dmtnds+xml /
 * +wbxml). This module maps the document to a plain model and back at the element-tree level;
 * the XML/WBXML codecs put the element tree on the wire.
 */
import { type DmElement, type DmNode, el } from '../codec/element.js';
import { Namespace } from '../constants/meta-types.js';
import {
  type PathedElement, childElements, choiceOf, isDdfElement, leafText, readUnsigned, tndsError, valueContent,
} from './element-reader.js';

/** VerDTD written by {@link tndsToElement} when the tree gives none (TNDS §9.2.3.1.2: MUST be 1.2). */
export const TNDS_VER_DTD = '1.2';

/** Type property: a MIME type (leaf) or an MO identifier / DDF name (interior). */
export interface TndsType {
  /** Which child of `<Type>` carries it. */
  readonly kind: 'MIME' | 'DDFName';
  /** The MIME type or DDF name (may be empty: `<DDFName/>`). */
  readonly value: string;
}

/** RTProperties of one node (TND §7 property values as serialized; all optional in the file). */
export interface TndsProperties {
  /** ACL text, unparsed (see tree/acl.ts parseAcl). */
  readonly acl?: string;
  /** Format name, the element inside `<Format>` (`node`, `chr`, ...; vendor names kept). */
  readonly format?: string;
  /** Name property (normally equal to NodeName). */
  readonly name?: string;
  /** Size in bytes (leaf only). */
  readonly size?: number;
  /** Title. */
  readonly title?: string;
  /** TStamp text, ISO 8601. */
  readonly tstamp?: string;
  /** Type. */
  readonly type?: TndsType;
  /** VerNo, 0..65535. */
  readonly verNo?: number;
}

/** One `<Node>`. A node with a value is a leaf; one with neither value nor children continues elsewhere (via Path). */
export interface TndsNode {
  /** NodeName (a plain node name, not URI-escaped). */
  readonly name: string;
  /** Path: URI of the node's parent (TNDS §9.2.3.1.5 continuation / insertion point). */
  readonly path?: string;
  /** RTProperties (empty object when the element is absent). */
  readonly props: TndsProperties;
  /** Value: text, or bytes when it arrived as WBXML opaque data. */
  readonly value?: string | Uint8Array;
  /** Child nodes in document order. */
  readonly children: readonly TndsNode[];
}

/** A whole `<MgmtTree>`. */
export interface TndsTree {
  /** VerDTD (`1.2`). */
  readonly verDtd: string;
  /** Man: manufacturer of the device the tree was taken from. */
  readonly man?: string;
  /** Mod: model of that device. */
  readonly mod?: string;
  /** Top-level nodes. */
  readonly nodes: readonly TndsNode[];
}

const NS = Namespace.DMDDF_12;
const x = (name: string, children: readonly DmNode[] = []): DmElement => el(name, children, NS);
const textEl = (name: string, text: string): DmElement => x(name, text === '' ? [] : [text]);

function propsToElement(p: TndsProperties): DmElement | undefined {
  const out: DmElement[] = [];
  // DTD order: ACL?, Format?, Name?, Size?, Title?, TStamp?, Type, VerNo?
  if (p.acl !== undefined) out.push(textEl('ACL', p.acl));
  if (p.format !== undefined) out.push(x('Format', [x(p.format)]));
  if (p.name !== undefined) out.push(textEl('Name', p.name));
  if (p.size !== undefined) out.push(textEl('Size', String(p.size)));
  if (p.title !== undefined) out.push(textEl('Title', p.title));
  if (p.tstamp !== undefined) out.push(textEl('TStamp', p.tstamp));
  if (p.type !== undefined) out.push(x('Type', [textEl(p.type.kind, p.type.value)]));
  if (p.verNo !== undefined) out.push(textEl('VerNo', String(p.verNo)));
  return out.length ? x('RTProperties', out) : undefined;
}

function nodeToElement(n: TndsNode): DmElement {
  const out: DmElement[] = [textEl('NodeName', n.name)];
  if (n.path !== undefined) out.push(textEl('Path', n.path));
  const props = propsToElement(n.props);
  if (props) out.push(props);
  for (const c of n.children) out.push(nodeToElement(c));
  if (n.value !== undefined) out.push(x('Value', typeof n.value === 'string' ? (n.value === '' ? [] : [n.value]) : [n.value]));
  return x('Node', out);
}

/** Builds the `<MgmtTree>` element (every element in namespace `syncml:dmddf1.2`). */
export function tndsToElement(tree: TndsTree): DmElement {
  const out: DmElement[] = [textEl('VerDTD', tree.verDtd || TNDS_VER_DTD)];
  if (tree.man !== undefined) out.push(textEl('Man', tree.man));
  if (tree.mod !== undefined) out.push(textEl('Mod', tree.mod));
  for (const n of tree.nodes) out.push(nodeToElement(n));
  return x('MgmtTree', out);
}

/** Throws unless the element occurs at most once (records it in `seen`). */
function once(seen: Set<string>, e: PathedElement): void {
  if (seen.has(e.el.name)) throw tndsError(`<${e.el.name}> occurs more than once`, e.path);
  seen.add(e.el.name);
}

/** Reads `<RTProperties>`. */
export function rtPropertiesFromElement(e: PathedElement): TndsProperties {
  const p: { -readonly [K in keyof TndsProperties]: TndsProperties[K] } = {};
  const seen = new Set<string>();
  for (const c of childElements(e.el, e.path)) {
    once(seen, c);
    switch (c.el.name) {
      case 'ACL': p.acl = leafText(c); break;
      case 'Format': p.format = choiceOf(c).name; break;
      case 'Name': p.name = leafText(c); break;
      case 'Size': p.size = readUnsigned(c, 0xffffffff); break;
      case 'Title': p.title = leafText(c); break;
      case 'TStamp': p.tstamp = leafText(c); break;
      case 'Type': p.type = readType(c); break;
      case 'VerNo': p.verNo = readUnsigned(c, 0xffff); break;
      default: throw tndsError(`unknown element <${c.el.name}> in RTProperties`, c.path);
    }
  }
  return p;
}

/** Reads `<Type>` / `<DFType>`: exactly one of MIME or DDFName. */
export function readType(e: PathedElement): TndsType {
  const { name, text, path } = choiceOf(e);
  if (name !== 'MIME' && name !== 'DDFName') throw tndsError(`<${e.el.name}> must contain <MIME> or <DDFName>`, path);
  return { kind: name, value: text };
}

function nodeFromElement(e: PathedElement): TndsNode {
  let name: string | undefined;
  let path: string | undefined;
  let props: TndsProperties = {};
  let value: string | Uint8Array | undefined;
  const children: TndsNode[] = [];
  const seen = new Set<string>();
  for (const c of childElements(e.el, e.path)) {
    switch (c.el.name) {
      case 'NodeName': once(seen, c); name = leafText(c); break;
      case 'Path': once(seen, c); path = leafText(c); break;
      case 'RTProperties': once(seen, c); props = rtPropertiesFromElement(c); break;
      case 'DFProperties': once(seen, c); break; // DDF description: read by ddf.ts, not part of a runtime tree
      case 'Value': once(seen, c); value = valueContent(c); break;
      case 'Node': children.push(nodeFromElement(c)); break;
      default: throw tndsError(`unknown element <${c.el.name}> in Node`, c.path);
    }
  }
  if (name === undefined || name === '') throw tndsError('<Node> without a NodeName', e.path);
  // TNDS §9.2.3.1.5: a Node with a Value terminates the recursion.
  if (value !== undefined && children.length > 0) throw tndsError(`node "${name}" has both a Value and child Nodes`, e.path);
  return {
    name,
    ...(path !== undefined ? { path } : {}),
    props,
    ...(value !== undefined ? { value } : {}),
    children,
  };
}

/**
 * Reads a `<MgmtTree>` element into the model. Accepts elements with no namespace or
 * `syncml:dmddf1.2`; skips elements of other namespaces and DDF `<DFProperties>`. Throws
 * CodecError ERR_TNDS_INVALID (position.path names the element) on a structural error.
 */
export function tndsFromElement(root: DmElement): TndsTree {
  if (root.name !== 'MgmtTree' || !isDdfElement(root)) throw tndsError(`expected <MgmtTree>, got <${root.name}>`, root.name);
  let verDtd: string | undefined;
  let man: string | undefined;
  let mod: string | undefined;
  const nodes: TndsNode[] = [];
  const seen = new Set<string>();
  for (const c of childElements(root, 'MgmtTree')) {
    switch (c.el.name) {
      case 'VerDTD': once(seen, c); verDtd = leafText(c); break;
      case 'Man': once(seen, c); man = leafText(c); break;
      case 'Mod': once(seen, c); mod = leafText(c); break;
      case 'Node': nodes.push(nodeFromElement(c)); break;
      default: throw tndsError(`unknown element <${c.el.name}> in MgmtTree`, c.path);
    }
  }
  if (verDtd === undefined || verDtd === '') throw tndsError('<MgmtTree> without VerDTD', 'MgmtTree');
  return { verDtd, ...(man !== undefined ? { man } : {}), ...(mod !== undefined ? { mod } : {}), nodes };
}
