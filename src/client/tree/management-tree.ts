/**
 * A device's OMA DM management tree (OMA-TS-DM_TND; reference §1.4, §1.9, §2.9): the
 * `DeviceTree` the session engine runs commands against. Every failure is a Status code, never
 * an exception (house style §4).
 */
import { Status } from '../../core/constants/status.js';
import { MediaType } from '../../core/constants/meta-types.js';
import { formatAcl, grantAcl, isValidServerId } from '../../core/tree/acl.js';
import { type NodeUri, type ParsedNodeUri, ROOT_URI, nodeName, parentUri } from '../../core/tree/uri.js';
import { NodeRecord } from './node.js';
import type { TreeChange, TreePlugin } from './plugin.js';
import type { NodeDef } from './schema.js';
import type { DeviceTree, ExecRequest, NodeWrite, TreeCaller, TreeResult, TreeSavepoint } from './tree-api.js';
import { TreeCore } from './tree-core.js';
import { getProperty, replaceProperty } from './tree-properties.js';
import { listTree, writeTnds } from './tree-listing.js';
import { restoreTree, snapshotTree, type TreeSnapshot } from './tree-snapshot.js';
import { checkValue, metaAccessRole, resultItem } from './tree-values.js';

const TNDS_TYPES: ReadonlySet<string> = new Set([MediaType.TNDS_XML, MediaType.TNDS_WBXML]);

/** True when the write carries a TNDS document (Meta Type, surrounding whitespace ignored). */
function isTnds(write: NodeWrite): boolean {
  const type = write.meta?.type?.trim();
  return type !== undefined && TNDS_TYPES.has(type);
}

/** Status-only result. */
function status(code: number): TreeResult {
  return { status: code };
}

/** The management tree of one device. Create it with `TreeTemplate.instantiate()`. */
export class ManagementTree extends TreeCore implements DeviceTree {
  /** Get: a node's value or child list, a property (`?prop=`), or a sub-tree (`?list=`). */
  get(uri: string, caller: TreeCaller): TreeResult {
    const p = this.parse(uri);
    if (typeof p === 'number') return status(p);
    if (p.query?.prop !== undefined) return getProperty(this, { parsed: p, locUri: uri.trim(), command: 'Get', caller });
    const rec = this.record(p.uri);
    if (rec === undefined) return status(Status.NOT_FOUND);
    const def = this.describe(p.uri);
    // TND: a node whose description lacks Get (./Inbox, secrets) answers 405.
    if (def !== undefined && !def.allows('Get')) return status(Status.COMMAND_NOT_ALLOWED);
    if (!this.permits(caller, 'Get', p.uri)) return status(Status.PERMISSION_DENIED);
    if (p.query?.list !== undefined) return listTree(this, { parsed: p, locUri: uri.trim(), caller });
    return { status: Status.OK, items: [resultItem(uri.trim(), rec)] };
  }

  /** Add: creates a node (and missing interior parents), or a TNDS sub-tree. */
  override add(write: NodeWrite, caller: TreeCaller): TreeResult {
    const p = this.parse(write.uri);
    if (typeof p === 'number') return status(p);
    if (p.query !== undefined) return status(Status.COMMAND_NOT_ALLOWED); // TND §7.5: properties do not support Add
    if (isTnds(write)) return writeTnds(this, { target: p.uri, write, caller, mode: 'add' });
    if (this.record(p.uri) !== undefined) return status(Status.ALREADY_EXISTS);
    return this.#create(p, write, caller, 'Add');
  }

  #create(p: ParsedNodeUri, write: NodeWrite, caller: TreeCaller, access: 'Add' | 'Replace'): TreeResult {
    if (p.uri === ROOT_URI) return status(Status.ALREADY_EXISTS);
    // Nearest existing ancestor; the nodes between are created implicitly (RepPro Add).
    const missing: NodeUri[] = [];
    let anchor = parentUri(p.uri) ?? ROOT_URI;
    while (this.record(anchor) === undefined) {
      missing.unshift(anchor);
      anchor = parentUri(anchor) ?? ROOT_URI;
    }
    const anchorRec = this.record(anchor);
    if (anchorRec === undefined || !anchorRec.interior) return status(Status.COMMAND_NOT_ALLOWED);
    let parentDef = this.describe(anchor);
    const implicitDefs: Array<NodeDef | undefined> = [];
    for (const m of missing) {
      const d = this.childDef(parentDef, nodeName(m));
      if (parentDef !== undefined && (d === undefined || !d.accepts('node') || !d.allows('Add'))) return status(Status.COMMAND_NOT_ALLOWED);
      implicitDefs.push(d);
      parentDef = d;
    }
    const def = this.childDef(parentDef, nodeName(p.uri));
    if (parentDef !== undefined && def === undefined) {
      return status(missing.length > 0 ? Status.COMMAND_NOT_ALLOWED : parentDef.unknownChildStatus);
    }
    if (def !== undefined && !def.allows(access)) return status(Status.COMMAND_NOT_ALLOWED);
    // Meta Format is required by RepPro; when a server leaves it out the description's format is used.
    const format = write.meta?.format ?? def?.formats[0] ?? 'chr';
    if (!this.permits(caller, 'Add', anchor)) return status(Status.PERMISSION_DENIED);
    const role = metaAccessRole(write.meta);
    if (role !== undefined && Number.isNaN(role)) return status(Status.BAD_REQUEST);
    let rec: NodeRecord;
    if (format === 'node') {
      if (def !== undefined && !def.accepts('node')) return status(Status.UNSUPPORTED_MEDIA_TYPE);
      rec = this.initialRecord(def, 'node');
      if (write.meta?.type !== undefined) rec = new NodeRecord('node', undefined, rec.children, write.meta.type, rec.extras);
    } else {
      if (def?.interior) return status(Status.UNSUPPORTED_MEDIA_TYPE);
      const checked = checkValue(def, format, write.data);
      if (typeof checked === 'number') return status(checked);
      const base = this.initialRecord(def, checked.format);
      rec = new NodeRecord(checked.format, checked.value, undefined, write.meta?.type ?? base.type, base.extras);
    }
    const change: TreeChange = {
      kind: 'add', uri: p.uri, interior: rec.interior, format: rec.format, caller,
      ...(rec.value !== undefined ? { value: rec.value } : {}), ...(write.meta !== undefined ? { meta: write.meta } : {}),
    };
    const hooked = this.#before(def?.plugin, change);
    if (hooked !== undefined) return status(hooked);
    const now = this.template.clock.now();
    // TND §7.7.1: an interior node added by a server without Replace on the parent gets an ACL
    // granting its creator Add, Delete and Replace (applied to the topmost node created).
    const top = missing[0] ?? p.uri;
    const grant = this.accessMode === 'acl' && !this.permits(caller, 'Replace', anchor) && (missing.length > 0 || rec.interior);
    missing.forEach((m, i) => {
      let r = this.initialRecord(implicitDefs[i], 'node').withExtras({ tstamp: now });
      if (grant && m === top) r = r.withExtras({ acl: creatorAcl(r.extras?.acl, caller.serverId, this) });
      this.create(m, r, implicitDefs[i]);
    });
    let extras = rec.withExtras({ tstamp: now, ...(role !== undefined ? { roleMask: role } : {}) });
    if (grant && top === p.uri) extras = extras.withExtras({ acl: creatorAcl(extras.extras?.acl, caller.serverId, this) });
    this.create(p.uri, extras, def);
    this.#after(def?.plugin, change);
    return status(Status.OK);
  }

  /** Replace: a leaf value, a property (`?prop=`), or a TNDS sub-tree's values. Never creates (404). */
  replace(write: NodeWrite, caller: TreeCaller): TreeResult {
    const p = this.parse(write.uri);
    if (typeof p === 'number') return status(p);
    if (p.query?.prop !== undefined) return replaceProperty(this, { parsed: p, write, caller });
    if (p.query !== undefined) return status(Status.COMMAND_NOT_ALLOWED);
    if (isTnds(write)) return writeTnds(this, { target: p.uri, write, caller, mode: 'replace' });
    const rec = this.record(p.uri);
    const def = this.describe(p.uri);
    if (rec === undefined) {
      // FUMO PkgURL / PkgData are defined with Replace only: such leaves are created by Replace.
      return def?.desc.upsert === true ? this.#create(p, write, caller, 'Replace') : status(Status.NOT_FOUND);
    }
    if (def !== undefined && !def.allows('Replace')) return status(Status.COMMAND_NOT_ALLOWED);
    if (rec.interior) return status(Status.COMMAND_NOT_ALLOWED);
    if (!this.permits(caller, 'Replace', p.uri)) return status(Status.PERMISSION_DENIED);
    // Without Meta Format the node keeps its format (servers often omit it on Replace).
    const format = write.meta?.format ?? rec.format;
    const checked = checkValue(def, format, write.data, rec.format);
    if (typeof checked === 'number') return status(checked);
    const change: TreeChange = {
      kind: 'replace', uri: p.uri, interior: false, format: checked.format, value: checked.value, caller,
      ...(write.meta !== undefined ? { meta: write.meta } : {}),
    };
    const hooked = this.#before(def?.plugin, change);
    if (hooked !== undefined) return status(hooked);
    const verNo = ((rec.extras?.verNo ?? 0) + 1) & 0xffff;
    const next = rec.withValue(checked.value, checked.format, write.meta?.type ?? rec.type)
      .withExtras({ tstamp: this.template.clock.now(), verNo });
    this.put(p.uri, next);
    this.#after(def?.plugin, change);
    return status(Status.OK);
  }

  /** Delete: removes a node and its whole sub-tree; permanent nodes and the root are 405. */
  delete(uri: string, caller: TreeCaller): TreeResult {
    const p = this.parse(uri);
    if (typeof p === 'number') return status(p);
    if (p.query !== undefined) return status(Status.COMMAND_NOT_ALLOWED);
    const rec = this.record(p.uri);
    if (rec === undefined) return status(Status.NOT_FOUND);
    const def = this.describe(p.uri);
    if (p.uri === ROOT_URI || def?.permanent === true) return status(Status.COMMAND_NOT_ALLOWED);
    if (def !== undefined && !def.allows('Delete')) return status(Status.COMMAND_NOT_ALLOWED);
    if (!this.permits(caller, 'Delete', p.uri)) return status(Status.PERMISSION_DENIED);
    const change: TreeChange = { kind: 'delete', uri: p.uri, interior: rec.interior, caller };
    const hooked = this.#before(def?.plugin, change);
    if (hooked !== undefined) return status(hooked);
    this.remove(p.uri);
    this.#after(def?.plugin, change);
    return status(Status.OK);
  }

  /** Copy: a leaf's value and format to another leaf (created when missing). */
  copy(request: { target: string; source: string }, caller: TreeCaller): TreeResult {
    const s = this.parse(request.source);
    if (typeof s === 'number') return status(s);
    if (s.query !== undefined) return status(Status.COMMAND_NOT_ALLOWED);
    const src = this.record(s.uri);
    if (src === undefined) return status(Status.NOT_FOUND);
    if (src.interior) return status(Status.COMMAND_NOT_ALLOWED); // OMA defines Copy leaf → leaf only
    const srcDef = this.describe(s.uri);
    if (srcDef !== undefined && !srcDef.allows('Get')) return status(Status.COMMAND_NOT_ALLOWED);
    if (!this.permits(caller, 'Get', s.uri)) return status(Status.PERMISSION_DENIED);
    const write: NodeWrite = {
      uri: request.target,
      data: src.value ?? '',
      meta: src.type === undefined ? { format: src.format } : { format: src.format, type: src.type },
    };
    const t = this.parse(request.target);
    if (typeof t !== 'number' && t.query === undefined && this.record(t.uri) !== undefined) return this.replace(write, caller);
    return this.add(write, caller);
  }

  /** Exec: runs the plug-in of an executable node (202 when it finishes later). */
  async exec(request: ExecRequest, caller: TreeCaller): Promise<TreeResult> {
    const p = this.parse(request.uri);
    if (typeof p === 'number') return status(p);
    if (p.query !== undefined) return status(Status.COMMAND_NOT_ALLOWED);
    if (this.record(p.uri) === undefined) return status(Status.NOT_FOUND);
    const def = this.describe(p.uri);
    const plugin = def?.plugin;
    if (def === undefined || !def.allows('Exec') || plugin?.exec === undefined) return status(Status.COMMAND_NOT_ALLOWED);
    if (!this.permits(caller, 'Exec', p.uri)) return status(Status.PERMISSION_DENIED);
    try {
      return await plugin.exec(this.context(plugin), { ...request, node: p.uri, caller });
    } catch {
      return status(Status.COMMAND_FAILED);
    }
  }

  /** Opens an all-or-nothing group (Atomic): the undo log and plug-in begin/commit/rollback hooks. */
  savepoint(): TreeSavepoint {
    this.store.begin();
    const hooked = this.template.schema.plugins.filter((pl) => pl.begin || pl.commit || pl.rollback);
    for (const pl of hooked) pl.begin?.(this.context(pl));
    let open = true;
    return {
      commit: () => {
        if (!open) return;
        open = false;
        this.store.commit();
        for (const pl of hooked) pl.commit?.(this.context(pl));
      },
      rollback: () => {
        if (!open) return false;
        open = false;
        this.store.rollback();
        this.touch();
        let ok = true;
        for (const pl of hooked) {
          try {
            if (pl.rollback?.(this.context(pl)) === false) ok = false;
          } catch {
            ok = false;
          }
        }
        return ok;
      },
    };
  }

  /** Lets plug-ins resume background work after the device (re)starts (FUMO jobs). */
  resume(): void {
    for (const pl of this.template.schema.plugins) pl.resume?.(this.context(pl));
  }

  /** Serializable state of the tree (differences from the template, or every node with `full`). */
  snapshot(options: { full?: boolean; blob?: unknown } = {}): TreeSnapshot {
    return snapshotTree(this, options);
  }

  /** Loads a snapshot taken by {@link snapshot} into this (fresh) tree; returns its blob. */
  restore(snapshot: TreeSnapshot): unknown {
    return restoreTree(this, snapshot);
  }

  #before(plugin: TreePlugin | undefined, change: TreeChange): number | undefined {
    if (plugin?.beforeChange === undefined) return undefined;
    try {
      return plugin.beforeChange(this.context(plugin), change);
    } catch {
      return Status.COMMAND_FAILED;
    }
  }

  #after(plugin: TreePlugin | undefined, change: TreeChange): void {
    try {
      plugin?.afterChange?.(this.context(plugin), change);
    } catch {
      // The change is stored; a failing side effect must not turn it into an exception (house style §4).
    }
  }

  /** Runs a plug-in's beforeChange hook (used by the helper modules). */
  beforeHook(def: NodeDef | undefined, change: TreeChange): number | undefined {
    return this.#before(def?.plugin, change);
  }

  /** Runs a plug-in's afterChange hook (used by the helper modules). */
  afterHook(def: NodeDef | undefined, change: TreeChange): void {
    this.#after(def?.plugin, change);
  }
}

function creatorAcl(existing: string | undefined, serverId: string, tree: TreeCore): string | undefined {
  if (!isValidServerId(serverId)) return existing;
  const base = existing ? tree.template.parseAcl(existing) : new Map();
  return formatAcl(grantAcl(base, ['Add', 'Delete', 'Replace'], serverId));
}
