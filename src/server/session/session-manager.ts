/**
 * Keeps the open DM sessions of this server process: finds a session by its RespURI token or by
 * (device, SessionID), takes over sessions a dead process left in the store, and closes sessions
 * (completed, aborted, expired) so that jobs sent without an answer go back to the queue.
 */
import type { BaseLogger } from 'pino';
import type { Encoding } from '../../core/codec/message-codec.js';
import type { CommandQueue } from '../queue/command-queue.js';
import { pooledRandomBytes } from '../random-pool.js';
import type { DeviceRegistry } from '../registry/device-registry.js';
import type { EventLog } from '../events/event-log.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import { sessionId, type Clock, type DeviceId, type SessionOutcome, type StoreScope } from '../store/store.js';
import { DmSession, type DmSessionInit } from './dm-session.js';

/** Options of {@link SessionManager}. */
export interface SessionManagerOptions {
  readonly store: StoreScope;
  readonly queue: CommandQueue;
  readonly registry: DeviceRegistry;
  readonly events: EventLog;
  readonly metrics: ServerMetrics;
  readonly clock: Clock;
  readonly logger: BaseLogger;
  /** Idle time after which a session is closed as `expired`. */
  readonly idleTimeoutMs: number;
  /** This server's node id (first part of every session id). */
  readonly nodeId: string;
  /** This process's owner id in the SessionStore. */
  readonly ownerId: string;
  readonly random?: (n: number) => Uint8Array;
}

/** The open sessions of this process. */
export class SessionManager {
  readonly #o: SessionManagerOptions;
  readonly #random: (n: number) => Uint8Array;
  readonly #byToken = new Map<string, DmSession>();
  readonly #byDevice = new Map<string, DmSession>();
  readonly #perDevice = new Map<string, Set<DmSession>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: SessionManagerOptions) {
    this.#o = options;
    this.#random = options.random ?? pooledRandomBytes;
    options.queue.onQueued((devices) => {
      for (const d of devices) for (const s of this.#perDevice.get(d) ?? []) s.queueMayHaveMore = true;
    });
  }

  /** Number of open sessions. */
  get size(): number {
    return this.#byToken.size;
  }

  /** Creates a session (phase `auth`) with a fresh id and RespURI token. */
  create(init: Omit<DmSessionInit, 'id' | 'token' | 'startedAt'>): DmSession {
    const token = Buffer.from(this.#random(16)).toString('base64url');
    const id = sessionId(`${this.#o.nodeId}-${Buffer.from(this.#random(12)).toString('hex')}`);
    const s = new DmSession({ ...init, id, token, startedAt: this.#o.clock.now() });
    this.#index(s);
    return s;
  }

  /** The open session with this RespURI token, taking it over from the store if a dead process owned it. */
  async findByToken(token: string, encoding: Encoding): Promise<DmSession | undefined> {
    const mine = this.#byToken.get(token);
    if (mine) return mine.phase === 'closed' ? undefined : mine;
    return this.#adopt(token, encoding);
  }

  /** The open session of a device with this SyncHdr SessionID (for clients that ignore RespURI). */
  findByDevice(deviceId: string, dmSessionId: string): DmSession | undefined {
    const s = this.#byDevice.get(deviceKey(deviceId, dmSessionId));
    return s && s.phase !== 'closed' ? s : undefined;
  }

  /** The other open sessions of the same device. */
  othersOf(s: DmSession): DmSession[] {
    return [...(this.#perDevice.get(s.deviceId) ?? [])].filter((o) => o !== s && o.phase !== 'closed');
  }

  /**
   * Closes a session: unanswered jobs go back to the queue, the row is removed, the end is logged
   * and recorded on the device. Pass `scope` to do it inside the caller's transaction.
   */
  async close(s: DmSession, outcome: SessionOutcome, opts: { scope?: StoreScope; detail?: string } = {}): Promise<void> {
    if (s.phase === 'closed') return;
    const wasPersisted = s.persisted;
    s.phase = 'closed';
    s.outcome = outcome;
    this.#forget(s);
    const work = async (tx: StoreScope): Promise<void> => {
      if (!wasPersisted) return; // never authenticated: no row, no sent jobs
      // Skipped when the session saw every job it sent reach a final state.
      const requeued = s.mayHaveUnansweredJobs() ? await this.#o.queue.inTransaction(tx).requeueUnanswered(s.id) : [];
      await tx.sessions.close(s.id);
      await this.#o.events.inTransaction(tx).append({ type: 'session.end', deviceId: s.deviceId, sessionId: s.id, outcome, ...(opts.detail ? { detail: opts.detail } : {}) });
      await tx.devices.recordSession(s.deviceId, { at: this.#o.clock.now(), outcome });
      if (requeued.length > 0) this.#o.logger.debug({ session: s.id, device: s.deviceId, requeued: requeued.length }, 'requeued unanswered jobs');
    };
    if (opts.scope) await work(opts.scope);
    else await this.#o.store.transaction(work);
    this.#o.metrics.sessionsTotal.inc({ outcome });
    this.#o.metrics.sessionDuration.observe((this.#o.clock.now() - s.startedAt) / 1000);
    this.#o.logger.debug({ session: s.id, device: s.deviceId, outcome, delivered: s.delivered }, 'session closed');
  }

  /** Closes idle sessions and recovers the ones a dead process left in the store. */
  async sweep(): Promise<void> {
    const now = this.#o.clock.now();
    for (const s of [...this.#byToken.values()]) {
      if (now - s.lastActivity < this.#o.idleTimeoutMs) continue;
      await s.run(async () => {
        if (s.phase !== 'closed' && this.#o.clock.now() - s.lastActivity >= this.#o.idleTimeoutMs) await this.close(s, 'expired', { detail: 'idle timeout' });
      }).catch((err: unknown) => this.#o.logger.error({ err, session: s.id }, 'closing an idle session failed'));
    }
    const { sessions, requeued } = await this.#o.queue.recoverOrphanedSessions({
      ownerId: this.#o.ownerId,
      // Another owner's session is still adoptable while it is not idle for too long.
      isOwnerAlive: (r) => now - r.lastMessageAt < this.#o.idleTimeoutMs,
    });
    for (const r of sessions) {
      await this.#o.events.append({ type: 'session.end', deviceId: r.deviceId, sessionId: r.id, outcome: 'expired', detail: 'owner process gone' });
      this.#o.metrics.sessionsTotal.inc({ outcome: 'expired' });
    }
    if (sessions.length > 0) this.#o.logger.info({ sessions: sessions.length, requeued: requeued.length }, 'recovered sessions left by a previous process');
  }

  /** Starts the periodic sweep (unref'd, so it never keeps the process alive). */
  start(intervalMs = Math.min(30_000, Math.max(250, Math.floor(this.#o.idleTimeoutMs / 4)))): void {
    this.stop();
    this.#timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.#o.logger.error({ err }, 'session sweep failed'));
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops the periodic sweep. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Every open session (for shutdown). */
  list(): DmSession[] {
    return [...this.#byToken.values()];
  }

  #index(s: DmSession): void {
    this.#byToken.set(s.token, s);
    this.#byDevice.set(deviceKey(s.deviceId, s.dmSessionId), s);
    let set = this.#perDevice.get(s.deviceId);
    if (!set) this.#perDevice.set(s.deviceId, (set = new Set()));
    set.add(s);
    this.#o.metrics.sessionsActive.inc();
  }

  #forget(s: DmSession): void {
    const set = this.#perDevice.get(s.deviceId);
    set?.delete(s);
    if (set?.size === 0) this.#perDevice.delete(s.deviceId);
    if (this.#byToken.get(s.token) === s) {
      this.#byToken.delete(s.token);
      this.#o.metrics.sessionsActive.dec();
    }
    const key = deviceKey(s.deviceId, s.dmSessionId);
    if (this.#byDevice.get(key) === s) this.#byDevice.delete(key);
  }

  /**
   * Rebuilds a session another process (now gone) opened: the device authenticated there, and the
   * unguessable token proves this message belongs to it. Statuses and Results are then matched to
   * the jobs that process sent, so a crash between packages loses no result.
   */
  async #adopt(token: string, encoding: Encoding): Promise<DmSession | undefined> {
    const row = await this.#o.store.sessions.findByToken(token);
    if (!row || this.#o.clock.now() - row.lastMessageAt >= this.#o.idleTimeoutMs) return undefined;
    const ctx = await this.#o.registry.getAuthContext(row.deviceId);
    if (!ctx) return undefined;
    const verDtd = ctx.device.protocolVersion ?? '1.2';
    const s = new DmSession({
      id: row.id, token, deviceId: row.deviceId, dmSessionId: row.dmSessionId, verDtd,
      verProto: verDtd === '1.1' ? 'DM/1.1' : 'DM/1.2', encoding: ctx.device.encoding ?? encoding, startedAt: row.startedAt,
    });
    s.phase = 'active';
    s.persisted = true;
    s.adopted = true;
    s.authType = ctx.client?.authType;
    s.clientNonce = ctx.clientNonce;
    s.server = ctx.server;
    s.serverNonce = ctx.serverNonce;
    s.serverMsgId = row.lastMsgId;
    s.lastActivity = this.#o.clock.now();
    for (const job of await this.#o.store.jobs.listBySession(row.id, ['sent'])) {
      if (job.msgId !== undefined && job.cmdId !== undefined) s.expectStatus(job.msgId, job.cmdId);
    }
    this.#index(s);
    this.#o.logger.info({ session: s.id, device: s.deviceId, previousOwner: row.ownerId }, 'took over a session left by a previous process');
    return s;
  }
}

function deviceKey(device: DeviceId | string, dmSessionId: string): string {
  return `${device}\u0000${dmSessionId}`;
}
