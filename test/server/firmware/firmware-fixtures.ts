// A firmware repository over a temporary directory and a private SQLite file, for firmware and campaign tests.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirmwareRepository } from '../../../src/server/firmware/firmware-repository.js';
import { SqliteFirmwareStore } from '../../../src/server/firmware/sqlite-firmware-store.js';

export interface FirmwareFixture {
  readonly dir: string;
  readonly db: Database.Database;
  readonly repository: FirmwareRepository;
  dispose(): void;
}

export function firmwareFixture(clock: { now(): number } = { now: () => 1_700_000_000_000 }): FirmwareFixture {
  const dir = mkdtempSync(join(tmpdir(), 'omadm-fw-'));
  const db = new Database(join(dir, 'fumo.db'));
  let n = 0;
  const repository = new FirmwareRepository({
    store: new SqliteFirmwareStore(db), dataDir: dir, clock,
    random: (size) => { const b = new Uint8Array(size); b[size - 1] = ++n; return b; },
  });
  return { dir, db, repository, dispose: () => { db.close(); rmSync(dir, { recursive: true, force: true }); } };
}
