/**
 * The compiled descriptions of a tree: every plug-in's description hung at its mount URI, plus
 * the junction nodes on the way (`./SyncML`, `./Vendor/MSFT`). Built once per template and
 * shared, read-only, by every device of that template.
 */
import { ConfigError, ErrorCode } from '../../core/errors.js';
import { Status } from '../../core/constants/status.js';
import { normalizeUri, uriSegments } from '../../core/tree/uri.js';
import { ALL_ACCESS, type AccessType, type NodeDescription, type Occurrence, type TreePlugin } from './plugin.js';

const ACCESS_BIT: Readonly<Record<AccessType, number>> = { Add: 1, Delete: 2, Exec: 4, Get: 8, Replace: 16 };

/** Bit mask of access types. */
export function accessMask(access: readonly AccessType[]): number {
  let m = 0;
  for (const a of access) m |= ACCESS_BIT[a];
  return m;
}

/** One compiled node description. */
export class NodeDef {
  /** Literal children by name. */
  readonly literal = new Map<string, NodeDef>();
  /** The `<x>` child, if any. */
  placeholder: NodeDef | undefined;
  /** Description used for undescribed children of an open node. */
  openChild: NodeDef | undefined;

  constructor(
    /** Literal name, or the placeholder text. */
    readonly name: string,
    /** True for a `<x>` placeholder. */
    readonly isPlaceholder: boolean,
    /** Accepted formats (first = default); empty accepts any. */
    readonly formats: readonly string[],
    /** Access bit mask. */
    readonly access: number,
    /** Occurrence. */
    readonly occurrence: Occurrence,
    /** Permanent (not deletable / renamable). */
    readonly permanent: boolean,
    /** The owning plug-in. */
    readonly plugin: TreePlugin | undefined,
    /** The raw description (type, acl, roleMask, defaultValue, flags). */
    readonly desc: NodeDescription,
  ) {}

  /** True when the node is interior. */
  get interior(): boolean {
    return this.formats.length === 1 && this.formats[0] === 'node';
  }

  /** True when `format` is acceptable for this node (`b64` is accepted as transport for `bin`). */
  accepts(format: string): boolean {
    if (this.formats.length === 0) return true;
    return this.formats.includes(format) || (format === 'b64' && this.formats.includes('bin'));
  }

  /** True when the description allows the command. */
  allows(access: AccessType): boolean {
    return (this.access & ACCESS_BIT[access]) !== 0;
  }

  /** Status of an Add of an undescribed child. */
  get unknownChildStatus(): number {
    return this.desc.unknownChildStatus ?? Status.COMMAND_NOT_ALLOWED;
  }
}

function isPlaceholderName(name: string): boolean {
  return name.startsWith('<') && name.endsWith('>');
}

function compile(desc: NodeDescription, plugin: TreePlugin | undefined, nameOverride?: string): NodeDef {
  const name = nameOverride ?? desc.name;
  const placeholder = isPlaceholderName(name);
  const formats = typeof desc.format === 'string' ? (desc.format === '*' ? [] : [desc.format]) : [...desc.format];
  const occurrence = desc.occurrence ?? (placeholder ? 'ZeroOrMore' : 'One');
  const permanent = desc.permanent ?? (!placeholder && (occurrence === 'One' || occurrence === 'OneOrMore'));
  const def = new NodeDef(name, placeholder, formats, accessMask(desc.access), occurrence, permanent, plugin, desc);
  for (const child of desc.children ?? []) {
    const c = compile(child, plugin);
    if (c.isPlaceholder) def.placeholder = c;
    else def.literal.set(c.name, c);
  }
  if (desc.open) def.openChild = openDef(plugin, desc.openFormats);
  return def;
}

function openDef(plugin: TreePlugin | undefined, formats: readonly string[] = []): NodeDef {
  const desc: NodeDescription = { name: '<open>', format: formats.length ? formats : '*', access: ALL_ACCESS, open: true, permanent: false };
  const def = new NodeDef('<open>', true, formats, accessMask(ALL_ACCESS), 'ZeroOrMore', false, plugin, desc);
  def.openChild = def;
  return def;
}

const ROOT_DESCRIPTION: NodeDescription = { name: '.', format: 'node', access: ['Get', 'Add'], permanent: true };

/** Compiled descriptions of every plug-in of a tree. */
export class TreeSchema {
  /** The root description. */
  readonly root: NodeDef;
  /** Plug-ins in mount order (shallowest first). */
  readonly plugins: readonly TreePlugin[];

  constructor(plugins: readonly TreePlugin[]) {
    const sorted = [...plugins].sort((a, b) => depth(a.mount) - depth(b.mount));
    const rootPlugin = sorted.find((p) => normalizeUri(p.mount) === '.');
    this.root = compile(rootPlugin?.description ?? ROOT_DESCRIPTION, rootPlugin, '.');
    for (const plugin of sorted) {
      if (plugin === rootPlugin) continue;
      const segments = uriSegments(normalizeUri(plugin.mount));
      let parent = this.root;
      for (const seg of segments.slice(0, -1)) {
        let next = parent.literal.get(seg);
        if (next === undefined) {
          next = compile({ name: seg, format: 'node', access: ['Get'], permanent: true }, parent.plugin);
          parent.literal.set(seg, next);
        }
        parent = next;
      }
      const last = segments[segments.length - 1];
      if (last === undefined) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `plug-in ${plugin.id}: bad mount`);
      if (parent.literal.get(last)?.plugin === plugin) {
        throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `plug-in ${plugin.id} is registered twice`);
      }
      parent.literal.set(last, compile(plugin.description, plugin, last));
    }
    this.plugins = sorted;
  }

  /** The description of the node at `segments`, or undefined when nothing describes it. */
  describe(segments: readonly string[]): NodeDef | undefined {
    let def: NodeDef | undefined = this.root;
    for (const seg of segments) {
      if (def === undefined) return undefined;
      def = def.literal.get(seg) ?? def.placeholder ?? def.openChild;
    }
    return def;
  }

  /** The description of a child named `name` of a node described by `parent`. */
  child(parent: NodeDef, name: string): NodeDef | undefined {
    return parent.literal.get(name) ?? parent.placeholder ?? parent.openChild;
  }
}

function depth(mount: string): number {
  return uriSegments(normalizeUri(mount)).length;
}
