/**
 * Handles the commands a device sends (OMA-TS-DM_Protocol §8; RepPro "Status"): every command
 * gets a Status except Results (no 200 Status for Results), Statuses and Results are matched to
 * the jobs the server sent, DevInfo is recorded, 1224/1226 alerts become events matched to their
 * Exec job by Correlator, and chunked items are reassembled.
 */
import type { BaseLogger } from 'pino';
import { AlertCode } from '../../core/constants/alert.js';
import { Status } from '../../core/constants/status.js';
import { decodeNonce } from '../../core/auth/nonce.js';
import type { AlertCommand, Command, Item, ItemData, Meta, StatusCommand, SyncMLMessage } from '../../core/syncml/message.js';
import type { CommandQueue } from '../queue/command-queue.js';
import type { DeviceRegistry } from '../registry/device-registry.js';
import type { EventLog } from '../events/event-log.js';
import type { AlertItem, DevInfoValues, StoredItem } from '../store/store.js';
import type { DmSession } from './dm-session.js';
import { appendInbound, assembleInbound, startInbound } from './large-object.js';

/** Services (bound to the message's transaction) and helpers the handlers use. */
export interface InboundContext {
  readonly session: DmSession;
  readonly msg: SyncMLMessage;
  readonly registry: DeviceRegistry;
  readonly queue: CommandQueue;
  readonly events: EventLog;
  /** Largest object the server reassembles (its MaxObjSize). */
  readonly maxObjSize: number;
  readonly log: BaseLogger;
  /** Next CmdID of the reply. */
  readonly nextCmdId: () => number;
}

/** What the device's message asks of the reply. */
export interface InboundOutcome {
  readonly statuses: Command[];
  /** Alerts the server must send (1225 when a chunked object was interrupted). */
  readonly alerts: Command[];
  /** The device aborted the session (Alert 1223). */
  abort: boolean;
  /** The device asked for the next message of the server's package (Alert 1222). */
  nextMessage: boolean;
}

const DEVINFO_LEAVES: Readonly<Record<string, keyof DevInfoValues>> = { DevId: 'devId', Man: 'man', Mod: 'mod', DmV: 'dmV', Lang: 'lang' };

/** Processes the body of an authenticated message, in order. */
export async function handleClientCommands(ctx: InboundContext): Promise<InboundOutcome> {
  const out: InboundOutcome = { statuses: [], alerts: [], abort: false, nextMessage: false };
  for (const command of ctx.msg.body.commands) {
    if (ctx.session.inboundLo && !continuesLargeObject(ctx, command)) interruptLargeObject(ctx, out);
    await handleOne(ctx, command, out);
  }
  return out;
}

function status(ctx: InboundContext, c: Command, data: number, extra: Partial<StatusCommand> = {}): StatusCommand {
  return { kind: 'Status', cmdId: ctx.nextCmdId(), msgRef: ctx.msg.header.msgId, cmdRef: c.cmdId ?? 0, cmd: c.kind === 'Unknown' ? c.name : c.kind, data, ...extra };
}

/** A Status with an empty CmdRef, for a command that had no CmdID (OMA-TS-DM_Protocol §8: 400). */
function blankRefStatus(ctx: InboundContext, name: string): Command {
  const leaf = (n: string, t: string) => ({ name: n, children: t === '' ? [] : [t] });
  const cmdId = ctx.nextCmdId();
  return {
    kind: 'Unknown', cmdId, name: 'Status',
    element: { name: 'Status', children: [leaf('CmdID', String(cmdId)), leaf('MsgRef', String(ctx.msg.header.msgId)), leaf('CmdRef', ''), leaf('Cmd', name), leaf('Data', String(Status.BAD_REQUEST))] },
  };
}

async function handleOne(ctx: InboundContext, c: Command, out: InboundOutcome): Promise<void> {
  if (c.kind !== 'Status' && c.kind !== 'Results' && c.cmdId === undefined) {
    out.statuses.push(blankRefStatus(ctx, c.kind === 'Unknown' ? c.name : c.kind));
    return;
  }
  switch (c.kind) {
    case 'Status':
      await handleStatus(ctx, c);
      return;
    case 'Results':
      await handleResults(ctx, c, out);
      return;
    case 'Alert':
      await handleAlert(ctx, c, out);
      return;
    case 'Replace':
      await handleReplace(ctx, c, out);
      return;
    case 'Unknown':
      out.statuses.push(status(ctx, c, Status.BAD_REQUEST));
      return;
    default:
      // OMA-TS-DM_Protocol §6.1: a client sends only Alert, Replace (DevInfo), Results and Status.
      out.statuses.push(status(ctx, c, Status.COMMAND_NOT_ALLOWED));
  }
}

async function handleStatus(ctx: InboundContext, c: StatusCommand): Promise<void> {
  const s = ctx.session;
  if (c.cmdRef === 0 || c.cmd === 'SyncHdr') {
    // The device's verdict on the server's Cred; a Chal carries the nonce for the server's next Cred.
    if (c.data === Status.AUTHENTICATION_ACCEPTED) s.serverAuthenticated = true;
    if (c.data === Status.INVALID_CREDENTIALS || c.data === Status.MISSING_CREDENTIALS) {
      s.serverAuthenticated = false;
      ctx.log.warn({ session: s.id, device: s.deviceId, status: c.data }, 'device refused the server credential');
    }
    const next = c.chal?.meta.nextNonce;
    if (next !== undefined) {
      try {
        const nonce = decodeNonce(next);
        s.serverNonce = nonce;
        // Stored for the next session and Package 0: the device is authenticated by now.
        await ctx.registry.storeServerNonce(s.deviceId, nonce);
      } catch {
        ctx.log.debug({ session: s.id }, 'ignoring an undecodable server NextNonce');
      }
    }
    return;
  }
  if (c.cmdRef === undefined) {
    // A blank CmdRef answers a command the server sent without CmdID: it matches no job.
    ctx.log.debug({ session: s.id, status: c.data }, 'Status with a blank CmdRef');
    return;
  }
  const cmdRef = c.cmdRef;
  s.receivedStatus(c.msgRef, cmdRef);
  const lo = s.outboundLo;
  if (lo?.inFlight && lo.inFlight.msgId === c.msgRef && lo.inFlight.cmdId === cmdRef) {
    lo.inFlight = undefined;
    if (c.data === Status.CHUNKED_ITEM_ACCEPTED) return; // next chunk goes in the reply
    // The last chunk's Status (or an error on any chunk) completes the job.
    s.outboundLo = undefined;
    try {
      s.rememberJobs(await ctx.queue.markSent([lo.job.id], { sessionId: s.id, msgId: c.msgRef, cmdIds: [cmdRef] }));
    } catch (err) {
      ctx.log.debug({ session: s.id, job: lo.job.id, err }, 'chunked job changed while in flight');
      return;
    }
  }
  const items = (c.items ?? []).map((i) => storedItem(i, undefined)).filter((i): i is StoredItem => i !== undefined);
  try {
    const known = s.sentJob(c.msgRef, cmdRef);
    const job = await ctx.queue.recordStatus(s.deviceId, {
      sessionId: s.id, msgRef: c.msgRef, cmdRef, status: c.data, ...(items.length ? { items } : {}), ...(known ? { job: known } : {}),
    });
    if (job) s.rememberJobs([job]);
    else ctx.log.debug({ session: s.id, msgRef: c.msgRef, cmdRef: c.cmdRef }, 'Status for no known job');
  } catch (err) {
    ctx.log.debug({ session: s.id, err }, 'Status not recorded');
  }
}

async function handleResults(ctx: InboundContext, c: Extract<Command, { kind: 'Results' }>, out: InboundOutcome): Promise<void> {
  const s = ctx.session;
  const msgRef = c.msgRef ?? s.serverMsgId;
  const items: StoredItem[] = [];
  for (const item of c.items) {
    const whole = chunked(ctx, c, item, msgRef, out);
    if (whole === 'buffered' || typeof whole === 'number') continue;
    const stored = storedItem(whole, c.meta);
    if (stored) items.push(stored);
  }
  if (items.length === 0) return;
  try {
    const known = s.sentJob(msgRef, c.cmdRef);
    const job = await ctx.queue.recordResults(s.deviceId, { sessionId: s.id, msgRef, cmdRef: c.cmdRef, items, ...(known ? { job: known } : {}) });
    if (job) s.rememberJobs([job]);
    else {
      ctx.log.debug({ session: s.id, msgRef, cmdRef: c.cmdRef }, 'Results for no known job: cached only');
      await ctx.registry.cacheNodes(s.deviceId, items, 'get');
    }
  } catch (err) {
    ctx.log.debug({ session: s.id, err }, 'Results not recorded');
  }
}

async function handleAlert(ctx: InboundContext, c: AlertCommand, out: InboundOutcome): Promise<void> {
  const s = ctx.session;
  switch (c.data) {
    case AlertCode.SERVER_INITIATED_MGMT:
    case AlertCode.CLIENT_INITIATED_MGMT:
      s.initiator = c.data === AlertCode.SERVER_INITIATED_MGMT ? 'server' : 'client';
      out.statuses.push(status(ctx, c, Status.OK));
      return;
    case AlertCode.NEXT_MESSAGE:
      out.nextMessage = true;
      out.statuses.push(status(ctx, c, Status.OK));
      return;
    case AlertCode.SESSION_ABORT:
      out.abort = true;
      out.statuses.push(status(ctx, c, Status.OK));
      return;
    case AlertCode.NO_END_OF_DATA:
      // The device dropped a chunked object the server was sending; the job goes back to the queue
      // when the session ends (it is still unsent).
      s.outboundLo = undefined;
      out.statuses.push(status(ctx, c, Status.OK));
      return;
    case AlertCode.CLIENT_EVENT:
    case AlertCode.GENERIC_ALERT: {
      const items: AlertItem[] = c.items.map(alertItem);
      const job = c.correlator !== undefined ? await ctx.queue.matchAlertToJob(s.deviceId, c.correlator) : undefined;
      await ctx.events.append({
        type: 'alert', deviceId: s.deviceId, sessionId: s.id, code: c.data, items,
        ...(job ? { jobId: job.id } : {}), ...(c.correlator !== undefined ? { correlator: c.correlator } : {}),
      });
      out.statuses.push(status(ctx, c, Status.OK));
      return;
    }
    default:
      // OMA-TS-DM_Protocol §8.7: 406 for an alert the server cannot process.
      out.statuses.push(status(ctx, c, Status.OPTIONAL_FEATURE_NOT_SUPPORTED));
  }
}

async function handleReplace(ctx: InboundContext, c: Extract<Command, { kind: 'Replace' }>, out: InboundOutcome): Promise<void> {
  const s = ctx.session;
  const devInfo: { -readonly [K in keyof DevInfoValues]?: string } = {};
  const others: StoredItem[] = [];
  let code: number = Status.OK;
  for (const item of c.items) {
    const whole = chunked(ctx, c, item, undefined, out);
    if (whole === 'buffered') {
      code = Status.CHUNKED_ITEM_ACCEPTED;
      continue;
    }
    if (typeof whole === 'number') {
      code = whole;
      continue;
    }
    const uri = whole.source?.locUri ?? whole.target?.locUri;
    const leaf = uri?.replace(/^\.?\/?DevInfo\//, '');
    const key = uri !== undefined && leaf !== uri && leaf !== undefined ? DEVINFO_LEAVES[leaf] : undefined;
    if (key !== undefined && typeof whole.data === 'string') devInfo[key] = whole.data.trim();
    else {
      const stored = storedItem(whole, c.meta);
      if (stored) others.push(stored);
    }
  }
  if (Object.keys(devInfo).length > 0 && !sameDevInfo(s, devInfo)) {
    await ctx.registry.recordDevInfo(s.deviceId, { devInfo: { ...s.knownDevice?.devInfo, ...devInfo }, protocolVersion: s.verDtd, encoding: s.encoding });
    s.knownDevice = { devInfo: { ...s.knownDevice?.devInfo, ...devInfo }, protocolVersion: s.verDtd, encoding: s.encoding };
  }
  if (others.length > 0) await ctx.registry.cacheNodes(s.deviceId, others, 'replace');
  out.statuses.push(status(ctx, c, code));
}

/** True when the device row already holds these DevInfo values, VerDTD and encoding (nothing to write). */
function sameDevInfo(s: DmSession, devInfo: Partial<Record<keyof DevInfoValues, string>>): boolean {
  const k = s.knownDevice;
  if (!k || k.protocolVersion !== s.verDtd || k.encoding !== s.encoding) return false;
  return (Object.keys(devInfo) as (keyof DevInfoValues)[]).every((key) => k.devInfo[key] === devInfo[key]);
}

/**
 * Large-object handling for one item: 'buffered' for a non-last chunk (213), a status code when
 * the object is too big (413) or its size does not match (424), else the whole item.
 */
function chunked(ctx: InboundContext, c: Command, item: Item, msgRef: number | undefined, out: InboundOutcome): Item | 'buffered' | number {
  const s = ctx.session;
  const uri = item.source?.locUri ?? item.target?.locUri ?? '';
  const cmdRef = c.kind === 'Results' ? c.cmdRef : c.cmdId ?? 0;
  const cmdMeta = 'meta' in c ? c.meta : undefined;
  if (!item.moreData && !s.inboundLo) return item;
  if (!s.inboundLo) s.inboundLo = startInbound({ kind: c.kind, uri, cmdRef, msgRef, meta: item.meta ?? cmdMeta });
  const lo = s.inboundLo;
  appendInbound(lo, item.data);
  if (lo.received > ctx.maxObjSize) {
    s.inboundLo = undefined;
    if (c.kind === 'Results') out.statuses.push(status(ctx, c, Status.REQUEST_ENTITY_TOO_LARGE));
    return Status.REQUEST_ENTITY_TOO_LARGE;
  }
  if (item.moreData) {
    if (c.kind === 'Results') out.statuses.push(status(ctx, c, Status.CHUNKED_ITEM_ACCEPTED));
    return 'buffered';
  }
  s.inboundLo = undefined;
  if (lo.declaredSize !== undefined && lo.declaredSize !== lo.received) {
    if (c.kind === 'Results') out.statuses.push(status(ctx, c, Status.SIZE_MISMATCH));
    return Status.SIZE_MISMATCH;
  }
  const data: ItemData = assembleInbound(lo);
  const { moreData: _more, ...rest } = item;
  return { ...rest, ...(lo.meta ? { meta: lo.meta } : {}), data };
}

function continuesLargeObject(ctx: InboundContext, c: Command): boolean {
  const lo = ctx.session.inboundLo;
  if (!lo) return true;
  if (c.kind === 'Status') return true;
  if (c.kind === 'Alert' && c.data === AlertCode.NEXT_MESSAGE) return true;
  if (c.kind !== lo.kind) return false;
  const first = c.kind === 'Results' || c.kind === 'Replace' ? c.items[0] : undefined;
  return (first?.source?.locUri ?? first?.target?.locUri ?? '') === lo.uri;
}

/** OMA-TS-DM_Protocol §7.4: a new command before the last chunk → Alert 1225, object dropped. */
function interruptLargeObject(ctx: InboundContext, out: InboundOutcome): void {
  const lo = ctx.session.inboundLo;
  if (!lo) return;
  ctx.session.inboundLo = undefined;
  out.alerts.push({ kind: 'Alert', cmdId: ctx.nextCmdId(), data: AlertCode.NO_END_OF_DATA, items: [{ source: { locUri: lo.uri } }] });
}

/** Converts a received item to its stored form (bytes as base64). */
export function storedItem(i: Item, cmdMeta: Meta | undefined): StoredItem | undefined {
  const uri = i.source?.locUri ?? i.target?.locUri;
  if (uri === undefined) return undefined;
  const format = i.meta?.format ?? cmdMeta?.format;
  const type = i.meta?.type ?? cmdMeta?.type;
  const base = { uri, ...(format !== undefined ? { format } : {}), ...(type !== undefined ? { type } : {}) };
  if (typeof i.data === 'string') return { ...base, data: i.data };
  if (i.data instanceof Uint8Array) return { ...base, data: Buffer.from(i.data).toString('base64'), base64: true };
  return base;
}

function alertItem(i: Item): AlertItem {
  const out: { -readonly [K in keyof AlertItem]?: string } = {};
  if (i.source) out.source = i.source.locUri;
  if (i.target) out.target = i.target.locUri;
  if (i.meta?.type !== undefined) out.type = i.meta.type;
  if (i.meta?.format !== undefined) out.format = i.meta.format;
  if (i.meta?.mark !== undefined) out.mark = i.meta.mark;
  if (typeof i.data === 'string') out.data = i.data;
  else if (i.data instanceof Uint8Array) out.data = Buffer.from(i.data).toString('base64');
  return out;
}
