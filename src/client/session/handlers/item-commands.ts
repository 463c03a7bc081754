/**
 * Handlers of the item commands Add, Replace, Delete, Copy, Get and Exec (OMA-TS-DM_Protocol §6.6;
 * reference §1.9). Each Item gets its own Status (TargetRef / SourceRef of that item), and a
 * successful Get or an Exec with output gets a Results right after its Status.
 */
import { AlertCode } from '../../../core/constants/alert.js';
import { Status } from '../../../core/constants/status.js';
import type {
  AddCommand, AlertCommand, CopyCommand, DeleteCommand, ExecCommand, GetCommand, Item, Meta, ReplaceCommand, ResultsCommand,
} from '../../../core/syncml/message.js';
import type { NodeWrite, TreeResult } from '../../tree/tree-api.js';
import { dataByteLength } from '../large-object.js';
import { isOk, statusFor, type CommandResult, type ExecContext, type OutCommand } from './exec-context.js';

/** The commands this module handles. */
export type ItemCommand = AddCommand | ReplaceCommand | DeleteCommand | CopyCommand | GetCommand | ExecCommand;

/** Runs one item command against the tree. */
export async function executeItemCommand(cmd: ItemCommand, ctx: ExecContext): Promise<CommandResult> {
  const out: OutCommand[] = [];
  let ok = true;
  const push = (code: number, item?: Item): void => {
    out.push(statusFor(cmd, ctx.msgRef, code, item));
    if (!isOk(code)) ok = false;
  };
  if (cmd.items.length === 0) {
    // A command must carry at least one Item (RepPro DTD); nothing to act on.
    push(Status.INCOMPLETE_COMMAND);
    return { out, ok };
  }
  for (const item of cmd.items) {
    if (cmd.kind === 'Add' || cmd.kind === 'Replace') {
      const broken = breakIfOther(cmd.kind, item, ctx);
      if (broken) out.push(broken);
    } else {
      const broken = breakIfOther(undefined, item, ctx);
      if (broken) out.push(broken);
    }
    const target = item.target?.locUri;
    if (target === undefined || target === '') {
      // Every item command addresses a node through Item/Target (a Source-only item is a client form).
      push(Status.BAD_REQUEST, item);
      continue;
    }
    switch (cmd.kind) {
      case 'Add': case 'Replace': {
        const verdict = ctx.largeObjects.offer(cmd.kind, item, cmd.meta);
        if (verdict.kind === 'status') {
          push(verdict.status, item);
          break;
        }
        const whole = verdict.kind === 'complete' ? verdict.item : item;
        const write = nodeWrite(target, whole, cmd.meta);
        const r = cmd.kind === 'Add' ? ctx.tree.add(write, ctx.caller) : ctx.tree.replace(write, ctx.caller);
        push(r.status, item);
        break;
      }
      case 'Delete':
        push(ctx.tree.delete(target, ctx.caller).status, item);
        break;
      case 'Copy': {
        const source = item.source?.locUri;
        if (source === undefined || source === '') {
          push(Status.BAD_REQUEST, item);
          break;
        }
        push(ctx.tree.copy({ target, source }, ctx.caller).status, item);
        break;
      }
      case 'Get': {
        const r = ctx.tree.get(target, ctx.caller);
        const code = tooLargeForPeer(r, ctx.peerMaxObjSize) ? Status.REQUEST_ENTITY_TOO_LARGE : r.status;
        push(code, item);
        if (isOk(code) && r.items !== undefined) out.push(results(cmd, ctx.msgRef, r.items));
        break;
      }
      case 'Exec': {
        const r = await ctx.tree.exec(
          { uri: target, ...(item.data !== undefined ? { data: item.data } : {}), ...(cmd.correlator !== undefined ? { correlator: cmd.correlator } : {}) },
          ctx.caller,
        );
        push(r.status, item);
        if (isOk(r.status) && r.items !== undefined && r.items.length > 0) out.push(results(cmd, ctx.msgRef, r.items));
        break;
      }
    }
  }
  return { out, ok };
}

/**
 * Before an item that does not continue the pending large object, the sequence is broken:
 * report Alert 1225 with the object's URIs (reference §3.6) and drop the buffered chunks.
 */
export function breakIfOther(kind: string | undefined, item: Item | undefined, ctx: ExecContext): AlertCommand | undefined {
  if (!ctx.largeObjects.busy) return undefined;
  if (kind !== undefined && item !== undefined && ctx.largeObjects.continues(kind, item)) return undefined;
  const broken = ctx.largeObjects.breakSequence();
  if (broken === undefined) return undefined;
  ctx.logger.debug(`large object for ${broken.target} interrupted: sending Alert 1225`);
  return noEndOfData(broken.target, broken.source);
}

/** Alert 1225 (No End of Data) naming the incomplete object. */
export function noEndOfData(target: string, source?: string): AlertCommand {
  const item: Item = source === undefined ? { source: { locUri: target } } : { source: { locUri: target }, target: { locUri: source } };
  return { kind: 'Alert', cmdId: undefined, data: AlertCode.NO_END_OF_DATA, items: [item] };
}

function results(cmd: GetCommand | ExecCommand, msgRef: number, items: readonly Item[]): ResultsCommand {
  return { kind: 'Results', cmdId: undefined, msgRef, cmdRef: cmd.cmdId ?? 0, items };
}

function nodeWrite(uri: string, item: Item, commandMeta: Meta | undefined): NodeWrite {
  // Item Meta overrides the command's Meta field by field (RepPro "Meta" inheritance).
  const meta = commandMeta === undefined ? item.meta : item.meta === undefined ? commandMeta : { ...commandMeta, ...item.meta };
  return {
    uri,
    ...(item.data !== undefined ? { data: item.data } : {}),
    ...(meta !== undefined ? { meta } : {}),
  };
}

/** The server said how big an object it accepts (MaxObjSize); a larger Get result cannot be sent. */
function tooLargeForPeer(r: TreeResult, peerMaxObjSize: number | undefined): boolean {
  if (peerMaxObjSize === undefined || r.items === undefined) return false;
  return r.items.some((i) => dataByteLength(i.data) > peerMaxObjSize);
}
