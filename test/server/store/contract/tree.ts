// Store contract: TreeCacheStore (normalization, prefix listing, subtree delete).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ErrorCode } from '../../../../src/core/errors.js';
import { deviceId, type ServerStore, type TreeValueSource } from '../../../../src/server/store/store.js';
import type { StoreFactory } from '../store-factories.js';

export function treeContract(factory: StoreFactory): void {
  describe(`${factory.name}: TreeCacheStore`, () => {
    let store: ServerStore;
    let dispose: () => Promise<void>;
    const id = deviceId('IMEI:1');
    const other = deviceId('IMEI:2');
    beforeEach(async () => {
      ({ store, dispose } = await factory.create());
      await store.devices.insert({ id, createdAt: 1 });
      await store.devices.insert({ id: other, createdAt: 1 });
    });
    afterEach(async () => dispose());

    const node = (uri: string, data: string, source: TreeValueSource = 'get') => ({ uri, data, format: 'chr', source, at: 7 });

    it('normalizes URIs so ./A/B, A/B and A/B/ are one node', async () => {
      await store.tree.upsert(id, [node('DevDetail/FwV/', '1.0')]);
      const got = await store.tree.get(id, './DevDetail/FwV');
      assert.deepEqual(got, { deviceId: id, uri: './DevDetail/FwV', data: '1.0', format: 'chr', source: 'get', at: 7 });
      assert.deepEqual(await store.tree.get(id, 'DevDetail/FwV'), got);
      await store.tree.upsert(id, [{ uri: './DevDetail/FwV', data: '2.0', source: 'replace', at: 9, type: 'text/plain' }]);
      assert.deepEqual(await store.tree.get(id, 'DevDetail/FwV'), { deviceId: id, uri: './DevDetail/FwV', data: '2.0', type: 'text/plain', source: 'replace', at: 9 });
    });

    it('keeps binary values as base64 with their flag', async () => {
      await store.tree.upsert(id, [{ uri: './Vendor/Blob', data: 'AAH/', base64: true, format: 'bin', source: 'get', at: 1 }]);
      assert.equal((await store.tree.get(id, './Vendor/Blob'))?.base64, true);
    });

    it('lists a prefix by whole segments, ordered by URI, per device', async () => {
      await store.tree.upsert(id, [
        node('./DevDetail', 'FwV/SwV'), node('./DevDetail/SwV', 's'), node('./DevDetail/FwV', 'f'), node('./DevDetailX/A', 'x'),
        node('./DevDetail/Ext/Deep/Leaf', 'd'), node('./DevInfo/Man', 'm'),
      ]);
      await store.tree.upsert(other, [node('./DevDetail/FwV', 'other')]);
      const page = await store.tree.list(id, { prefix: 'DevDetail' });
      assert.deepEqual(page.items.map((n) => n.uri), ['./DevDetail', './DevDetail/Ext/Deep/Leaf', './DevDetail/FwV', './DevDetail/SwV']);
      const all = await store.tree.list(id, {});
      assert.equal(all.items.length, 6);
      const leaf = await store.tree.list(id, { prefix: './DevInfo/Man' });
      assert.deepEqual(leaf.items.map((n) => n.uri), ['./DevInfo/Man']);
      assert.deepEqual((await store.tree.list(id, { prefix: './Nope' })).items, []);
    });

    it('pages through a prefix listing with a cursor', async () => {
      const nodes = Array.from({ length: 25 }, (_, i) => node(`./Apps/A${String(i).padStart(2, '0')}`, String(i)));
      await store.tree.upsert(id, nodes);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.tree.list(id, { prefix: './Apps', limit: 10, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((n) => n.uri));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, nodes.map((n) => n.uri));
    });

    it('deletes a node with its subtree and nothing else', async () => {
      await store.tree.upsert(id, [node('./A', ''), node('./A/B', 'b'), node('./A/B/C', 'c'), node('./AB', 'ab'), node('./A.B', 'dot')]);
      await store.tree.upsert(other, [node('./A/B', 'b')]);
      assert.equal(await store.tree.deleteSubtree(id, 'A'), 3);
      assert.deepEqual((await store.tree.list(id, {})).items.map((n) => n.uri), ['./A.B', './AB']);
      assert.ok(await store.tree.get(other, './A/B'));
      assert.equal(await store.tree.deleteSubtree(id, '.'), 2);
      assert.deepEqual((await store.tree.list(id, {})).items, []);
    });

    it('refuses nodes of an unknown device', async () => {
      await assert.rejects(store.tree.upsert(deviceId('IMEI:none'), [node('./A', '1')]), { code: ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND });
    });
  });
}
