/**
 * Builds the client's outgoing messages from queued commands, within the server's MaxMsgSize
 * (reference §3.6): a package that does not fit is split over several messages (no Final until
 * the last), and a Results item too big for one message is sent as a large object — chunks with
 * `<MoreData/>`, Meta Size on the first — continued in the next messages.
 */
import { encodeMessage, type Encoding } from '../../core/codec/message-codec.js';
import type { Command, Item, ItemData, ResultsCommand, StatusCommand, SyncHdr, SyncMLMessage } from '../../core/syncml/message.js';
import { dataByteLength } from './large-object.js';

/** A message ready to send. */
export interface BuiltMessage {
  readonly message: SyncMLMessage;
  readonly bytes: Uint8Array;
  /** True when every queued command went into this message. */
  readonly drained: boolean;
}

/** Options of {@link Outbox.build}. */
export interface BuildOptions {
  readonly header: SyncHdr;
  /** Commands that always lead the message (the Status for the server's SyncHdr). */
  readonly lead: readonly Command[];
  /** Commands added only when the queue drains (e.g. Alert 1222 asking for the server's next message). */
  readonly tail?: readonly Command[];
  /** Put Final on the message if the queue drains. */
  readonly final: boolean;
  readonly encoding: Encoding;
  /** The server's MaxMsgSize; undefined = no limit. */
  readonly maxMsgSize: number | undefined;
}

interface Entry {
  readonly cmd: Command;
  /** For a Results sent in chunks: the whole data and how much of it went out already. */
  readonly chunk?: { readonly data: ItemData & (string | Uint8Array); readonly offset: number };
}

/** Room kept free for CmdID digits, Final and similar small variations. */
const MARGIN = 48;
/** Smallest data chunk worth sending on its own. */
const MIN_CHUNK = 32;

/** Queue of commands the client still has to send in this session. */
export class Outbox {
  #queue: Entry[] = [];

  /** Number of queued commands. */
  get length(): number {
    return this.#queue.length;
  }

  /** Appends commands. */
  push(...cmds: readonly Command[]): void {
    for (const cmd of cmds) this.#queue.push({ cmd });
  }

  /** Drops everything queued (used when reverting to Package 1 after a challenge). */
  clear(): void {
    this.#queue = [];
  }

  /** True while a Results is half sent as a large object. */
  get chunking(): boolean {
    return this.#queue[0]?.chunk !== undefined;
  }

  /** Builds the next message, taking as many queued commands as fit. */
  build(o: BuildOptions): BuiltMessage {
    const all = [...o.lead, ...this.#queue.map(materialize), ...(o.tail ?? [])];
    const whole = compose(o.header, all, o.final);
    const bytes = encodeMessage(whole, o.encoding);
    if (o.maxMsgSize === undefined || bytes.byteLength <= o.maxMsgSize) {
      this.#queue = [];
      return { message: whole, bytes, drained: true };
    }
    return this.#split(o, o.maxMsgSize);
  }

  #split(o: BuildOptions, limit: number): BuiltMessage {
    const size = (cmds: readonly Command[], final: boolean): number => encodeMessage(compose(o.header, cmds, final), o.encoding).byteLength;
    const taken: Command[] = [...o.lead];
    let used = size(taken, false);
    const empty = used;
    let n = 0;
    for (; n < this.#queue.length; n++) {
      const entry = this.#queue[n] as Entry;
      const cmd = materialize(entry);
      const cost = size([...o.lead, cmd], false) - empty;
      if (used + cost + MARGIN <= limit) {
        taken.push(cmd);
        used += cost;
        continue;
      }
      const chunked = this.#chunk(o, taken, n, limit);
      if (chunked !== undefined) return chunked;
      break;
    }
    if (n === 0 && this.#queue.length > 0) {
      // A single command bigger than a whole message and not splittable: send it anyway (the
      // server may still accept it) rather than stall the session.
      taken.push(materialize(this.#queue[0] as Entry));
      n = 1;
    }
    // Verify with the real encoding (CmdID widths differ); give back commands until it fits.
    while (n > 1 && size(taken, false) > limit) {
      taken.pop();
      n--;
    }
    const drained = n >= this.#queue.length;
    this.#queue = this.#queue.slice(n);
    const final = drained && o.final;
    const cmds = drained ? [...taken, ...(o.tail ?? [])] : taken;
    const message = compose(o.header, cmds, final);
    return { message, bytes: encodeMessage(message, o.encoding), drained };
  }

  /** Sends the first part of queue entry `n` (a one-item Results) as a chunk, if it can be. */
  #chunk(o: BuildOptions, taken: Command[], n: number, limit: number): BuiltMessage | undefined {
    const entry = this.#queue[n] as Entry;
    const cmd = entry.cmd;
    if (cmd.kind !== 'Results' || cmd.items.length !== 1) return undefined;
    const data = entry.chunk?.data ?? cmd.items[0]?.data;
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) return undefined;
    const offset = entry.chunk?.offset ?? 0;
    const total = byteLengthOf(data);
    const base = encodeMessage(compose(o.header, [...taken, chunkOf(cmd, data, offset, 0, total)], false), o.encoding).byteLength;
    let room = limit - base - MARGIN;
    if (o.encoding === 'xml' && data instanceof Uint8Array) room = Math.floor((room * 3) / 4); // base64 growth
    let len = Math.min(total - offset, room);
    for (let attempt = 0; attempt < 12; attempt++) {
      if (len < MIN_CHUNK) return undefined;
      const part = chunkOf(cmd, data, offset, len, total);
      const message = compose(o.header, [...taken, part], false);
      const bytes = encodeMessage(message, o.encoding);
      if (bytes.byteLength <= limit) {
        const sent = sliceLength(data, offset, len);
        this.#queue = [{ cmd, chunk: { data, offset: offset + sent } }, ...this.#queue.slice(n + 1)];
        return { message, bytes, drained: false };
      }
      len -= bytes.byteLength - limit + 8;
    }
    return undefined;
  }
}

/** The command an entry stands for (a half-sent Results becomes its remaining chunk). */
function materialize(entry: Entry): Command {
  if (entry.chunk === undefined || entry.cmd.kind !== 'Results') return entry.cmd;
  const total = byteLengthOf(entry.chunk.data);
  return chunkOf(entry.cmd, entry.chunk.data, entry.chunk.offset, total - entry.chunk.offset, total);
}

/** Results carrying `len` bytes of `data` from `offset`; MoreData unless it reaches the end. */
function chunkOf(cmd: ResultsCommand, data: string | Uint8Array, offset: number, len: number, total: number): ResultsCommand {
  const item = cmd.items[0] as Item;
  const piece = sliceBytes(data, offset, len);
  const end = offset + dataByteLength(piece) >= total;
  const { size: _size, ...restMeta } = item.meta ?? {};
  // Meta Size (the whole object) goes on the first chunk only (reference §3.6).
  const meta = offset === 0 ? { ...restMeta, size: total } : restMeta;
  const out: { -readonly [K in keyof Item]: Item[K] } = { ...item, data: piece };
  if (Object.keys(meta).length > 0) out.meta = meta;
  else delete out.meta;
  if (!end) out.moreData = true;
  else delete out.moreData;
  return { ...cmd, items: [out] };
}

function byteLengthOf(data: string | Uint8Array): number {
  return typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength;
}

/** `len` bytes of data from `offset`; text is cut on a UTF-8 character boundary. */
function sliceBytes(data: string | Uint8Array, offset: number, len: number): string | Uint8Array {
  if (data instanceof Uint8Array) return data.subarray(offset, offset + len);
  const bytes = Buffer.from(data, 'utf8');
  let end = Math.min(offset + len, bytes.byteLength);
  while (end < bytes.byteLength && end > offset && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(offset, end).toString('utf8');
}

function sliceLength(data: string | Uint8Array, offset: number, len: number): number {
  return dataByteLength(sliceBytes(data, offset, len));
}

/** Assigns CmdIDs 1, 2, … and builds the message. */
export function compose(header: SyncHdr, cmds: readonly Command[], final: boolean): SyncMLMessage {
  let id = 0;
  const commands = cmds.map((c) => withCmdId(c, ++id));
  return { header, body: { commands, final } };
}

function withCmdId(c: Command, cmdId: number): Command {
  if (c.kind === 'Unknown') return c;
  return { ...c, cmdId };
}
