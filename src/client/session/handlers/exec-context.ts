/**
 * Shared types of the command handlers: what a handler may use while it runs one server command,
 * and what it hands back (the Status / Results / Alert responses, in order).
 */
import type { AlertCommand, Command, Item, ResultsCommand, StatusCommand } from '../../../core/syncml/message.js';
import type { DeviceTree, TreeCaller } from '../../tree/tree-api.js';
import type { UiHandler } from '../ui-handler.js';
import type { LargeObjectReceiver } from '../large-object.js';
import type { SessionLogger } from '../session-types.js';

/**
 * A response the client will send. CmdIDs are assigned when the message is built. A Status whose
 * `cmdRef` is undefined answers a command that had no CmdID (sent with an empty CmdRef).
 */
export type OutCommand = StatusCommand | ResultsCommand | AlertCommand;

/** What a handler may use while executing. */
export interface ExecContext {
  readonly tree: DeviceTree;
  readonly caller: TreeCaller;
  readonly ui: UiHandler;
  /** MsgID of the server message being executed (MsgRef of every response). */
  readonly msgRef: number;
  /** True inside an Atomic (nested Atomic and Get are refused there). */
  readonly inAtomic: boolean;
  readonly largeObjects: LargeObjectReceiver;
  /** The server's MaxObjSize (SyncHdr Meta), if it sent one. */
  readonly peerMaxObjSize: number | undefined;
  readonly logger: SessionLogger;
}

/** How a command affects the commands after it. */
export type CommandControl =
  /** Alert 1223: stop now and send nothing (OMA-TS-DM_Protocol §8.4 Session Abort). */
  | 'abort'
  /** UI alert cancelled (214): the rest of the enclosing group / message is not executed (215). */
  | 'cancel';

/** What one executed command produced. */
export interface CommandResult {
  readonly out: OutCommand[];
  /** Every Status of this command is 2xx (Atomic / Sequence use this). */
  readonly ok: boolean;
  readonly control?: CommandControl;
}

/** Builds a Status answering `cmd` (one Item's refs, or none). */
export function statusFor(cmd: Command, msgRef: number, data: number, item?: Item, items?: readonly Item[]): StatusCommand {
  const target = item?.target?.locUri;
  const source = item?.source?.locUri;
  const s: { -readonly [K in keyof StatusCommand]: StatusCommand[K] } = {
    kind: 'Status',
    cmdId: undefined,
    msgRef,
    cmdRef: cmd.cmdId,
    cmd: cmd.kind === 'Unknown' ? cmd.name : cmd.kind,
    data,
  };
  if (target !== undefined) s.targetRefs = [target];
  if (source !== undefined) s.sourceRefs = [source];
  if (items !== undefined && items.length > 0) s.items = items;
  return s;
}

/**
 * Statuses for a command that was not executed (215, or 216/507 variants chosen by the caller):
 * one per Item, and for a group its own Status followed by its members'.
 */
export function notExecuted(cmd: Command, msgRef: number, code: number): OutCommand[] {
  switch (cmd.kind) {
    case 'Atomic': case 'Sequence':
      return [statusFor(cmd, msgRef, code), ...cmd.commands.flatMap((c) => notExecuted(c, msgRef, code))];
    case 'Add': case 'Replace': case 'Delete': case 'Copy': case 'Get': case 'Exec':
      return cmd.items.length === 0 ? [statusFor(cmd, msgRef, code)] : cmd.items.map((i) => statusFor(cmd, msgRef, code, i));
    case 'Status': case 'Results':
      return [];
    case 'Alert': case 'Unknown':
      return [statusFor(cmd, msgRef, code)];
  }
}

/** True for a 2xx code. */
export function isOk(code: number): boolean {
  return code >= 200 && code < 300;
}
