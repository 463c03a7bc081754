/**
 * The management-object plug-in interface. A plug-in owns the sub-tree below its mount URI: it
 * describes the nodes there (a DDF-like description, OMA-TS-DM_TND §8 / DM_DDF) and may add
 * behaviour through hooks. Nodes without behaviour are simply stored by the tree, so most MOs are
 * a description plus a few hooks (see docs/guides/writing-a-plugin.md).
 *
 * Plug-in objects are shared by every device built from the same template: they must keep no
 * per-device state in fields. Per-device state lives in the tree (nodes) or in plug-in data
 * ({@link PluginContext.getData}), which is persisted and rolled back with the tree.
 */
import type { Meta } from '../../core/syncml/message.js';
import type { NodeUri } from '../../core/tree/uri.js';
import type { ExecRequest, NodeWrite, TreeCaller, TreeResult } from './tree-api.js';

/** The commands a node description can allow (DDF AccessType). */
export type AccessType = 'Add' | 'Delete' | 'Exec' | 'Get' | 'Replace';

/** Every access type, for open (free-form) nodes. */
export const ALL_ACCESS: readonly AccessType[] = ['Add', 'Delete', 'Exec', 'Get', 'Replace'];

/** How many instances of a node may exist (DDF Occurrence). */
export type Occurrence = 'One' | 'ZeroOrOne' | 'ZeroOrMore' | 'OneOrMore';

/**
 * Description of one node and its children. `name` is a literal node name, or a placeholder in
 * angle brackets (`<x>`) that matches any dynamic child name.
 */
export interface NodeDescription {
  /** Node name, or `<x>` (any text in angle brackets) for dynamic children. */
  readonly name: string;
  /** `node` for interior nodes; a leaf format (`chr`, `int`, `bin`, ...); a list accepts several (first is the default); `*` accepts any. */
  readonly format: string | readonly string[];
  /** Commands a server may send to the node; anything else is 405. */
  readonly access: readonly AccessType[];
  /** DDF Occurrence; default `One` for literal names, `ZeroOrMore` for placeholders. */
  readonly occurrence?: Occurrence;
  /** Type property: MIME type of a leaf, or the MO identifier of an interior MO root. */
  readonly type?: string;
  /** Default Microsoft role mask (`msft:AccessRole`) of the node, inherited by its descendants. */
  readonly roleMask?: number;
  /** Default OMA ACL of the node (`Get=*&Replace=srv`); empty means inherited. */
  readonly acl?: string;
  /** Permanent nodes cannot be deleted or renamed (405). Default: literal name with occurrence One. */
  readonly permanent?: boolean;
  /** Value the leaf has when the tree creates it. */
  readonly defaultValue?: string;
  /** Title property. */
  readonly title?: string;
  /** Created together with its parent (e.g. FUMO `State`), even when the parent is dynamic. */
  readonly autoCreate?: boolean;
  /** A Replace of this missing leaf creates it (FUMO PkgURL/PkgData: the DDF defines no Add). */
  readonly upsert?: boolean;
  /** Children not described here are accepted with any format and every access type. */
  readonly open?: boolean;
  /** Formats an undescribed child of an open node may have (default: any). */
  readonly openFormats?: readonly string[];
  /** Status of an Add of an undescribed child directly below this node (default 405). */
  readonly unknownChildStatus?: number;
  /** Child descriptions (interior nodes only). */
  readonly children?: readonly NodeDescription[];
}

/** A clock the tree and plug-ins read instead of Date.now() (house style §3). */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A Generic Alert (1226) to send in a later session (OMA-TS-DM_Protocol §8.7). */
export interface GenericAlert {
  /** Item Source LocURI: the node the alert is about. */
  readonly source: string;
  /** Item Meta Type, e.g. `org.openmobilealliance.dm.firmwareupdate.update`. */
  readonly type: string;
  /** Item Meta Format (default chr). */
  readonly format?: string;
  /** Item Meta Mark (`informational`, `critical`, ...). */
  readonly mark?: string;
  /** Item Data (FUMO: the result code). */
  readonly data: string;
  /** Correlator of the Exec this alert reports on. */
  readonly correlator?: string;
}

/** Where plug-ins queue Generic Alerts; the agent supplies it and sends them in the next session. */
export interface AlertSink {
  /** Queues one alert (must not throw). */
  queueGenericAlert(alert: GenericAlert): void;
}

/** A change a server command is about to make (or has made) below a plug-in's mount. */
export interface TreeChange {
  /** `add`, `replace` (value), `delete` (whole sub-tree), or `rename` (Name property). */
  readonly kind: 'add' | 'replace' | 'delete' | 'rename';
  /** Canonical URI of the node. */
  readonly uri: NodeUri;
  /** True for interior nodes. */
  readonly interior: boolean;
  /** Format of the new value (add/replace). */
  readonly format?: string;
  /** New value, normalized (add/replace of a leaf). */
  readonly value?: string | Uint8Array;
  /** Meta the server sent (add/replace). */
  readonly meta?: Meta;
  /** New URI (rename). */
  readonly newUri?: NodeUri;
  /** The server that sent the command. */
  readonly caller: TreeCaller;
}

/** Exec request as a plug-in sees it. */
export interface PluginExecRequest extends ExecRequest {
  /** Canonical URI of the executed node. */
  readonly node: NodeUri;
  /** The server that sent the Exec. */
  readonly caller: TreeCaller;
}

/** The tree operations a plug-in may use (no access checks: the plug-in acts for the device). */
export interface PluginTree {
  /** Access mode of the tree. */
  readonly accessMode: 'acl' | 'roles';
  /** Leaf value as text (bytes are returned as base64), or undefined when missing or interior. */
  readValue(uri: string): string | undefined;
  /** Leaf value as bytes (text is UTF-8 encoded), or undefined. */
  readBytes(uri: string): Uint8Array | undefined;
  /** Format of a node, or undefined when missing. */
  readFormat(uri: string): string | undefined;
  /** Writes a leaf, creating it and missing parents (format `b64` stores bytes on a `bin` node). */
  writeValue(uri: string, value: string, format?: string): void;
  /** Writes a leaf's raw bytes (format `bin`), creating it and missing parents. */
  writeBytes(uri: string, value: Uint8Array): void;
  /** Creates an interior node and missing parents (no-op when it exists). */
  ensureInterior(uri: string): void;
  /** Deletes a node and its sub-tree (no-op when missing). */
  deleteNode(uri: string): void;
  /** True when the node exists. */
  exists(uri: string): boolean;
  /** Child names of an interior node, or undefined when it is missing or a leaf. */
  listChildren(uri: string): string[] | undefined;
  /** Runs a server Add as `caller` (used by ./Inbox to place an MO where it belongs). */
  add(write: NodeWrite, caller: TreeCaller): TreeResult;
  /** Removes a server id from every ACL (TND §7.7.1, when its account is deleted). */
  scrubServerId(serverId: string): void;
}

/** What a plug-in hook receives: the device's tree and services. */
export interface PluginContext {
  /** The device's tree. */
  readonly tree: PluginTree;
  /** Where to queue Generic Alerts. */
  readonly alerts: AlertSink;
  /** The clock. */
  readonly clock: Clock;
  /** Canonical mount URI of the plug-in. */
  readonly mount: NodeUri;
  /** Tracks a background task (FUMO download); `ManagementTree.whenIdle()` waits for it. */
  background(task: Promise<unknown>): void;
  /** Persisted per-device plug-in data (namespaced by plug-in id). */
  getData(key: string): string | undefined;
  /** Sets (or with undefined, removes) persisted per-device plug-in data. */
  setData(key: string, value: string | undefined): void;
  /** Keys of this plug-in's data. */
  dataKeys(): string[];
}

/**
 * A management-object plug-in. Every hook is optional. Hooks run only for server commands;
 * agent-internal writes (`writeValue`) bypass them.
 */
export interface TreePlugin {
  /** Stable identifier (namespaces plug-in data; appears in logs). */
  readonly id: string;
  /** Absolute URI of the node the plug-in owns (`./DevInfo`, `.` for the root). */
  readonly mount: string;
  /** Description of the mount node (its `name` is ignored) and its sub-tree. */
  readonly description: NodeDescription;
  /**
   * Runs before the tree applies a change. Return undefined to let the tree store it, an error
   * status to refuse it, or a 2xx status when the plug-in handled it itself (nothing is stored).
   */
  beforeChange?(ctx: PluginContext, change: TreeChange): number | undefined;
  /** Runs after the tree stored a change (side effects, derived nodes). */
  afterChange?(ctx: PluginContext, change: TreeChange): void;
  /** Executes a node whose description allows Exec; without this hook Exec is 405. */
  exec?(ctx: PluginContext, request: PluginExecRequest): TreeResult | Promise<TreeResult>;
  /** An Atomic began (state outside the tree must be snapshotted). */
  begin?(ctx: PluginContext): void;
  /** The Atomic committed. */
  commit?(ctx: PluginContext): void;
  /** The Atomic rolled back; return false when the plug-in could not undo its state (516). */
  rollback?(ctx: PluginContext): boolean | void;
  /** The device started (or restarted from persisted state): resume background work. */
  resume?(ctx: PluginContext): void;
}

/** Builds a store-backed plug-in: a description and, optionally, hooks. */
export function createStorePlugin(
  options: { id: string; mount: string; description: Omit<NodeDescription, 'name'> & { name?: string } } & Partial<
    Pick<TreePlugin, 'beforeChange' | 'afterChange' | 'exec' | 'begin' | 'commit' | 'rollback' | 'resume'>
  >,
): TreePlugin {
  const { description, ...rest } = options;
  return { ...rest, description: { name: description.name ?? lastSegment(options.mount), ...description } };
}

function lastSegment(uri: string): string {
  const i = uri.lastIndexOf('/');
  return i < 0 ? uri : uri.slice(i + 1);
}
