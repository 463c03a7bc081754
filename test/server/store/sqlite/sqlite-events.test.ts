// Event appends inside a group-commit batch are buffered and written just before COMMIT: ids,
// savepoint rollbacks, reads of the own batch, close and failed batches must not notice.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../../../src/server/store/sqlite/sqlite-store.js';
import { deviceId, type DmEvent, type EventRecord } from '../../../../src/server/store/store.js';

function registered(name: string): DmEvent {
  return { type: 'device.registered', deviceId: deviceId(name), how: 'manual' };
}

/** [id, deviceId] of every stored event, in id order. */
async function stored(store: SqliteStore): Promise<[string, string][]> {
  const page = await store.events.list({ limit: 1000 });
  return page.items.map((e) => [e.id, e.deviceId]);
}

describe('SqliteEventStore (buffered appends)', () => {
  let dir: string;
  let path: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omadm-events-'));
    path = join(dir, 'store.db');
    store = SqliteStore.open({ path });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns sequential final ids from appends that share one batch', async () => {
    const first = await store.events.append(registered('d0'), 1);
    // Started together, these logical transactions share one batch (one COMMIT).
    const appended = await Promise.all(['a', 'b', 'c'].map((name) => store.transaction(async (tx) => [
      await tx.events.append(registered(`${name}1`), 2),
      await tx.events.append(registered(`${name}2`), 3),
    ])));
    const ids = [first, ...appended.flat()].map((e) => Number(e.id));
    assert.deepEqual(ids, [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(await stored(store), [first, ...appended.flat()].map((e) => [e.id, e.deviceId]));
    const [one] = (await store.events.list({ deviceId: deviceId('b2') })).items;
    assert.deepEqual(one, { ...registered('b2'), id: '5', at: 3 });
  });

  it('drops only the events of a logical transaction that rolls back', async () => {
    const results = await Promise.allSettled([
      store.transaction(async (tx) => [await tx.events.append(registered('a1'), 1), await tx.events.append(registered('a2'), 1)]),
      store.transaction(async (tx) => {
        await tx.events.append(registered('b1'), 1);
        throw new Error('b fails');
      }),
      store.transaction(async (tx) => [await tx.events.append(registered('c1'), 1)]),
    ]);
    assert.equal(results[1].status, 'rejected');
    const kept = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : [])) as EventRecord[];
    assert.deepEqual(kept.map((e) => e.id), ['1', '2', '3']);
    assert.deepEqual(await stored(store), [['1', 'a1'], ['2', 'a2'], ['3', 'c1']]);
  });

  it('keeps earlier transactions\' events when a later one flushes them by reading, then rolls back', async () => {
    const results = await Promise.allSettled([
      store.transaction(async (tx) => tx.events.append(registered('a1'), 1)),
      store.transaction(async (tx) => {
        await tx.events.append(registered('b1'), 1);
        assert.equal((await tx.events.list({})).items.length, 2); // writes a1 and b1 after b's savepoint
        throw new Error('b fails');
      }),
      store.transaction(async (tx) => tx.events.append(registered('c1'), 1)),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.deepEqual(await stored(store), [['1', 'a1'], ['2', 'c1']]);
  });

  it('lets a transaction read the events it (and its batch) appended', async () => {
    const [, seen] = await Promise.all([
      store.transaction(async (tx) => tx.events.append(registered('a1'), 1)),
      store.transaction(async (tx) => {
        await tx.events.append(registered('b1'), 1);
        const desc = await tx.events.list({ order: 'desc', limit: 1 });
        await tx.events.append(registered('b2'), 1);
        return [desc.items.map((e) => e.deviceId), (await tx.events.list({})).items.map((e) => e.deviceId)];
      }),
    ]);
    assert.deepEqual(seen, [['b1'], ['a1', 'b1', 'b2']]);
    assert.deepEqual((await stored(store)).map(([id]) => id), ['1', '2', '3']);
  });

  it('writes buffered events when the store closes', async () => {
    const pending = [1, 2, 3].map((i) => store.transaction(async (tx) => tx.events.append(registered(`d${i}`), i)));
    await store.close();
    assert.deepEqual((await Promise.all(pending)).map((e) => e.id), ['1', '2', '3']);
    store = SqliteStore.open({ path });
    assert.deepEqual(await stored(store), [['1', 'd1'], ['2', 'd2'], ['3', 'd3']]);
  });

  it('writes batches larger than one multi-row INSERT', async () => {
    const appended = await Promise.all(Array.from({ length: 150 }, (_, i) => store.transaction(async (tx) => tx.events.append(registered(`d${i}`), i))));
    assert.deepEqual(appended.map((e) => Number(e.id)), Array.from({ length: 150 }, (_, i) => i + 1));
    assert.deepEqual(await stored(store), appended.map((e) => [e.id, e.deviceId]));
  });

  it('never reuses the id of a deleted event', async () => {
    await store.events.append(registered('d1'), 1);
    await store.events.append(registered('d2'), 1);
    const other = new Database(path);
    other.prepare('DELETE FROM events WHERE id = 2').run();
    other.close();
    const next = await store.transaction(async (tx) => tx.events.append(registered('d3'), 1));
    assert.equal(next.id, '3');
  });

  it('drops every buffered event of a batch whose COMMIT fails, and carries on', async () => {
    // Another connection adds a trigger that makes the deferred INSERT fail just before COMMIT.
    const other = new Database(path);
    other.exec("CREATE TRIGGER no_boom BEFORE INSERT ON events WHEN NEW.device_id = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END");
    other.close();
    const results = await Promise.allSettled([
      store.transaction(async (tx) => tx.events.append(registered('a1'), 1)),
      store.transaction(async (tx) => tx.events.append(registered('boom'), 1)),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
    assert.deepEqual(await stored(store), []);
    const again = await store.transaction(async (tx) => tx.events.append(registered('a1'), 1));
    assert.equal(again.id, '1');
    assert.deepEqual(await stored(store), [['1', 'a1']]);
  });
});
