/**
 * Per-device node storage: a shared, read-only base (the template's records) plus a small
 * per-device overlay of differences (copy-on-write). An overlay entry is a full record, just a
 * new value for a base leaf (the common case: DevId, nonces), or a tombstone for a deleted base
 * node. While a savepoint is open every change is also written to an undo log.
 */
import type { NodeUri } from '../../core/tree/uri.js';
import { type LeafValue, NodeRecord } from './node.js';

/** What the overlay keeps for one URI: a record, a new value of a base leaf, or a tombstone. */
export type OverlayEntry = NodeRecord | LeafValue | null;

/** Base records plus a per-device overlay, with an undo log for savepoints. */
export class NodeStore {
  readonly #base: ReadonlyMap<string, NodeRecord>;
  readonly #keys: ReadonlyMap<string, string> | undefined;
  #overlay: Map<string, OverlayEntry> | undefined;
  #undo: (() => void)[] | undefined;
  #marks: number[] | undefined;

  /** `keys` maps each base URI to one shared string instance, so overlay keys cost nothing per device. */
  constructor(base: ReadonlyMap<string, NodeRecord>, keys?: ReadonlyMap<string, string>) {
    this.#base = base;
    this.#keys = keys;
  }

  /** The record at `uri`, or undefined. */
  get(uri: NodeUri): NodeRecord | undefined {
    const o = this.#overlay?.get(uri);
    if (o === undefined) return this.#base.get(uri);
    if (o === null) return undefined;
    if (o instanceof NodeRecord) return o;
    return this.#base.get(uri)?.withValue(o);
  }

  /** True when a savepoint is open. */
  get inTransaction(): boolean {
    return this.#marks !== undefined && this.#marks.length > 0;
  }

  /** Stores `rec` at `uri` (null deletes), keeping only what differs from the base. */
  put(uri: NodeUri, rec: NodeRecord | null): void {
    const base = this.#base.get(uri);
    let entry: OverlayEntry | undefined;
    if (rec === null) entry = base === undefined ? undefined : null;
    else if (rec === base || (base !== undefined && rec.equals(base))) entry = undefined;
    else if (base !== undefined && !base.interior && !rec.interior && rec.format === base.format &&
      rec.type === base.type && rec.extras === base.extras && rec.value !== undefined) entry = rec.value;
    else entry = rec;
    this.#set(base === undefined ? uri : this.#keys?.get(uri) ?? uri, entry);
  }

  #set(uri: string, entry: OverlayEntry | undefined): void {
    const overlay = this.#overlay;
    const had = overlay?.has(uri) === true;
    const previous = overlay?.get(uri);
    if (entry === undefined && !had) return;
    if (this.#undo !== undefined) {
      this.#undo.push(() => {
        if (had) (this.#overlay ??= new Map()).set(uri, previous as OverlayEntry);
        else this.#overlay?.delete(uri);
      });
    }
    if (entry === undefined) overlay?.delete(uri);
    else (this.#overlay ??= new Map()).set(uri, entry);
  }

  /** Records an undo action for state kept outside the store (plug-in data). */
  recordUndo(action: () => void): void {
    this.#undo?.push(action);
  }

  /** Opens a savepoint; returns its mark. */
  begin(): number {
    this.#undo ??= [];
    (this.#marks ??= []).push(this.#undo.length);
    return this.#marks.length;
  }

  /** Keeps the changes since the innermost savepoint. */
  commit(): void {
    this.#marks?.pop();
    if (this.#marks?.length === 0) {
      this.#marks = undefined;
      this.#undo = undefined;
    }
  }

  /** Undoes the changes since the innermost savepoint. */
  rollback(): void {
    const mark = this.#marks?.pop() ?? 0;
    const undo = this.#undo ?? [];
    const log = this.#undo;
    this.#undo = undefined; // undo actions must not log themselves
    for (let i = undo.length - 1; i >= mark; i--) undo[i]?.();
    undo.length = mark;
    this.#undo = log;
    if (this.#marks?.length === 0) {
      this.#marks = undefined;
      this.#undo = undefined;
    }
    if (this.#overlay?.size === 0) this.#overlay = undefined;
  }

  /** The overlay entries (the per-device differences), for persistence and diagnostics. */
  overlayEntries(): IterableIterator<[string, OverlayEntry]> {
    return (this.#overlay ?? new Map<string, OverlayEntry>()).entries();
  }

  /** Number of overlay entries. */
  get overlaySize(): number {
    return this.#overlay?.size ?? 0;
  }

  /** True when `uri` is a node of the base. */
  inBase(uri: string): boolean {
    return this.#base.has(uri);
  }

  /** Forgets the overlay (used when a template is frozen from a builder tree). */
  clearOverlay(): void {
    this.#overlay = undefined;
  }
}
