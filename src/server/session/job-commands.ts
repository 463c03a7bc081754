/**
 * Turns queued job descriptions (JobCommand JSON) into SyncML commands at send time, assigning
 * CmdIDs in the order the queue records them: the command, then nested commands depth first
 * (OMA-TS-DM_RepPro: CmdID unique within a message).
 */
import type { Command, Item, ItemData, Meta } from '../../core/syncml/message.js';
import type { JobCommand, JobItem, JobRecord } from '../store/store.js';

/** A job rendered as one SyncML command. */
export interface RenderedJob {
  readonly command: Command;
  /** CmdID of the top-level command. */
  readonly cmdId: number;
  /** CmdIDs of nested commands, depth first (Atomic / Sequence). */
  readonly childCmdIds: readonly number[];
}

/** Renders a job's command, drawing CmdIDs from `nextCmdId`. */
export function renderJob(job: JobRecord, nextCmdId: () => number): RenderedJob {
  const childCmdIds: number[] = [];
  const cmdId = nextCmdId();
  const command = render(job.command, cmdId, job.correlator, nextCmdId, childCmdIds);
  return { command, cmdId, childCmdIds };
}

function render(c: JobCommand, cmdId: number, correlator: string | undefined, next: () => number, children: number[]): Command {
  switch (c.kind) {
    case 'Get':
      return { kind: 'Get', cmdId, items: c.uris.map((u) => ({ target: { locUri: u } })) };
    case 'Delete':
      return { kind: 'Delete', cmdId, items: c.uris.map((u) => ({ target: { locUri: u } })) };
    case 'Add':
    case 'Replace':
      return { kind: c.kind, cmdId, items: c.items.map(jobItem) };
    case 'Copy':
      return { kind: 'Copy', cmdId, items: c.items.map((i) => ({ target: { locUri: i.target }, source: { locUri: i.source } })) };
    case 'Exec':
      return { kind: 'Exec', cmdId, items: [jobItem(c.item)], ...(correlator !== undefined ? { correlator } : {}) };
    case 'Alert': {
      // OMA-TS-DM_Protocol §8.6 (user interaction): item 1 = options, item 2 = text, then choices.
      const items: Item[] = [{ data: c.options ?? '' }, { data: c.text }, ...(c.choices ?? []).map((x) => ({ data: x }))];
      return { kind: 'Alert', cmdId, data: c.code, items };
    }
    case 'Atomic':
    case 'Sequence': {
      const commands: Command[] = [];
      for (const child of c.commands) {
        const id = next();
        children.push(id);
        commands.push(render(child, id, correlator, next, children));
      }
      return { kind: c.kind, cmdId, commands };
    }
  }
}

/** One Add/Replace/Exec item: Target, Meta Format/Type, Data (bytes when `base64`). */
export function jobItem(i: JobItem): Item {
  const meta: { format?: string; type?: string } = {};
  if (i.format !== undefined) meta.format = i.format;
  if (i.type !== undefined) meta.type = i.type;
  let data: ItemData | undefined;
  if (i.data !== undefined) data = i.base64 === true ? new Uint8Array(Buffer.from(i.data, 'base64')) : i.data;
  if (data instanceof Uint8Array && meta.format === undefined) meta.format = 'bin';
  return {
    target: { locUri: i.uri },
    ...(Object.keys(meta).length > 0 ? { meta: meta as Meta } : {}),
    ...(data !== undefined ? { data } : {}),
  };
}

/** Byte length of an item's data as an object (UTF-8 for text). */
export function itemDataSize(d: ItemData | undefined): number {
  if (d === undefined) return 0;
  if (typeof d === 'string') return Buffer.byteLength(d, 'utf8');
  if (d instanceof Uint8Array) return d.byteLength;
  return 0;
}
