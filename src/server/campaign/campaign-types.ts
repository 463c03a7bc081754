/**
 * Records of a firmware update campaign and of each device's place in it. A campaign updates the
 * selected devices in waves through the FUMO object (reference §1.11): wake (Package 0), Replace
 * PkgURL (or PkgData), Exec with a Correlator, await the Generic Alert 1226, record the result,
 * then Get DevDetail/FwV in the next session to verify. Every field is persisted, so a restarted
 * server continues each device from where it was.
 */
import type { FirmwareId } from '../firmware/firmware-store.js';

/** A campaign identifier (`cmp-` + 12 hex digits). */
export type CampaignId = string & { readonly __brand: 'CampaignId' };

/** Brands a string as a {@link CampaignId}. */
export function campaignId(id: string): CampaignId {
  return id as CampaignId;
}

/**
 * How the package reaches the device (the three FUMO flows, reference §1.11):
 * `download-and-update` — Replace DownloadAndUpdate/PkgURL, Exec DownloadAndUpdate;
 * `download-then-update` — Replace Download/PkgURL, Exec Download, then after its 1226 Exec Update;
 * `update-in-session` — Replace Update/PkgData (DM large object), Exec Update.
 */
export type CampaignFlow = 'download-and-update' | 'download-then-update' | 'update-in-session';

/** Campaign lifecycle: draft → running ⇄ paused → completed | cancelled. */
export type CampaignState = 'draft' | 'running' | 'paused' | 'completed' | 'cancelled';

/** Which devices a campaign targets; every given field narrows (explicit ids and groups are unioned first). */
export interface DeviceSelection {
  /** DevInfo/Mod values. */
  readonly models?: readonly string[];
  /** Current DevDetail/FwV values. */
  readonly firmwareVersions?: readonly string[];
  /** Device groups (members at creation time). */
  readonly groups?: readonly string[];
  /** Explicit device ids. */
  readonly deviceIds?: readonly string[];
}

/** Rollout: waves, concurrency and the failure-rate brake. */
export interface RolloutPolicy {
  /** Devices per wave as a percentage of the campaign (1..100); ignored when `waveSize` is set. */
  readonly wavePercent?: number;
  /** Devices per wave; default: one wave with every device. */
  readonly waveSize?: number;
  /** Most devices in flight at once (default 100). */
  readonly maxInFlight: number;
  /**
   * Pause when a wave's failure rate (failed ÷ devices of the wave) passes this fraction (0..1);
   * checked as soon as the outcome is certain. Absent: never pause.
   */
  readonly failureThreshold?: number;
}

/** Failure classes, each with its own retry budget. */
export type FailureClass =
  /** 503, 407: the download broke (network, time-out). */
  | 'network'
  /** 400, 406, 411, 412, 500, 550–599: the download server or URL. */
  | 'download-server'
  /** 402–405: the package itself (corrupt, wrong device, signature, not acceptable). */
  | 'package'
  /** 401: the user declined. */
  | 'user'
  /** 501, 502: out of memory. */
  | 'memory'
  /** 408–410, 450–499 and anything else: the update failed on the device. */
  | 'update'
  /** The Replace or Exec was refused (non-2xx Status). */
  | 'exec'
  /** No answer before the device time-out. */
  | 'timeout'
  /** The device reported success but DevDetail/FwV is not the package's version. */
  | 'verify';

/** Attempts and delay of one failure class. */
export interface RetryRule {
  /** Total attempts including the first (1 = never retry). */
  readonly maxAttempts: number;
  /** Wait before the next attempt, ms. */
  readonly delayMs: number;
}

/** Retry rules per failure class; missing classes use {@link DEFAULT_RETRY}. */
export type RetryPolicy = Readonly<Partial<Record<FailureClass, RetryRule>>>;

/** Retry defaults: transient classes retry, package and user outcomes do not. */
export const DEFAULT_RETRY: Readonly<Record<FailureClass, RetryRule>> = {
  network: { maxAttempts: 3, delayMs: 30_000 },
  'download-server': { maxAttempts: 2, delayMs: 60_000 },
  package: { maxAttempts: 1, delayMs: 0 },
  user: { maxAttempts: 1, delayMs: 0 },
  memory: { maxAttempts: 1, delayMs: 0 },
  update: { maxAttempts: 1, delayMs: 0 },
  exec: { maxAttempts: 2, delayMs: 60_000 },
  timeout: { maxAttempts: 2, delayMs: 0 },
  verify: { maxAttempts: 1, delayMs: 0 },
};

/** A campaign. */
export interface CampaignRecord {
  readonly id: CampaignId;
  readonly name: string;
  readonly packageId: FirmwareId;
  /** The package's to-version, copied at creation (what verification expects). */
  readonly targetVersion: string;
  readonly flow: CampaignFlow;
  /** Name of the FUMO package node: commands go to `./FwUpdate/<fumoNode>/...`. */
  readonly fumoNode: string;
  /** Give devices the download descriptor URL as PkgURL instead of the package URL. */
  readonly useDescriptor: boolean;
  readonly selection: DeviceSelection;
  readonly rollout: RolloutPolicy;
  readonly retry: RetryPolicy;
  /** How long a device may take for one attempt before it times out, ms. */
  readonly deviceTimeoutMs: number;
  readonly state: CampaignState;
  /** Index of the wave being rolled out (0-based; equals `waveCount` when all are done). */
  readonly currentWave: number;
  readonly waveCount: number;
  /** Highest wave whose failure rate the operator accepted by resuming (-1 = none). */
  readonly acceptedWave: number;
  /** Why the campaign paused (failure threshold or operator). */
  readonly pauseReason?: string;
  /** Devices left out at creation: not fitting the package's models / from-versions, or already updated. */
  readonly excluded: { readonly incompatible: number; readonly alreadyCurrent: number };
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
}

/**
 * A device's position: pending → sending (commands queued, device woken) → executing (Exec
 * accepted, awaiting 1226) → verifying (Get FwV queued) → succeeded | failed | timed_out;
 * a failure with attempts left goes to retry_wait, then back to sending.
 */
export type CampaignDeviceState =
  | 'pending' | 'sending' | 'executing' | 'verifying' | 'retry_wait'
  | 'succeeded' | 'failed' | 'timed_out' | 'cancelled';

/** States a device cannot leave. */
export const TERMINAL_DEVICE_STATES: readonly CampaignDeviceState[] = ['succeeded', 'failed', 'timed_out', 'cancelled'];
/** States that occupy an in-flight slot. */
export const IN_FLIGHT_DEVICE_STATES: readonly CampaignDeviceState[] = ['sending', 'executing', 'verifying'];

/** The FUMO operation the device's current Exec runs. */
export type FumoStep = 'Download' | 'Update' | 'DownloadAndUpdate';

/** One device in one campaign. */
export interface CampaignDeviceRecord {
  readonly campaignId: CampaignId;
  readonly deviceId: string;
  /** Position in the campaign's device order (0-based). */
  readonly seq: number;
  readonly wave: number;
  readonly state: CampaignDeviceState;
  /** Attempts started (0 while pending). */
  readonly attempt: number;
  /** Operation of the current Exec. */
  readonly step?: FumoStep;
  /** Correlator of the current Exec (unique across campaigns). */
  readonly correlator?: string;
  /** FUMO result code of the last Generic Alert 1226. */
  readonly resultCode?: number;
  /** Class of the last failure. */
  readonly failureClass?: FailureClass;
  /** Last outcome in words (result meaning, Exec status, verification). */
  readonly detail?: string;
  /** DevDetail/FwV before and after. */
  readonly fwBefore?: string;
  readonly fwAfter?: string;
  /** Package 0 triggers sent in the current attempt. */
  readonly wakes: number;
  readonly startedAt?: number;
  /** The current attempt times out at this time. */
  readonly deadlineAt?: number;
  /** retry_wait: the next attempt starts at this time. */
  readonly nextAttemptAt?: number;
  readonly updatedAt: number;
  readonly finishedAt?: number;
}

/** What a queued job does for a campaign device. */
export type CampaignJobRole = 'setup' | 'exec' | 'verify';

/** Something that happened in a campaign (for the API's event listing and stream). */
export type CampaignEvent =
  | { readonly type: 'campaign.state'; readonly campaignId: CampaignId; readonly from: CampaignState; readonly to: CampaignState; readonly reason?: string }
  | { readonly type: 'campaign.wave'; readonly campaignId: CampaignId; readonly wave: number; readonly phase: 'started' | 'completed'; readonly failureRate?: number }
  | {
    readonly type: 'device.state'; readonly campaignId: CampaignId; readonly deviceId: string; readonly from: CampaignDeviceState;
    readonly to: CampaignDeviceState; readonly attempt: number; readonly resultCode?: number; readonly detail?: string;
  };

/** A stored campaign event. */
export type CampaignEventRecord = CampaignEvent & { readonly id: number; readonly at: number };
