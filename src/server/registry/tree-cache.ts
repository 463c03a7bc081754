/**
 * Writes node values the server learned into the tree cache, and mirrors ./DevInfo and
 * ./DevDetail leaves onto the device row (OMA-TS-DM_StdObj: DevInfo Man/Mod/DmV/Lang/DevId,
 * DevDetail FwV/SwV/HwV...), so listings show them without reading the tree.
 */
import type { DevInfoValues, DeviceId, StoreScope, StoredItem, TreeValueSource } from '../store/store.js';
import { isPlainNodeUri, normalizeNodeUri } from '../store/node-uri.js';

const DEVINFO_KEYS: Readonly<Record<string, keyof DevInfoValues>> = {
  DevId: 'devId', Man: 'man', Mod: 'mod', DmV: 'dmV', Lang: 'lang',
};

/** Caches `items` (skipping `?list=`/`?prop=` URIs) and mirrors DevInfo/DevDetail leaves. */
export async function cacheNodes(
  scope: StoreScope,
  deviceId: DeviceId,
  items: readonly StoredItem[],
  opts: { readonly source: TreeValueSource; readonly at: number },
): Promise<void> {
  const nodes: (StoredItem & { source: TreeValueSource; at: number })[] = [];
  const devInfo: { -readonly [K in keyof DevInfoValues]: string } = {};
  const devDetail: Record<string, string> = {};
  let touchedInfo = false;
  let touchedDetail = false;
  for (const item of items) {
    if (!isPlainNodeUri(item.uri)) continue;
    const uri = normalizeNodeUri(item.uri);
    nodes.push({ ...item, uri, source: opts.source, at: opts.at });
    if (item.data === undefined || item.base64 === true) continue;
    if (uri.startsWith('./DevInfo/')) {
      const key = DEVINFO_KEYS[uri.slice('./DevInfo/'.length)];
      if (key !== undefined) {
        devInfo[key] = item.data;
        touchedInfo = true;
      }
    } else if (uri.startsWith('./DevDetail/') && item.format !== 'node') {
      devDetail[uri.slice('./DevDetail/'.length)] = item.data;
      touchedDetail = true;
    }
  }
  if (nodes.length > 0) await scope.tree.upsert(deviceId, nodes);
  if (touchedInfo || touchedDetail) {
    await scope.devices.mergeReported(
      deviceId,
      {
        ...(touchedInfo ? { devInfo } : {}),
        ...(touchedDetail ? { devDetail } : {}),
      },
      opts.at,
    );
  }
}
