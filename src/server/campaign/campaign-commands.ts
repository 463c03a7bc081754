/**
 * The DM commands of one campaign step, as queue jobs (reference §1.11, WM sample): the package
 * location goes into `./FwUpdate/<pkg>/<Op>/PkgURL` (or the bytes into `Update/PkgData`), then
 * the operation node is executed with a Correlator; verification reads `./DevDetail/FwV`.
 */
import { FumoResult } from '../../core/constants/fumo.js';
import { descriptorUrl, packageUrl } from '../firmware/firmware-download-routes.js';
import type { FirmwarePackageRecord } from '../firmware/firmware-store.js';
import type { JobCommand } from '../store/store.js';
import type { CampaignFlow, CampaignRecord, FumoStep } from './campaign-types.js';

/** Mount of the FUMO object on the device (WM FwUpdate CSP, reference §1.11). */
export const FUMO_ROOT = './FwUpdate';
/** The node read to verify an update (OMA DevDetail FwV). */
export const FIRMWARE_VERSION_URI = './DevDetail/FwV';

/** URI of the campaign's FUMO package node. */
export function fumoPackageUri(campaign: Pick<CampaignRecord, 'fumoNode'>): string {
  return `${FUMO_ROOT}/${campaign.fumoNode}`;
}

/** The first operation a flow executes. */
export function firstStep(flow: CampaignFlow): FumoStep {
  return flow === 'download-and-update' ? 'DownloadAndUpdate' : flow === 'download-then-update' ? 'Download' : 'Update';
}

/**
 * The PkgURL a device gets: the descriptor URL when `useDescriptor`, else the package URL with
 * `#size=<n>&sha256=<hex>` appended — a fragment is never sent over HTTP, so it only tells the
 * device what to expect (docs/reference/fumo.md, "Package integrity").
 */
export function pkgUrlFor(pkg: FirmwarePackageRecord, opts: { readonly publicUrl: string; readonly useDescriptor: boolean }): string {
  if (opts.useDescriptor && pkg.location.kind === 'local') return descriptorUrl(pkg, { base: opts.publicUrl });
  const url = packageUrl(pkg, { base: opts.publicUrl });
  return url.includes('#') ? url : `${url}#size=${pkg.size}&sha256=${pkg.sha256}`;
}

/** What to enqueue for one step: an optional setup job (Replace) and the Exec. */
export interface StepJobs {
  readonly setup?: JobCommand;
  readonly exec: JobCommand;
}

/** The jobs of a step. `pkgData` (base64) is needed by `update-in-session`, `pkgUrl` by the others. */
export function stepJobs(campaign: CampaignRecord, payload: { readonly step: FumoStep; readonly pkgUrl?: string; readonly pkgData?: string }): StepJobs {
  const step = payload.step;
  const base = fumoPackageUri(campaign);
  const exec: JobCommand = { kind: 'Exec', item: { uri: `${base}/${step}` } };
  if (step === 'Update') {
    // download-then-update: the package was downloaded by the Download step; nothing to write.
    if (campaign.flow !== 'update-in-session') return { exec };
    return { setup: { kind: 'Replace', items: [{ uri: `${base}/Update/PkgData`, data: payload.pkgData ?? '', base64: true, format: 'bin' }] }, exec };
  }
  return { setup: { kind: 'Replace', items: [{ uri: `${base}/${step}/PkgURL`, data: payload.pkgUrl ?? '', format: 'chr' }] }, exec };
}

/** The verification Get. */
export function verifyJob(): JobCommand {
  return { kind: 'Get', uris: [FIRMWARE_VERSION_URI] };
}

/** True for the statuses that accept an Exec: 202 (accepted for processing) or 200. */
export function execAccepted(status: number | undefined): boolean {
  return status === 202 || status === 200;
}

/** A FUMO result code that is not a number is read as 409 (undefined error). */
export function parseResultCode(data: string | undefined): number {
  const n = Number(data?.trim());
  return Number.isInteger(n) && n > 0 ? n : FumoResult.UNDEFINED_ERROR;
}
