/**
 * A tiny in-memory DeviceTree for session-engine tests: a flat map of nodes, no ACLs, Status
 * codes as the OMA DM tree rules give them (404 missing, 418 exists, 405 root delete). Exec
 * handlers are plugged in per URI.
 */
import type { Item, ItemData } from '../../src/core/syncml/message.js';
import type { DeviceTree, ExecRequest, NodeWrite, TreeCaller, TreeResult, TreeSavepoint } from '../../src/client/tree/tree-api.js';

interface Node {
  readonly interior: boolean;
  readonly value?: string | Uint8Array;
  readonly format: string;
}

/** Options of {@link MemoryTree}. */
export interface MemoryTreeOptions {
  /** Leaf values by URI (parents are created as interior nodes). */
  readonly leaves?: Readonly<Record<string, string>>;
  /** Exec handlers by URI. */
  readonly exec?: Readonly<Record<string, (r: ExecRequest) => TreeResult | Promise<TreeResult>>>;
  /** URIs that refuse writes with 405. */
  readonly readOnly?: readonly string[];
  /** Make savepoint rollback report failure (516 path). */
  readonly rollbackFails?: boolean;
}

/** Flat-map DeviceTree. */
export class MemoryTree implements DeviceTree {
  nodes = new Map<string, Node>([['.', { interior: true, format: 'node' }]]);
  readonly calls: string[] = [];
  readonly #o: MemoryTreeOptions;

  constructor(options: MemoryTreeOptions = {}) {
    this.#o = options;
    for (const [uri, v] of Object.entries(options.leaves ?? {})) this.writeValue(uri, v);
  }

  get(uri: string, _caller: TreeCaller): TreeResult {
    this.calls.push(`Get ${uri}`);
    const n = this.nodes.get(uri);
    if (n === undefined) return { status: 404 };
    if (n.interior) {
      const kids = this.#children(uri).join('/');
      return { status: 200, items: [{ source: { locUri: uri }, meta: { format: 'node' }, data: kids }] };
    }
    const item: Item = { source: { locUri: uri }, meta: { format: n.format, type: 'text/plain' }, data: n.value ?? '' };
    return { status: 200, items: [item] };
  }

  add(w: NodeWrite, _caller: TreeCaller): TreeResult {
    this.calls.push(`Add ${w.uri}`);
    if (this.nodes.has(w.uri)) return { status: 418 };
    if (!this.nodes.get(parent(w.uri))?.interior) return { status: 404 };
    if (this.#o.readOnly?.includes(w.uri)) return { status: 405 };
    const format = w.meta?.format ?? 'chr';
    this.nodes.set(w.uri, format === 'node' ? { interior: true, format } : { interior: false, format, value: value(w.data) });
    return { status: 200 };
  }

  replace(w: NodeWrite, _caller: TreeCaller): TreeResult {
    this.calls.push(`Replace ${w.uri}`);
    const n = this.nodes.get(w.uri);
    if (n === undefined) return { status: 404 };
    if (this.#o.readOnly?.includes(w.uri) || n.interior) return { status: 405 };
    this.nodes.set(w.uri, { interior: false, format: w.meta?.format ?? n.format, value: value(w.data) });
    return { status: 200 };
  }

  delete(uri: string, _caller: TreeCaller): TreeResult {
    this.calls.push(`Delete ${uri}`);
    if (uri === '.') return { status: 405 };
    if (!this.nodes.has(uri)) return { status: 404 };
    for (const k of [...this.nodes.keys()]) if (k === uri || k.startsWith(`${uri}/`)) this.nodes.delete(k);
    return { status: 200 };
  }

  copy(r: { target: string; source: string }, _caller: TreeCaller): TreeResult {
    this.calls.push(`Copy ${r.source} ${r.target}`);
    const n = this.nodes.get(r.source);
    if (n === undefined) return { status: 404 };
    if (n.interior) return { status: 405 };
    this.nodes.set(r.target, n);
    return { status: 200 };
  }

  async exec(r: ExecRequest, _caller: TreeCaller): Promise<TreeResult> {
    this.calls.push(`Exec ${r.uri}`);
    const h = this.#o.exec?.[r.uri];
    if (h === undefined) return { status: this.nodes.has(r.uri) ? 405 : 404 };
    return h(r);
  }

  savepoint(): TreeSavepoint {
    const saved = new Map(this.nodes);
    return {
      commit: () => undefined,
      rollback: () => {
        if (this.#o.rollbackFails === true) return false;
        this.nodes = saved;
        return true;
      },
    };
  }

  readValue(uri: string): string | undefined {
    const n = this.nodes.get(uri);
    if (n === undefined || n.interior) return undefined;
    return typeof n.value === 'string' ? n.value : n.value === undefined ? undefined : Buffer.from(n.value).toString('base64');
  }

  writeValue(uri: string, v: string, format = 'chr'): void {
    const segs = uri.split('/');
    for (let i = 2; i < segs.length; i++) {
      const p = segs.slice(0, i).join('/');
      if (!this.nodes.has(p)) this.nodes.set(p, { interior: true, format: 'node' });
    }
    this.nodes.set(uri, { interior: false, format, value: v });
  }

  #children(uri: string): string[] {
    const prefix = `${uri}/`;
    return [...this.nodes.keys()].filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/')).map((k) => k.slice(prefix.length));
  }
}

function parent(uri: string): string {
  const i = uri.lastIndexOf('/');
  return i <= 0 ? '.' : uri.slice(0, i);
}

function value(d: ItemData | undefined): string | Uint8Array {
  if (d === undefined) return '';
  if (typeof d === 'string' || d instanceof Uint8Array) return d;
  return JSON.stringify(d);
}

/** DevInfo leaves most tests use. */
export const DEVINFO = {
  './DevInfo/DevId': 'IMEI:356938035643809',
  './DevInfo/Man': 'Acme',
  './DevInfo/Mod': 'Rocket 1',
  './DevInfo/DmV': '1.2',
  './DevInfo/Lang': 'en-US',
} as const;
