/**
 * Checks and measures queued command descriptions (JobCommand) before they are stored, so a bad
 * job is refused at enqueue time instead of failing inside a live session.
 * Nesting rules (OMA-TS-DM_RepPro, Atomic / Sequence): Atomic holds Add/Alert/Delete/Copy/Replace
 * (and Sequence); a nested Atomic or a Get inside Atomic is answered 500, so neither is accepted.
 */
import { ErrorCode, StoreError } from '../../core/errors.js';
import type { JobCommand, JobItem } from '../store/store.js';

const UI_CODES = new Set([1100, 1101, 1102, 1103, 1104]);

/** Throws `StoreError(ERR_QUEUE_COMMAND_INVALID)` when a command cannot be sent as described. */
export function validateJobCommand(command: JobCommand, inside: readonly ('Atomic' | 'Sequence')[] = []): void {
  const fail = (why: string): never => {
    throw new StoreError(ErrorCode.ERR_QUEUE_COMMAND_INVALID, `invalid ${String((command as { kind?: unknown }).kind)} job: ${why}`);
  };
  switch (command.kind) {
    case 'Get':
    case 'Delete':
      if (!Array.isArray(command.uris) || command.uris.length === 0) fail('needs at least one URI');
      for (const u of command.uris) if (typeof u !== 'string' || u.trim() === '') fail('URIs must be non-empty strings');
      if (command.kind === 'Get' && inside.includes('Atomic')) fail('Get is not allowed inside Atomic (the device answers 500)');
      return;
    case 'Add':
    case 'Replace':
      if (!Array.isArray(command.items) || command.items.length === 0) fail('needs at least one item');
      for (const item of command.items) checkItem(item, fail);
      return;
    case 'Copy':
      if (!Array.isArray(command.items) || command.items.length === 0) fail('needs at least one item');
      for (const item of command.items) {
        if (typeof item.source !== 'string' || item.source === '' || typeof item.target !== 'string' || item.target === '') fail('items need source and target');
      }
      return;
    case 'Exec':
      if (command.item === undefined) fail('needs an item');
      checkItem(command.item, fail);
      return;
    case 'Alert':
      if (!UI_CODES.has(command.code)) fail('only the UI alerts 1100–1104 can be queued');
      if (typeof command.text !== 'string') fail('needs a text');
      if ((command.code === 1103 || command.code === 1104) && (command.choices === undefined || command.choices.length === 0)) fail('choice alerts need choices');
      return;
    case 'Atomic':
    case 'Sequence':
      if (!Array.isArray(command.commands) || command.commands.length === 0) fail('needs at least one command');
      if (command.kind === 'Atomic' && inside.includes('Atomic')) fail('nested Atomic is not allowed (the device answers 500)');
      for (const child of command.commands) validateJobCommand(child, [...inside, command.kind]);
      return;
    default:
      fail('unknown command kind');
  }
}

function checkItem(item: JobItem, fail: (why: string) => never): void {
  if (item === null || typeof item !== 'object' || typeof item.uri !== 'string' || item.uri.trim() === '') fail('items need a target URI');
  if (item.data !== undefined && typeof item.data !== 'string') fail('item data must be a string (base64 for bytes)');
}

/** Approximate wire size of a command: bytes of its JSON form (used for `maxBytes` batching). */
export function jobCommandSize(command: JobCommand): number {
  return Buffer.byteLength(JSON.stringify(command), 'utf8');
}

/** Nested commands depth first: the order in which `childCmdIds` are given at send time. */
export function flattenChildren(command: JobCommand): JobCommand[] {
  if (command.kind !== 'Atomic' && command.kind !== 'Sequence') return [];
  const out: JobCommand[] = [];
  for (const child of command.commands) {
    out.push(child);
    out.push(...flattenChildren(child));
  }
  return out;
}

/** True when the command (or a nested one) is an Exec, i.e. the job needs a correlator. */
export function hasExec(command: JobCommand): boolean {
  return command.kind === 'Exec' || flattenChildren(command).some((c) => c.kind === 'Exec');
}
