import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FumoResult } from '../../../src/core/constants/fumo.js';
import { failureClassOf, nextAttemptAt, retryRuleOf } from '../../../src/server/campaign/campaign-policy.js';

describe('failureClassOf', () => {
  it('puts every FUMO failure code of the reference table in a class', () => {
    const expected: Record<number, string> = {
      400: 'download-server', 401: 'user', 402: 'package', 403: 'package', 404: 'package', 405: 'package', 406: 'download-server',
      407: 'network', 408: 'update', 409: 'update', 410: 'update', 411: 'download-server', 412: 'download-server',
      500: 'download-server', 501: 'memory', 502: 'memory', 503: 'network',
    };
    for (const code of Object.values(FumoResult)) {
      if (code === 200) continue;
      assert.equal(failureClassOf(code), expected[code], `code ${code}`);
    }
  });

  it('reads the vendor ranges: 450–499 update, 550–599 download server', () => {
    assert.equal(failureClassOf(460), 'update');
    assert.equal(failureClassOf(560), 'download-server');
  });
});

describe('nextAttemptAt', () => {
  it('retries while attempts are left, after the class delay', () => {
    const policy = { network: { maxAttempts: 3, delayMs: 100 } };
    assert.equal(nextAttemptAt(policy, { cls: 'network', attempt: 1, now: 1000 }), 1100);
    assert.equal(nextAttemptAt(policy, { cls: 'network', attempt: 3, now: 1000 }), undefined);
    assert.equal(nextAttemptAt({}, { cls: 'package', attempt: 1, now: 0 }), undefined);
    assert.deepEqual(retryRuleOf({}, 'network'), { maxAttempts: 3, delayMs: 30_000 });
  });
});
