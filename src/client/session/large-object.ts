/**
 * Receiving large objects (OMA-TS-DM_Protocol §6.1.11 / reference §3.6): a server Add or Replace
 * item may arrive in chunks, each but the last with `<MoreData/>`, the first with Meta Size (the
 * total). Each non-final chunk is answered 213; the last is checked against Size (424 on
 * mismatch, nothing committed) and then applied as one value. Anything else arriving before the
 * last chunk breaks the sequence: the client reports Alert 1225 and drops what it buffered.
 */
import { Status } from '../../core/constants/status.js';
import type { Item, ItemData, Meta } from '../../core/syncml/message.js';

/** What the receiver decided for one item. */
export type ChunkVerdict =
  /** Not part of a chunked object: process the item as usual. */
  | { readonly kind: 'plain' }
  /** A chunk was buffered (or refused): answer with this status and do nothing else. */
  | { readonly kind: 'status'; readonly status: number }
  /** The last chunk arrived: apply this reassembled item. */
  | { readonly kind: 'complete'; readonly item: Item };

/** A chunked object whose sequence was broken (report it with Alert 1225). */
export interface BrokenObject {
  readonly target: string;
  readonly source?: string;
}

interface Pending {
  readonly command: string;
  readonly target: string;
  readonly source: string | undefined;
  readonly meta: Meta | undefined;
  readonly size: number;
  readonly chunks: Uint8Array[];
  received: number;
  text: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Buffers the chunks of at most one incoming large object per session. */
export class LargeObjectReceiver {
  readonly #maxObjSize: number;
  #pending: Pending | undefined;

  /** `maxObjSize` is what the client advertised in its SyncHdr Meta. */
  constructor(maxObjSize: number) {
    this.#maxObjSize = maxObjSize;
  }

  /** True while a chunked object is incomplete. */
  get busy(): boolean {
    return this.#pending !== undefined;
  }

  /**
   * Drops an incomplete object because something other than its next chunk arrived (or the
   * server closed its package); returns what to report in Alert 1225, or undefined if idle.
   */
  breakSequence(): BrokenObject | undefined {
    const p = this.#pending;
    if (p === undefined) return undefined;
    this.#pending = undefined;
    return p.source === undefined ? { target: p.target } : { target: p.target, source: p.source };
  }

  /** True when this item continues the pending object (same command kind and target). */
  continues(command: string, item: Item): boolean {
    const p = this.#pending;
    return p !== undefined && p.command === command && p.target === item.target?.locUri;
  }

  /**
   * Looks at one Add/Replace item. The caller must call {@link breakSequence} first when the
   * item does not {@link continues continue} a pending object.
   */
  offer(command: string, item: Item, commandMeta: Meta | undefined): ChunkVerdict {
    const p = this.#pending;
    const target = item.target?.locUri;
    if (p === undefined) {
      if (item.moreData !== true || target === undefined) return { kind: 'plain' };
      const size = item.meta?.size ?? commandMeta?.size;
      // The first chunk must announce the total size (§6.1.11); without it we cannot check.
      if (size === undefined) return { kind: 'status', status: Status.SIZE_REQUIRED };
      if (size > this.#maxObjSize) return { kind: 'status', status: Status.REQUEST_ENTITY_TOO_LARGE };
      const chunk = bytesOf(item.data);
      this.#pending = {
        command, target, source: item.source?.locUri, meta: item.meta ?? commandMeta, size,
        chunks: [chunk], received: chunk.byteLength, text: typeof item.data === 'string' || item.data === undefined,
      };
      return { kind: 'status', status: Status.CHUNKED_ITEM_ACCEPTED };
    }
    const chunk = bytesOf(item.data);
    p.chunks.push(chunk);
    p.received += chunk.byteLength;
    if (typeof item.data !== 'string' && item.data !== undefined) p.text = false;
    if (p.received > p.size) {
      this.#pending = undefined;
      return { kind: 'status', status: Status.SIZE_MISMATCH };
    }
    if (item.moreData === true) return { kind: 'status', status: Status.CHUNKED_ITEM_ACCEPTED };
    this.#pending = undefined;
    if (p.received !== p.size) return { kind: 'status', status: Status.SIZE_MISMATCH };
    const whole = concat(p.chunks, p.received);
    const data: ItemData = p.text ? decoder.decode(whole) : whole;
    const out: { -readonly [K in keyof Item]: Item[K] } = { target: { locUri: p.target }, data };
    if (p.source !== undefined) out.source = { locUri: p.source };
    if (p.meta !== undefined) out.meta = p.meta;
    return { kind: 'complete', item: out };
  }
}

/** Size in bytes of Item Data as the object size counts it (UTF-8 for text). */
export function dataByteLength(data: ItemData | undefined): number {
  if (data === undefined) return 0;
  if (typeof data === 'string') return Buffer.byteLength(data, 'utf8');
  if (data instanceof Uint8Array) return data.byteLength;
  return 0;
}

function bytesOf(data: ItemData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data;
  // Embedded markup cannot be chunked meaningfully; count it as empty.
  return new Uint8Array(0);
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
