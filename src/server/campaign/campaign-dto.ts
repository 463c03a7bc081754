/** JSON shapes of the campaign REST routes (types only; the dashboard imports them with `import type`). */
import type {
  CampaignDeviceState, CampaignFlow, CampaignState, DeviceSelection, FailureClass, FumoStep, RetryRule, RolloutPolicy,
} from './campaign-types.js';
import type { CreateCampaignInput } from './campaign-input.js';

/** A campaign. Times are ISO 8601. */
export interface CampaignDto {
  readonly id: string;
  readonly name: string;
  readonly packageId: string;
  readonly targetVersion: string;
  readonly flow: CampaignFlow;
  readonly fumoNode: string;
  readonly useDescriptor: boolean;
  readonly selection: DeviceSelection;
  readonly rollout: RolloutPolicy;
  readonly retry: Readonly<Partial<Record<FailureClass, RetryRule>>>;
  readonly deviceTimeoutMs: number;
  readonly state: CampaignState;
  readonly currentWave: number;
  readonly waveCount: number;
  readonly pauseReason?: string;
  readonly excluded: { readonly incompatible: number; readonly alreadyCurrent: number };
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

/** Body of `POST /api/campaigns`: the create input, plus whether to start at once. */
export interface CreateCampaignDto extends CreateCampaignInput {
  /** Start at once (default false: the campaign stays a draft). */
  readonly start?: boolean;
}

/** `GET /api/campaigns/:id/status`. */
export interface CampaignStatusDto {
  readonly campaign: CampaignDto;
  readonly total: number;
  readonly byState: Readonly<Record<CampaignDeviceState, number>>;
  readonly byResult: readonly { readonly code: number; readonly meaning: string; readonly count: number }[];
  readonly waves: readonly { readonly wave: number; readonly total: number; readonly finished: number; readonly succeeded: number; readonly failed: number }[];
  readonly inFlight: number;
  readonly finished: number;
  readonly percentComplete: number;
}

/** One device of a campaign. */
export interface CampaignDeviceDto {
  readonly deviceId: string;
  readonly wave: number;
  readonly state: CampaignDeviceState;
  readonly attempt: number;
  readonly step?: FumoStep;
  readonly correlator?: string;
  readonly resultCode?: number;
  readonly resultMeaning?: string;
  readonly failureClass?: FailureClass;
  readonly detail?: string;
  readonly fwBefore?: string;
  readonly fwAfter?: string;
  readonly updatedAt: string;
  readonly nextAttemptAt?: string;
  readonly finishedAt?: string;
}

/** A campaign event (`campaign.state`, `campaign.wave`, `device.state`) with its id and time. */
export type CampaignEventDto = Readonly<Record<string, unknown>> & { readonly id: number; readonly type: string; readonly at: string };
