/**
 * Firmware update campaigns (docs/guides/running-a-fumo-campaign.md): selection, waves, a cap on
 * devices in flight, a pause when a wave's failure rate passes a threshold, retries per failure
 * class, time-outs, pause / resume / cancel. Reacts to the event log (Exec Status → job.state,
 * Generic Alert 1226 → alert, session.end) and to time (a ticker on an injected clock). All
 * decisions run one at a time in a serial section, and every device's position is in the
 * {@link CampaignStore}, so a restart resumes each device where it was ({@link CampaignService.open}).
 *
 * DM events of devices with no attempt in flight are dropped without a lookup ({@link InFlightDevices},
 * loaded at open and kept by this service's own device writes). This assumes one process runs the
 * campaigns of a FUMO database (DM events are delivered in-process anyway): a device another
 * process put in flight is unknown here, and is settled by that process's deadline reconciliation.
 */
import { randomBytes } from 'node:crypto';
import { DmError, ErrorCode } from '../../core/errors.js';
import type { EventLog } from '../events/event-log.js';
import type { FirmwareRepository } from '../firmware/firmware-repository.js';
import type { CommandQueue } from '../queue/command-queue.js';
import type { Clock, EventRecord, JobId, JobRecord, Page, PageQuery, StoreScope } from '../store/store.js';
import { systemClock } from '../store/store.js';
import type { CampaignContext, CampaignJobRequest, CampaignLogger, DeviceWaker } from './campaign-context.js';
import { silentCampaignLogger } from './campaign-context.js';
import { fumoPackageUri } from './campaign-commands.js';
import { checkCampaignInput, type CreateCampaignInput } from './campaign-input.js';
import { CampaignRunner } from './campaign-runner.js';
import { type DeviceSource, selectDevices, waveSizeOf } from './campaign-selection.js';
import { type CampaignStatus, buildStatus } from './campaign-status.js';
import type { CampaignDeviceQuery, CampaignStore } from './campaign-store.js';
import {
  type CampaignDeviceRecord, type CampaignEvent, type CampaignEventRecord, type CampaignId, type CampaignRecord, type CampaignState,
  IN_FLIGHT_DEVICE_STATES, campaignId,
} from './campaign-types.js';
import { CampaignWaves } from './campaign-waves.js';
import { InFlightDevices } from './in-flight-devices.js';

/** Options of {@link CampaignService}. */
export interface CampaignServiceOptions {
  readonly campaigns: CampaignStore;
  /** Packages; the service installs itself as the repository's in-use check (no deleting a package a live campaign uses). */
  readonly firmware: FirmwareRepository;
  /** Device reads for selection (the core store's `devices`). */
  readonly devices: DeviceSource;
  /** The core store (jobs are queued in its transactions). */
  readonly store: StoreScope;
  readonly queue: CommandQueue;
  readonly events: EventLog;
  /** Wakes devices with Package 0 (the NotificationService); without it devices are only reached when they check in. */
  readonly notifier?: DeviceWaker;
  /** Base URL devices download packages from (the server's public URL). */
  readonly publicUrl: string | (() => string);
  readonly clock?: Clock;
  readonly random?: (n: number) => Uint8Array;
  /** Ticker period, ms (default 1000); 0 disables the ticker (tests call {@link CampaignService.tick}). */
  readonly tickIntervalMs?: number;
  /** Package 0 triggers per device attempt (default 3). */
  readonly maxWakesPerAttempt?: number;
  readonly log?: CampaignLogger;
}

/** Receives campaign events as they happen. */
export type CampaignListener = (event: CampaignEventRecord) => void;

/** The campaign service. */
export class CampaignService {
  readonly #o: CampaignServiceOptions;
  readonly #store: CampaignStore;
  readonly #clock: Clock;
  readonly #random: (n: number) => Uint8Array;
  readonly #log: CampaignLogger;
  readonly #ctx: CampaignContext;
  readonly #runner: CampaignRunner;
  readonly #waves: CampaignWaves;
  readonly #cache = new Map<string, CampaignRecord>();
  readonly #listeners = new Set<{ listener: CampaignListener; campaignId?: string }>();
  readonly #pending = new Set<Promise<unknown>>();
  readonly #kicked = new Set<string>();
  readonly #inFlight = new InFlightDevices();
  #tail: Promise<unknown> = Promise.resolve();
  #unsubscribe: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: CampaignServiceOptions) {
    this.#o = options;
    this.#store = options.campaigns;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? ((n) => new Uint8Array(randomBytes(n)));
    this.#log = options.log ?? silentCampaignLogger;
    const publicUrl = options.publicUrl;
    this.#ctx = {
      store: this.#store, queue: options.queue, events: options.events, firmware: options.firmware, notifier: options.notifier,
      clock: this.#clock, random: this.#random, publicUrl: typeof publicUrl === 'string' ? () => publicUrl : publicUrl,
      maxWakesPerAttempt: options.maxWakesPerAttempt ?? 3, log: this.#log,
      transition: (row, next, opts) => this.#transition(row, next, opts?.quiet === true),
      enqueue: (id, jobs) => this.#enqueue(id, jobs),
      background: (task) => this.#track(task),
    };
    this.#runner = new CampaignRunner(this.#ctx);
    this.#waves = new CampaignWaves({
      store: this.#store, clock: this.#clock, runner: this.#runner,
      save: (prev, next, event) => this.#saveCampaign(prev, next, event),
      emit: (event) => this.#append(event),
      transition: (row, next) => this.#transition(row, next, false),
    });
    options.firmware.setInUseCheck((id) => this.#store.packageInUse(id));
  }

  /** Subscribes to the event log, resumes every device from its stored position, and starts the ticker. */
  async open(): Promise<void> {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.#o.events.subscribe((e) => this.#onDmEvent(e), { types: ['alert', 'job.state', 'session.end'] });
    await this.#serial(async () => {
      await this.#loadInFlight();
      await this.#recover();
    });
    const period = this.#o.tickIntervalMs ?? 1000;
    if (period > 0) {
      this.#timer = setInterval(() => void this.tick().catch((err: unknown) => this.#log.warn(`campaign tick failed: ${(err as Error).message}`)), period);
      this.#timer.unref();
    }
  }

  /** Stops the ticker and the subscription, and waits for work in progress. */
  async close(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.whenIdle();
  }

  /** Creates a draft campaign: checks the settings, selects the devices and assigns the waves. */
  async create(input: CreateCampaignInput): Promise<CampaignRecord> {
    const pkg = await this.#o.firmware.get(input.packageId);
    if (!pkg) throw new DmError(ErrorCode.ERR_CAMPAIGN_INVALID, `firmware package ${input.packageId} does not exist`);
    const checked = checkCampaignInput(input, pkg);
    const selected = await selectDevices(this.#o.devices, { selection: checked.selection, pkg });
    if (selected.devices.length === 0) throw new DmError(ErrorCode.ERR_CAMPAIGN_INVALID, 'the selection matches no device that needs this package');
    const size = waveSizeOf(checked.rollout, selected.devices.length);
    const now = this.#clock.now();
    const campaign: CampaignRecord = {
      id: campaignId(`cmp-${Buffer.from(this.#random(6)).toString('hex')}`), ...checked, packageId: pkg.id, targetVersion: pkg.version,
      state: 'draft', currentWave: 0, waveCount: Math.ceil(selected.devices.length / size), acceptedWave: -1,
      excluded: selected.excluded, createdAt: now, updatedAt: now,
    };
    const devices: CampaignDeviceRecord[] = selected.devices.map((d, seq) => ({
      campaignId: campaign.id, deviceId: d.id, seq, wave: Math.floor(seq / size), state: 'pending', attempt: 0, wakes: 0, updatedAt: now,
      ...(d.fwV !== undefined ? { fwBefore: d.fwV } : {}),
    }));
    await this.#serial(async () => {
      await this.#store.create(campaign, devices);
      this.#cache.set(campaign.id, campaign);
      await this.#append({ type: 'campaign.state', campaignId: campaign.id, from: 'draft', to: 'draft', reason: `created with ${devices.length} devices` });
    });
    return campaign;
  }

  /** One campaign, or `undefined`. */
  async get(id: string): Promise<CampaignRecord | undefined> {
    return this.#store.get(campaignId(id));
  }

  /** One campaign; throws `ERR_CAMPAIGN_NOT_FOUND`. */
  async require(id: string): Promise<CampaignRecord> {
    const c = await this.get(id);
    if (!c) throw new DmError(ErrorCode.ERR_CAMPAIGN_NOT_FOUND, `campaign ${id} does not exist`);
    return c;
  }

  /** Campaigns, paginated. */
  list(query: PageQuery & { readonly states?: readonly CampaignState[] } = {}): Promise<Page<CampaignRecord>> {
    return this.#store.list(query);
  }

  /** Progress: counts by state, result code (with meanings) and wave. */
  async status(id: string): Promise<CampaignStatus> {
    const c = await this.require(id);
    return buildStatus(c, await this.#store.counts(c.id));
  }

  /** A campaign's devices. */
  async devices(id: string, query: CampaignDeviceQuery = {}): Promise<Page<CampaignDeviceRecord>> {
    const c = await this.require(id);
    return this.#store.listDevices(c.id, query);
  }

  /** A campaign's events after `after`. */
  async events(id: string, query: { readonly after?: number; readonly limit?: number } = {}): Promise<CampaignEventRecord[]> {
    const c = await this.require(id);
    return this.#store.listEvents(c.id, query);
  }

  /** Starts a draft campaign (a paused one is resumed). */
  start(id: string): Promise<CampaignRecord> {
    return this.#command(id, ['draft', 'paused'], (c) => ({ ...c, state: 'running', startedAt: c.startedAt ?? this.#clock.now(), ...this.#accept(c) }));
  }

  /** Pauses a running campaign: no new device starts; devices in flight finish. */
  pause(id: string, reason = 'paused by operator'): Promise<CampaignRecord> {
    return this.#command(id, ['running'], (c) => ({ ...c, state: 'paused', pauseReason: reason }));
  }

  /** Resumes a paused campaign; a wave that tripped the failure threshold is accepted. */
  resume(id: string): Promise<CampaignRecord> {
    return this.#command(id, ['paused'], (c) => ({ ...c, state: 'running', ...this.#accept(c) }));
  }

  /**
   * Cancels a campaign: pending and waiting devices, and devices whose commands were not sent
   * yet, are cancelled; devices already updating finish and their results are recorded.
   */
  cancel(id: string): Promise<CampaignRecord> {
    return this.#command(id, ['draft', 'running', 'paused'], (c) => ({ ...c, state: 'cancelled', finishedAt: this.#clock.now() }));
  }

  /** Handles due retries and time-outs, and moves the waves on (the ticker calls it). */
  tick(): Promise<void> {
    return this.#serial(async () => {
      const now = this.#clock.now();
      for (const c of await this.#live()) {
        // A cancelled campaign only has time-outs left; after one device time-out past the cancel there are none.
        if (c.state === 'cancelled' && now > (c.finishedAt ?? now) + c.deviceTimeoutMs + 60_000) continue;
        await this.#waves.tick(c);
      }
    });
  }

  /** Resolves when no event, tick or wake is being processed. */
  async whenIdle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Calls `listener` for each campaign event (of one campaign, when given); returns the unsubscribe function. */
  subscribe(listener: CampaignListener, filter: { readonly campaignId?: string } = {}): () => void {
    const entry = { listener, ...(filter.campaignId !== undefined ? { campaignId: filter.campaignId } : {}) };
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  // ---- internals ----

  #accept(c: CampaignRecord): Partial<CampaignRecord> {
    // Resuming after the failure brake accepts the current wave's failure rate.
    return c.state === 'paused' ? { acceptedWave: c.currentWave } : {};
  }

  async #command(id: string, from: readonly CampaignState[], change: (c: CampaignRecord) => CampaignRecord): Promise<CampaignRecord> {
    const result = await this.#serial(async () => {
      const c = await this.require(id);
      if (!from.includes(c.state)) throw new DmError(ErrorCode.ERR_CAMPAIGN_ILLEGAL_STATE, `campaign ${id} is ${c.state}`);
      const next = { ...change(c), updatedAt: this.#clock.now() };
      if (next.state !== 'paused') delete (next as { pauseReason?: string }).pauseReason;
      await this.#saveCampaign(c, next, { type: 'campaign.state', campaignId: c.id, from: c.state, to: next.state, ...(next.pauseReason ? { reason: next.pauseReason } : {}) });
      if (c.state === 'draft' && next.state === 'running') await this.#append({ type: 'campaign.wave', campaignId: c.id, wave: 0, phase: 'started' });
      if (next.state === 'cancelled') await this.#waves.cancelDevices(next);
      return next;
    });
    this.#kick(result.id);
    return result;
  }

  async #saveCampaign(prev: CampaignRecord, next: CampaignRecord, event: CampaignEvent): Promise<void> {
    if (!(await this.#store.update(next, prev.state))) throw new DmError(ErrorCode.ERR_CAMPAIGN_ILLEGAL_STATE, `campaign ${prev.id} changed concurrently`);
    this.#cache.set(next.id, next);
    await this.#append(event);
  }

  async #campaign(id: string): Promise<CampaignRecord | undefined> {
    const hit = this.#cache.get(id);
    if (hit) return hit;
    const c = await this.#store.get(campaignId(id));
    if (c) this.#cache.set(id, c);
    return c;
  }

  async #transition(row: CampaignDeviceRecord, next: CampaignDeviceRecord, quiet: boolean): Promise<boolean> {
    const wasInFlight = IN_FLIGHT_DEVICE_STATES.includes(row.state);
    const inFlight = IN_FLIGHT_DEVICE_STATES.includes(next.state);
    // Counted before the write, so an event of the new attempt is never dropped; a write that
    // throws keeps the count (harmless: only a lookup more).
    if (inFlight && !wasInFlight) this.#inFlight.add(row.deviceId);
    const written = await this.#store.updateDevice(next, row.state);
    if (written ? wasInFlight && !inFlight : inFlight && !wasInFlight) this.#inFlight.release(row.deviceId);
    if (!written) return false;
    if (quiet || next.state === row.state) return true;
    await this.#append({
      type: 'device.state', campaignId: row.campaignId, deviceId: row.deviceId, from: row.state, to: next.state, attempt: next.attempt,
      ...(next.resultCode !== undefined ? { resultCode: next.resultCode } : {}), ...(next.detail !== undefined ? { detail: next.detail } : {}),
    });
    if (wasInFlight && !inFlight) this.#kick(row.campaignId);
    return true;
  }

  async #enqueue(id: JobRecord['deviceId'], jobs: readonly CampaignJobRequest[]): Promise<JobRecord[]> {
    return this.#o.store.transaction(async (tx) => {
      const q = this.#o.queue.inTransaction(tx);
      const out: JobRecord[] = [];
      for (const j of jobs) {
        out.push(await q.enqueue(id, j.command, {
          priority: j.priority, ...(j.correlator !== undefined ? { correlator: j.correlator } : {}), ...(j.expiresAt !== undefined ? { expiresAt: j.expiresAt } : {}),
        }));
      }
      return out;
    });
  }

  async #append(event: CampaignEvent): Promise<void> {
    const record = await this.#store.appendEvent(event, this.#clock.now());
    for (const { listener, campaignId: only } of this.#listeners) {
      if (only !== undefined && only !== record.campaignId) continue;
      try {
        listener(record);
      } catch (err) {
        this.#log.warn(`campaign listener failed: ${(err as Error).message}`);
      }
    }
  }

  #onDmEvent(e: EventRecord): void {
    if (e.type === 'job.state' && e.to !== 'done' && e.to !== 'failed') return;
    if (e.type === 'alert' && e.code !== 1226) return;
    // Every event below only moves a device whose attempt is in flight (job of the attempt, its
    // 1226, a session end while its commands wait): anything else costs no lookup.
    if (!this.#inFlight.mayHave(e.deviceId)) return;
    void this.#serial(() => this.#handleDmEvent(e)).catch((err: unknown) => this.#log.warn(`campaign event ${e.type} failed: ${(err as Error).message}`));
  }

  async #handleDmEvent(e: EventRecord): Promise<void> {
    if (e.type === 'job.state') {
      const link = await this.#store.findJob(e.jobId);
      if (!link) return;
      const [row, c, job] = await Promise.all([this.#store.getDevice(link.campaignId, link.deviceId), this.#campaign(link.campaignId), this.#o.queue.get(e.jobId as JobId)]);
      if (row && c && job && row.attempt === link.attempt) await this.#runner.onJob(c, row, job, link.role);
    } else if (e.type === 'alert') {
      const item = e.items[0];
      const rows = e.correlator !== undefined
        ? [await this.#store.findByCorrelator(e.correlator)]
        : await this.#store.findActiveByDevice(e.deviceId);
      for (const row of rows) {
        if (!row || row.deviceId !== e.deviceId) continue;
        const c = await this.#campaign(row.campaignId);
        if (!c) continue;
        // Without a Correlator the alert is matched by its Source: the campaign's FUMO node.
        if (e.correlator === undefined && !(item?.source ?? '').startsWith(fumoPackageUri(c))) continue;
        await this.#runner.onResult(c, row, item?.data);
      }
    } else if (e.type === 'session.end') {
      for (const row of await this.#store.findActiveByDevice(e.deviceId)) await this.#runner.onSessionEnd(row);
    }
  }

  /** Counts the in-flight device rows of every campaign that may have any. */
  async #loadInFlight(): Promise<void> {
    const ids: string[] = [];
    for (const c of await this.#live()) {
      for (const state of IN_FLIGHT_DEVICE_STATES) {
        let cursor: string | undefined;
        do {
          const rows = await this.#store.listDevices(c.id, { state, limit: 1000, ...(cursor !== undefined ? { cursor } : {}) });
          for (const row of rows.items) ids.push(row.deviceId);
          cursor = rows.nextCursor;
        } while (cursor !== undefined);
      }
    }
    this.#inFlight.load(ids);
  }

  async #recover(): Promise<void> {
    for (const c of await this.#live()) {
      this.#cache.set(c.id, c);
      for (const state of IN_FLIGHT_DEVICE_STATES) {
        let cursor: string | undefined;
        do {
          const rows = await this.#store.listDevices(c.id, { state, limit: 500, ...(cursor !== undefined ? { cursor } : {}) });
          for (const row of rows.items) {
            // Commands the dead process queued (or the session sweep requeued) need a new trigger.
            const fresh = await this.#runner.reconcile(c, row);
            if (fresh) await this.#runner.onSessionEnd(fresh);
          }
          cursor = rows.nextCursor;
        } while (cursor !== undefined);
      }
      if (c.state === 'running') this.#kick(c.id);
    }
  }

  /** Every campaign that may still have devices in flight. */
  async #live(): Promise<CampaignRecord[]> {
    const out: CampaignRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#store.list({ states: ['running', 'paused', 'cancelled'], limit: 1000, ...(cursor !== undefined ? { cursor } : {}) });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return out;
  }

  /** Schedules a fill / wave check of a campaign (coalesced). */
  #kick(id: string): void {
    if (this.#kicked.has(id)) return;
    this.#kicked.add(id);
    this.#track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#serial(async () => {
      this.#kicked.delete(id);
      const c = await this.#campaign(id);
      if (c) await this.#waves.advance(c);
    })).catch((err: unknown) => this.#log.warn(`campaign ${id}: ${(err as Error).message}`)));
  }

  /** Runs `fn` after every earlier serial task (events, ticks, commands are never interleaved). */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(fn);
    this.#tail = run.catch(() => undefined);
    this.#track(run);
    return run;
  }

  #track(task: Promise<unknown>): void {
    const p = task.catch(() => undefined);
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }
}
