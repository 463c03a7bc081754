/**
 * End to end over real HTTP: the DM server with the FUMO module runs a campaign through each of
 * the three FUMO flows (reference §1.11). Devices get PkgURL (or PkgData in the session), answer
 * the Exec with 202, download from the server's /firmware route, install (FwV/SwV switch),
 * report the Generic Alert 1226 in a new session, and the server verifies DevDetail/FwV.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { encodeSimulatedFirmware } from '../../src/client/mo/fumo-updater.js';
import type { CampaignFlow } from '../../src/server/campaign/campaign-types.js';
import { type FumoRig, startRig, waitForCampaign } from './fumo-harness.js';

describe('FUMO flows end to end', () => {
  let rig: FumoRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  const cases: readonly [CampaignFlow, boolean][] = [
    ['download-and-update', false], ['download-and-update', true], ['download-then-update', false], ['update-in-session', false],
  ];
  for (const [flow, useDescriptor] of cases) {
    it(`updates devices with the ${flow} flow${useDescriptor ? ' through a download descriptor' : ''}`, async () => {
      rig = await startRig({ count: 3 });
      const { fumo } = rig.srv;
      const pkg = await fumo.firmware.upload(encodeSimulatedFirmware({ fwV: '2.0', swV: '2.0.0', mod: 'SIM-1' }), { name: 'Image 2.0', version: '2.0', models: ['SIM-1'] });
      const c = await fumo.campaigns.create({ name: flow, packageId: pkg.id, flow, useDescriptor, fumoNode: 'Pkg', rollout: { maxInFlight: 10 } });
      await fumo.campaigns.start(c.id);
      const s = await waitForCampaign(fumo.campaigns, c.id);
      assert.equal(s.byState.succeeded, 3, JSON.stringify(s));
      assert.deepEqual(s.byResult, [{ code: 200, meaning: 'Successful', count: 3 }]);
      await rig.fleet.idle();
      for (const id of rig.fleet.ids) {
        assert.equal(rig.fleet.fwV(id), '2.0');
        assert.equal(rig.fleet.fumoState(id, 'Pkg'), '100', 'Update Successful / No Data');
      }
      const devices = (await fumo.campaigns.devices(c.id)).items;
      assert.ok(devices.every((d) => d.fwAfter === '2.0' && d.attempt === 1));
      const record = await rig.srv.server.registry.get(devices[0]?.deviceId as never);
      assert.equal(record?.devDetail['FwV'], '2.0', 'the server caches the verified version');
    });
  }
});
