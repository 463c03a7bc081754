/**
 * One node of a management tree as stored: interior (Format `node`, a child list) or leaf (a
 * value). Records are immutable: every change makes a new record (copy-on-write), so a template's
 * records can be shared by thousands of devices and an undo log only has to keep old records.
 */

/** A leaf value: text, or bytes for `bin` leaves. */
export type LeafValue = string | Uint8Array;

/** Properties that most nodes never have; kept in a side object to keep records small. */
export interface NodeExtras {
  /** ACL text (OMA-TS-DM_TND §7.7.1); absent = inherited. */
  readonly acl?: string;
  /** Title property. */
  readonly title?: string;
  /** Microsoft role mask (`msft:AccessRole`); absent = inherited. */
  readonly roleMask?: number;
  /** Last modification, ms since the epoch (TStamp). */
  readonly tstamp?: number;
  /** VerNo (16-bit, wraps). */
  readonly verNo?: number;
}

/** One stored node. */
export class NodeRecord {
  constructor(
    /** Format property; `node` for interior nodes. */
    readonly format: string,
    /** Leaf value (undefined for interior nodes). */
    readonly value: LeafValue | undefined,
    /** Child names in order (interior nodes only). */
    readonly children: readonly string[] | undefined,
    /** Type property (MIME type or MO identifier). */
    readonly type: string | undefined,
    /** Rarely-set properties. */
    readonly extras: NodeExtras | undefined,
  ) {}

  /** True for interior nodes. */
  get interior(): boolean {
    return this.format === 'node';
  }

  /** A new interior record. */
  static interior(type?: string, extras?: NodeExtras): NodeRecord {
    return new NodeRecord('node', undefined, EMPTY, type, extras);
  }

  /** A new leaf record. */
  static leaf(format: string, value: LeafValue, type?: string, extras?: NodeExtras): NodeRecord {
    return new NodeRecord(format, value, undefined, type, extras);
  }

  /** Copy with another value. */
  withValue(value: LeafValue, format = this.format, type = this.type): NodeRecord {
    return new NodeRecord(format, value, undefined, type, this.extras);
  }

  /** Copy with another child list. */
  withChildren(children: readonly string[]): NodeRecord {
    return new NodeRecord(this.format, undefined, children, this.type, this.extras);
  }

  /** Copy with some extras changed (undefined values remove them). */
  withExtras(patch: { [K in keyof NodeExtras]?: NodeExtras[K] | undefined }): NodeRecord {
    const merged: Record<string, unknown> = { ...this.extras };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) delete merged[k];
      else merged[k] = v;
    }
    const extras = Object.keys(merged).length > 0 ? (merged as NodeExtras) : undefined;
    return new NodeRecord(this.format, this.value, this.children, this.type, extras);
  }

  /** True when both records hold the same format, value, children, type and extras. */
  equals(other: NodeRecord): boolean {
    if (this.format !== other.format || this.type !== other.type || !sameValue(this.value, other.value)) return false;
    const a = this.children;
    const b = other.children;
    if (a !== b && (a === undefined || b === undefined || a.length !== b.length || a.some((c, i) => c !== b[i]))) return false;
    const x = this.extras;
    const y = other.extras;
    if (x === y) return true;
    if (x === undefined || y === undefined) return false;
    return x.acl === y.acl && x.title === y.title && x.roleMask === y.roleMask && x.tstamp === y.tstamp && x.verNo === y.verNo;
  }

  /** Size property: unencoded bytes of a leaf value (OMA-TS-DM_TND §7.7.4). */
  get size(): number {
    const v = this.value;
    if (v === undefined) return 0;
    return typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.byteLength;
  }
}

const EMPTY: readonly string[] = Object.freeze([]);

/** True when two leaf values are equal. */
export function sameValue(a: LeafValue | undefined, b: LeafValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (typeof a === 'string' || typeof b === 'string') return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/** Text form of a value (bytes become base64). */
export function valueText(v: LeafValue): string {
  return typeof v === 'string' ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

/** Byte form of a value (text is UTF-8 encoded). */
export function valueBytes(v: LeafValue): Uint8Array {
  return typeof v === 'string' ? new Uint8Array(Buffer.from(v, 'utf8')) : v;
}
