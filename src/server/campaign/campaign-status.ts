/** The progress report of a campaign (REST `GET /api/campaigns/:id/status`, `omadm campaign status`). */
import { fumoResultMeaning } from '../../core/constants/fumo.js';
import type { CampaignCounts } from './campaign-store.js';
import type { CampaignDeviceState, CampaignRecord } from './campaign-types.js';

const STATES: readonly CampaignDeviceState[] = [
  'pending', 'sending', 'executing', 'verifying', 'retry_wait', 'succeeded', 'failed', 'timed_out', 'cancelled',
];

/** Progress of a campaign. */
export interface CampaignStatus {
  readonly campaign: CampaignRecord;
  /** Devices in the campaign. */
  readonly total: number;
  /** Devices per state (every state present, zeros included). */
  readonly byState: Readonly<Record<CampaignDeviceState, number>>;
  /** Devices per FUMO result code of their last Generic Alert 1226, with the code's meaning. */
  readonly byResult: readonly { readonly code: number; readonly meaning: string; readonly count: number }[];
  /** Per wave: devices, finished, succeeded, failed (failed + timed out). */
  readonly waves: CampaignCounts['byWave'];
  /** sending + executing + verifying. */
  readonly inFlight: number;
  /** Devices in a terminal state. */
  readonly finished: number;
  /** Terminal devices ÷ total, 0..100. */
  readonly percentComplete: number;
}

/** Builds the report from the store's counts. */
export function buildStatus(campaign: CampaignRecord, counts: CampaignCounts): CampaignStatus {
  const byState = Object.fromEntries(STATES.map((s) => [s, counts.byState[s] ?? 0])) as Record<CampaignDeviceState, number>;
  const total = STATES.reduce((n, s) => n + byState[s], 0);
  const finished = byState.succeeded + byState.failed + byState.timed_out + byState.cancelled;
  return {
    campaign, total, byState,
    byResult: counts.byResult.map((r) => ({ code: r.code, meaning: fumoResultMeaning(r.code), count: r.count })),
    waves: counts.byWave,
    inFlight: byState.sending + byState.executing + byState.verifying,
    finished,
    percentComplete: total === 0 ? 100 : Math.round((finished / total) * 1000) / 10,
  };
}
