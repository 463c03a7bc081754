// SQLite-specific behaviour of the tree cache's multi-row upsert (the shared behaviour is in ../contract/tree.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteStore } from '../../../../src/server/store/sqlite/sqlite-store.js';
import { deviceId, type TreeValueSource } from '../../../../src/server/store/store.js';

describe('SqliteTreeCacheStore upsert', () => {
  let dir: string;
  let store: SqliteStore;
  const id = deviceId('IMEI:1');
  const node = (uri: string, data: string, at = 1, source: TreeValueSource = 'get') => ({ uri, data, source, at });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'omadm-sqlite-tree-'));
    store = SqliteStore.open({ path: join(dir, 'store.db') });
    await store.devices.insert({ id, createdAt: 1 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the last value when one call names a node twice, under any spelling', async () => {
    await store.tree.upsert(id, [node('./A/B', 'first', 1), node('./C', 'c'), node('A/B/', 'second', 2, 'replace')]);
    const all = await store.tree.list(id, {});
    assert.deepEqual(all.items.map((n) => [n.uri, n.data]), [['./A/B', 'second'], ['./C', 'c']]);
    assert.deepEqual(await store.tree.get(id, 'A/B'), { deviceId: id, uri: './A/B', data: 'second', source: 'replace', at: 2 });
  });

  it('writes more nodes than one statement holds, and updates them all on the next call', async () => {
    const uris = Array.from({ length: 150 }, (_, i) => `./Apps/A${String(i).padStart(3, '0')}`);
    await store.tree.upsert(id, uris.map((u) => node(u, 'v1')));
    await store.tree.upsert(id, uris.map((u, i) => ({ ...node(u, `v2-${i}`, 5), format: 'chr' })));
    const seen: { uri: string; data?: string; format?: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.tree.list(id, { prefix: './Apps', limit: 100, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen.map((n) => [n.uri, n.data, n.format]), uris.map((u, i) => [u, `v2-${i}`, 'chr']));
  });

  it('clears optional columns a later value does not carry, row by row', async () => {
    await store.tree.upsert(id, [{ ...node('./X', 'AAH/'), base64: true, format: 'bin', type: 'application/octet-stream' }, node('./Y', 'y')]);
    await store.tree.upsert(id, [node('./X', 'plain', 3), { ...node('./Y', 'y2', 3), format: 'int' }]);
    assert.deepEqual(await store.tree.get(id, './X'), { deviceId: id, uri: './X', data: 'plain', source: 'get', at: 3 });
    assert.deepEqual(await store.tree.get(id, './Y'), { deviceId: id, uri: './Y', data: 'y2', format: 'int', source: 'get', at: 3 });
  });

  it('writes nothing for an empty call, and nothing at all when a multi-statement call fails', async () => {
    await store.tree.upsert(id, []);
    assert.deepEqual((await store.tree.list(id, {})).items, []);
    const many = Array.from({ length: 100 }, (_, i) => node(`./N${i}`, 'v'));
    await assert.rejects(store.tree.upsert(deviceId('IMEI:none'), many));
    await assert.rejects(store.transaction(async (tx) => {
      await tx.tree.upsert(id, many);
      throw new Error('roll back');
    }));
    assert.deepEqual((await store.tree.list(id, {})).items, []);
  });
});
