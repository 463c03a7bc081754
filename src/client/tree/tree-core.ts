/**
 * State and primitives of one device's management tree: node lookup (template base + overlay),
 * descriptions, access checks (OMA ACL or Microsoft roles), node creation and removal, plug-in
 * contexts. `ManagementTree` adds the command API on top; the helper modules (properties,
 * listing, snapshots) work on this class.
 */
import { DmError, ErrorCode, ProtocolError } from '../../core/errors.js';
import { Status } from '../../core/constants/status.js';
import {
  ACL_ANY, type Acl, type AclCommand, DEFAULT_ROOT_ACL, aclAllows, effectiveAcl, formatAcl, removeServerFromAcl,
} from '../../core/tree/acl.js';
import { roleMaskAllows } from '../../core/tree/security-role.js';
import {
  type NodeUri, type NodeUriOptions, type ParsedNodeUri, ROOT_URI, joinUri, nodeName, normalizeUri, parentUri, parseNodeUri,
  uriSegments,
} from '../../core/tree/uri.js';
import { type LeafValue, NodeRecord } from './node.js';
import { NodeStore } from './node-store.js';
import type { AlertSink, Clock, GenericAlert, PluginContext, PluginTree, TreePlugin } from './plugin.js';
import type { NodeDef, TreeSchema } from './schema.js';
import type { TreeCaller } from './tree-api.js';

/** The shared, read-only part of a tree (implemented by TreeTemplate). */
export interface TemplateData {
  /** Compiled descriptions. */
  readonly schema: TreeSchema;
  /** Records every device starts with. */
  readonly base: ReadonlyMap<string, NodeRecord>;
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

/** Per-device state and primitives of a management tree. */
export class TreeCore implements PluginTree {
  /** The template this tree was made from. */
  readonly template: TemplateData;
  /** Node storage. */
  readonly store: NodeStore;
  #alerts: AlertSink | undefined;
  #pendingAlerts: GenericAlert[] | undefined;
  #pluginData: Map<string, string> | undefined;
  #background: Set<Promise<unknown>> | undefined;
  #revision = 0;

  constructor(template: TemplateData, alerts?: AlertSink) {
    this.template = template;
    this.store = new NodeStore(template.base);
    this.#alerts = alerts;
  }

  /** Access mode of the tree. */
  get accessMode(): 'acl' | 'roles' {
    return this.template.accessMode;
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

  // ---- access control (OMA-TS-DM_TND §7.7.1; reference §2.9, §2.10, §5) ----

  /** True when `caller` may run `command` on `uri` (for Add: `uri` is the parent). */
  permits(caller: TreeCaller, command: AclCommand, uri: NodeUri): boolean {
    if (this.template.accessMode === 'roles') {
      const mask = this.effectiveRoleMask(uri);
      return mask === undefined || roleMaskAllows(mask, caller.roles);
    }
    return aclAllows(this.effectiveAcl(uri), command, caller.serverId);
  }

  /** ACL inherited from the nearest ancestor with a value; the root falls back to `Add=*&Get=*`. */
  effectiveAcl(uri: NodeUri): Acl {
    const chain: Acl[] = [];
    for (let u: NodeUri | undefined = uri; u !== undefined; u = parentUri(u)) {
      const text = this.record(u)?.extras?.acl;
      if (text) chain.push(this.template.parseAcl(text));
    }
    return effectiveAcl(chain) ?? DEFAULT_ROOT_ACL;
  }

  /** Role mask of the node, inherited from the nearest ancestor (record value, then description). */
  effectiveRoleMask(uri: NodeUri): number | undefined {
    for (let u: NodeUri | undefined = uri; u !== undefined; u = parentUri(u)) {
      const mask = this.record(u)?.extras?.roleMask ?? this.describe(u)?.desc.roleMask;
      if (mask !== undefined) return mask;
    }
    return undefined;
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

  // ---- plug-in support ----

  /** The context handed to a plug-in hook. */
  context(plugin: TreePlugin): PluginContext {
    const prefix = `${plugin.id}:`;
    return {
      tree: this,
      alerts: { queueGenericAlert: (a) => this.#queueAlert(a) },
      clock: this.template.clock,
      mount: normalizeUri(plugin.mount),
      background: (task) => this.#track(task),
      getData: (key) => this.#pluginData?.get(prefix + key),
      setData: (key, value) => this.setPluginData(prefix + key, value),
      dataKeys: () => [...(this.#pluginData?.keys() ?? [])].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)),
    };
  }

  /** All plug-in data (persisted with the tree). */
  pluginDataEntries(): Array<[string, string]> {
    return [...(this.#pluginData ?? [])];
  }

  /** Sets one plug-in data entry (undo-logged inside a savepoint). */
  setPluginData(key: string, value: string | undefined): void {
    const data = (this.#pluginData ??= new Map());
    const previous = data.get(key);
    if (previous === value) return;
    this.store.recordUndo(() => {
      if (previous === undefined) this.#pluginData?.delete(key);
      else (this.#pluginData ??= new Map()).set(key, previous);
    });
    if (value === undefined) data.delete(key);
    else data.set(key, value);
    if (data.size === 0) this.#pluginData = undefined;
    this.touch();
  }

  /** Sets where Generic Alerts go; alerts queued before are handed over. */
  setAlertSink(sink: AlertSink): void {
    this.#alerts = sink;
    for (const a of this.takeAlerts()) sink.queueGenericAlert(a);
  }

  /** Alerts queued while no sink was set (removes them). */
  takeAlerts(): GenericAlert[] {
    const out = this.#pendingAlerts ?? [];
    this.#pendingAlerts = undefined;
    return out;
  }

  #queueAlert(alert: GenericAlert): void {
    if (this.#alerts) this.#alerts.queueGenericAlert(alert);
    else (this.#pendingAlerts ??= []).push(alert);
  }

  #track(task: Promise<unknown>): void {
    const set = (this.#background ??= new Set());
    const done = task.then(() => undefined, () => undefined).finally(() => {
      set.delete(done);
      if (set.size === 0 && this.#background === set) this.#background = undefined;
    });
    set.add(done);
  }

  /** Resolves when every background task of the plug-ins (FUMO jobs) has finished. */
  async whenIdle(): Promise<void> {
    while (this.#background !== undefined && this.#background.size > 0) await Promise.all([...this.#background]);
  }

  // ---- PluginTree (agent-internal access, no checks, no hooks) ----

  /** Leaf value as text (bytes as base64). */
  readValue(uri: string): string | undefined {
    const rec = this.record(this.canonical(uri));
    if (rec === undefined || rec.interior || rec.value === undefined) return undefined;
    return typeof rec.value === 'string' ? rec.value : Buffer.from(rec.value).toString('base64');
  }

  /** Leaf value as bytes. */
  readBytes(uri: string): Uint8Array | undefined {
    const rec = this.record(this.canonical(uri));
    if (rec === undefined || rec.interior || rec.value === undefined) return undefined;
    return typeof rec.value === 'string' ? new Uint8Array(Buffer.from(rec.value, 'utf8')) : rec.value;
  }

  /** Format of a node. */
  readFormat(uri: string): string | undefined {
    return this.record(this.canonical(uri))?.format;
  }

  /** Writes a leaf (creating it and its parents); `b64` on a `bin` node stores the decoded bytes. */
  writeValue(uri: string, value: string, format?: string): void {
    const u = this.canonical(uri);
    const rec = this.record(u);
    const def = this.describe(u);
    const current = rec?.format ?? def?.formats[0];
    const binNode = rec !== undefined ? rec.format === 'bin' : def?.formats.includes('bin') === true && !def.formats.includes('b64');
    if (format === 'b64' && binNode) {
      this.#writeLeaf(u, new Uint8Array(Buffer.from(value, 'base64')), 'bin');
      return;
    }
    this.#writeLeaf(u, value, format ?? (current === undefined || current === 'node' ? 'chr' : current));
  }

  /** Writes a `bin` leaf. */
  writeBytes(uri: string, value: Uint8Array): void {
    this.#writeLeaf(this.canonical(uri), value, 'bin');
  }

  #writeLeaf(uri: NodeUri, value: LeafValue, format: string): void {
    const rec = this.record(uri);
    if (rec?.interior) throw new DmError(ErrorCode.ERR_TREE_URI_INVALID, `${uri} is an interior node`);
    if (rec !== undefined) {
      this.put(uri, rec.withValue(value, format));
      return;
    }
    this.ensureParents(uri);
    const def = this.describe(uri);
    this.create(uri, NodeRecord.leaf(format, value, def?.desc.type), def);
  }

  /** Creates an interior node and missing parents. */
  ensureInterior(uri: string): void {
    const u = this.canonical(uri);
    const rec = this.record(u);
    if (rec?.interior) return;
    if (rec !== undefined) throw new DmError(ErrorCode.ERR_TREE_URI_INVALID, `${u} is a leaf`);
    this.ensureParents(u);
    const def = this.describe(u);
    this.create(u, this.initialRecord(def, 'node'), def);
  }

  /** Deletes a node (no-op when missing). */
  deleteNode(uri: string): void {
    const u = this.canonical(uri);
    if (u !== ROOT_URI && this.record(u) !== undefined) this.remove(u);
  }

  /** True when the node exists. */
  exists(uri: string): boolean {
    return this.record(this.canonical(uri)) !== undefined;
  }

  /** Child names of an interior node. */
  listChildren(uri: string): string[] | undefined {
    const rec = this.record(this.canonical(uri));
    return rec?.children === undefined ? undefined : [...rec.children];
  }

  /** Removes `serverId` from every ACL that names it (root entries fall back to `*`). */
  scrubServerId(serverId: string): void {
    for (const [uri, rec] of this.subtree(ROOT_URI)) {
      const text = rec.extras?.acl;
      if (text === undefined || !text.split(/[=&+]/).includes(serverId)) continue;
      const before = this.template.parseAcl(text);
      const after = new Map(removeServerFromAcl(before, serverId));
      // TND §7.7.1: a root entry left without ids falls back to `*` (the root must keep a value).
      if (uri === ROOT_URI) for (const cmd of before.keys()) if (!after.has(cmd)) after.set(cmd, new Set([ACL_ANY]));
      this.put(uri, rec.withExtras({ acl: formatAcl(after) }));
    }
  }

  /** Placeholder implemented by ManagementTree. */
  add(_write: Parameters<PluginTree['add']>[0], _caller: TreeCaller): ReturnType<PluginTree['add']> {
    return { status: Status.COMMAND_NOT_IMPLEMENTED };
  }
}
