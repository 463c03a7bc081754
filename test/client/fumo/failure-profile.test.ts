import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FumoResult } from '../../../src/core/constants/fumo.js';
import { ErrorCode } from '../../../src/core/errors.js';
import { ALL_FAILURE_KINDS, DOWNLOAD_FAILURES, FAILURE_RESULT, FailureProfile, parseFailureProfile } from '../../../src/client/fumo/failure-profile.js';

const ids = Array.from({ length: 2000 }, (_, i) => `IMEI:${100000 + i}`);

describe('FailureProfile', () => {
  it('has a kind for every FUMO failure result code of the reference table', () => {
    const failureCodes = Object.values(FumoResult).filter((c) => c !== 200).sort();
    assert.deepEqual([...new Set(Object.values(FAILURE_RESULT))].sort(), failureCodes);
    assert.equal(ALL_FAILURE_KINDS.length, failureCodes.length);
  });

  it('fails the same devices in every run, at about the given rate', () => {
    const a = new FailureProfile({ seed: 's1', rate: 0.1 });
    const b = new FailureProfile({ seed: 's1', rate: 0.1 });
    const failing = ids.filter((id) => a.kindFor(id) !== undefined);
    assert.deepEqual(failing, ids.filter((id) => b.kindFor(id) !== undefined));
    assert.ok(failing.length > 150 && failing.length < 250, `${failing.length} of 2000`);
    const other = new FailureProfile({ seed: 's2', rate: 0.1 });
    assert.notDeepEqual(failing, ids.filter((id) => other.kindFor(id) !== undefined));
  });

  it('spreads failures over the mix and honours forced devices', () => {
    const p = new FailureProfile({ rate: 1, mix: { 'network-loss': 1, 'wrong-device': 3 }, devices: { 'IMEI:100000': 'user-cancel' } });
    const counts = p.expectedCounts(ids);
    assert.equal(counts.get('ok'), undefined);
    assert.equal(counts.get(401), 1);
    const n503 = counts.get(503) ?? 0;
    const n403 = counts.get(403) ?? 0;
    assert.equal(n503 + n403, ids.length - 1);
    assert.ok(n403 > 2 * n503);
  });

  it('counts download kinds as successes for a flow without download', () => {
    const p = new FailureProfile({ rate: 1, mix: { 'network-loss': 1, 'update-failed': 1 } });
    const counts = p.expectedCounts(ids, { downloads: false });
    assert.equal((counts.get('ok') ?? 0) + (counts.get(410) ?? 0), ids.length);
    assert.equal(counts.get(503), undefined);
    assert.ok(DOWNLOAD_FAILURES.has('network-loss'));
  });

  it('refuses bad profiles with one-line config errors', () => {
    for (const text of ['[]', '{"rate":2}', '{"rate":0.5,"mix":{"explode":1}}', '{"devices":{"a":"nope"}}', '{"rate":0.5,"mix":{"bad-url":0}}', 'x']) {
      assert.throws(() => parseFailureProfile(text), { code: ErrorCode.ERR_CONFIG_INVALID }, text);
    }
    assert.equal(parseFailureProfile('{"rate":0}').kindFor('x'), undefined);
  });
});
