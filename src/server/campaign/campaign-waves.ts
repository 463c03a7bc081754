/**
 * Campaign-level scheduling: fills free in-flight slots from the current wave, starts due retries,
 * times out silent devices, applies the failure-rate brake, moves to the next wave and completes
 * the campaign. Runs inside the service's serial section.
 */
import type { CampaignRunner } from './campaign-runner.js';
import type { CampaignStore } from './campaign-store.js';
import type { CampaignDeviceRecord, CampaignEvent, CampaignRecord } from './campaign-types.js';
import type { Clock } from '../store/store.js';

/** Dependencies of {@link CampaignWaves}. */
export interface CampaignWavesOptions {
  readonly store: CampaignStore;
  readonly clock: Clock;
  readonly runner: CampaignRunner;
  /** Writes a campaign (compare-and-set on its state) and logs the event. */
  readonly save: (prev: CampaignRecord, next: CampaignRecord, event: CampaignEvent) => Promise<void>;
  /** Logs an event. */
  readonly emit: (event: CampaignEvent) => Promise<void>;
  /** Writes a device row (compare-and-set on its state) and logs the move. */
  readonly transition: (row: CampaignDeviceRecord, next: CampaignDeviceRecord) => Promise<boolean>;
}

const DUE_BATCH = 1000;

/** Waves, slots, retries and time-outs of campaigns. */
export class CampaignWaves {
  readonly #o: CampaignWavesOptions;

  constructor(options: CampaignWavesOptions) {
    this.#o = options;
  }

  /** Due retries and time-outs of one campaign, then {@link advance}. */
  async tick(campaign: CampaignRecord): Promise<void> {
    const { store, runner, clock } = this.#o;
    const now = clock.now();
    let free = campaign.rollout.maxInFlight - (await store.countInFlight(campaign.id));
    for (const row of await store.listDue(campaign.id, now, DUE_BATCH)) {
      if (row.state === 'retry_wait') {
        if (campaign.state !== 'running' || free <= 0) continue;
        await runner.startAttempt(campaign, row);
        free--;
        continue;
      }
      // An attempt past its deadline: look once more at the queue and the event log (a missed
      // event must not become a time-out), then give up on it.
      const fresh = await runner.reconcile(campaign, row);
      if (fresh && fresh.state === row.state && fresh.attempt === row.attempt && (fresh.deadlineAt ?? Infinity) <= now) {
        await runner.fail(campaign, fresh, { cls: 'timeout', detail: `no answer within ${Math.round(campaign.deviceTimeoutMs / 1000)} s (${fresh.state})` });
      }
    }
    await this.advance(campaign);
  }

  /** Fills free slots, checks the failure brake, completes waves and the campaign. */
  async advance(stale: CampaignRecord): Promise<void> {
    const { store } = this.#o;
    for (let guard = 0; guard <= stale.waveCount + 1; guard++) {
      const c = await store.get(stale.id);
      if (!c || c.state !== 'running') return;
      if (c.currentWave >= c.waveCount) {
        await this.#o.save(c, { ...c, state: 'completed', finishedAt: this.#o.clock.now(), updatedAt: this.#o.clock.now() },
          { type: 'campaign.state', campaignId: c.id, from: c.state, to: 'completed' });
        return;
      }
      await this.#fill(c);
      const wave = (await store.counts(c.id)).byWave.find((w) => w.wave === c.currentWave);
      const threshold = c.rollout.failureThreshold;
      if (wave && threshold !== undefined && c.acceptedWave < c.currentWave && wave.failed > threshold * wave.total) {
        // Failures only grow, so the wave's rate is certain to pass the threshold: brake now.
        const reason = `wave ${c.currentWave + 1}: ${wave.failed} of ${wave.total} devices failed (${pct(wave.failed / wave.total)}), above the ${pct(threshold)} threshold`;
        await this.#o.save(c, { ...c, state: 'paused', pauseReason: reason, updatedAt: this.#o.clock.now() },
          { type: 'campaign.state', campaignId: c.id, from: c.state, to: 'paused', reason });
        return;
      }
      if ((await store.countUnfinished(c.id, c.currentWave)) > 0) return;
      const next = { ...c, currentWave: c.currentWave + 1, updatedAt: this.#o.clock.now() };
      await this.#o.save(c, next, {
        type: 'campaign.wave', campaignId: c.id, wave: c.currentWave, phase: 'completed', ...(wave ? { failureRate: wave.failed / wave.total } : {}),
      });
      if (next.currentWave < next.waveCount) await this.#o.emit({ type: 'campaign.wave', campaignId: c.id, wave: next.currentWave, phase: 'started' });
    }
  }

  /** Cancels what has not started yet (pending, retry_wait, commands still queued). */
  async cancelDevices(c: CampaignRecord): Promise<void> {
    const { store, clock } = this.#o;
    for (const state of ['pending', 'retry_wait', 'sending'] as const) {
      let cursor: string | undefined;
      do {
        const page = await store.listDevices(c.id, { state, limit: 500, ...(cursor !== undefined ? { cursor } : {}) });
        for (const row of page.items) {
          if (state === 'sending' && !(await this.#nothingSent(row))) continue;
          const now = clock.now();
          const { deadlineAt: _d, nextAttemptAt: _n, ...rest } = row;
          await this.#o.transition(row, { ...rest, state: 'cancelled', detail: 'campaign cancelled', updatedAt: now, finishedAt: now });
        }
        cursor = page.nextCursor;
      } while (cursor !== undefined);
    }
  }

  async #nothingSent(row: CampaignDeviceRecord): Promise<boolean> {
    await this.#o.runner.cancelQueued(row);
    return this.#o.runner.allJobsWithdrawn(row);
  }

  async #fill(c: CampaignRecord): Promise<void> {
    const free = c.rollout.maxInFlight - (await this.#o.store.countInFlight(c.id));
    if (free <= 0) return;
    for (const row of await this.#o.store.nextPending(c.id, c.currentWave, free)) await this.#o.runner.startAttempt(c, row);
  }
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}
