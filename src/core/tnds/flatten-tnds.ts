/**
 * Turns a TNDS model into the list of node operations an Add (or Replace) of a TNDS sub-tree
 * performs (OMA-TS-DM_TNDS §9.1.3; RepPro Add: "TNDS MIME may add a subtree"), parents first.
 */
import { CodecError, ErrorCode } from '../errors.js';
import { type Acl, parseAcl } from '../tree/acl.js';
import { type NodeUri, joinUri, normalizeUri } from '../tree/uri.js';
import type { TndsNode, TndsProperties, TndsTree } from './tnds.js';

/** One node to create or update. */
export interface TndsEntry {
  /** Canonical URI of the node. */
  readonly uri: NodeUri;
  /** True for interior nodes (Format node, child Nodes, or neither a Value nor children). */
  readonly interior: boolean;
  /** Format name, when the TNDS gives one (`node` for interior nodes that state it). */
  readonly format?: string;
  /** Type value (MIME type or DDF name), when given. */
  readonly type?: string;
  /** Leaf value as serialized (text, or bytes from WBXML opaque). */
  readonly value?: string | Uint8Array;
  /** Parsed ACL, when the node carries a non-empty one. */
  readonly acl?: Acl;
  /** Title, when given. */
  readonly title?: string;
  /** Every RTProperty as read (Name, Size, TStamp, VerNo are device-owned and normally ignored). */
  readonly props: TndsProperties;
}

function isInterior(n: TndsNode, where: NodeUri): boolean {
  const f = n.props.format;
  const hasValue = n.value !== undefined && !(typeof n.value === 'string' ? n.value === '' : n.value.length === 0);
  if (f === 'node') {
    if (hasValue) throw new CodecError(ErrorCode.ERR_TNDS_INVALID, 'an interior node (Format node) has a Value', { path: where });
    return true;
  }
  if (f !== undefined) {
    if (n.children.length > 0) throw new CodecError(ErrorCode.ERR_TNDS_INVALID, `a ${f} leaf has child Nodes`, { path: where });
    return false;
  }
  return n.value === undefined;
}

function entryOf(n: TndsNode, uri: NodeUri, interior: boolean): TndsEntry {
  const p = n.props;
  const acl = p.acl !== undefined ? parseAcl(p.acl) : undefined;
  return {
    uri,
    interior,
    ...(p.format !== undefined ? { format: p.format } : {}),
    ...(p.type !== undefined ? { type: p.type.value } : {}),
    ...(!interior && n.value !== undefined ? { value: n.value } : {}),
    ...(acl !== undefined && acl.size > 0 ? { acl } : {}),
    ...(p.title !== undefined ? { title: p.title } : {}),
    props: p,
  };
}

/**
 * Flattens `tree` below `baseUri` (the Add target) in document pre-order, so every parent comes
 * before its children. A Node's Path, when present, replaces the enclosing location: it is the
 * URI of the node's parent, resolved against the tree root like any DM URI (not against baseUri).
 * Throws ProtocolError (ERR_TREE_URI_INVALID / ERR_ACL_INVALID) for a bad name, path or ACL and
 * CodecError ERR_TNDS_INVALID for a contradictory node.
 */
export function flattenTnds(tree: TndsTree, baseUri: NodeUri | string): TndsEntry[] {
  const base = normalizeUri(baseUri);
  const out: TndsEntry[] = [];
  const walk = (n: TndsNode, parent: NodeUri): void => {
    const where = n.path !== undefined ? normalizeUri(n.path) : parent;
    const uri = joinUri(where, n.name);
    const interior = isInterior(n, uri);
    out.push(entryOf(n, uri, interior));
    for (const c of n.children) walk(c, uri);
  };
  for (const n of tree.nodes) walk(n, base);
  return out;
}
