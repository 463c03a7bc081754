/**
 * Device Description Framework documents (OMA DM_DDF 1.2, OMA-TS-DM_TND §8.5): the same
 * `MgmtTree` shape as TNDS, but nodes carry `<DFProperties>` describing what a management object
 * allows (AccessType, Scope, Occurrence, ...). A tree implementation can load an MO's DDF to learn
 * which nodes are permanent and which commands each accepts.
 */
import type { DmElement } from '../codec/element.js';
import {
  type PathedElement, childElements, choiceOf, isDdfElement, leafText, tndsError, valueContent,
} from './element-reader.js';
import { type TndsProperties, type TndsType, readType, rtPropertiesFromElement } from './tnds.js';

/** Commands an AccessType can list (DDF: Copy is included, unlike ACLs). */
export type DdfAccess = 'Add' | 'Copy' | 'Delete' | 'Exec' | 'Get' | 'Replace';
const ACCESS: readonly DdfAccess[] = ['Add', 'Copy', 'Delete', 'Exec', 'Get', 'Replace'];

/** Occurrence of a node among its siblings; `max` is N for ZeroOrN / OneOrN. */
export interface DdfOccurrence {
  /** Occurrence keyword. */
  readonly kind: 'One' | 'ZeroOrOne' | 'ZeroOrMore' | 'OneOrMore' | 'ZeroOrN' | 'OneOrN';
  /** N, for the `...OrN` kinds. */
  readonly max?: number;
}
const OCCURRENCE: readonly DdfOccurrence['kind'][] = ['One', 'ZeroOrOne', 'ZeroOrMore', 'OneOrMore', 'ZeroOrN', 'OneOrN'];

/** `<DFProperties>` of one node. */
export interface DdfProperties {
  /** Commands the node accepts. */
  readonly accessType: readonly DdfAccess[];
  /** DefaultValue. */
  readonly defaultValue?: string;
  /** Description. */
  readonly description?: string;
  /** DFFormat name (`node`, `chr`, ...). */
  readonly format?: string;
  /** Occurrence. */
  readonly occurrence?: DdfOccurrence;
  /** Scope: Permanent nodes cannot be added or deleted by a server. */
  readonly scope?: 'Permanent' | 'Dynamic';
  /** DFTitle. */
  readonly title?: string;
  /** DFType. */
  readonly type?: TndsType;
  /** CaseSense: CS (case sensitive) or CIS. */
  readonly caseSense?: 'CS' | 'CIS';
}

/** One described node. An empty name marks an unnamed (dynamic, server-named) node. */
export interface DdfNode {
  /** NodeName (may be empty for a placeholder). */
  readonly name: string;
  /** Path of the parent, when given. */
  readonly path?: string;
  /** DFProperties, when present. */
  readonly description?: DdfProperties;
  /** RTProperties, when present (a DDF may carry runtime values too). */
  readonly runtime?: TndsProperties;
  /** Value, when present. */
  readonly value?: string | Uint8Array;
  /** Child nodes in document order. */
  readonly children: readonly DdfNode[];
}

/** A whole DDF `<MgmtTree>`. */
export interface DdfTree {
  /** VerDTD. */
  readonly verDtd: string;
  /** Man. */
  readonly man?: string;
  /** Mod. */
  readonly mod?: string;
  /** Top-level nodes. */
  readonly nodes: readonly DdfNode[];
}

function readAccessType(e: PathedElement): DdfAccess[] {
  return childElements(e.el, e.path).map((c) => {
    const name = c.el.name as DdfAccess;
    if (!ACCESS.includes(name)) throw tndsError(`unknown AccessType <${c.el.name}>`, c.path);
    return name;
  });
}

function readOccurrence(e: PathedElement): DdfOccurrence {
  const { name, text, path } = choiceOf(e);
  const kind = name as DdfOccurrence['kind'];
  if (!OCCURRENCE.includes(kind)) throw tndsError(`unknown Occurrence <${name}>`, path);
  if (kind !== 'ZeroOrN' && kind !== 'OneOrN') return { kind };
  if (!/^\d+$/.test(text)) throw tndsError(`<${kind}> needs a number, got "${text}"`, path);
  return { kind, max: Number(text) };
}

function readKeyword<T extends string>(e: PathedElement, allowed: readonly T[]): T {
  const { name, path } = choiceOf(e);
  if (!(allowed as readonly string[]).includes(name)) throw tndsError(`unknown ${e.el.name} <${name}>`, path);
  return name as T;
}

function readDfProperties(e: PathedElement): DdfProperties {
  const p: { -readonly [K in keyof DdfProperties]: DdfProperties[K] } = { accessType: [] };
  for (const c of childElements(e.el, e.path)) {
    switch (c.el.name) {
      case 'AccessType': p.accessType = readAccessType(c); break;
      case 'DefaultValue': p.defaultValue = leafText(c); break;
      case 'Description': p.description = leafText(c); break;
      case 'DFFormat': p.format = choiceOf(c).name; break;
      case 'Occurrence': p.occurrence = readOccurrence(c); break;
      case 'Scope': p.scope = readKeyword(c, ['Permanent', 'Dynamic'] as const); break;
      case 'DFTitle': p.title = leafText(c); break;
      case 'DFType': p.type = readType(c); break;
      case 'CaseSense': p.caseSense = readKeyword(c, ['CS', 'CIS'] as const); break;
      default: throw tndsError(`unknown element <${c.el.name}> in DFProperties`, c.path);
    }
  }
  return p;
}

function readNode(e: PathedElement): DdfNode {
  let name: string | undefined;
  let path: string | undefined;
  let description: DdfProperties | undefined;
  let runtime: TndsProperties | undefined;
  let value: string | Uint8Array | undefined;
  const children: DdfNode[] = [];
  for (const c of childElements(e.el, e.path)) {
    switch (c.el.name) {
      case 'NodeName': name = leafText(c); break;
      case 'Path': path = leafText(c); break;
      case 'DFProperties': description = readDfProperties(c); break;
      case 'RTProperties': runtime = rtPropertiesFromElement(c); break;
      case 'Value': value = valueContent(c); break;
      case 'Node': children.push(readNode(c)); break;
      default: throw tndsError(`unknown element <${c.el.name}> in Node`, c.path);
    }
  }
  if (name === undefined) throw tndsError('<Node> without a NodeName', e.path);
  return {
    name,
    ...(path !== undefined ? { path } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(runtime !== undefined ? { runtime } : {}),
    ...(value !== undefined ? { value } : {}),
    children,
  };
}

/**
 * Reads a DDF `<MgmtTree>` (no namespace or `syncml:dmddf1.2`; foreign-namespace extensions such
 * as Microsoft `MSFT:` elements are skipped). Throws CodecError ERR_TNDS_INVALID naming the path.
 */
export function ddfFromElement(root: DmElement): DdfTree {
  if (root.name !== 'MgmtTree' || !isDdfElement(root)) throw tndsError(`expected <MgmtTree>, got <${root.name}>`, root.name);
  let verDtd: string | undefined;
  let man: string | undefined;
  let mod: string | undefined;
  const nodes: DdfNode[] = [];
  for (const c of childElements(root, 'MgmtTree')) {
    switch (c.el.name) {
      case 'VerDTD': verDtd = leafText(c); break;
      case 'Man': man = leafText(c); break;
      case 'Mod': mod = leafText(c); break;
      case 'Node': nodes.push(readNode(c)); break;
      default: throw tndsError(`unknown element <${c.el.name}> in MgmtTree`, c.path);
    }
  }
  if (verDtd === undefined || verDtd === '') throw tndsError('<MgmtTree> without VerDTD', 'MgmtTree');
  return { verDtd, ...(man !== undefined ? { man } : {}), ...(mod !== undefined ? { mod } : {}), nodes };
}
