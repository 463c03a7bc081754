import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Status } from '../../../src/core/constants/status.js';
import { readDmAccounts } from '../../../src/client/mo/dmacc-accounts.js';
import {
  type DeviceProfile, STANDARD_URI_LIMITS, TreeTemplateCache, createStandardTree, templateKey,
} from '../../../src/client/mo/standard-tree.js';
import type { ManagementTree } from '../../../src/client/tree/management-tree.js';

/** A simulated device of the fleet. */
function fleetProfile(i: number, overrides: Partial<DeviceProfile> = {}): DeviceProfile {
  const devId = `imei:${String(350000000000000 + i)}`;
  return {
    devId, man: 'Contoso', mod: 'WM65-Sim', dmV: '1.2', lang: 'en-US', fwV: '1.0.0', swV: '6.5.0', hwV: 'A', oem: 'Contoso',
    devTyp: 'smartphone',
    accounts: [{
      serverId: 'omadm.example.com', addr: 'https://dm.example.com/omadm', clientName: devId,
      clientSecret: `c-${i}`, serverSecret: `s-${i}`, clientNonce: new Uint8Array([1, 2, 3, i & 255]), roles: 8,
    }],
    romPackages: [{ id: 'OS', version: '6.5.0' }],
    ...overrides,
  };
}

const caller = { serverId: 'omadm.example.com', roles: 8 };

function gcFunction(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('createStandardTree', () => {
  it('builds DevInfo, DevDetail, DMAcc, FUMO, Inbox and the Vendor/MSFT CSPs from a profile', () => {
    const tree = createStandardTree(fleetProfile(1));
    assert.equal(tree.get('.', caller).items?.[0]?.data, 'DevInfo/DevDetail/FwUpdate/Inbox/SyncML/Vendor');
    assert.equal(tree.get('./Vendor/MSFT', caller).items?.[0]?.data, 'Registry/CertificateStore/ROMPackage/NAP/Proxy');
    assert.equal(tree.readValue('./DevInfo/DevId'), 'imei:350000000000001');
    assert.equal(tree.readValue('./DevDetail/URI/MaxDepth'), String(STANDARD_URI_LIMITS.maxDepth));
    assert.equal(tree.readValue('./DevDetail/LrgObj'), 'true');
    assert.equal(tree.readValue('./Vendor/MSFT/ROMPackage/OS/Version'), '6.5.0');
    const [account] = readDmAccounts(tree);
    assert.equal(account?.serverId, 'omadm.example.com');
    assert.equal(account?.client.secret, 'c-1');
  });

  it('lets the account server work on its own account and on FUMO with the default ACLs', async () => {
    const tree = createStandardTree(fleetProfile(2), { updater: { download: async () => new Uint8Array(1), install: async () => ({ ok: true, resultCode: 200 }) } });
    const acc = readDmAccounts(tree)[0]?.uri ?? '';
    assert.equal(tree.get(`${acc}/ServerID`, caller).status, Status.OK);
    assert.equal(tree.get(`${acc}/ServerID`, { serverId: 'intruder', roles: 8 }).status, Status.PERMISSION_DENIED);
    assert.equal(tree.add({ uri: './FwUpdate/p/DownloadAndUpdate/PkgURL', data: 'http://x/p.bin' }, caller).status, Status.OK);
    assert.equal((await tree.exec({ uri: './FwUpdate/p/DownloadAndUpdate' }, caller)).status, Status.ACCEPTED_FOR_PROCESSING);
    await tree.whenIdle();
  });

  it('enforces role masks when the profile asks for role mode', () => {
    const tree = createStandardTree(fleetProfile(3, { accessMode: 'roles' }));
    assert.equal(tree.add({ uri: './Vendor/MSFT/Registry/HKLM/Software/X', data: '1', meta: { format: 'int' } }, caller).status, Status.OK);
    assert.equal(tree.add({ uri: './Vendor/MSFT/Registry/HKLM/Software/Y', data: '1' }, { serverId: 'u', roles: 16 }).status, Status.PERMISSION_DENIED);
  });

  it('shares one template between devices that differ only in DevId and credentials', () => {
    const cache = new TreeTemplateCache();
    const a = createStandardTree(fleetProfile(1), { cache });
    const b = createStandardTree(fleetProfile(2), { cache });
    assert.equal(cache.size, 1);
    assert.equal(a.template, b.template);
    assert.equal(templateKey(fleetProfile(1)), templateKey(fleetProfile(2)));
    assert.equal(b.readValue('./DevInfo/DevId'), 'imei:350000000000002');
    assert.equal(readDmAccounts(b)[0]?.client.secret, 'c-2');
    createStandardTree(fleetProfile(3, { fwV: '2.0' }), { cache });
    assert.equal(cache.size, 2);
  });

  it('keeps each device of a shared template small (2,000 trees; numbers reported, bound generous)', (t) => {
    const gc = gcFunction();
    const cache = new TreeTemplateCache();
    createStandardTree(fleetProfile(0), { cache });
    const profiles = Array.from({ length: 2000 }, (_, i) => fleetProfile(i + 1));
    gc();
    const before = process.memoryUsage().heapUsed;
    const trees: ManagementTree[] = profiles.map((p) => createStandardTree(p, { cache }));
    gc();
    const after = process.memoryUsage().heapUsed;
    const perDevice = (after - before) / trees.length;
    t.diagnostic(`heap growth per device: ${perDevice.toFixed(0)} bytes (overlay entries: ${trees[7]?.store.overlaySize ?? 0})`);
    assert.equal(cache.size, 1);
    assert.ok(perDevice < 4096, `per-device heap ${perDevice.toFixed(0)} B exceeds the generous 4 KiB bound`);
    assert.equal(trees[1999]?.readValue('./DevInfo/DevId'), 'imei:350000000002000');
  });
});
