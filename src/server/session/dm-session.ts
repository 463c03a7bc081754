/**
 * In-memory state of one DM session on the server (OMA-TS-DM_Protocol §6–§8): who the device
 * is, which protocol version and encoding it speaks, MsgID counters, authentication state,
 * commands awaiting a Status, statuses still to send, and large objects in flight.
 * What must survive a crash (the session row, sent jobs) is in the store, not here.
 */
import type { Encoding } from '../../core/codec/message-codec.js';
import type { Command, VerDtd } from '../../core/syncml/message.js';
import type { ClientAuthType, DeviceId, DeviceRecord, JobId, JobRecord, ServerCredential, SessionId, SessionOutcome } from '../store/store.js';
import type { InboundLargeObject, OutboundLargeObject } from './large-object.js';

/** Where a session is: authenticating the device, exchanging commands, or over. */
export type SessionPhase = 'auth' | 'active' | 'closed';

/** A reply as sent, kept to answer a retransmitted request identically. */
export interface CachedReply {
  readonly clientMsgId: number;
  /** The request it answered (a retransmission is byte-identical). */
  readonly request: Uint8Array;
  readonly body: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
}

/** Fixed facts a session starts with. */
export interface DmSessionInit {
  readonly id: SessionId;
  readonly token: string;
  readonly deviceId: DeviceId;
  readonly dmSessionId: string;
  readonly verDtd: VerDtd;
  readonly verProto: string;
  readonly encoding: Encoding;
  readonly startedAt: number;
}

/** One DM session's mutable state; only the session engine changes it, one message at a time. */
export class DmSession {
  /** Server-side unique id (the SessionStore row and job delivery records use it). */
  readonly id: SessionId;
  /** Secret part of the RespURI; knowing it is what ties a later message to this session. */
  readonly token: string;
  readonly deviceId: DeviceId;
  /** SyncHdr SessionID the device chose (decimal, or hex after a Package 0). */
  readonly dmSessionId: string;
  readonly verDtd: VerDtd;
  readonly verProto: string;
  /** Encoding the device used last (replies use it). */
  encoding: Encoding;
  readonly startedAt: number;
  phase: SessionPhase = 'auth';
  /** How the session ended (set when closed). */
  outcome: SessionOutcome | undefined;
  lastActivity: number;
  /** Authentication attempts refused in this session. */
  authFailures = 0;
  /** The device's auth type once authenticated. */
  authType: ClientAuthType | undefined;
  /** Nonce last issued to the device (challenge or HMAC NextNonce), if issued in this session. */
  clientNonce: Uint8Array | undefined;
  /** Server credential and the nonce the device gave for it. */
  server: ServerCredential | undefined;
  serverNonce: Uint8Array | undefined;
  /** The device answered 212 to the server's Cred: no more Cred needed (OMA-TS-DM_Protocol §9.2). */
  serverAuthenticated = false;
  /** Last MsgID received from the device, and last MsgID the server sent (starts at 1, +1 each). */
  lastClientMsgId = 0;
  serverMsgId = 0;
  /** Limits the device announced in its SyncHdr Meta (binding until changed, RepPro §MaxObjSize). */
  clientMaxMsgSize: number | undefined;
  clientMaxObjSize: number | undefined;
  /** `client` for Alert 1201, `server` for 1200 (answer to a Package 0). */
  initiator: 'client' | 'server' = 'client';
  /** Commands sent and not yet answered, keyed `msgId:cmdId`. */
  readonly awaiting = new Set<string>();
  /** Statuses that did not fit the last reply (multi-message server package). */
  pendingStatuses: Command[] = [];
  inboundLo: InboundLargeObject | undefined;
  outboundLo: OutboundLargeObject | undefined;
  /** The session row exists in the SessionStore. */
  persisted = false;
  /** Session was taken over from a server process that died (state rebuilt from the store). */
  adopted = false;
  lastReply: CachedReply | undefined;
  /** The device row as read when the session authenticated (to skip rewriting unchanged DevInfo). */
  knownDevice: Pick<DeviceRecord, 'devInfo' | 'protocolVersion' | 'encoding'> | undefined;
  /**
   * The device's queue may hold jobs this session has not seen: true until a listing came back
   * short and was sent whole, and again whenever this process queues a job for the device.
   * (A job another server process queues meanwhile waits for the next session.)
   */
  queueMayHaveMore = true;
  /** Jobs this session delivered (for logs). */
  delivered = 0;
  /**
   * The jobs this session sent, as it last wrote them, so Statuses and Results are matched without
   * a store lookup. A copy of store rows only this session changes; the store stays the truth
   * (compare-and-set on write, and a lookup when a copy is missing or stale).
   */
  readonly #sentJobs = new Map<JobId, JobRecord>();
  /** `msgId:cmdId` (top-level and nested commands) → job id. */
  readonly #sentByCmd = new Map<string, JobId>();
  /** A message's transaction rolled back: the copies may be ahead of the store. */
  #sentJobsUncertain = false;
  #chain: Promise<unknown> = Promise.resolve();
  #pending = 0;

  constructor(init: DmSessionInit) {
    this.id = init.id;
    this.token = init.token;
    this.deviceId = init.deviceId;
    this.dmSessionId = init.dmSessionId;
    this.verDtd = init.verDtd;
    this.verProto = init.verProto;
    this.encoding = init.encoding;
    this.startedAt = init.startedAt;
    this.lastActivity = init.startedAt;
  }

  /** Runs `fn` after every earlier call finished: one message of a session at a time. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    this.#pending++;
    const done = (): void => {
      this.#pending--;
    };
    const next = this.#chain.then(fn, fn);
    next.then(done, done);
    this.#chain = next.catch(() => undefined);
    return next;
  }

  /** A message of this session is being handled or waits its turn. */
  get busy(): boolean {
    return this.#pending > 0;
  }

  /** Records a command sent in message `msgId` that awaits the device's Status. */
  expectStatus(msgId: number, cmdId: number): void {
    this.awaiting.add(`${msgId}:${cmdId}`);
  }

  /** Remembers jobs as written when sent (with their CmdIDs) or after a Status/Results update. */
  rememberJobs(jobs: readonly JobRecord[]): void {
    for (const job of jobs) {
      this.#sentJobs.set(job.id, job);
      if (job.msgId === undefined || job.cmdId === undefined) continue;
      this.#sentByCmd.set(`${job.msgId}:${job.cmdId}`, job.id);
      for (const child of job.childCmdIds ?? []) this.#sentByCmd.set(`${job.msgId}:${child}`, job.id);
    }
  }

  /** Drops the copies after a rolled-back write; from then on the store is asked. */
  distrustSentJobs(): void {
    this.#sentJobs.clear();
    this.#sentByCmd.clear();
    this.#sentJobsUncertain = true;
  }

  /** The job this session sent as (msgRef, cmdRef), as last written, if known. */
  sentJob(msgRef: number, cmdRef: number): JobRecord | undefined {
    const id = this.#sentByCmd.get(`${msgRef}:${cmdRef}`);
    return id === undefined ? undefined : this.#sentJobs.get(id);
  }

  /**
   * False only when the session knows every job it sent has reached a final state, so closing it
   * has nothing to requeue. An adopted session (sent by another process) always answers true.
   */
  mayHaveUnansweredJobs(): boolean {
    if (this.adopted || this.#sentJobsUncertain) return true;
    for (const job of this.#sentJobs.values()) if (job.state !== 'done' && job.state !== 'failed') return true;
    return false;
  }

  /** Marks the Status for (msgRef, cmdRef) as received; false when nothing awaited it. */
  receivedStatus(msgRef: number, cmdRef: number): boolean {
    return this.awaiting.delete(`${msgRef}:${cmdRef}`);
  }
}
