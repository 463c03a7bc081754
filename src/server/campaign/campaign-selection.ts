/**
 * Picks the devices of a new campaign and assigns them to waves. A device is left out when what
 * the server knows contradicts the package — its model is not a target model, its FwV is not a
 * from-version, or it already runs the to-version. Unknown values do not exclude: the device
 * itself refuses a package that does not fit (result 403).
 */
import { DmError, ErrorCode } from '../../core/errors.js';
import type { FirmwarePackageRecord } from '../firmware/firmware-store.js';
import { type DeviceId, type DeviceRecord, type DeviceStore, deviceId } from '../store/store.js';
import type { DeviceSelection, RolloutPolicy } from './campaign-types.js';

/** The device reads a campaign needs. */
export type DeviceSource = Pick<DeviceStore, 'get' | 'list' | 'listGroupMembers'>;

/** The selected devices in rollout order, with their current FwV. */
export interface Selection {
  readonly devices: readonly { readonly id: string; readonly fwV?: string }[];
  readonly excluded: { readonly incompatible: number; readonly alreadyCurrent: number };
}

/** Selects the devices of a campaign. Throws `ERR_CAMPAIGN_INVALID` for unknown explicit ids. */
export async function selectDevices(source: DeviceSource, what: { readonly selection: DeviceSelection; readonly pkg: FirmwarePackageRecord }): Promise<Selection> {
  const { selection, pkg } = what;
  const records: DeviceRecord[] = [];
  const explicit = selection.deviceIds !== undefined || selection.groups !== undefined;
  if (explicit) {
    const ids = new Set<string>(selection.deviceIds ?? []);
    for (const g of selection.groups ?? []) for (const id of await source.listGroupMembers(g)) ids.add(id);
    const unknown: string[] = [];
    for (const id of ids) {
      const r = await source.get(asDeviceId(id));
      if (r) records.push(r);
      else unknown.push(id);
    }
    if (unknown.length > 0) throw new DmError(ErrorCode.ERR_CAMPAIGN_INVALID, `unknown devices: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`);
  } else {
    let cursor: string | undefined;
    do {
      const page = await source.list({ limit: 1000, ...(cursor !== undefined ? { cursor } : {}) });
      records.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
  const devices: { id: string; fwV?: string }[] = [];
  let incompatible = 0;
  let alreadyCurrent = 0;
  for (const r of records) {
    const model = r.devInfo.mod;
    const fwV = r.devDetail['FwV'];
    if (selection.models !== undefined && (model === undefined || !selection.models.includes(model))) continue;
    if (selection.firmwareVersions !== undefined && (fwV === undefined || !selection.firmwareVersions.includes(fwV))) continue;
    if (fwV !== undefined && fwV === pkg.version) {
      alreadyCurrent++;
      continue;
    }
    const badModel = model !== undefined && pkg.models.length > 0 && !pkg.models.includes(model);
    const badFrom = fwV !== undefined && pkg.fromVersions.length > 0 && !pkg.fromVersions.includes(fwV);
    if (badModel || badFrom) {
      incompatible++;
      continue;
    }
    devices.push(fwV !== undefined ? { id: r.id, fwV } : { id: r.id });
  }
  return { devices, excluded: { incompatible, alreadyCurrent } };
}

/** Devices per wave for `total` devices under the policy (at least 1). */
export function waveSizeOf(rollout: RolloutPolicy, total: number): number {
  if (rollout.waveSize !== undefined) return Math.max(1, Math.trunc(rollout.waveSize));
  if (rollout.wavePercent !== undefined) return Math.max(1, Math.ceil((total * rollout.wavePercent) / 100));
  return Math.max(1, total);
}

function asDeviceId(id: string): DeviceId {
  try {
    return deviceId(id);
  } catch {
    throw new DmError(ErrorCode.ERR_CAMPAIGN_INVALID, `invalid device id "${id}"`);
  }
}
