/**
 * Drives a DmClientSession in-process (no HTTP): builds server messages as typed models, encodes
 * them, feeds them to the engine and decodes what it answers.
 */
import { decodeMessage, encodeMessage, type Encoding } from '../../src/core/codec/message-codec.js';
import type { Command, Meta, ResultsCommand, StatusCommand, SyncMLMessage } from '../../src/core/syncml/message.js';
import { DmClientSession, type DmClientSessionOptions, type OutgoingMessage } from '../../src/client/session/dm-session.js';
import type { SessionAccount } from '../../src/client/session/session-types.js';
import { DEVINFO, MemoryTree } from './memory-tree.js';

/** An account with no authentication either way. */
export const OPEN_ACCOUNT: SessionAccount = {
  serverId: 'acme-dm', serverUrl: 'https://dm.example.net/dm', clientAuth: 'none', serverAuth: 'none', roles: 0,
};

/** Options of {@link serverMessage}. */
export interface ServerMessageOptions {
  readonly sessionId?: string;
  readonly msgId?: number;
  readonly final?: boolean;
  readonly meta?: Meta;
  readonly respUri?: string;
  readonly cred?: SyncMLMessage['header']['cred'];
  readonly verDtd?: '1.1' | '1.2';
}

/** A server message with the given commands (CmdIDs as given). */
export function serverMessage(commands: readonly Command[], o: ServerMessageOptions = {}): SyncMLMessage {
  const v = o.verDtd ?? '1.2';
  return {
    header: {
      verDtd: v, verProto: v === '1.1' ? 'DM/1.1' : 'DM/1.2', sessionId: o.sessionId ?? '1', msgId: o.msgId ?? 1,
      target: { locUri: DEVINFO['./DevInfo/DevId'] }, source: { locUri: 'https://dm.example.net/dm' },
      ...(o.respUri !== undefined ? { respUri: o.respUri } : {}),
      ...(o.cred !== undefined ? { cred: o.cred } : {}),
      ...(o.meta !== undefined ? { meta: o.meta } : {}),
    },
    body: { commands, final: o.final ?? true },
  };
}

/** The Status for the client's SyncHdr the server puts first. */
export function serverHdrStatus(data: number, msgRef = 1, extra: Partial<StatusCommand> = {}): StatusCommand {
  return { kind: 'Status', cmdId: 1, msgRef, cmdRef: 0, cmd: 'SyncHdr', data, ...extra };
}

/** A started session plus helpers. */
export interface Driven {
  readonly session: DmClientSession;
  readonly tree: MemoryTree;
  readonly package1: OutgoingMessage;
  /** Feeds a server message; returns the decoded client answer (undefined = session over). */
  send(msg: SyncMLMessage, extra?: { hmac?: string; encoding?: Encoding }): Promise<SyncMLMessage | undefined>;
  /** The raw last outgoing message. */
  last(): OutgoingMessage | undefined;
}

/** Starts a session on a MemoryTree (DevInfo filled in) and returns the driver. */
export function drive(options: Partial<DmClientSessionOptions> & { tree?: MemoryTree } = {}): Driven {
  const tree = options.tree ?? new MemoryTree({ leaves: DEVINFO });
  const session = new DmClientSession({ account: OPEN_ACCOUNT, sessionId: '1', ...options, tree });
  const package1 = session.start();
  let last: OutgoingMessage | undefined = package1;
  return {
    session, tree, package1,
    last: () => last,
    async send(msg, extra = {}) {
      const enc = extra.encoding ?? 'xml';
      const body = encodeMessage(msg, enc);
      last = await session.receive({ body, contentType: enc === 'xml' ? 'application/vnd.syncml.dm+xml' : 'application/vnd.syncml.dm+wbxml', ...(extra.hmac !== undefined ? { hmac: extra.hmac } : {}) });
      return last === undefined ? undefined : decodeMessage(last.body).message;
    },
  };
}

/** Statuses of a message as compact tuples `[cmd, cmdRef, data]`. */
export function statusTuples(msg: SyncMLMessage | undefined): Array<[string, number | undefined, number]> {
  return (msg?.body.commands ?? []).filter((c): c is StatusCommand => c.kind === 'Status').map((s) => [s.cmd, s.cmdRef, s.data]);
}

/** Results commands of a message. */
export function resultsOf(msg: SyncMLMessage | undefined): ResultsCommand[] {
  return (msg?.body.commands ?? []).filter((c): c is ResultsCommand => c.kind === 'Results');
}
