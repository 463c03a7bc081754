/**
 * JSON form of a device's tree (persistence): by default only what differs from the template
 * (the per-device overlay), or every node with `full`. Bytes travel as base64.
 */
import { ErrorCode, StoreError } from '../../core/errors.js';
import { type NodeUri, ROOT_URI } from '../../core/tree/uri.js';
import { type LeafValue, type NodeExtras, NodeRecord } from './node.js';
import type { TreeCore } from './tree-core.js';

/** One node in a snapshot. A delta entry with only `value` changes a template leaf's value. */
export interface SnapshotNode {
  /** Canonical URI. */
  readonly uri: string;
  /** The template node was deleted (delta only). */
  readonly deleted?: true;
  /** Format; absent on a value-only delta entry. */
  readonly format?: string;
  /** Leaf value (base64 when `encoding` says so). */
  readonly value?: string;
  /** `base64` for byte values. */
  readonly encoding?: 'base64';
  /** Child names in order (interior nodes). */
  readonly children?: readonly string[];
  /** Type property. */
  readonly type?: string;
  /** ACL property. */
  readonly acl?: string;
  /** Title property. */
  readonly title?: string;
  /** msft:AccessRole. */
  readonly roleMask?: number;
  /** Last change, ms since the epoch. */
  readonly tstamp?: number;
  /** VerNo. */
  readonly verNo?: number;
}

/** A serialized tree. */
export interface TreeSnapshot {
  /** Format version. */
  readonly version: 1;
  /** `delta` (differences from the template) or `full` (every node). */
  readonly kind: 'delta' | 'full';
  /** The nodes. */
  readonly nodes: readonly SnapshotNode[];
  /** Persisted plug-in data. */
  readonly pluginData?: Readonly<Record<string, string>>;
  /** Opaque data of the agent (pending alerts), stored with the tree. */
  readonly blob?: unknown;
}

function encodeValue(v: LeafValue): { value: string; encoding?: 'base64' } {
  return typeof v === 'string' ? { value: v } : { value: Buffer.from(v).toString('base64'), encoding: 'base64' };
}

function decodeValue(n: SnapshotNode): LeafValue | undefined {
  if (n.value === undefined) return undefined;
  return n.encoding === 'base64' ? new Uint8Array(Buffer.from(n.value, 'base64')) : n.value;
}

function nodeOf(uri: string, rec: NodeRecord): SnapshotNode {
  const x = rec.extras;
  return {
    uri,
    format: rec.format,
    ...(rec.value !== undefined ? encodeValue(rec.value) : {}),
    ...(rec.children !== undefined ? { children: [...rec.children] } : {}),
    ...(rec.type !== undefined ? { type: rec.type } : {}),
    ...(x?.acl !== undefined ? { acl: x.acl } : {}),
    ...(x?.title !== undefined ? { title: x.title } : {}),
    ...(x?.roleMask !== undefined ? { roleMask: x.roleMask } : {}),
    ...(x?.tstamp !== undefined ? { tstamp: x.tstamp } : {}),
    ...(x?.verNo !== undefined ? { verNo: x.verNo } : {}),
  };
}

function recordOf(n: SnapshotNode): NodeRecord {
  if (n.format === undefined) throw new StoreError(ErrorCode.ERR_STORE, `snapshot node ${n.uri} has no format`);
  const extras: NodeExtras = {
    ...(n.acl !== undefined ? { acl: n.acl } : {}),
    ...(n.title !== undefined ? { title: n.title } : {}),
    ...(n.roleMask !== undefined ? { roleMask: n.roleMask } : {}),
    ...(n.tstamp !== undefined ? { tstamp: n.tstamp } : {}),
    ...(n.verNo !== undefined ? { verNo: n.verNo } : {}),
  };
  const hasExtras = Object.keys(extras).length > 0 ? extras : undefined;
  if (n.format === 'node') return new NodeRecord('node', undefined, n.children ?? [], n.type, hasExtras);
  return new NodeRecord(n.format, decodeValue(n) ?? '', undefined, n.type, hasExtras);
}

/** Serializes a tree. */
export function snapshotTree(tree: TreeCore, options: { full?: boolean; blob?: unknown }): TreeSnapshot {
  const nodes: SnapshotNode[] = [];
  if (options.full === true) {
    for (const [uri, rec] of tree.subtree(ROOT_URI)) nodes.push(nodeOf(uri, rec));
  } else {
    for (const [uri, entry] of tree.store.overlayEntries()) {
      if (entry === null) nodes.push({ uri, deleted: true });
      else if (entry instanceof NodeRecord) nodes.push(nodeOf(uri, entry));
      else nodes.push({ uri, ...encodeValue(entry) });
    }
  }
  const data = tree.pluginDataEntries();
  return {
    version: 1,
    kind: options.full === true ? 'full' : 'delta',
    nodes,
    ...(data.length > 0 ? { pluginData: Object.fromEntries(data) } : {}),
    ...(options.blob !== undefined ? { blob: options.blob } : {}),
  };
}

/** Loads a snapshot into a tree made from the same template; returns the snapshot's blob. */
export function restoreTree(tree: TreeCore, snapshot: TreeSnapshot): unknown {
  if (snapshot.version !== 1) throw new StoreError(ErrorCode.ERR_STORE, `unsupported tree snapshot version ${String(snapshot.version)}`);
  const seen = new Set<string>();
  for (const n of snapshot.nodes) {
    const uri = tree.canonical(n.uri);
    seen.add(uri);
    if (n.deleted === true) {
      tree.store.put(uri, null);
      continue;
    }
    const base = tree.template.base.get(uri);
    if (n.format === undefined) {
      const v = decodeValue(n);
      if (base !== undefined && v !== undefined) tree.store.put(uri, base.withValue(v));
      continue;
    }
    const rec = recordOf(n);
    // Keep the per-device overlay small: a node equal to the template's is not stored.
    tree.store.put(uri, rec);
  }
  if (snapshot.kind === 'full') {
    for (const uri of tree.template.base.keys()) if (!seen.has(uri)) tree.store.put(uri as NodeUri, null);
  }
  for (const [k, v] of Object.entries(snapshot.pluginData ?? {})) tree.setPluginData(k, v);
  tree.touch();
  return snapshot.blob;
}
