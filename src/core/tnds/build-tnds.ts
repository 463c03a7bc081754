/**
 * Builds the answer to `Get URI?list=TNDS|Struct|StructData` (OMA-TS-DM_TND §8.4) from the nodes
 * the tree found readable under URI. No tree access here: the caller walks its store, applies
 * ACLs, and hands over plain node records.
 */
import { DmError, ErrorCode } from '../errors.js';
import { type Acl, formatAcl } from '../tree/acl.js';
import { DEFAULT_TYPE } from '../tree/formats.js';
import { LIST_PROPERTY_NAMES, type ListProperty } from '../tree/properties.js';
import { type ListProps, type NodeUri, ROOT_URI, isAncestor, nodeName, parentUri } from '../tree/uri.js';
import { TNDS_VER_DTD, type TndsNode, type TndsProperties, type TndsTree } from './tnds.js';

/** A node as the tree stores it. */
export interface TreeNodeRecord {
  /** Canonical URI. */
  readonly uri: NodeUri;
  /** True for interior nodes. */
  readonly interior: boolean;
  /** Format of a leaf (interior nodes are always `node`; default `chr`). */
  readonly format?: string;
  /** MIME type (leaf) or MO identifier (interior). */
  readonly type?: string;
  /** The node's own ACL value (not the inherited one); empty or absent = no value. */
  readonly acl?: Acl | string;
  /** Name property (default: the last URI segment). */
  readonly name?: string;
  /** Size of a leaf value in bytes. */
  readonly size?: number;
  /** Title. */
  readonly title?: string;
  /** TStamp text. */
  readonly tstamp?: string;
  /** VerNo. */
  readonly verNo?: number;
  /** Leaf value. */
  readonly value?: string | Uint8Array;
}

/** Options of {@link buildTnds}. */
export interface BuildTndsOptions {
  /** The URI the Get addressed; the top-level Node is that node (or, for `.`, its children). */
  readonly baseUri: NodeUri;
  /** Properties to serialize; `Value` includes leaf values. Default: every {@link LIST_PROPERTY_NAMES}. */
  readonly properties?: ReadonlySet<ListProperty>;
  /** Man written in the MgmtTree header. */
  readonly man?: string;
  /** Mod written in the MgmtTree header. */
  readonly mod?: string;
}

/**
 * The property set a `?list=TNDS[+P...][-P...]` asks for: the `+` names when any (else every
 * property of `supported`, default all incl. Value), minus the `-` names.
 */
export function resolveListProps(
  listProps: ListProps | undefined,
  supported: readonly ListProperty[] = LIST_PROPERTY_NAMES,
): Set<ListProperty> {
  const base = listProps?.include ?? supported;
  const out = new Set(base.filter((p) => supported.includes(p)));
  for (const p of listProps?.exclude ?? []) out.delete(p);
  return out;
}

/** Orders `nodes` parent-before-child, siblings in input order; `roots` are nodes whose parent is absent. */
function preorder(nodes: readonly TreeNodeRecord[], baseUri: NodeUri): {
  order: TreeNodeRecord[];
  roots: TreeNodeRecord[];
  kids: Map<NodeUri, TreeNodeRecord[]>;
} {
  const byUri = new Map<NodeUri, TreeNodeRecord>();
  for (const n of nodes) {
    if (n.uri !== baseUri && !isAncestor(baseUri, n.uri)) {
      throw new DmError(ErrorCode.ERR_PROTOCOL, `node ${n.uri} is outside ${baseUri}`);
    }
    byUri.set(n.uri, n);
  }
  const kids = new Map<NodeUri, TreeNodeRecord[]>();
  const roots: TreeNodeRecord[] = [];
  for (const n of byUri.values()) {
    const p = parentUri(n.uri);
    if (p !== undefined && byUri.has(p)) kids.set(p, [...(kids.get(p) ?? []), n]);
    else roots.push(n);
  }
  const order: TreeNodeRecord[] = [];
  const visit = (n: TreeNodeRecord): void => {
    order.push(n);
    for (const c of kids.get(n.uri) ?? []) visit(c);
  };
  roots.forEach(visit);
  return { order, roots, kids };
}

function propsOf(n: TreeNodeRecord, want: ReadonlySet<ListProperty>): TndsProperties {
  const acl = typeof n.acl === 'string' ? n.acl : n.acl !== undefined ? formatAcl(n.acl) : '';
  const p: { -readonly [K in keyof TndsProperties]: TndsProperties[K] } = {};
  if (want.has('ACL') && acl !== '') p.acl = acl;
  if (want.has('Format')) p.format = n.interior ? 'node' : (n.format ?? 'chr');
  if (want.has('Name')) p.name = n.name ?? nodeName(n.uri);
  if (want.has('Size') && !n.interior && n.size !== undefined) p.size = n.size;
  if (want.has('Title') && n.title !== undefined) p.title = n.title;
  if (want.has('TStamp') && n.tstamp !== undefined) p.tstamp = n.tstamp;
  if (want.has('Type')) {
    p.type = n.interior ? { kind: 'DDFName', value: n.type ?? '' } : { kind: 'MIME', value: n.type ?? DEFAULT_TYPE };
  }
  if (want.has('VerNo') && n.verNo !== undefined) p.verNo = n.verNo;
  return p;
}

/**
 * Serializes the readable sub-tree at `baseUri` as a TNDS model. `nodes` holds baseUri and its
 * descendants in any order (nodes outside are a programming error: DmError ERR_PROTOCOL). A node
 * whose parent is missing (e.g. not readable) becomes a top-level Node with a Path, as does the
 * baseUri node itself; the root `.` is never a Node (its children are top-level with Path `.`).
 */
export function buildTnds(nodes: readonly TreeNodeRecord[], options: BuildTndsOptions): TndsTree {
  const want = options.properties ?? new Set(LIST_PROPERTY_NAMES);
  const { roots, kids } = preorder(nodes.filter((n) => n.uri !== ROOT_URI), options.baseUri);
  const toNode = (n: TreeNodeRecord, top: boolean): TndsNode => {
    const value = want.has('Value') && !n.interior && n.value !== undefined ? n.value : undefined;
    return {
      name: nodeName(n.uri),
      ...(top ? { path: parentUri(n.uri) ?? ROOT_URI } : {}),
      props: propsOf(n, want),
      ...(value !== undefined ? { value } : {}),
      children: (kids.get(n.uri) ?? []).map((c) => toNode(c, false)),
    };
  };
  return {
    verDtd: TNDS_VER_DTD,
    ...(options.man !== undefined ? { man: options.man } : {}),
    ...(options.mod !== undefined ? { mod: options.mod } : {}),
    nodes: roots.map((n) => toNode(n, true)),
  };
}

/** One Item of a `?list=Struct` / `StructData` Results (TND §8.4.2: Source LocURI + Meta). */
export interface StructItem {
  /** Source LocURI. */
  readonly uri: NodeUri;
  /** Meta Format (`node` for interior nodes). */
  readonly format: string;
  /** Meta Type, when known. */
  readonly type?: string;
  /** Data (StructData, leaves only). */
  readonly value?: string | Uint8Array;
}

/** Items for `?list=Struct` (includeValues false) or `StructData` (true), parents first. */
export function buildStructList(
  nodes: readonly TreeNodeRecord[],
  options: { readonly baseUri: NodeUri; readonly includeValues: boolean },
): StructItem[] {
  return preorder(nodes, options.baseUri).order.map((n) => ({
    uri: n.uri,
    format: n.interior ? 'node' : (n.format ?? 'chr'),
    ...(n.type !== undefined && n.type !== '' ? { type: n.type } : {}),
    ...(options.includeValues && !n.interior && n.value !== undefined ? { value: n.value } : {}),
  }));
}
