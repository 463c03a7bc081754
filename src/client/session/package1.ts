/**
 * Package 1, client initialization (OMA-TS-DM_Protocol §8.3 / reference §3.2): Alert 1200 when
 * answering a Package 0, 1201 otherwise; a Replace with one Item per DevInfo leaf (Source LocURI,
 * Meta Format chr); then the pending client alerts (1224 client events, 1226 generic alerts).
 */
import { AlertCode } from '../../core/constants/alert.js';
import { Format } from '../../core/constants/meta-types.js';
import type { Command, Item } from '../../core/syncml/message.js';
import type { DeviceTree } from '../tree/tree-api.js';
import type { PendingAlert } from './session-types.js';

/** The DevInfo leaves sent in every Package 1 (the mandatory ones of the DevInfo MO). */
export const DEVINFO_LEAVES: readonly string[] = ['DevId', 'Man', 'Mod', 'DmV', 'Lang'];

const CHR_META = { format: Format.CHR } as const;

/** Builds the commands of Package 1 (CmdIDs are assigned when the message is built). */
export function package1Commands(opts: {
  tree: DeviceTree;
  serverInitiated: boolean;
  alerts: readonly PendingAlert[];
  verDtd: '1.1' | '1.2';
}): Command[] {
  const code = opts.serverInitiated ? AlertCode.SERVER_INITIATED_MGMT : AlertCode.CLIENT_INITIATED_MGMT;
  const cmds: Command[] = [{ kind: 'Alert', cmdId: undefined, data: code, items: [] }];
  const items: Item[] = [];
  for (const leaf of DEVINFO_LEAVES) {
    const uri = `./DevInfo/${leaf}`;
    const value = opts.tree.readValue(uri);
    if (value === undefined) continue;
    // Type is left out: text/plain is the default Type of a chr value (RepPro "Type").
    items.push({ source: { locUri: uri }, meta: CHR_META, data: value });
  }
  if (items.length > 0) cmds.push({ kind: 'Replace', cmdId: undefined, items });
  for (const a of opts.alerts) {
    // Correlator is a DM 1.2 element (no SyncML 1.1 token): a DM 1.1.2 session sends the alert without it.
    cmds.push(a.correlator === undefined || opts.verDtd === '1.1'
      ? { kind: 'Alert', cmdId: undefined, data: a.code, items: a.items }
      : { kind: 'Alert', cmdId: undefined, data: a.code, correlator: a.correlator, items: a.items });
  }
  return cmds;
}
