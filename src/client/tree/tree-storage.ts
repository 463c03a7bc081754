/**
 * Storage primitives of one device's management tree: node lookup (template base + overlay),
 * descriptions, URI parsing, node creation, removal and renaming — no access checks, no hooks.
 */
import { DmError, ErrorCode, ProtocolError } from '../../core/errors.js';
import type { Acl } from '../../core/tree/acl.js';
import {
  type NodeUri, type NodeUriOptions, type ParsedNodeUri, ROOT_URI, joinUri, nodeName, normalizeUri, parentUri, parseNodeUri,
  uriSegments,
} from '../../core/tree/uri.js';
import { type LeafValue, NodeRecord } from './node.js';
import { NodeStore } from './node-store.js';
import type { Clock } from './plugin.js';
import type { NodeDef, TreeSchema } from './schema.js';

/** The shared, read-only part of a tree (implemented by TreeTemplate). */
export interface TemplateData {
  /** Compiled descriptions. */
  readonly schema: TreeSchema;
  /** Records every device starts with. */
  readonly base: ReadonlyMap<string, NodeRecord>;
  /** One shared string instance per base URI (overlay keys reuse them). */
  readonly baseKeys?: ReadonlyMap<string, string> | undefined;
  /** Access-control model. */
  readonly accessMode: 'acl' | 'roles';
  /** URI limits (DevDetail/URI). */
  readonly limits: NodeUriOptions;
  /** Clock. */
  readonly clock: Clock;
  /** TStamp of nodes never modified. */
  readonly createdAt: number;
  /** Parses ACL text through a shared cache. */
  parseAcl(text: string): Acl;
}
/** Per-device storage of a management tree. */
export class TreeStorage {
  /** The template this tree was made from. */
  readonly template: TemplateData;
  /** Node storage. */
  readonly store: NodeStore;
  #revision = 0;

  constructor(template: TemplateData) {
    this.template = template;
    this.store = new NodeStore(template.base, template.baseKeys);
  }

  /** Increases on every change (the agent saves the tree when it moved). */
  get revision(): number {
    return this.#revision;
  }

  /** Marks the tree changed. */
  touch(): void {
    this.#revision++;
  }

  /** Parses a server URI with the tree's limits: the parsed URI, or the status to answer. */
  parse(uri: string): ParsedNodeUri | number {
    try {
      return parseNodeUri(uri, this.template.limits);
    } catch (err) {
      if (err instanceof ProtocolError) return err.status;
      throw err;
    }
  }

  /** Canonical URI for agent-internal calls (throws on a malformed URI). */
  canonical(uri: string): NodeUri {
    return normalizeUri(uri);
  }

  /** The stored record of a node. */
  record(uri: NodeUri): NodeRecord | undefined {
    return this.store.get(uri);
  }

  /** The description of a node, or undefined when the node lies outside every description. */
  describe(uri: NodeUri): NodeDef | undefined {
    return this.template.schema.describe(uriSegments(uri));
  }

  /** The description of child `name` of a node described by `parent` (undefined parent = free-form). */
  childDef(parent: NodeDef | undefined, name: string): NodeDef | undefined {
    if (parent === undefined) return undefined;
    return this.template.schema.child(parent, name);
  }

  /** Child URIs of an interior node. */
  childUris(uri: NodeUri, rec = this.record(uri)): NodeUri[] {
    return (rec?.children ?? []).map((c) => joinUri(uri, c));
  }

  // ---- structure primitives (no checks) ----

  /** Stores a record (value or properties change of an existing node). */
  put(uri: NodeUri, rec: NodeRecord): void {
    this.store.put(uri, rec);
    this.touch();
  }

  /** Creates a node below an existing interior parent and its auto-created children. */
  create(uri: NodeUri, rec: NodeRecord, def: NodeDef | undefined): void {
    const parent = parentUri(uri);
    if (parent === undefined) throw new DmError(ErrorCode.ERR_TREE_URI_INVALID, 'the root cannot be created');
    const p = this.record(parent);
    if (p?.children === undefined) throw new DmError(ErrorCode.ERR_TREE_URI_INVALID, `${parent} is not an interior node`);
    const name = nodeName(uri);
    if (!p.children.includes(name)) this.store.put(parent, p.withChildren([...p.children, name]));
    this.store.put(uri, rec);
    if (rec.interior && def !== undefined) this.seedChildren(uri, def, (d) => d.desc.autoCreate === true);
    this.touch();
  }

  /** Creates the literal children of `def` selected by `pick` (recursively). */
  seedChildren(uri: NodeUri, def: NodeDef, pick: (d: NodeDef) => boolean): void {
    for (const child of def.literal.values()) {
      if (!pick(child)) continue;
      const cu = joinUri(uri, child.name);
      if (this.record(cu) !== undefined) continue;
      this.create(cu, this.initialRecord(child), child);
      if (child.interior) this.seedChildren(cu, child, pick);
    }
  }

  /** The record a node gets when the tree creates it from its description. */
  initialRecord(def: NodeDef | undefined, format?: string): NodeRecord {
    const d = def?.desc;
    const extras = d?.acl !== undefined || d?.title !== undefined
      ? { ...(d.acl !== undefined ? { acl: d.acl } : {}), ...(d.title !== undefined ? { title: d.title } : {}) }
      : undefined;
    const f = format ?? def?.formats[0] ?? 'node';
    if (f === 'node') return NodeRecord.interior(d?.type, extras);
    const value: LeafValue = f === 'bin' ? new Uint8Array(Buffer.from(d?.defaultValue ?? '', 'base64')) : d?.defaultValue ?? '';
    return NodeRecord.leaf(f, value, d?.type, extras);
  }

  /** Creates the missing interior ancestors of `uri` (agent-internal; no checks). */
  ensureParents(uri: NodeUri): void {
    const parent = parentUri(uri);
    if (parent === undefined || this.record(parent) !== undefined) return;
    this.ensureParents(parent);
    const def = this.describe(parent);
    this.create(parent, this.initialRecord(def, 'node'), def);
  }

  /** Removes a node and its sub-tree (the root cannot be removed). */
  remove(uri: NodeUri): void {
    const parent = parentUri(uri);
    if (parent === undefined) throw new DmError(ErrorCode.ERR_TREE_URI_INVALID, 'the root cannot be removed');
    this.#removeSubtree(uri);
    const p = this.record(parent);
    if (p?.children !== undefined) {
      const name = nodeName(uri);
      this.store.put(parent, p.withChildren(p.children.filter((c) => c !== name)));
    }
    this.touch();
  }

  #removeSubtree(uri: NodeUri): void {
    const rec = this.record(uri);
    for (const c of this.childUris(uri, rec)) this.#removeSubtree(c);
    this.store.put(uri, null);
  }

  /** Every node of the sub-tree at `uri`, parents first. */
  subtree(uri: NodeUri): Array<[NodeUri, NodeRecord]> {
    const out: Array<[NodeUri, NodeRecord]> = [];
    const walk = (u: NodeUri): void => {
      const rec = this.record(u);
      if (rec === undefined) return;
      out.push([u, rec]);
      for (const c of this.childUris(u, rec)) walk(c);
    };
    walk(uri);
    return out;
  }

  /** Moves a sub-tree to a new name under the same parent (Name property). */
  rename(uri: NodeUri, newName: string): NodeUri {
    const parent = parentUri(uri) ?? ROOT_URI;
    const target = joinUri(parent, newName);
    const nodes = this.subtree(uri);
    const p = this.record(parent);
    this.#removeSubtree(uri);
    for (const [u, rec] of nodes) this.store.put((target + u.slice(uri.length)) as NodeUri, rec);
    if (p?.children !== undefined) {
      const old = nodeName(uri);
      this.store.put(parent, p.withChildren(p.children.map((c) => (c === old ? newName : c))));
    }
    this.touch();
    return target;
  }
}
