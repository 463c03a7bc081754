/**
 * Dispatches one server command to its handler and applies the rules every command shares:
 * a command without CmdID or an element that is not a DM command gets 400 (reference §1.8,
 * §2.2); NoResp suppresses the command's own Status (RepPro "NoResp"); an interrupted large
 * object is reported with Alert 1225 before anything else runs.
 */
import { AlertCode } from '../../core/constants/alert.js';
import { Status } from '../../core/constants/status.js';
import type { Command } from '../../core/syncml/message.js';
import { executeAlert } from './handlers/alert.js';
import { statusFor, type CommandResult, type ExecContext } from './handlers/exec-context.js';
import { executeAtomic, executeSequence } from './handlers/groups.js';
import { breakIfOther, executeItemCommand } from './handlers/item-commands.js';

/** Executes one command (and, for Atomic / Sequence, its members). */
export async function executeCommand(cmd: Command, ctx: ExecContext): Promise<CommandResult> {
  const r = await dispatch(cmd, ctx);
  if (cmd.noResp !== true || cmd.kind === 'Unknown') return r;
  // NoResp: the sender asked for no Status for this command (its Results, if any, still go).
  return { ...r, out: r.out.filter((o) => !(o.kind === 'Status' && o.cmdRef === cmd.cmdId && o.cmd === cmd.kind && o.msgRef === ctx.msgRef)) };
}

async function dispatch(cmd: Command, ctx: ExecContext): Promise<CommandResult> {
  if (cmd.kind === 'Status' || cmd.kind === 'Results') return { out: [], ok: true };
  if (cmd.kind === 'Unknown' || cmd.cmdId === undefined) {
    // Not a DM command, or no CmdID to refer to: 400 (a missing CmdID gives an empty CmdRef).
    return { out: [statusFor(cmd, ctx.msgRef, Status.BAD_REQUEST)], ok: false };
  }
  switch (cmd.kind) {
    case 'Add': case 'Replace': case 'Delete': case 'Copy': case 'Get': case 'Exec':
      return executeItemCommand(cmd, ctx);
    case 'Alert': case 'Atomic': case 'Sequence': {
      // A 1222 may travel between chunks; anything else interrupts a pending large object.
      const broken = cmd.kind === 'Alert' && cmd.data === AlertCode.NEXT_MESSAGE ? undefined : breakIfOther(undefined, undefined, ctx);
      const r = cmd.kind === 'Alert'
        ? await executeAlert(cmd, ctx)
        : cmd.kind === 'Atomic' ? await executeAtomic(cmd, ctx, executeCommand) : await executeSequence(cmd, ctx, executeCommand);
      return broken === undefined ? r : { ...r, out: [broken, ...r.out] };
    }
  }
}
