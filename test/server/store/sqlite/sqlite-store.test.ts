// SQLite-specific behaviour of SqliteStore (the shared behaviour is in ../store-contract.test.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ErrorCode } from '../../../../src/core/errors.js';
import { SQLITE_MIGRATIONS } from '../../../../src/server/store/migrations/sqlite-migrations.js';
import { SqliteStore } from '../../../../src/server/store/sqlite/sqlite-store.js';
import { deviceId } from '../../../../src/server/store/store.js';

const opener = fileURLToPath(new URL('./children/concurrent-opener.ts', import.meta.url));

describe('SqliteStore', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omadm-sqlite-'));
    path = join(dir, 'store.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens in WAL mode with synchronous=NORMAL and foreign keys on', async () => {
    const store = SqliteStore.open({ path });
    await store.close();
    const db = new Database(path);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
    const store2 = SqliteStore.open({ path, durability: 'power' });
    await store2.close();
  });

  it('applies each migration once, however often the file is opened', async () => {
    for (let i = 0; i < 3; i++) {
      const store = SqliteStore.open({ path });
      assert.deepEqual(store.appliedMigrations(), SQLITE_MIGRATIONS.map((m) => m.version));
      await store.close();
    }
    const db = new Database(path);
    assert.equal(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get(), SQLITE_MIGRATIONS.length);
    db.close();
  });

  it('applies a new migration appended later, and only that one', async () => {
    (await SqliteStore.open({ path }).close());
    const extra = { version: SQLITE_MIGRATIONS.length + 1, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER);' };
    const store = SqliteStore.open({ path, migrations: [...SQLITE_MIGRATIONS, extra], now: () => 77 });
    assert.deepEqual(store.appliedMigrations(), [...SQLITE_MIGRATIONS.map((m) => m.version), extra.version]);
    await store.close();
    const db = new Database(path);
    assert.equal(db.prepare('SELECT applied_at FROM schema_migrations WHERE version = ?').pluck().get(extra.version), 77);
    db.close();
  });

  it('refuses a database whose schema is newer than the code', async () => {
    const extra = { version: 99, name: 'future', sql: 'CREATE TABLE future (x INTEGER);' };
    (await SqliteStore.open({ path, migrations: [...SQLITE_MIGRATIONS, extra] }).close());
    assert.throws(() => SqliteStore.open({ path }), { code: ErrorCode.ERR_STORE_MIGRATION });
  });

  it('rolls a failing migration back whole and reports it', () => {
    const bad = { version: SQLITE_MIGRATIONS.length + 1, name: 'bad', sql: 'CREATE TABLE ok1 (x INTEGER); CREATE TABLE broken (' };
    assert.throws(() => SqliteStore.open({ path, migrations: [...SQLITE_MIGRATIONS, bad] }), { code: ErrorCode.ERR_STORE_MIGRATION });
    const db = new Database(path);
    assert.equal(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('ok1', 'devices')").pluck().get(), 0);
    db.close();
  });

  it('lets several processes open and migrate a new file at the same moment', async () => {
    const startAt = Date.now() + 1500;
    const names = ['p1', 'p2', 'p3', 'p4'];
    const results = await Promise.all(names.map((name) => new Promise<string>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', opener, path, name, String(startAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      p.stderr.on('data', (d: Buffer) => { out += d.toString(); });
      p.on('exit', () => resolve(out.trim()));
    })));
    assert.deepEqual(results, names.map(() => 'ok'));
    const store = SqliteStore.open({ path });
    assert.deepEqual(store.appliedMigrations(), SQLITE_MIGRATIONS.map((m) => m.version));
    assert.deepEqual((await store.devices.list({})).items.map((d) => d.id), names.map((n) => `IMEI:${n}`));
    await store.close();
  });

  it('sees the writes of another connection to the same file', async () => {
    const a = SqliteStore.open({ path });
    const b = SqliteStore.open({ path });
    await a.devices.insert({ id: deviceId('IMEI:x'), createdAt: 1 });
    assert.ok(await b.devices.get(deviceId('IMEI:x')));
    await a.close();
    await b.close();
  });

  it('rejects calls after close with ERR_STORE_CLOSED, and closes after pending transactions', async () => {
    const store = SqliteStore.open({ path });
    const pending = store.transaction(async (tx) => {
      await new Promise((r) => setImmediate(r));
      await tx.devices.insert({ id: deviceId('IMEI:late'), createdAt: 1 });
    });
    const closing = store.close();
    await pending;
    await closing;
    await assert.rejects(store.devices.get(deviceId('IMEI:late')), { code: ErrorCode.ERR_STORE_CLOSED });
    await assert.rejects(store.transaction(async () => 1), { code: ErrorCode.ERR_STORE_CLOSED });
    const again = SqliteStore.open({ path });
    assert.ok(await again.devices.get(deviceId('IMEI:late')));
    await again.close();
  });

  it('shares commits between concurrent transactions and rolls back only the one that failed', async () => {
    const store = SqliteStore.open({ path, maxBatch: 8 });
    const observer = new Database(path, { readonly: true });
    const runs = Array.from({ length: 30 }, (_, i) => store.transaction(async (tx) => {
      await tx.devices.insert({ id: deviceId(`IMEI:${i}`), createdAt: i });
      if (i % 10 === 3) throw new Error(`fail ${i}`);
      return i;
    }).then(
      (v) => {
        // Settled only after COMMIT: another connection already sees the row.
        assert.ok(observer.prepare('SELECT 1 FROM devices WHERE id = ?').get(`IMEI:${v}`), `IMEI:${v} committed before settling`);
        return 'ok';
      },
      () => 'failed',
    ));
    const outcomes = await Promise.all(runs);
    assert.equal(outcomes.filter((o) => o === 'failed').length, 3);
    assert.equal((await store.devices.list({ limit: 1000 })).items.length, 27);
    assert.equal(await store.devices.get(deviceId('IMEI:3')), undefined);
    observer.close();
    await store.close();
  });

  it('settles single calls made while a transaction runs only after they are committed', async () => {
    const store = SqliteStore.open({ path });
    const observer = new Database(path, { readonly: true });
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const tx = store.transaction(async (t) => {
      await gate;
      await t.devices.insert({ id: deviceId('IMEI:tx'), createdAt: 1 });
    });
    await new Promise((r) => setImmediate(r));
    const single = store.devices.insert({ id: deviceId('IMEI:single'), createdAt: 2 }).then(() =>
      observer.prepare('SELECT COUNT(*) FROM devices').pluck().get());
    release();
    await tx;
    assert.equal(await single, 2);
    observer.close();
    await store.close();
  });

  it('reports a file it cannot open as ERR_STORE', () => {
    assert.throws(() => SqliteStore.open({ path: join(dir, 'missing-dir', 'x.db') }), { code: ErrorCode.ERR_STORE });
  });
});
