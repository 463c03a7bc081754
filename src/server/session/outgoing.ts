/**
 * Decides what a reply carries after the Statuses (OMA-TS-DM_Protocol §6, §7): nothing new while
 * the device's package is incomplete (Alert 1222 instead), the next chunk of a large object, or
 * queued jobs — only once the device answered the previous commands, and never more than its
 * MaxMsgSize allows. Jobs that did not fit stay queued for the next package.
 */
import type { BaseLogger } from 'pino';
import type { Encoding } from '../../core/codec/message-codec.js';
import { AlertCode } from '../../core/constants/alert.js';
import type { Command, SyncHdr } from '../../core/syncml/message.js';
import type { CommandQueue } from '../queue/command-queue.js';
import type { JobRecord } from '../store/store.js';
import type { DmSession } from './dm-session.js';
import { renderJob, type RenderedJob } from './job-commands.js';
import { nextChunk, startOutbound, type OutboundLargeObject } from './large-object.js';
import { measureAlone, packMessage, type PackedMessage } from './message-packer.js';

/** Inputs of {@link planOutgoing}. */
export interface OutgoingInput {
  readonly session: DmSession;
  readonly queue: CommandQueue;
  readonly header: SyncHdr;
  readonly encoding: Encoding;
  /** The SyncHdr Status. */
  readonly fixed: readonly Command[];
  /** Statuses for the device's commands (carried-over ones first). */
  readonly statuses: readonly Command[];
  /** Server alerts caused by the device's message (1225). */
  readonly alerts: readonly Command[];
  readonly msgId: number;
  readonly nextCmdId: () => number;
  readonly maxMsgSize: number;
  readonly maxCommands: number;
  /** The device's message closed its package (`<Final/>`). */
  readonly clientFinal: boolean;
  /** The device asked for the next message of the server's package (Alert 1222). */
  readonly nextMessage: boolean;
  readonly abort: boolean;
  readonly log: BaseLogger;
}

/** The packed reply and whether it ends the session. */
export interface OutgoingPlan {
  readonly packed: PackedMessage;
  /** Final, no commands, nothing pending: the device will not answer (OMA-TS-DM_Protocol §8.3). */
  readonly sessionDone: boolean;
}

const MAX_OVERSIZE_RETRIES = 5;

/** Builds the reply (see module comment) and records the jobs it carries as sent. */
export async function planOutgoing(i: OutgoingInput): Promise<OutgoingPlan> {
  const s = i.session;
  const answered = [...i.statuses, ...i.alerts];
  const pack = (fixed: readonly Command[], optional: readonly Command[], finalFor: (n: number) => boolean): PackedMessage =>
    packMessage({ header: i.header, encoding: i.encoding, maxBytes: i.maxMsgSize, fixed, optional, finalFor });
  const keepRest = (p: PackedMessage): void => {
    s.pendingStatuses = answered.slice(Math.min(p.taken, answered.length));
  };

  if (i.abort) {
    // OMA-TS-DM_Protocol §8.5 (abort): reply with Statuses only and Final; the session ends.
    return { packed: pack(i.fixed, answered, () => true), sessionDone: true };
  }
  if (!i.clientFinal && !i.nextMessage) {
    // The device's package continues: answer with Statuses and ask for its next message.
    const more: Command = { kind: 'Alert', cmdId: i.nextCmdId(), data: AlertCode.NEXT_MESSAGE, items: [] };
    const p = pack([...i.fixed, more], answered, () => false);
    keepRest(p);
    return { packed: p, sessionDone: false };
  }

  // A chunk of a large object in flight: only the next chunk, nothing else between chunks.
  if (s.outboundLo) {
    const lo = s.outboundLo;
    if (lo.inFlight) {
      const p = pack(i.fixed, answered, (n) => n >= answered.length);
      keepRest(p);
      return { packed: p, sessionDone: false };
    }
    return sendChunk(i, lo, answered);
  }

  if (s.awaiting.size > 0) {
    // The device closed its package without answering everything: those jobs go back to the queue at session end.
    i.log.debug({ session: s.id, missing: s.awaiting.size }, 'device left commands without a Status');
    s.awaiting.clear();
  }

  for (let attempt = 0; ; attempt++) {
    const jobs = s.queueMayHaveMore ? await i.queue.nextBatch(s.deviceId, { maxCount: i.maxCommands }) : [];
    const rendered: RenderedJob[] = jobs.map((job) => renderJob(job, i.nextCmdId));
    const p = pack(i.fixed, [...answered, ...rendered.map((r) => r.command)], (n) => n >= answered.length);
    keepRest(p);
    const taken = Math.max(0, p.taken - answered.length);
    // A short listing sent whole leaves nothing queued (until the queue says otherwise).
    if (jobs.length < i.maxCommands && taken === jobs.length) s.queueMayHaveMore = false;
    if (taken > 0) {
      const sent = jobs.slice(0, taken);
      s.rememberJobs(await i.queue.markSent(sent, {
        sessionId: s.id, msgId: i.msgId, cmdIds: rendered.slice(0, taken).map((r) => [r.cmdId, ...r.childCmdIds]),
      }));
      for (const r of rendered.slice(0, taken)) s.expectStatus(i.msgId, r.cmdId);
      s.delivered += taken;
      return { packed: p, sessionDone: false };
    }
    const first = jobs[0];
    const firstRendered = rendered[0];
    if (first === undefined || firstRendered === undefined || p.taken < answered.length) {
      const done = p.message.body.final && s.pendingStatuses.length === 0 && i.alerts.length === 0;
      return { packed: p, sessionDone: done };
    }
    // The first job does not fit even in an otherwise empty message.
    if (measureAlone(i.header, i.encoding, [...i.fixed, ...answered, firstRendered.command]) > i.maxMsgSize) {
      const lo = startOutbound(first, firstRendered.command);
      if (lo && (s.clientMaxObjSize === undefined || lo.bytes.byteLength <= s.clientMaxObjSize) && attempt < MAX_OVERSIZE_RETRIES) {
        s.outboundLo = lo;
        return sendChunk(i, lo, answered);
      }
      await cancelOversize(i, first, lo === undefined ? 'does not fit the device MaxMsgSize and cannot be chunked' : 'exceeds the device MaxObjSize');
    }
    if (attempt >= MAX_OVERSIZE_RETRIES) return { packed: p, sessionDone: false };
  }
}

async function cancelOversize(i: OutgoingInput, job: JobRecord, why: string): Promise<void> {
  i.log.warn({ session: i.session.id, job: job.id }, `job ${why}; cancelled`);
  await i.queue.cancel(job.id, `job ${why}`);
}

/** Sends the next chunk of a large object as the only command of the reply. */
async function sendChunk(i: OutgoingInput, lo: OutboundLargeObject, answered: readonly Command[]): Promise<OutgoingPlan> {
  const s = i.session;
  const cmdId = i.nextCmdId();
  // Room for data: what is left of MaxMsgSize once everything else is in; base64 grows XML binary by 4/3.
  const overhead = measureAlone(i.header, i.encoding, [...i.fixed, ...answered, nextChunk(lo, cmdId, 1).command]);
  let budget = i.maxMsgSize - overhead - 16;
  if (i.encoding === 'xml' && !lo.text) budget = Math.floor((budget * 3) / 4) - 4;
  while (budget > 0) {
    const chunk = nextChunk(lo, cmdId, budget);
    const p = packMessage({
      header: i.header, encoding: i.encoding, maxBytes: i.maxMsgSize, fixed: i.fixed, optional: [...answered, chunk.command],
      // OMA-TS-DM_Protocol §7.4: no Final on a message carrying a non-last chunk.
      finalFor: (n) => n > answered.length && chunk.last,
    });
    if (p.taken === answered.length + 1) {
      s.pendingStatuses = [];
      lo.inFlight = { msgId: i.msgId, cmdId, last: chunk.last };
      lo.offset += chunk.size;
      s.expectStatus(i.msgId, cmdId);
      return { packed: p, sessionDone: false };
    }
    budget = Math.floor(budget * 0.8);
  }
  // Not even one byte fits next to the Statuses: send the Statuses now, the chunk next time.
  const p = packMessage({ header: i.header, encoding: i.encoding, maxBytes: i.maxMsgSize, fixed: i.fixed, optional: answered, finalFor: () => false });
  s.pendingStatuses = answered.slice(p.taken);
  return { packed: p, sessionDone: false };
}
