/**
 * Atomic and Sequence (OMA-TS-DM_Protocol §6.6.4 / §6.6.13; reference §1.9).
 *
 * Atomic is all-or-nothing: members run in order inside one tree savepoint; at the first failure
 * the savepoint is rolled back, the Atomic gets 507, members that had succeeded get 216 (516 when
 * the rollback failed), the failing member keeps its code and members not reached get 215. A
 * nested Atomic or a Get inside an Atomic is refused with 500 (and so fails its parent).
 *
 * Sequence runs in order and stops at the first failure; members not reached get 215. The
 * Sequence itself gets 200 once execution began.
 */
import { Status } from '../../../core/constants/status.js';
import type { AtomicCommand, Command, SequenceCommand } from '../../../core/syncml/message.js';
import { isOk, notExecuted, statusFor, type CommandResult, type ExecContext, type OutCommand } from './exec-context.js';

/** Runs any member command (injected to avoid an import cycle with the dispatcher). */
export type RunCommand = (cmd: Command, ctx: ExecContext) => Promise<CommandResult>;

/** Executes an Atomic. */
export async function executeAtomic(cmd: AtomicCommand, ctx: ExecContext, run: RunCommand): Promise<CommandResult> {
  if (ctx.inAtomic) {
    // Nested Atomic → 500 for the inner one; its members are not executed.
    return {
      out: [statusFor(cmd, ctx.msgRef, Status.COMMAND_FAILED), ...cmd.commands.flatMap((c) => notExecuted(c, ctx.msgRef, Status.NOT_EXECUTED))],
      ok: false,
    };
  }
  const savepoint = ctx.tree.savepoint();
  const inner: ExecContext = { ...ctx, inAtomic: true };
  const done: CommandResult[] = [];
  let failed = false;
  for (const member of cmd.commands) {
    const r = member.kind === 'Get'
      ? { out: notExecuted(member, ctx.msgRef, Status.COMMAND_FAILED), ok: false }
      : await run(member, inner);
    if (r.control === 'abort') {
      savepoint.rollback();
      return { out: [], ok: false, control: 'abort' };
    }
    done.push(r);
    if (!r.ok) {
      failed = true;
      break;
    }
  }
  if (!failed) {
    savepoint.commit();
    return { out: [statusFor(cmd, ctx.msgRef, Status.OK), ...done.flatMap((r) => r.out)], ok: true };
  }
  const rolledBack = savepoint.rollback();
  const undone = rolledBack ? Status.ATOMIC_ROLLBACK_OK : Status.ATOMIC_ROLLBACK_FAILED;
  const out: OutCommand[] = [statusFor(cmd, ctx.msgRef, Status.ATOMIC_FAILED)];
  for (const r of done) {
    for (const o of r.out) {
      if (o.kind === 'Results') continue; // nothing of a failed Atomic is reported as done
      out.push(o.kind === 'Status' && wasDone(o.data) ? { ...o, data: undone } : o);
    }
  }
  for (const member of cmd.commands.slice(done.length)) out.push(...notExecuted(member, ctx.msgRef, Status.NOT_EXECUTED));
  const control = done.at(-1)?.control;
  return control === undefined ? { out, ok: false } : { out, ok: false, control };
}

/** A member Status that reports work now undone (not 214 cancelled / 215 skipped / 216 already undone). */
function wasDone(code: number): boolean {
  return isOk(code) && code !== Status.OPERATION_CANCELLED && code !== Status.NOT_EXECUTED && code !== Status.ATOMIC_ROLLBACK_OK;
}

/** Executes a Sequence. */
export async function executeSequence(cmd: SequenceCommand, ctx: ExecContext, run: RunCommand): Promise<CommandResult> {
  const out: OutCommand[] = [statusFor(cmd, ctx.msgRef, Status.OK)];
  let ok = true;
  for (let i = 0; i < cmd.commands.length; i++) {
    const member = cmd.commands[i] as Command;
    const r = await run(member, ctx);
    if (r.control === 'abort') return { out: [], ok: false, control: 'abort' };
    out.push(...r.out);
    if (!r.ok) {
      ok = false;
      for (const rest of cmd.commands.slice(i + 1)) out.push(...notExecuted(rest, ctx.msgRef, Status.NOT_EXECUTED));
      if (r.control === 'cancel') return { out, ok, control: 'cancel' };
      break;
    }
  }
  return { out, ok };
}
