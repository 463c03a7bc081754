/**
 * Persistence port of the campaign service. Device rows are written with compare-and-set on
 * their state, so an event and a time-out racing for the same device cannot both apply.
 */
import type { Page, PageQuery } from '../store/store.js';
import type {
  CampaignDeviceRecord, CampaignDeviceState, CampaignEvent, CampaignEventRecord, CampaignId, CampaignJobRole, CampaignRecord, CampaignState,
} from './campaign-types.js';

/** A job linked to a campaign device. */
export interface CampaignJobLink {
  readonly jobId: string;
  readonly campaignId: CampaignId;
  readonly deviceId: string;
  readonly role: CampaignJobRole;
  readonly attempt: number;
}

/** Filters of a device listing. */
export interface CampaignDeviceQuery {
  readonly state?: CampaignDeviceState;
  readonly wave?: number;
  /** Opaque cursor from a previous page. */
  readonly cursor?: string;
  /** 1..1000, default 100. */
  readonly limit?: number;
}

/** Counts of a campaign's devices. */
export interface CampaignCounts {
  readonly byState: Readonly<Partial<Record<CampaignDeviceState, number>>>;
  /** Devices by the FUMO result code of their last 1226 (devices without one are left out). */
  readonly byResult: readonly { readonly code: number; readonly count: number }[];
  /** Per wave: devices and how many are terminal / failed. */
  readonly byWave: readonly { readonly wave: number; readonly total: number; readonly finished: number; readonly failed: number; readonly succeeded: number }[];
}

/** Campaign rows, device rows, job links and events. */
export interface CampaignStore {
  /** Inserts a campaign and its devices in one transaction. */
  create(campaign: CampaignRecord, devices: readonly CampaignDeviceRecord[]): Promise<void>;
  /** One campaign, or `undefined`. */
  get(id: CampaignId): Promise<CampaignRecord | undefined>;
  /** Campaigns by id, optionally in some states. */
  list(query: PageQuery & { readonly states?: readonly CampaignState[] }): Promise<Page<CampaignRecord>>;
  /** Writes a campaign if its stored state is still `expect`; false otherwise. */
  update(next: CampaignRecord, expect: CampaignState): Promise<boolean>;
  /** One device row. */
  getDevice(campaignId: CampaignId, deviceId: string): Promise<CampaignDeviceRecord | undefined>;
  /** Device rows in order of `seq`. */
  listDevices(campaignId: CampaignId, query: CampaignDeviceQuery): Promise<Page<CampaignDeviceRecord>>;
  /** Writes a device row if its stored state is still `expect`; false otherwise. */
  updateDevice(next: CampaignDeviceRecord, expect: CampaignDeviceState): Promise<boolean>;
  /** Pending devices of waves up to `maxWave`, lowest `seq` first. */
  nextPending(campaignId: CampaignId, maxWave: number, limit: number): Promise<CampaignDeviceRecord[]>;
  /** Devices whose retry is due (`retry_wait`, nextAttemptAt ≤ now) or whose attempt has timed out. */
  listDue(campaignId: CampaignId, now: number, limit: number): Promise<CampaignDeviceRecord[]>;
  /** Number of devices in sending / executing / verifying. */
  countInFlight(campaignId: CampaignId): Promise<number>;
  /** Number of devices of a wave that are not terminal. */
  countUnfinished(campaignId: CampaignId, wave: number): Promise<number>;
  /** Counts by state, result code and wave. */
  counts(campaignId: CampaignId): Promise<CampaignCounts>;
  /** Device rows not in a terminal state in campaigns that are not draft, of one device. */
  findActiveByDevice(deviceId: string): Promise<CampaignDeviceRecord[]>;
  /** The device row whose current Exec carries this correlator. */
  findByCorrelator(correlator: string): Promise<CampaignDeviceRecord | undefined>;
  /** Links a queued job to a device (idempotent). */
  linkJob(link: CampaignJobLink): Promise<void>;
  /** The link of a job, or `undefined` when the job is not a campaign's. */
  findJob(jobId: string): Promise<CampaignJobLink | undefined>;
  /** Links of a device's attempt. */
  listJobs(campaignId: CampaignId, deviceId: string, attempt: number): Promise<CampaignJobLink[]>;
  /** Appends an event. */
  appendEvent(event: CampaignEvent, at: number): Promise<CampaignEventRecord>;
  /** Events of a campaign with id > `after`, oldest first. */
  listEvents(campaignId: CampaignId, query: { readonly after?: number; readonly limit?: number }): Promise<CampaignEventRecord[]>;
  /** True when a campaign that is not finished uses the package. */
  packageInUse(packageId: string): Promise<boolean>;
}
