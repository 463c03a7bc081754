import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../../src/core/errors.js';
import { MAX_IN_SESSION_BYTES, checkCampaignInput } from '../../../src/server/campaign/campaign-input.js';
import { waveSizeOf } from '../../../src/server/campaign/campaign-selection.js';
import type { FirmwarePackageRecord } from '../../../src/server/firmware/firmware-store.js';

const pkg = {
  id: 'fw-1', name: 'Image 2.0 (beta)', version: '2.0', fromVersions: [], models: [], size: 10, sha256: 'a'.repeat(64),
  contentType: 'application/octet-stream', location: { kind: 'local', file: 'fw-1.bin' }, createdAt: 0,
} as unknown as FirmwarePackageRecord;

describe('checkCampaignInput', () => {
  it('fills defaults: flow, FUMO node from the package name, 100 in flight, 30 minute time-out', () => {
    const c = checkCampaignInput({ name: ' c ', packageId: 'fw-1' }, pkg);
    assert.equal(c.name, 'c');
    assert.equal(c.flow, 'download-and-update');
    assert.equal(c.fumoNode, 'Image_2.0_beta_');
    assert.deepEqual(c.rollout, { maxInFlight: 100 });
    assert.equal(c.deviceTimeoutMs, 1_800_000);
  });

  it('refuses bad values with ERR_CAMPAIGN_INVALID', () => {
    const bad = [
      { name: '' }, { flow: 'sideways' }, { fumoNode: 'a/b' }, { rollout: { maxInFlight: 0 } }, { rollout: { failureThreshold: 2 } },
      { retry: { sometimes: { maxAttempts: 1, delayMs: 0 } } }, { retry: { network: { maxAttempts: 0, delayMs: 0 } } },
      { selection: { models: [''] } }, { deviceTimeoutMs: 5 },
    ];
    for (const b of bad) {
      assert.throws(() => checkCampaignInput({ name: 'c', packageId: 'fw-1', ...b } as never, pkg), { code: ErrorCode.ERR_CAMPAIGN_INVALID }, JSON.stringify(b));
    }
  });

  it('refuses the in-session flow for external or large packages', () => {
    assert.throws(() => checkCampaignInput({ name: 'c', packageId: 'x', flow: 'update-in-session' }, { ...pkg, location: { kind: 'external', url: 'http://x' } }),
      { code: ErrorCode.ERR_CAMPAIGN_INVALID });
    assert.throws(() => checkCampaignInput({ name: 'c', packageId: 'x', flow: 'update-in-session' }, { ...pkg, size: MAX_IN_SESSION_BYTES + 1 }),
      { code: ErrorCode.ERR_CAMPAIGN_INVALID });
  });
});

describe('waveSizeOf', () => {
  it('takes a count, else a percentage rounded up, else everything', () => {
    assert.equal(waveSizeOf({ maxInFlight: 1, waveSize: 7 }, 100), 7);
    assert.equal(waveSizeOf({ maxInFlight: 1, wavePercent: 10 }, 95), 10);
    assert.equal(waveSizeOf({ maxInFlight: 1 }, 42), 42);
    assert.equal(waveSizeOf({ maxInFlight: 1, wavePercent: 1 }, 3), 1);
  });
});
