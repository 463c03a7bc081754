/**
 * Builds a reply that never exceeds the device's MaxMsgSize (OMA-TS-DM_Protocol §6: a message
 * must fit the receiver's MaxMsgSize). The common case — everything fits — costs one encode;
 * otherwise per-command sizes are measured and the longest fitting prefix is taken.
 */
import { encodeMessage, type Encoding } from '../../core/codec/message-codec.js';
import type { Command, SyncHdr, SyncMLMessage } from '../../core/syncml/message.js';

/** What to pack. */
export interface PackInput {
  readonly header: SyncHdr;
  readonly encoding: Encoding;
  /** Largest encoded message allowed, in bytes. */
  readonly maxBytes: number;
  /** Commands that always go in (the SyncHdr Status, a 1222 Alert). */
  readonly fixed: readonly Command[];
  /** Commands taken in order while they fit; the rest wait for a later message. */
  readonly optional: readonly Command[];
  /** Whether the message gets `<Final/>` when `taken` optional commands go in. */
  readonly finalFor: (taken: number) => boolean;
}

/** A packed message. */
export interface PackedMessage {
  readonly message: SyncMLMessage;
  readonly bytes: Uint8Array;
  /** How many of `optional` are in the message (a prefix). */
  readonly taken: number;
}

/** Packs the longest prefix of `optional` that fits (see {@link PackInput}). */
export function packMessage(input: PackInput): PackedMessage {
  const build = (n: number, final: boolean): SyncMLMessage => ({
    header: input.header,
    body: { commands: [...input.fixed, ...input.optional.slice(0, n)], final },
  });
  const all = input.optional.length;
  const full = build(all, input.finalFor(all));
  const fullBytes = encodeMessage(full, input.encoding);
  if (fullBytes.byteLength <= input.maxBytes || all === 0) return { message: full, bytes: fullBytes, taken: all };

  // Measure each optional command once; a message is (nearly) the sum of its parts in both
  // encodings (no WBXML string table is used), and the final encode below checks the result.
  const base = encodeMessage(build(0, true), input.encoding).byteLength;
  let n = 0;
  let total = base;
  for (const c of input.optional) {
    const one = encodeMessage({ header: input.header, body: { commands: [...input.fixed, c], final: true } }, input.encoding).byteLength;
    if (total + (one - base) > input.maxBytes) break;
    total += one - base;
    n++;
  }
  for (;;) {
    const msg = build(n, input.finalFor(n));
    const bytes = encodeMessage(msg, input.encoding);
    if (bytes.byteLength <= input.maxBytes || n === 0) return { message: msg, bytes, taken: n };
    n--;
  }
}

/** Encoded size of a message holding only `commands` (to test whether one command can ever fit). */
export function measureAlone(header: SyncHdr, encoding: Encoding, commands: readonly Command[]): number {
  return encodeMessage({ header, body: { commands, final: true } }, encoding).byteLength;
}
