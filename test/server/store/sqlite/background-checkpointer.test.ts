/** Background WAL checkpoints: the server's COMMITs only append; a worker copies pages into the file. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { BackgroundCheckpointer, type CheckpointResult } from '../../../../src/server/store/sqlite/background-checkpointer.js';
import { SqliteStore } from '../../../../src/server/store/sqlite/sqlite-store.js';
import { deviceId } from '../../../../src/server/store/store.js';
import { until } from '../../../helpers/until.js';

/** About 300 KB of device rows (~75 WAL pages), far below SQLite's own 1,000-page checkpoint. */
async function writeBurst(store: SqliteStore, burst: number): Promise<void> {
  const detail = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`Ext/Key${i}`, 'x'.repeat(40)]));
  await store.transaction(async (tx) => {
    for (let i = 0; i < 250; i++) await tx.devices.insert({ id: deviceId(`IMEI:${burst}-${i}`), devDetail: detail, createdAt: 1 });
  });
}


describe('background WAL checkpoints', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omadm-ckpt-'));
    path = join(dir, 'store.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies committed pages into the database file without the writer checkpointing', async () => {
    const store = SqliteStore.open({ path, checkpoint: 'background' });
    const before = statSync(path).size;
    await writeBurst(store, 0);
    await until(() => statSync(path).size > before + 200_000, 'the checkpoint', 5000);
    await store.close();
  });

  it('leaves the pages in the WAL when checkpoints are inline and the WAL is small', async () => {
    const store = SqliteStore.open({ path });
    const before = statSync(path).size;
    await writeBurst(store, 0);
    await sleep(400);
    assert.equal(statSync(path).size, before);
    assert.ok(statSync(`${path}-wal`).size > 200_000);
    await store.close();
  });

  it('keeps the WAL to about one burst: a complete checkpoint lets the next write start it over', async () => {
    const reports: CheckpointResult[] = [];
    const store = SqliteStore.open({ path, checkpoint: 'background', onCheckpoint: (r) => reports.push(r) });
    const complete = (): boolean => reports.some((r) => r.walFrames > 0 && r.checkpointedFrames === r.walFrames);
    for (let burst = 0; burst < 5; burst++) {
      await writeBurst(store, burst);
      // Two complete checkpoints after the burst: the second one began after the burst committed.
      for (let i = 0; i < 2; i++) {
        reports.length = 0;
        await until(complete, 'a complete checkpoint', 5000);
      }
    }
    // Five bursts appended to one WAL would be over 1.5 MB.
    assert.ok(statSync(`${path}-wal`).size < 600_000, `WAL is ${statSync(`${path}-wal`).size} bytes`);
    await store.close();
  });

  it('closes cleanly: the last connection removes the WAL and every row is in the file', async () => {
    const store = SqliteStore.open({ path, checkpoint: 'background' });
    await writeBurst(store, 0);
    await store.close();
    assert.equal(existsSync(`${path}-wal`), false);
    const db = new Database(path, { readonly: true });
    assert.equal(db.prepare('SELECT count(*) FROM devices').pluck().get(), 250);
    db.close();
  });

  it('lets two stores on one file (two server processes) both checkpoint in the background', async () => {
    const a = SqliteStore.open({ path, checkpoint: 'background' });
    const b = SqliteStore.open({ path, checkpoint: 'background' });
    for (let burst = 0; burst < 4; burst++) {
      await writeBurst(burst % 2 === 0 ? a : b, burst);
      await sleep(150); // a checkpoint between bursts, by either worker
    }
    await a.close();
    await b.close();
    const db = new Database(path, { readonly: true });
    assert.equal(db.prepare('SELECT count(*) FROM devices').pluck().get(), 1000);
    db.close();
  });

  it('is not started for an in-memory database', async () => {
    const store = SqliteStore.open({ path: ':memory:', checkpoint: 'background' });
    await writeBurst(store, 0);
    await store.close();
  });

  it('reports, with SQLite\'s reason, a worker that cannot open the file, and still stops cleanly', async () => {
    let reported: (err: Error) => void = () => undefined;
    const failure = new Promise<Error>((resolve) => {
      reported = resolve;
    });
    // The worker never keeps a process alive on its own (a server's sockets do): this test must.
    const alive = setTimeout(() => undefined, 10_000);
    try {
      const checkpointer = BackgroundCheckpointer.start({ path: join(dir, 'missing.db'), busyTimeoutMs: 100, onError: reported });
      assert.match((await failure).message, /unable to open|no such file|SQLITE_CANTOPEN/i);
      await checkpointer.stop();
    } finally {
      clearTimeout(alive);
    }
  });
});
