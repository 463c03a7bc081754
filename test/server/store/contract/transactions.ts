// Store contract: transaction(fn) commits together, rolls back together, isolates outside callers.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { deviceId, type ServerStore } from '../../../../src/server/store/store.js';
import type { StoreFactory } from '../store-factories.js';

export function transactionContract(factory: StoreFactory): void {
  describe(`${factory.name}: transaction`, () => {
    let store: ServerStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await factory.create());
    });
    afterEach(async () => dispose());
    const a = deviceId('IMEI:a');
    const b = deviceId('IMEI:b');

    it('commits every write of the function together and returns its value', async () => {
      const value = await store.transaction(async (tx) => {
        await tx.devices.insert({ id: a, createdAt: 1 });
        await tx.jobs.insert([{ deviceId: a, command: { kind: 'Get', uris: ['./A'] }, priority: 0, size: 1, createdAt: 1 }]);
        return 42;
      });
      assert.equal(value, 42);
      assert.ok(await store.devices.get(a));
      assert.equal((await store.jobs.list({ deviceId: a })).items.length, 1);
    });

    it('rolls back every write when the function throws, and runs no after-commit callback', async () => {
      let called = false;
      await assert.rejects(store.transaction(async (tx) => {
        await tx.devices.insert({ id: a, createdAt: 1 });
        tx.afterCommit(() => { called = true; });
        throw new Error('boom');
      }), /boom/);
      assert.equal(await store.devices.get(a), undefined);
      assert.equal(called, false);
    });

    it('runs after-commit callbacks once the transaction commits, and at once outside one', async () => {
      const order: string[] = [];
      await store.transaction(async (tx) => {
        tx.afterCommit(() => order.push('after'));
        await tx.devices.insert({ id: a, createdAt: 1 });
        order.push('body');
      });
      store.afterCommit(() => order.push('outside'));
      assert.deepEqual(order, ['body', 'after', 'outside']);
    });

    it('lets a nested transaction join the open one', async () => {
      await assert.rejects(store.transaction(async (tx) => {
        await tx.transaction(async (inner) => inner.devices.insert({ id: a, createdAt: 1 }));
        throw new Error('outer fails');
      }));
      assert.equal(await store.devices.get(a), undefined);
    });

    it('keeps a write made outside an open transaction out of it (it waits for the commit)', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      let insideSawB = true;
      const txDone = store.transaction(async (tx) => {
        await tx.devices.insert({ id: a, createdAt: 1 });
        await gate;
        insideSawB = (await tx.devices.get(b)) !== undefined;
        throw new Error('roll back');
      });
      await new Promise((r) => setImmediate(r));
      const outside = store.devices.insert({ id: b, createdAt: 2 });
      release();
      await assert.rejects(txDone, /roll back/);
      await outside;
      assert.equal(insideSawB, false, 'the outside write did not run inside the transaction');
      assert.ok(await store.devices.get(b), 'the outside write survived the rollback');
      assert.equal(await store.devices.get(a), undefined);
    });

    it('serializes concurrent transactions', async () => {
      await store.devices.insert({ id: a, createdAt: 1 });
      const runs = Array.from({ length: 20 }, (_, i) => store.transaction(async (tx) => {
        const d = await tx.devices.get(a);
        await new Promise((r) => setImmediate(r));
        await tx.devices.update(a, { tags: { n: String(Number(d?.tags.n ?? '0') + 1) } }, i);
      }));
      await Promise.all(runs);
      assert.equal((await store.devices.get(a))?.tags.n, '20');
    });

    it('refuses to use a transaction scope after it finished', async () => {
      let leaked: Parameters<Parameters<ServerStore['transaction']>[0]>[0] | undefined;
      await store.transaction(async (tx) => { leaked = tx; });
      await assert.rejects(leaked?.devices.get(a) ?? Promise.resolve());
    });
  });
}
