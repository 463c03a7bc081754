// Migration 0002: the replay memory moves from auth_digests onto the device row, digests included.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { initialSqlite } from '../../../../src/server/store/migrations/0001-initial.sqlite.js';
import { SqliteStore } from '../../../../src/server/store/sqlite/sqlite-store.js';
import { deviceId } from '../../../../src/server/store/store.js';

describe('migration 0002 (credential memory)', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omadm-migration-'));
    path = join(dir, 'store.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('carries the remembered digests over, newest first, and drops auth_digests', async () => {
    // A database as version 1 left it (the current store cannot open it without migrating).
    const db = new Database(path);
    db.exec(initialSqlite.sql);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    db.prepare("INSERT INTO schema_migrations VALUES (1, 'initial', 0)").run();
    db.prepare("INSERT INTO devices (id, created_at, updated_at, client_nonce) VALUES ('a', 1, 1, x'01'), ('b', 1, 1, NULL)").run();
    db.prepare("INSERT INTO auth_digests (device_id, nonce, digest, at) VALUES ('a', x'01', 'old', 1), ('a', x'02', 'newest', 3), ('a', x'03', 'mid', 2)").run();
    db.close();

    const store = SqliteStore.open({ path });
    try {
      const a = deviceId('a');
      const use = (digest: string): Promise<string> =>
        store.devices.acceptCredential(a, { nonce: new Uint8Array([1]), digest, nextNonce: new Uint8Array([1]), keep: 16 });
      assert.equal(await use('old'), 'replayed');
      assert.equal(await use('newest'), 'replayed');
      assert.equal(await use('fresh'), 'accepted');
    } finally {
      await store.close();
    }
    const after = new Database(path);
    assert.deepEqual(JSON.parse(after.prepare("SELECT recent_digests FROM devices WHERE id = 'a'").pluck().get() as string), ['fresh', 'newest', 'mid', 'old']);
    assert.equal(after.prepare("SELECT recent_digests FROM devices WHERE id = 'b'").pluck().get(), null);
    assert.equal(after.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'auth_digests%'").pluck().get(), 0);
    after.close();
  });
});
