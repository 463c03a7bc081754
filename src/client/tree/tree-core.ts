/**
 * One device's management tree below the command API: access checks (OMA ACL or Microsoft
 * roles), plug-in contexts and data, alerts, background tasks, and the agent-internal
 * `PluginTree` operations. `ManagementTree` adds the server commands on top.
 */
import { DmError, ErrorCode } from '../../core/errors.js';
import { Status } from '../../core/constants/status.js';
import {
  ACL_ANY, type Acl, type AclCommand, DEFAULT_ROOT_ACL, aclAllows, effectiveAcl, formatAcl, removeServerFromAcl,
} from '../../core/tree/acl.js';
import { roleMaskAllows } from '../../core/tree/security-role.js';
import { type NodeUri, ROOT_URI, normalizeUri, parentUri } from '../../core/tree/uri.js';
import { type LeafValue, NodeRecord } from './node.js';
import type { AlertSink, GenericAlert, PluginContext, PluginTree, TreePlugin } from './plugin.js';
import type { TreeCaller } from './tree-api.js';
import { type TemplateData, TreeStorage } from './tree-storage.js';

export type { TemplateData } from './tree-storage.js';

/** Access checks, plug-in support and agent-internal access of a device tree. */
export class TreeCore extends TreeStorage implements PluginTree {
  #alerts: AlertSink | undefined;
  #pendingAlerts: GenericAlert[] | undefined;
  #pluginData: Map<string, string> | undefined;
  #background: Set<Promise<unknown>> | undefined;

  constructor(template: TemplateData, alerts?: AlertSink) {
    super(template);
    this.#alerts = alerts;
  }

  /** Access mode of the tree. */
  get accessMode(): 'acl' | 'roles' {
    return this.template.accessMode;
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
      if (effectiveAcl(chain) !== undefined) break; // the nearest value wins
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

  /** The record at a URI the agent gave; a malformed URI names no node. */
  #lookup(uri: string): NodeRecord | undefined {
    let u: NodeUri;
    try {
      u = this.canonical(uri);
    } catch {
      return undefined;
    }
    return this.record(u);
  }

  /** Leaf value as text (bytes as base64). */
  readValue(uri: string): string | undefined {
    const rec = this.#lookup(uri);
    if (rec === undefined || rec.interior || rec.value === undefined) return undefined;
    return typeof rec.value === 'string' ? rec.value : Buffer.from(rec.value).toString('base64');
  }

  /** Leaf value as bytes. */
  readBytes(uri: string): Uint8Array | undefined {
    const rec = this.#lookup(uri);
    if (rec === undefined || rec.interior || rec.value === undefined) return undefined;
    return typeof rec.value === 'string' ? new Uint8Array(Buffer.from(rec.value, 'utf8')) : rec.value;
  }

  /** Format of a node. */
  readFormat(uri: string): string | undefined {
    return this.#lookup(uri)?.format;
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
    return this.#lookup(uri) !== undefined;
  }

  /** Child names of an interior node. */
  listChildren(uri: string): string[] | undefined {
    const rec = this.#lookup(uri);
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
