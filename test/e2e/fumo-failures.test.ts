/**
 * End to end: every FUMO result code of the reference table (§2.3) is produced by a simulated
 * device through its failure profile, reaches the server in a Generic Alert 1226, and is recorded
 * on the campaign with its meaning and failure class; the device's FUMO State shows the phase
 * that failed (20 download failed, 70 update failed with data).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fumoResultMeaning } from '../../src/core/constants/fumo.js';
import { ALL_FAILURE_KINDS, DOWNLOAD_FAILURES, FAILURE_RESULT, FailureProfile } from '../../src/client/fumo/failure-profile.js';
import { encodeSimulatedFirmware } from '../../src/client/mo/fumo-updater.js';
import { failureClassOf } from '../../src/server/campaign/campaign-policy.js';
import type { CampaignStatus } from '../../src/server/campaign/campaign-status.js';
import type { CampaignDeviceRecord, FailureClass } from '../../src/server/campaign/campaign-types.js';
import { type FumoRig, startRig, waitForCampaign } from './fumo-harness.js';

const ids = ALL_FAILURE_KINDS.map((_, n) => `IMEI:35100000000${String(n).padStart(4, '0')}`);
const NO_RETRY = Object.fromEntries(['network', 'download-server', 'package', 'user', 'memory', 'update', 'exec', 'timeout', 'verify']
  .map((c) => [c, { maxAttempts: 1, delayMs: 0 }])) as Record<FailureClass, { maxAttempts: number; delayMs: number }>;

describe('FUMO failure result codes end to end', () => {
  let rig: FumoRig;
  let status: CampaignStatus;
  let devices: CampaignDeviceRecord[];
  before(async () => {
    const failures = new FailureProfile({ devices: Object.fromEntries(ALL_FAILURE_KINDS.map((k, n) => [ids[n], k])) });
    rig = await startRig({ count: ids.length + 1, failures, idOf: (n) => ids[n] ?? 'IMEI:351000000009999' });
    const { fumo } = rig.srv;
    const body = Buffer.concat([Buffer.from(encodeSimulatedFirmware({ fwV: '2.0', mod: 'SIM-1' })), Buffer.alloc(50_000, 0x20)]);
    const pkg = await fumo.firmware.upload(new Uint8Array(body), { name: 'Image 2.0', version: '2.0' });
    const c = await fumo.campaigns.create({ name: 'codes', packageId: pkg.id, fumoNode: 'Pkg', retry: NO_RETRY, rollout: { maxInFlight: 50 } });
    await fumo.campaigns.start(c.id);
    status = await waitForCampaign(fumo.campaigns, c.id);
    devices = [...(await fumo.campaigns.devices(c.id, { limit: 1000 })).items];
    await rig.fleet.idle();
  });
  after(async () => rig.close());

  it('records one device per failure code, each with its meaning, and the one healthy device as a success', () => {
    const expected = [200, ...ALL_FAILURE_KINDS.map((k) => FAILURE_RESULT[k])].sort((a, b) => a - b);
    assert.deepEqual(status.byResult.map((r) => r.code), expected);
    for (const r of status.byResult) {
      assert.equal(r.count, 1, `code ${r.code}`);
      assert.equal(r.meaning, fumoResultMeaning(r.code));
    }
    assert.equal(status.byState.succeeded, 1);
    assert.equal(status.byState.failed, ALL_FAILURE_KINDS.length);
  });

  for (const [n, kind] of ALL_FAILURE_KINDS.entries()) {
    it(`records ${kind} as ${FAILURE_RESULT[kind]} (${fumoResultMeaning(FAILURE_RESULT[kind])})`, () => {
      const d = devices.find((x) => x.deviceId === ids[n]);
      assert.equal(d?.state, 'failed');
      assert.equal(d?.resultCode, FAILURE_RESULT[kind]);
      assert.equal(d?.detail, fumoResultMeaning(FAILURE_RESULT[kind]));
      assert.equal(d?.failureClass, failureClassOf(FAILURE_RESULT[kind]));
      const state = rig.fleet.fumoState(ids[n] ?? '', 'Pkg');
      assert.equal(state, DOWNLOAD_FAILURES.has(kind) ? '20' : '70', 'FUMO State after the failure');
      assert.equal(rig.fleet.fwV(ids[n] ?? ''), '1.0', 'the firmware did not change');
    });
  }
});
