/**
 * Large objects (OMA-TS-DM_Protocol §7.4 / RepPro "MoreData"): an item too big for one message
 * travels in chunks, each but the last flagged `<MoreData/>`, the first carrying Meta Size (the
 * whole object's size). The receiver answers 213 per buffered chunk, checks the size on the last
 * one (424 on mismatch) and answers Alert 1225 when a chunked object is interrupted.
 */
import type { Command, Item, ItemData, Meta } from '../../core/syncml/message.js';
import type { JobRecord } from '../store/store.js';

/** A chunked item the device is sending (Results of a Get, or a Replace). */
export interface InboundLargeObject {
  readonly kind: string;
  /** Source (or Target) LocURI of the item. */
  readonly uri: string;
  readonly cmdRef: number;
  readonly msgRef: number | undefined;
  readonly meta: Meta | undefined;
  /** Meta Size of the first chunk, if given. */
  readonly declaredSize: number | undefined;
  readonly parts: (string | Uint8Array)[];
  received: number;
}

/** Starts buffering a chunked item. */
export function startInbound(init: { kind: string; uri: string; cmdRef: number; msgRef: number | undefined; meta: Meta | undefined }): InboundLargeObject {
  return { ...init, declaredSize: init.meta?.size, parts: [], received: 0 };
}

/** Appends one chunk's data. */
export function appendInbound(lo: InboundLargeObject, data: ItemData | undefined): void {
  if (data === undefined) return;
  if (typeof data === 'string') {
    lo.parts.push(data);
    lo.received += Buffer.byteLength(data, 'utf8');
  } else if (data instanceof Uint8Array) {
    lo.parts.push(data);
    lo.received += data.byteLength;
  }
}

/** Joins the chunks: text when every chunk was text, else bytes. */
export function assembleInbound(lo: InboundLargeObject): string | Uint8Array {
  if (lo.parts.every((p) => typeof p === 'string')) return (lo.parts as string[]).join('');
  return new Uint8Array(Buffer.concat(lo.parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p))));
}

/** A job's single item being sent to the device in chunks. */
export interface OutboundLargeObject {
  readonly job: JobRecord;
  readonly kind: 'Add' | 'Replace';
  readonly target: string;
  readonly meta: Meta | undefined;
  /** The object as bytes (UTF-8 for text). */
  readonly bytes: Uint8Array;
  /** The object is text (chunks are cut on UTF-8 character boundaries and sent as text). */
  readonly text: boolean;
  /** Bytes already sent. */
  offset: number;
  /** The chunk in flight: where it went and whether it was the last. */
  inFlight: { readonly msgId: number; readonly cmdId: number; readonly last: boolean } | undefined;
}

/** Prepares a single-item Add/Replace job for chunked delivery. */
export function startOutbound(job: JobRecord, command: Command): OutboundLargeObject | undefined {
  if ((command.kind !== 'Add' && command.kind !== 'Replace') || command.items.length !== 1) return undefined;
  const item = command.items[0] as Item;
  if (item.target === undefined || item.data === undefined || (typeof item.data !== 'string' && !(item.data instanceof Uint8Array))) return undefined;
  const text = typeof item.data === 'string';
  const bytes = typeof item.data === 'string' ? new Uint8Array(Buffer.from(item.data, 'utf8')) : item.data;
  return { job, kind: command.kind, target: item.target.locUri, meta: item.meta, bytes, text, offset: 0, inFlight: undefined };
}

/**
 * The next chunk command carrying at most `maxBytes` of the object (fewer for text, so a UTF-8
 * character is never split). Meta Size goes on the first chunk only.
 */
export function nextChunk(lo: OutboundLargeObject, cmdId: number, maxBytes: number): { command: Command; size: number; last: boolean } {
  let end = Math.min(lo.bytes.byteLength, lo.offset + Math.max(1, maxBytes));
  if (lo.text) {
    // Back off to a UTF-8 lead byte: continuation bytes are 10xxxxxx.
    while (end < lo.bytes.byteLength && end > lo.offset + 1 && ((lo.bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  }
  const slice = lo.bytes.subarray(lo.offset, end);
  const last = end >= lo.bytes.byteLength;
  const data: ItemData = lo.text ? Buffer.from(slice).toString('utf8') : new Uint8Array(slice);
  const meta: Meta | undefined = lo.offset === 0 ? { ...lo.meta, size: lo.bytes.byteLength } : lo.meta;
  const item: Item = { target: { locUri: lo.target }, ...(meta ? { meta } : {}), data, ...(last ? {} : { moreData: true }) };
  return { command: { kind: lo.kind, cmdId, items: [item] }, size: slice.byteLength, last };
}
