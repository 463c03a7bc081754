/** Validation of a new campaign's settings (every error is `ERR_CAMPAIGN_INVALID`, HTTP 400). */
import { DmError, ErrorCode } from '../../core/errors.js';
import type { FirmwarePackageRecord } from '../firmware/firmware-store.js';
import type { CampaignFlow, CampaignRecord, DeviceSelection, FailureClass, RetryPolicy, RetryRule, RolloutPolicy } from './campaign-types.js';
import { DEFAULT_RETRY } from './campaign-types.js';

/** What an operator gives to create a campaign. */
export interface CreateCampaignInput {
  readonly name: string;
  readonly packageId: string;
  /** Default `download-and-update`. */
  readonly flow?: CampaignFlow;
  /** FUMO package node name under ./FwUpdate (default: derived from the package name). */
  readonly fumoNode?: string;
  /** Give devices the download descriptor URL as PkgURL (default false). */
  readonly useDescriptor?: boolean;
  /** Default: every registered device. */
  readonly selection?: DeviceSelection;
  readonly rollout?: Partial<RolloutPolicy>;
  readonly retry?: RetryPolicy;
  /** Per-attempt device time-out, ms (default 30 minutes). */
  readonly deviceTimeoutMs?: number;
}

/** Largest package the `update-in-session` flow sends inside the DM session (8 MiB). */
export const MAX_IN_SESSION_BYTES = 8 * 1024 * 1024;
const FLOWS: readonly CampaignFlow[] = ['download-and-update', 'download-then-update', 'update-in-session'];

/** The checked settings of a new campaign (defaults filled). */
export type CheckedCampaignInput = Pick<CampaignRecord, 'name' | 'flow' | 'fumoNode' | 'useDescriptor' | 'selection' | 'rollout' | 'retry' | 'deviceTimeoutMs'>;

/** Checks the input against the package; fills defaults. */
export function checkCampaignInput(input: CreateCampaignInput, pkg: FirmwarePackageRecord): CheckedCampaignInput {
  if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 200) throw invalid('name must be 1..200 characters');
  const flow = input.flow ?? 'download-and-update';
  if (!FLOWS.includes(flow)) throw invalid(`flow must be one of ${FLOWS.join(', ')}`);
  if (flow === 'update-in-session' && pkg.location.kind !== 'local') throw invalid('update-in-session needs a package stored on this server');
  if (flow === 'update-in-session' && pkg.size > MAX_IN_SESSION_BYTES) throw invalid(`update-in-session sends at most ${MAX_IN_SESSION_BYTES} bytes; use a download flow`);
  const fumoNode = input.fumoNode ?? (pkg.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'Firmware');
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(fumoNode)) throw invalid('fumoNode must be 1..64 of A-Z a-z 0-9 . _ -');
  const r = input.rollout ?? {};
  const rollout: RolloutPolicy = {
    maxInFlight: int(r.maxInFlight ?? 100, 'rollout.maxInFlight', 1, 1_000_000),
    ...(r.waveSize !== undefined ? { waveSize: int(r.waveSize, 'rollout.waveSize', 1, 10_000_000) } : {}),
    ...(r.wavePercent !== undefined ? { wavePercent: num(r.wavePercent, 'rollout.wavePercent', 0.001, 100) } : {}),
    ...(r.failureThreshold !== undefined ? { failureThreshold: num(r.failureThreshold, 'rollout.failureThreshold', 0, 1) } : {}),
  };
  const retry: Partial<Record<FailureClass, RetryRule>> = {};
  for (const [cls, rule] of Object.entries(input.retry ?? {})) {
    if (!(cls in DEFAULT_RETRY)) throw invalid(`unknown failure class "${cls}" in retry`);
    if (rule === undefined) continue;
    retry[cls as FailureClass] = { maxAttempts: int(rule.maxAttempts, `retry.${cls}.maxAttempts`, 1, 20), delayMs: int(rule.delayMs, `retry.${cls}.delayMs`, 0, 7 * 86_400_000) };
  }
  const selection = checkSelection(input.selection ?? {});
  return {
    name: input.name.trim(), flow, fumoNode, useDescriptor: input.useDescriptor === true, selection, rollout, retry,
    deviceTimeoutMs: int(input.deviceTimeoutMs ?? 30 * 60_000, 'deviceTimeoutMs', 1000, 30 * 86_400_000),
  };
}

function checkSelection(s: DeviceSelection): DeviceSelection {
  const out: { -readonly [K in keyof DeviceSelection]: DeviceSelection[K] } = {};
  for (const key of ['models', 'firmwareVersions', 'groups', 'deviceIds'] as const) {
    const v = s[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x !== '')) throw invalid(`selection.${key} must be an array of non-empty strings`);
    out[key] = [...v];
  }
  return out;
}

function int(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalid(`${name} must be an integer in ${min}..${max}`);
  return v;
}

function num(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw invalid(`${name} must be a number in ${min}..${max}`);
  return v;
}

function invalid(message: string): DmError {
  return new DmError(ErrorCode.ERR_CAMPAIGN_INVALID, message);
}
