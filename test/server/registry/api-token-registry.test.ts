import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ApiTokenRegistry, hashApiToken } from '../../../src/server/registry/api-token-registry.js';
import type { ServerStore } from '../../../src/server/store/store.js';
import { fakeClock, storeFactories } from '../store/store-factories.js';

for (const factory of storeFactories) {
  describe(`ApiTokenRegistry on ${factory.name}`, () => {
    let store: ServerStore;
    let dispose: () => Promise<void>;
    let tokens: ApiTokenRegistry;
    const clock = fakeClock();
    beforeEach(async () => {
      ({ store, dispose } = await factory.create());
      tokens = new ApiTokenRegistry({ store, clock });
    });
    afterEach(async () => dispose());

    it('hands out a token once and stores only its SHA-256', async () => {
      const { token, record } = await tokens.create({ name: 'ci', scopes: ['devices:read'] });
      assert.match(token, /^omadm_[A-Za-z0-9_-]{43}$/);
      assert.equal(hashApiToken(token).length, 64);
      assert.deepEqual(await store.apiTokens.findByHash(hashApiToken(token)), record);
      assert.ok(!JSON.stringify(await tokens.list()).includes(token.slice(6)));
    });

    it('verifies a live token and records its use', async () => {
      const { token, record } = await tokens.create({ name: 'ops' });
      clock.advance(5);
      const got = await tokens.verify(token);
      assert.equal(got?.id, record.id);
      assert.equal(got?.lastUsedAt, clock.now());
      assert.equal((await tokens.list())[0]?.lastUsedAt, clock.now());
      assert.equal(await tokens.verify(`${token}x`), undefined);
      assert.equal(await tokens.verify('not-a-token'), undefined);
    });

    it('refuses revoked and expired tokens', async () => {
      const a = await tokens.create({ name: 'a' });
      const b = await tokens.create({ name: 'b', expiresAt: clock.now() + 100 });
      assert.equal(await tokens.revoke(a.record.id), true);
      assert.equal(await tokens.revoke(a.record.id), false);
      assert.equal(await tokens.verify(a.token), undefined);
      assert.ok(await tokens.verify(b.token));
      clock.advance(100);
      assert.equal(await tokens.verify(b.token), undefined);
    });
  });
}
