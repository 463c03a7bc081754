/**
 * Durable command queue: nothing queued is lost (docs/principles.md). A job is
 * queued → sent (session, MsgID, CmdID) → status_received | results_received → done | failed,
 * or queued → cancelled | expired. A job sent in a session that breaks before its Status arrives
 * goes back to queued (on session expiry, and at start-up for sessions a dead process left).
 * Status classes (OMA-TS-DM_RepPro, Response Status Codes): 1xx and 213 (chunk buffered) are not
 * final; 2xx completes; anything else fails. A Get completes when both its Status and Results are in.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode, StoreError } from '../../core/errors.js';
import type { EventLog } from '../events/event-log.js';
import { cacheNodes } from '../registry/tree-cache.js';
import type {
  Clock, DeviceId, JobCommand, JobId, JobQuery, JobRecord, JobState, Page, SessionId, SessionRecord, StoreScope, StoredItem,
} from '../store/store.js';
import { systemClock } from '../store/store.js';
import { flattenChildren, hasExec, jobCommandSize, validateJobCommand } from './job-command.js';

/** Options of {@link CommandQueue.enqueue}. */
export interface EnqueueOptions {
  /** Exec Correlator; generated for jobs holding an Exec when absent. */
  readonly correlator?: string;
  /** Not delivered after this time (ms since epoch): the job becomes `expired`. */
  readonly expiresAt?: number;
  /** Higher is delivered first; default 0. */
  readonly priority?: number;
}

/** A Status the device returned for a command the server sent. */
export interface ReceivedStatus {
  readonly sessionId: SessionId;
  readonly msgRef: number;
  readonly cmdRef: number;
  readonly status: number;
  /** Items carried in the Status (e.g. the answer to a 1102/1103 UI alert). */
  readonly items?: readonly StoredItem[];
  /** The job as the caller last wrote it (skips the lookup; a stale copy falls back to it). */
  readonly job?: JobRecord;
}

/** Results the device returned for a Get the server sent. */
export interface ReceivedResults {
  readonly sessionId: SessionId;
  readonly msgRef: number;
  readonly cmdRef: number;
  readonly items: readonly StoredItem[];
  /** The job as the caller last wrote it (skips the lookup; a stale copy falls back to it). */
  readonly job?: JobRecord;
}

/** Options of {@link CommandQueue}. */
export interface CommandQueueOptions {
  readonly store: StoreScope;
  readonly clock?: Clock;
  readonly random?: (size: number) => Uint8Array;
  /** Where `job.state` events go (none when absent). */
  readonly events?: EventLog;
  /** Default batch size of {@link CommandQueue.nextBatch}; default 32. */
  readonly defaultBatchCount?: number;
}

/** Told which devices just got queued jobs (new or requeued), once the write is done (it may not be committed yet). */
export type QueuedListener = (deviceIds: readonly DeviceId[]) => void;

const AWAITING: readonly JobState[] = ['sent', 'status_received', 'results_received'];
const MAX_BATCH = 1000;

/** The durable per-device command queue. */
export class CommandQueue {
  readonly #opts: CommandQueueOptions;
  readonly #store: StoreScope;
  readonly #clock: Clock;
  readonly #random: (size: number) => Uint8Array;
  readonly #events: EventLog | undefined;
  /** Shared by every transaction-bound copy of this queue. */
  #queuedListeners = new Set<QueuedListener>();

  constructor(opts: CommandQueueOptions) {
    this.#opts = opts;
    this.#store = opts.store;
    this.#clock = opts.clock ?? systemClock;
    this.#random = opts.random ?? ((n) => new Uint8Array(randomBytes(n)));
    this.#events = opts.events;
  }

  /** The same queue bound to an open transaction. */
  inTransaction(tx: StoreScope): CommandQueue {
    const bound = new CommandQueue({ ...this.#opts, store: tx, ...(this.#events ? { events: this.#events.inTransaction(tx) } : {}) });
    bound.#queuedListeners = this.#queuedListeners;
    return bound;
  }

  /**
   * Calls `listener` whenever jobs become queued in this process (enqueued or requeued), so an
   * open session can tell whether the queue may hold something new. Returns the unsubscribe function.
   */
  onQueued(listener: QueuedListener): () => void {
    this.#queuedListeners.add(listener);
    return () => {
      this.#queuedListeners.delete(listener);
    };
  }

  #notifyQueued(deviceIds: readonly DeviceId[]): void {
    if (deviceIds.length === 0) return;
    for (const listener of this.#queuedListeners) listener(deviceIds);
  }

  /**
   * Queues a command for one device. Throws `ERR_QUEUE_COMMAND_INVALID` for a malformed command
   * and `ERR_REGISTRY_DEVICE_NOT_FOUND` for an unknown device.
   */
  async enqueue(deviceId: DeviceId, command: JobCommand, opts: EnqueueOptions = {}): Promise<JobRecord> {
    validateJobCommand(command);
    const [job] = await this.#store.jobs.insert([this.#newJob(deviceId, command, opts, {})]);
    if (!job) throw new StoreError(ErrorCode.ERR_STORE, 'job insert returned nothing');
    this.#notifyQueued([deviceId]);
    return job;
  }

  /** Queues one job per current member of `group` (fan-out), all sharing a `fanOutId`. */
  async enqueueForGroup(group: string, command: JobCommand, opts: EnqueueOptions = {}): Promise<{ readonly fanOutId: string; readonly jobs: JobRecord[] }> {
    validateJobCommand(command);
    const fanOutId = Buffer.from(this.#random(12)).toString('hex');
    return this.#store.transaction(async (tx) => {
      const members = await tx.devices.listGroupMembers(group);
      const jobs = members.length === 0 ? [] : await tx.jobs.insert(members.map((d) => this.#newJob(d, command, opts, { fanOutId, group })));
      this.#notifyQueued(members);
      return { fanOutId, jobs };
    });
  }

  /**
   * The device's next queued jobs to send: highest priority first, then oldest first, at most
   * `maxCount`, and within `maxBytes` of payload (always at least one job, so a large job is never
   * stuck). Jobs past their `expiresAt` become `expired` instead.
   */
  async nextBatch(deviceId: DeviceId, opts: { readonly maxCount?: number; readonly maxBytes?: number } = {}): Promise<JobRecord[]> {
    const maxCount = Math.min(Math.max(1, opts.maxCount ?? this.#opts.defaultBatchCount ?? 32), MAX_BATCH);
    return this.#store.transaction(async (tx) => {
      const now = this.#clock.now();
      let queued = await tx.jobs.listQueued(deviceId, maxCount);
      // Expiry is rare: only when a listed job is past its time is the expiring update run.
      if (queued.some((j) => j.expiresAt !== undefined && j.expiresAt <= now)) {
        for (const job of await tx.jobs.expireDue(deviceId, now)) await this.#logState(tx, job, 'queued');
        queued = await tx.jobs.listQueued(deviceId, maxCount);
      }
      if (opts.maxBytes === undefined) return queued;
      const out: JobRecord[] = [];
      let bytes = 0;
      for (const job of queued) {
        if (out.length > 0 && bytes + job.size > opts.maxBytes) break;
        out.push(job);
        bytes += job.size;
      }
      return out;
    });
  }

  /**
   * Records that jobs went out in a message. `cmdIds[i]` is the CmdID of `jobs[i]`, or an array
   * of the top CmdID followed by the CmdIDs of its nested commands depth first (Atomic/Sequence).
   * A job is given by id, or as the record just read in the same transaction (no second read; the
   * write is compare-and-set on `queued` either way).
   * Throws `ERR_QUEUE_ILLEGAL_TRANSITION` unless every job is queued (nothing is changed then).
   */
  async markSent(jobs: readonly (JobId | JobRecord)[], sent: { readonly sessionId: SessionId; readonly msgId: number; readonly cmdIds: readonly (number | readonly number[])[] }): Promise<JobRecord[]> {
    if (sent.cmdIds.length !== jobs.length) throw new StoreError(ErrorCode.ERR_QUEUE_COMMAND_INVALID, 'markSent needs one cmdIds entry per job');
    const at = this.#clock.now();
    return this.#store.transaction(async (tx) => {
      const out: JobRecord[] = [];
      for (let i = 0; i < jobs.length; i++) {
        const given = jobs[i] as JobId | JobRecord;
        const job = typeof given === 'string' ? await this.#require(tx, given) : given;
        if (job.state !== 'queued') throw illegal(job, 'sending it');
        const ids = sent.cmdIds[i];
        const [cmdId, ...childCmdIds] = typeof ids === 'number' ? [ids] : (ids ?? []);
        if (cmdId === undefined) throw new StoreError(ErrorCode.ERR_QUEUE_COMMAND_INVALID, `no CmdID for job ${job.id}`);
        const next: JobRecord = {
          ...job, state: 'sent', sessionId: sent.sessionId, msgId: sent.msgId, cmdId, childCmdIds, sentAt: at, updatedAt: at, attempts: job.attempts + 1,
        };
        await this.#transition(tx, job, next);
        out.push(next);
      }
      return out;
    });
  }

  /**
   * Records the device's Status for a sent command (or a command nested in a sent Atomic/Sequence)
   * and updates the tree cache on success. Returns the job, or `undefined` when no sent job matches.
   * Throws `ERR_QUEUE_ILLEGAL_TRANSITION` for a second final Status of the same command.
   */
  async recordStatus(deviceId: DeviceId, received: ReceivedStatus): Promise<JobRecord | undefined> {
    return this.#withSentJob(received, async (tx, job) => {
      if (job.deviceId !== deviceId) return undefined;
      const at = this.#clock.now();
      const entry = { cmdId: received.cmdRef, status: received.status, ...(received.items?.length ? { items: received.items } : {}) };
      const statuses = [...job.statuses, entry];
      const ok = received.status >= 200 && received.status < 300;
      if (received.cmdRef !== job.cmdId) {
        // A nested command of an Atomic/Sequence: recorded, and cached on success; no state change.
        const index = (job.childCmdIds ?? []).indexOf(received.cmdRef);
        const child = flattenChildren(job.command)[index];
        const next: JobRecord = { ...job, statuses, updatedAt: at };
        await this.#transition(tx, job, next);
        if (ok && child) await this.#cacheWrite(tx, deviceId, child, at);
        return next;
      }
      if (!AWAITING.includes(job.state) || (job.state !== 'sent' && job.status !== undefined)) {
        throw illegal(job, 'a Status');
      }
      const final = received.status >= 200 && received.status !== 213;
      let state: JobState = job.state;
      if (!final) state = job.state;
      else if (!ok) state = 'failed';
      else if (job.command.kind === 'Get' && job.results.length === 0) state = 'status_received';
      else state = 'done';
      const next: JobRecord = {
        ...job, state, statuses, updatedAt: at,
        ...(final ? { status: received.status } : {}),
        ...(state === 'done' || state === 'failed' ? { completedAt: at } : {}),
      };
      await this.#transition(tx, job, next);
      if (ok && final) await this.#cacheWrite(tx, deviceId, job.command, at);
      return next;
    });
  }

  /** Records Results for a sent Get (top-level or nested) and caches the values read. */
  async recordResults(deviceId: DeviceId, received: ReceivedResults): Promise<JobRecord | undefined> {
    return this.#withSentJob(received, async (tx, job) => {
      if (job.deviceId !== deviceId) return undefined;
      const at = this.#clock.now();
      let state: JobState = job.state;
      if (received.cmdRef === job.cmdId) {
        if (job.state === 'sent') state = 'results_received';
        else if (job.state === 'status_received') state = 'done';
        else if (job.state !== 'results_received' && job.state !== 'done') throw illegal(job, 'Results');
      }
      const next: JobRecord = {
        ...job, state, results: [...job.results, ...received.items], updatedAt: at, ...(state === 'done' && job.state !== 'done' ? { completedAt: at } : {}),
      };
      await this.#transition(tx, job, next);
      await cacheNodes(tx, deviceId, received.items, { source: 'get', at });
      return next;
    });
  }

  /**
   * Ends the queue's part of a session: jobs still `sent` (no Status arrived) go back to `queued`
   * for the next session; jobs with a Status but no Results, or Results but no Status, are `done`.
   * Returns the requeued jobs.
   */
  async requeueUnanswered(sessionId: SessionId): Promise<JobRecord[]> {
    return this.#store.transaction(async (tx) => {
      const at = this.#clock.now();
      const requeued: JobRecord[] = [];
      for (const job of await tx.jobs.listBySession(sessionId, AWAITING)) {
        if (job.state === 'sent') {
          const { sessionId: _s, msgId: _m, cmdId: _c, childCmdIds: _cc, ...rest } = job;
          const next: JobRecord = { ...rest, state: 'queued', updatedAt: at };
          await this.#transition(tx, job, next);
          requeued.push(next);
          this.#notifyQueued([next.deviceId]);
        } else {
          await this.#transition(tx, job, { ...job, state: 'done', updatedAt: at, completedAt: at });
        }
      }
      return requeued;
    });
  }

  /**
   * Finds the sessions a dead server process left open, requeues their unanswered jobs and closes
   * them. A session is orphaned when its owner is not `ownerId` (this process) and `isOwnerAlive`
   * says its process is gone (default: every other owner is dead — one server per database).
   */
  async recoverOrphanedSessions(opts: { readonly ownerId: string; readonly isOwnerAlive?: (session: SessionRecord) => boolean }): Promise<{ readonly sessions: SessionRecord[]; readonly requeued: JobRecord[] }> {
    const sessions = (await this.#store.sessions.list()).filter((s) => s.ownerId !== opts.ownerId && !(opts.isOwnerAlive?.(s) ?? false));
    const requeued: JobRecord[] = [];
    for (const s of sessions) {
      await this.#store.transaction(async (tx) => {
        requeued.push(...(await this.inTransaction(tx).requeueUnanswered(s.id)));
        await tx.sessions.close(s.id);
      });
    }
    return { sessions, requeued };
  }

  /** Cancels a queued job; throws `ERR_QUEUE_ILLEGAL_TRANSITION` once it was sent or finished. */
  async cancel(jobId: JobId, reason = 'cancelled by operator'): Promise<JobRecord> {
    return this.#store.transaction(async (tx) => {
      const job = await this.#require(tx, jobId);
      const at = this.#clock.now();
      const next: JobRecord = { ...job, state: 'cancelled', updatedAt: at, completedAt: at, error: reason };
      await this.#transition(tx, job, next);
      return next;
    });
  }

  /** Jobs filtered by device, state or fan-out, cursor-paginated by id. */
  list(query: JobQuery = {}): Promise<Page<JobRecord>> {
    return this.#store.jobs.list(query);
  }

  /** One job, or `undefined`. */
  get(jobId: JobId): Promise<JobRecord | undefined> {
    return this.#store.jobs.get(jobId);
  }

  /** The newest job of the device with this Exec correlator (to match a 1226 Generic Alert). */
  matchAlertToJob(deviceId: DeviceId, correlator: string): Promise<JobRecord | undefined> {
    return this.#store.jobs.findByCorrelator(deviceId, correlator);
  }

  #newJob(deviceId: DeviceId, command: JobCommand, opts: EnqueueOptions, fan: { fanOutId?: string; group?: string }) {
    const correlator = opts.correlator ?? (hasExec(command) ? Buffer.from(this.#random(8)).toString('hex') : undefined);
    return {
      deviceId, command, priority: opts.priority ?? 0, size: jobCommandSize(command), createdAt: this.#clock.now(),
      ...(correlator !== undefined ? { correlator } : {}),
      ...(opts.expiresAt !== undefined ? { expiresAt: opts.expiresAt } : {}),
      ...fan,
    };
  }

  /**
   * Runs `fn` in a transaction with the sent job a Status or Results refers to: the caller's copy
   * when given, else (or when that copy turns out stale) the store's. `undefined` when none matches.
   */
  async #withSentJob<T>(ref: ReceivedStatus | ReceivedResults, fn: (tx: StoreScope, job: JobRecord) => Promise<T>): Promise<T | undefined> {
    if (ref.job) {
      const known = ref.job;
      try {
        return await this.#store.transaction((tx) => fn(tx, known));
      } catch (err) {
        if (!(err instanceof StaleJobError)) throw err;
      }
    }
    return this.#store.transaction(async (tx) => {
      const job = await tx.jobs.findSent(ref.sessionId, ref.msgRef, ref.cmdRef);
      return job ? fn(tx, job) : undefined;
    });
  }

  async #require(tx: StoreScope, id: JobId): Promise<JobRecord> {
    const job = await tx.jobs.get(id);
    if (!job) throw new StoreError(ErrorCode.ERR_QUEUE_JOB_NOT_FOUND, `job ${id} does not exist`);
    return job;
  }

  /** Checks the lifecycle, writes with compare-and-set, and logs a `job.state` event. */
  async #transition(tx: StoreScope, job: JobRecord, next: JobRecord): Promise<void> {
    if (!isAllowed(job.state, next.state)) throw illegal(job, `a move to ${next.state}`);
    if (!(await tx.jobs.update(next, job.state))) throw new StaleJobError(job);
    if (next.state !== job.state) await this.#logState(tx, next, job.state);
  }

  async #logState(tx: StoreScope, job: JobRecord, from: JobState): Promise<void> {
    await this.#events?.inTransaction(tx).append({
      type: 'job.state', deviceId: job.deviceId, jobId: job.id, from, to: job.state, ...(job.status !== undefined ? { status: job.status } : {}),
    });
  }

  /** Mirrors a successful write into the tree cache (Add/Replace values, Delete subtrees). */
  async #cacheWrite(tx: StoreScope, deviceId: DeviceId, command: JobCommand, at: number): Promise<void> {
    if (command.kind === 'Add' || command.kind === 'Replace') {
      const source = command.kind === 'Add' ? 'add' : 'replace';
      await cacheNodes(tx, deviceId, command.items, { source, at });
    } else if (command.kind === 'Delete') {
      for (const uri of command.uris) await tx.tree.deleteSubtree(deviceId, uri);
    }
  }
}

const ALLOWED: Readonly<Record<JobState, readonly JobState[]>> = {
  queued: ['sent', 'cancelled', 'expired'],
  sent: ['sent', 'queued', 'status_received', 'results_received', 'done', 'failed'],
  status_received: ['status_received', 'done'],
  results_received: ['results_received', 'done', 'failed'],
  done: ['done'],
  failed: ['failed'],
  cancelled: [],
  expired: [],
};

/** True when the lifecycle allows moving from `from` to `to` (same-state updates record data). */
export function isAllowed(from: JobState, to: JobState): boolean {
  return ALLOWED[from].includes(to);
}

/** The stored job is no longer in the state the caller's copy says (compare-and-set failed). */
class StaleJobError extends StoreError {
  constructor(job: JobRecord) {
    super(ErrorCode.ERR_QUEUE_ILLEGAL_TRANSITION, `job ${job.id} changed concurrently (was ${job.state})`);
  }
}

function illegal(job: JobRecord, what: string): StoreError {
  return new StoreError(ErrorCode.ERR_QUEUE_ILLEGAL_TRANSITION, `job ${job.id} is ${job.state}: ${what} is not allowed`);
}
