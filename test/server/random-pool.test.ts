import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pooledRandomBytes } from '../../src/server/random-pool.js';

describe('pooledRandomBytes', () => {
  it('returns the requested number of bytes, small and large', () => {
    assert.equal(pooledRandomBytes(16).byteLength, 16);
    assert.equal(pooledRandomBytes(5000).byteLength, 5000);
  });

  it('never hands out the same bytes twice, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(Buffer.from(pooledRandomBytes(16)).toString('hex'));
    assert.equal(seen.size, 2000);
  });

  it('returns a copy that later calls do not overwrite', () => {
    const first = pooledRandomBytes(16);
    const snapshot = Buffer.from(first).toString('hex');
    for (let i = 0; i < 1000; i++) pooledRandomBytes(16);
    assert.equal(Buffer.from(first).toString('hex'), snapshot);
  });
});
