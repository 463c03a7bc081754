/**
 * One device's walk through a campaign (the per-device state machine of docs/reference/fumo.md):
 * start an attempt (queue Replace + Exec with a Correlator, wake), react to the Exec's Status,
 * to the Generic Alert 1226 and to the verification Get, fail into a retry or a final state.
 * Every step is a compare-and-set on the device row, and {@link CampaignRunner.reconcile} re-derives
 * a device's progress from the queue and the event log, so nothing is lost when an event was
 * missed (server restart) and nothing is applied twice.
 */
import { fumoResultMeaning, isFumoSuccess } from '../../core/constants/fumo.js';
import type { EventRecord, JobRecord } from '../store/store.js';
import { deviceId } from '../store/store.js';
import { failureClassOf, nextAttemptAt } from './campaign-policy.js';
import { execAccepted, firstStep, FIRMWARE_VERSION_URI, parseResultCode, pkgUrlFor, stepJobs, verifyJob } from './campaign-commands.js';
import type { CampaignContext } from './campaign-context.js';
import type { CampaignDeviceRecord, CampaignRecord, FailureClass, FumoStep } from './campaign-types.js';

const PRIORITY = 10;

/** The per-device state machine; every method must run inside the service's serial section. */
export class CampaignRunner {
  readonly #ctx: CampaignContext;
  #pkgData: { id: string; b64: string } | undefined;

  constructor(ctx: CampaignContext) {
    this.#ctx = ctx;
  }

  /** Starts the next attempt of a pending or retry_wait device. */
  async startAttempt(c: CampaignRecord, row: CampaignDeviceRecord): Promise<void> {
    const now = this.#ctx.clock.now();
    const { resultCode: _r, failureClass: _f, detail: _d, nextAttemptAt: _n, ...rest } = row;
    const next: CampaignDeviceRecord = {
      ...rest, state: 'sending', attempt: row.attempt + 1, step: firstStep(c.flow), correlator: this.#correlator(), wakes: 0,
      startedAt: row.startedAt ?? now, deadlineAt: now + c.deviceTimeoutMs, updatedAt: now,
    };
    if (!(await this.#ctx.transition(row, next))) return;
    await this.#enqueueStep(c, next);
    await this.#wake(next);
  }

  /** A job of a campaign device changed state. */
  async onJob(c: CampaignRecord, row: CampaignDeviceRecord, job: JobRecord, role: 'setup' | 'exec' | 'verify'): Promise<void> {
    if (role === 'exec' && row.state === 'sending' && job.correlator === row.correlator) {
      if (job.state === 'done' && execAccepted(job.status)) {
        await this.#ctx.transition(row, { ...row, state: 'executing', detail: `Exec accepted (${job.status})`, updatedAt: this.#ctx.clock.now() });
      } else if (job.state === 'failed') {
        await this.fail(c, row, { cls: 'exec', detail: `${row.step ?? 'Exec'} answered ${job.status ?? '?'}${await this.#setupDetail(row)}` });
      }
    } else if (role === 'verify' && row.state === 'verifying') {
      if (job.state === 'done') await this.#verified(c, row, job);
      else if (job.state === 'failed') await this.fail(c, row, { cls: 'verify', resultCode: row.resultCode, detail: `Get ${FIRMWARE_VERSION_URI} answered ${job.status ?? '?'}` });
    }
  }

  /** A Generic Alert 1226 reported the outcome of the device's current Exec. */
  async onResult(c: CampaignRecord, row: CampaignDeviceRecord, data: string | undefined): Promise<void> {
    if (row.state !== 'sending' && row.state !== 'executing') return;
    const code = parseResultCode(data);
    const now = this.#ctx.clock.now();
    if (!isFumoSuccess(code)) {
      await this.fail(c, row, { cls: failureClassOf(code), resultCode: code, detail: fumoResultMeaning(code) });
      return;
    }
    if (c.flow === 'download-then-update' && row.step === 'Download') {
      const next: CampaignDeviceRecord = { ...row, state: 'sending', step: 'Update', correlator: this.#correlator(), resultCode: code, detail: 'Download complete', updatedAt: now };
      if (await this.#ctx.transition(row, next)) await this.#enqueueStep(c, next);
      return;
    }
    const next: CampaignDeviceRecord = { ...row, state: 'verifying', resultCode: code, detail: fumoResultMeaning(code), updatedAt: now };
    if (!(await this.#ctx.transition(row, next))) return;
    const [job] = await this.#ctx.enqueue(deviceId(row.deviceId), [{ command: verifyJob(), priority: PRIORITY, expiresAt: next.deadlineAt }]);
    if (job) await this.#ctx.store.linkJob({ jobId: job.id, campaignId: c.id, deviceId: row.deviceId, role: 'verify', attempt: row.attempt });
  }

  /** A session of the device ended: wake it again when its commands are still waiting. */
  async onSessionEnd(row: CampaignDeviceRecord): Promise<void> {
    if (row.state !== 'sending' && row.state !== 'verifying') return;
    const job = await this.#currentJob(row);
    if (job?.state === 'queued') await this.#wake(row);
  }

  /** Fails the current attempt into retry_wait, failed or timed_out, and cancels its queued jobs. */
  async fail(c: CampaignRecord, row: CampaignDeviceRecord, f: { cls: FailureClass; resultCode?: number | undefined; detail: string }): Promise<void> {
    const now = this.#ctx.clock.now();
    const retryAt = c.state === 'cancelled' ? undefined : nextAttemptAt(c.retry, { cls: f.cls, attempt: row.attempt, now });
    const state = retryAt !== undefined ? 'retry_wait' : f.cls === 'timeout' ? 'timed_out' : 'failed';
    const { resultCode: _r, nextAttemptAt: _n, deadlineAt: _d, ...rest } = row;
    const next: CampaignDeviceRecord = {
      ...rest, state, failureClass: f.cls, detail: f.detail, updatedAt: now,
      ...(f.resultCode !== undefined ? { resultCode: f.resultCode } : {}),
      ...(retryAt !== undefined ? { nextAttemptAt: retryAt } : { finishedAt: now }),
    };
    if (await this.#ctx.transition(row, next)) await this.cancelQueued(row);
  }

  /** Cancels the attempt's jobs that were not sent yet (they may already be gone: ignored). */
  async cancelQueued(row: CampaignDeviceRecord): Promise<number> {
    let n = 0;
    for (const link of await this.#ctx.store.listJobs(row.campaignId, row.deviceId, row.attempt)) {
      const job = await this.#ctx.queue.get(link.jobId as JobRecord['id']);
      if (job?.state !== 'queued') continue;
      try {
        await this.#ctx.queue.cancel(job.id, 'campaign step ended');
        n++;
      } catch {
        // Sent meanwhile: its Status will be ignored (the attempt is over).
      }
    }
    return n;
  }

  /** True when none of the attempt's jobs reached the device (all cancelled or expired). */
  async allJobsWithdrawn(row: CampaignDeviceRecord): Promise<boolean> {
    for (const link of await this.#ctx.store.listJobs(row.campaignId, row.deviceId, row.attempt)) {
      const job = await this.#ctx.queue.get(link.jobId as JobRecord['id']);
      if (job && job.state !== 'cancelled' && job.state !== 'expired') return false;
    }
    return true;
  }

  /**
   * Re-derives an in-flight device's progress from the queue and the event log (after a restart,
   * or before timing it out): queues the step again if the process died before queuing it, then
   * applies a finished Exec, a received 1226 and a finished verification. Returns the fresh row.
   */
  async reconcile(c: CampaignRecord, row: CampaignDeviceRecord): Promise<CampaignDeviceRecord | undefined> {
    if (row.state === 'sending' || row.state === 'executing') {
      let job = await this.#currentJob(row);
      if (job === undefined && row.state === 'sending') {
        job = await this.#ctx.queue.matchAlertToJob(deviceId(row.deviceId), row.correlator ?? '');
        if (job) await this.#linkFound(row, job);
        else await this.#enqueueStep(c, row);
      }
      if (job) await this.onJob(c, row, job, 'exec');
      const alert = await this.#findResult(await this.#fresh(row));
      const current = await this.#fresh(row);
      if (alert && current) await this.onResult(c, current, alert.items[0]?.data);
    }
    const current = await this.#fresh(row);
    if (current?.state === 'verifying') {
      const job = await this.#currentJob(current);
      if (job) await this.onJob(c, current, job, 'verify');
    }
    return this.#fresh(row);
  }

  async #verified(c: CampaignRecord, row: CampaignDeviceRecord, job: JobRecord): Promise<void> {
    const item = job.results.find((i) => i.uri.replace(/^\.\//, '') === FIRMWARE_VERSION_URI.slice(2));
    const fwV = item?.data;
    const now = this.#ctx.clock.now();
    if (fwV === c.targetVersion) {
      const { deadlineAt: _d, ...rest } = row;
      await this.#ctx.transition(row, { ...rest, state: 'succeeded', fwAfter: fwV, detail: `${row.detail ?? 'Successful'}; FwV ${fwV}`, updatedAt: now, finishedAt: now });
      return;
    }
    await this.fail(c, { ...row, ...(fwV !== undefined ? { fwAfter: fwV } : {}) }, {
      cls: 'verify', resultCode: row.resultCode, detail: `device reported success but FwV is ${fwV === undefined ? 'missing' : `"${fwV}"`}, expected "${c.targetVersion}"`,
    });
  }

  async #enqueueStep(c: CampaignRecord, row: CampaignDeviceRecord): Promise<void> {
    const step: FumoStep = row.step ?? firstStep(c.flow);
    const pkg = await this.#ctx.firmware.require(c.packageId);
    const payload = c.flow === 'update-in-session'
      ? { pkgData: await this.#packageBase64(pkg) }
      : { pkgUrl: pkgUrlFor(pkg, { publicUrl: this.#ctx.publicUrl(), useDescriptor: c.useDescriptor }) };
    const jobs = stepJobs(c, { step, ...payload });
    const common = { priority: PRIORITY, ...(row.deadlineAt !== undefined ? { expiresAt: row.deadlineAt } : {}) };
    const created = await this.#ctx.enqueue(deviceId(row.deviceId), [
      ...(jobs.setup ? [{ ...common, command: jobs.setup, correlator: `${row.correlator ?? ''}.setup` }] : []),
      { ...common, command: jobs.exec, correlator: row.correlator ?? '' },
    ]);
    const roles = jobs.setup ? (['setup', 'exec'] as const) : (['exec'] as const);
    for (const [i, job] of created.entries()) {
      await this.#ctx.store.linkJob({ jobId: job.id, campaignId: c.id, deviceId: row.deviceId, role: roles[i] ?? 'exec', attempt: row.attempt });
    }
  }

  async #packageBase64(pkg: { id: string } & Parameters<CampaignContext['firmware']['readAll']>[0]): Promise<string> {
    if (this.#pkgData?.id !== pkg.id) this.#pkgData = { id: pkg.id, b64: Buffer.from(await this.#ctx.firmware.readAll(pkg)).toString('base64') };
    return this.#pkgData.b64;
  }

  /** Sends a Package 0 unless the attempt's wake budget is spent; the count is persisted first. */
  async #wake(row: CampaignDeviceRecord): Promise<void> {
    if (this.#ctx.notifier === undefined || row.wakes >= this.#ctx.maxWakesPerAttempt) return;
    const next = { ...row, wakes: row.wakes + 1, updatedAt: this.#ctx.clock.now() };
    if (!(await this.#ctx.transition(row, next, { quiet: true }))) return;
    const notifier = this.#ctx.notifier;
    this.#ctx.background(notifier.wake(deviceId(row.deviceId)).catch((err: unknown) => {
      this.#ctx.log.debug(`campaign ${row.campaignId}: wake of ${row.deviceId} failed: ${(err as Error).message}`);
    }));
  }

  /** The job the device is waiting on: the current Exec (sending/executing) or the verification Get. */
  async #currentJob(row: CampaignDeviceRecord): Promise<JobRecord | undefined> {
    const links = await this.#ctx.store.listJobs(row.campaignId, row.deviceId, row.attempt);
    const role = row.state === 'verifying' ? 'verify' : 'exec';
    for (const link of [...links].reverse()) {
      if (link.role !== role) continue;
      const job = await this.#ctx.queue.get(link.jobId as JobRecord['id']);
      if (job && (role === 'verify' || job.correlator === row.correlator)) return job;
    }
    return undefined;
  }

  async #linkFound(row: CampaignDeviceRecord, exec: JobRecord): Promise<void> {
    const setup = await this.#ctx.queue.matchAlertToJob(deviceId(row.deviceId), `${row.correlator ?? ''}.setup`);
    const base = { campaignId: row.campaignId, deviceId: row.deviceId, attempt: row.attempt };
    if (setup) await this.#ctx.store.linkJob({ ...base, jobId: setup.id, role: 'setup' });
    await this.#ctx.store.linkJob({ ...base, jobId: exec.id, role: 'exec' });
  }

  /** The 1226 carrying the row's correlator, if the event log has one. */
  async #findResult(row: CampaignDeviceRecord | undefined): Promise<EventRecord & { type: 'alert' } | undefined> {
    if (!row || row.correlator === undefined || (row.state !== 'sending' && row.state !== 'executing')) return undefined;
    const page = await this.#ctx.events.list({ deviceId: deviceId(row.deviceId), type: 'alert', order: 'desc', limit: 50, ...(row.startedAt !== undefined ? { since: row.startedAt } : {}) });
    return page.items.find((e): e is EventRecord & { type: 'alert' } => e.type === 'alert' && e.code === 1226 && e.correlator === row.correlator);
  }

  async #setupDetail(row: CampaignDeviceRecord): Promise<string> {
    for (const link of await this.#ctx.store.listJobs(row.campaignId, row.deviceId, row.attempt)) {
      if (link.role !== 'setup') continue;
      const job = await this.#ctx.queue.get(link.jobId as JobRecord['id']);
      if (job?.state === 'failed') return ` (its Replace answered ${job.status ?? '?'})`;
    }
    return '';
  }

  #fresh(row: CampaignDeviceRecord): Promise<CampaignDeviceRecord | undefined> {
    return this.#ctx.store.getDevice(row.campaignId, row.deviceId);
  }

  #correlator(): string {
    return `fumo-${Buffer.from(this.#ctx.random(9)).toString('base64url')}`;
  }
}
