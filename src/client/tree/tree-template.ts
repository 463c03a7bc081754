/**
 * The shared part of many devices' trees: the plug-ins, their compiled descriptions, and the
 * records every device starts with (permanent nodes, defaults, profile values). A device's
 * `ManagementTree` keeps only its differences from the template (copy-on-write), which is what
 * lets one process hold tens of thousands of simulated devices.
 */
import { type Acl, parseAcl } from '../../core/tree/acl.js';
import { type NodeUri, type NodeUriOptions, ROOT_URI } from '../../core/tree/uri.js';
import { ManagementTree } from './management-tree.js';
import { type LeafValue, NodeRecord, sameValue } from './node.js';
import { type AlertSink, type Clock, type TreePlugin, systemClock } from './plugin.js';
import { TreeSchema } from './schema.js';
import type { TemplateData } from './tree-storage.js';
import type { TreeSnapshot } from './tree-snapshot.js';

/** A node to create (or value to set) when a template or a device is built. */
export interface InitialNode {
  /** Absolute URI (`./DevInfo/DevId`). */
  readonly uri: string;
  /** Leaf value; bytes for `bin` (a string for a `bin` leaf is read as base64). */
  readonly value?: LeafValue;
  /** Format; `node` creates an interior node; default: the description's, else `chr`. */
  readonly format?: string;
  /** Type property. */
  readonly type?: string;
  /** ACL property. */
  readonly acl?: string;
  /** msft:AccessRole. */
  readonly roleMask?: number;
  /** Title property. */
  readonly title?: string;
}

/** Options of {@link TreeTemplate.build}. */
export interface TreeTemplateOptions {
  /** The management objects. */
  readonly plugins: readonly TreePlugin[];
  /** OMA ACLs (default) or Microsoft security roles. */
  readonly accessMode?: 'acl' | 'roles';
  /** DevDetail/URI limits enforced on every URI (414); 0 or absent = unlimited. */
  readonly limits?: NodeUriOptions;
  /** ACL of the root (default `Add=*&Get=*`, TND §7.7.1). */
  readonly rootAcl?: string;
  /** Nodes every device of the template has (profile values, pre-provisioned accounts). */
  readonly nodes?: readonly InitialNode[];
  /** Clock (TStamp, plug-ins). */
  readonly clock?: Clock;
}

/** Options of {@link TreeTemplate.instantiate}. */
export interface InstantiateOptions {
  /** Where plug-ins queue Generic Alerts (default: kept in the tree until `takeAlerts()`). */
  readonly alerts?: AlertSink;
  /** Per-device values (DevId, credentials); only differences from the template are stored. */
  readonly nodes?: readonly InitialNode[];
  /** Persisted state to load. */
  readonly snapshot?: TreeSnapshot;
}

const ACL_CACHE_LIMIT = 256;

/** Shared descriptions and starting records of a family of trees. */
export class TreeTemplate implements TemplateData {
  /** Compiled descriptions. */
  readonly schema: TreeSchema;
  /** Access-control model. */
  readonly accessMode: 'acl' | 'roles';
  /** URI limits. */
  readonly limits: NodeUriOptions;
  /** Clock. */
  readonly clock: Clock;
  /** TStamp of nodes never modified. */
  readonly createdAt: number;
  #base: ReadonlyMap<string, NodeRecord>;
  #keys: ReadonlyMap<string, string> | undefined;
  readonly #aclCache = new Map<string, Acl>();

  private constructor(schema: TreeSchema, options: TreeTemplateOptions) {
    this.schema = schema;
    this.accessMode = options.accessMode ?? 'acl';
    this.limits = options.limits ?? {};
    this.clock = options.clock ?? systemClock;
    this.createdAt = this.clock.now();
    const rootAcl = options.rootAcl ?? schema.root.desc.acl ?? 'Add=*&Get=*';
    this.#base = new Map([[ROOT_URI, NodeRecord.interior(schema.root.desc.type, { acl: rootAcl })]]);
  }

  /** Builds a template: compiles the descriptions and creates the permanent nodes and `nodes`. */
  static build(options: TreeTemplateOptions): TreeTemplate {
    const template = new TreeTemplate(new TreeSchema(options.plugins), options);
    const builder = new ManagementTree(template);
    builder.seedChildren(ROOT_URI, template.schema.root, (d) => d.permanent || d.desc.autoCreate === true);
    applyInitialNodes(builder, options.nodes ?? []);
    const base = new Map<string, NodeRecord>();
    for (const [uri, rec] of builder.subtree(ROOT_URI)) base.set(uri, rec);
    template.#base = base;
    template.#keys = new Map([...base.keys()].map((k) => [k, k]));
    return template;
  }

  /** Records every device starts with. */
  get base(): ReadonlyMap<string, NodeRecord> {
    return this.#base;
  }

  /** One shared string instance per base URI. */
  get baseKeys(): ReadonlyMap<string, string> | undefined {
    return this.#keys;
  }

  /** A new device tree. */
  instantiate(options: InstantiateOptions = {}): ManagementTree {
    const tree = new ManagementTree(this, options.alerts);
    if (options.nodes !== undefined) applyInitialNodes(tree, options.nodes);
    if (options.snapshot !== undefined) tree.restore(options.snapshot);
    return tree;
  }

  /** Parses ACL text through a small shared cache. */
  parseAcl(text: string): Acl {
    let acl = this.#aclCache.get(text);
    if (acl === undefined) {
      acl = parseAcl(text);
      if (this.#aclCache.size >= ACL_CACHE_LIMIT) this.#aclCache.clear();
      this.#aclCache.set(text, acl);
    }
    return acl;
  }
}

/** Creates nodes / sets values without checks or hooks (agent-internal provisioning). */
export function applyInitialNodes(tree: ManagementTree, nodes: readonly InitialNode[]): void {
  for (const n of nodes) {
    const uri = tree.canonical(n.uri);
    const def = tree.describe(uri);
    const existing = tree.record(uri);
    const interior = n.format === 'node' || (n.format === undefined && n.value === undefined && (def?.interior ?? existing?.interior ?? false));
    if (interior) {
      tree.ensureInterior(uri);
    } else {
      const format = n.format ?? existing?.format ?? def?.formats[0] ?? 'chr';
      const value: LeafValue = typeof n.value === 'string' && format === 'bin'
        ? new Uint8Array(Buffer.from(n.value, 'base64'))
        : n.value ?? '';
      if (existing === undefined) {
        tree.ensureParents(uri);
        tree.create(uri, NodeRecord.leaf(format, value, n.type ?? def?.desc.type), def);
      } else if (!sameValue(existing.value, value) || existing.format !== format || (n.type !== undefined && n.type !== existing.type)) {
        tree.put(uri, existing.withValue(value, format, n.type ?? existing.type));
      }
    }
    applyExtras(tree, uri, n);
  }
}

function applyExtras(tree: ManagementTree, uri: NodeUri, n: InitialNode): void {
  if (n.acl === undefined && n.roleMask === undefined && n.title === undefined && !(n.type !== undefined && n.format === 'node')) return;
  const rec = tree.record(uri);
  if (rec === undefined) return;
  let next = rec.withExtras({
    ...(n.acl !== undefined ? { acl: n.acl } : {}),
    ...(n.roleMask !== undefined ? { roleMask: n.roleMask } : {}),
    ...(n.title !== undefined ? { title: n.title } : {}),
  });
  if (n.type !== undefined && rec.interior) next = new NodeRecord('node', undefined, next.children, n.type, next.extras);
  tree.put(uri, next);
}
