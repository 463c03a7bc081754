/**
 * A standard simulated device tree with no DM account, and a w7 application to bootstrap it with:
 * the starting point of the Client Provisioning tests on the device side.
 */
import { createStandardTree, type DeviceProfile } from '../../src/client/mo/standard-tree.js';
import type { ManagementTree } from '../../src/client/tree/management-tree.js';
import type { W7Application } from '../../src/core/provisioning/w7.js';

/** A device profile without accounts. */
export const BARE_PROFILE: DeviceProfile = {
  devId: 'IMEI:490154203237518', man: 'Contoso', mod: 'Phone 1', dmV: '1.2', lang: 'en-US',
  fwV: '1.0', swV: '1.0', hwV: '1.0', oem: 'Contoso', devTyp: 'phone', accounts: [],
};

/** A fresh tree of a device with no DM account. */
export function bareTree(profile: Partial<DeviceProfile> = {}): ManagementTree {
  return createStandardTree({ ...BARE_PROFILE, ...profile });
}

/** A complete w7 application (both credential levels, nonces, Microsoft knobs). */
export function sampleW7(over: Partial<W7Application> = {}): W7Application {
  return {
    providerId: 'dm.example.com', name: 'Example DM',
    addresses: [{ addr: 'https://dm.example.com/omadm', ports: [] }],
    toNapIds: ['INTERNET'], toProxies: [], role: 8,
    appAuths: [
      { level: 'APPSRV', type: 'DIGEST', name: 'dev-1', secret: 'client-secret', data: 'AAECAwQFBgcICQoLDA0ODw==' },
      { level: 'CLIENT', type: 'DIGEST', name: 'dm.example.com', secret: 'server-secret', data: 'EBESExQVFhcYGRobHB0eHw==' },
    ],
    init: false, protoVer: '1.2', defaultEncoding: 'application/vnd.syncml.dm+wbxml', connRetryFreq: 5,
    initialBackoffTime: 1000, maxBackoffTime: 60000, backCompatRetryDisabled: true, useHwDevId: false,
    ...over,
  };
}
