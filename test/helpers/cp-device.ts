/**
 * A standard simulated device tree with no DM account, a w7 application to bootstrap it with, and
 * the push and server credentials that go with it: the starting point of the Client Provisioning
 * tests on the device side.
 */
import { createStandardTree, type DeviceProfile } from '../../src/client/mo/standard-tree.js';
import type { ManagementTree } from '../../src/client/tree/management-tree.js';
import { computeMd5Digest } from '../../src/core/auth/md5-digest.js';
import { AuthType } from '../../src/core/constants/meta-types.js';
import { buildSignedCpPush } from '../../src/core/provisioning/cp-push.js';
import type { W7Application } from '../../src/core/provisioning/w7.js';
import { w7Document } from '../../src/core/provisioning/w7-build.js';

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

/** A USERPIN-signed bootstrap push of the {@link sampleW7} account, pointing at `url`. */
export function bootstrapPushFor(url: string, options: { readonly init: boolean; readonly pin: string }): Uint8Array {
  const app = sampleW7({ init: options.init, addresses: [{ addr: url, ports: [] }] });
  return buildSignedCpPush({ document: w7Document(app), security: { sec: 'USERPIN', userPin: options.pin } }).push;
}

/**
 * The SyncHdr Cred with which the server of {@link sampleW7} proves itself: MD5 over the server
 * credentials and nonce the bootstrap document gave the device (valid for its first session).
 */
export function sampleW7ServerCred(): { meta: { type: string; format: string }; data: string } {
  const server = sampleW7().appAuths.find((x) => x.level === 'CLIENT');
  const nonce = new Uint8Array(Buffer.from(server?.data ?? '', 'base64'));
  return { meta: { type: AuthType.MD5, format: 'b64' }, data: computeMd5Digest({ username: server?.name ?? '', password: server?.secret ?? '', nonce }) };
}
