/** SQLite {@link FirmwareStore}: table `firmware_packages` (component `firmware`). */
import type Database from 'better-sqlite3';
import { ErrorCode, StoreError } from '../../core/errors.js';
import type { Page } from '../store/store.js';
import { type ComponentMigration, applyComponentMigrations } from './sqlite-component-schema.js';
import type { FirmwareId, FirmwarePackageRecord, FirmwareQuery, FirmwareStore } from './firmware-store.js';

/** Schema history of the `firmware` component. */
export const FIRMWARE_MIGRATIONS: readonly ComponentMigration[] = [{
  version: 1,
  name: 'firmware packages',
  sql: `
CREATE TABLE firmware_packages (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  from_versions TEXT NOT NULL DEFAULT '[]',
  models TEXT NOT NULL DEFAULT '[]',
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  content_type TEXT NOT NULL,
  description TEXT,
  location TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX firmware_packages_sha256 ON firmware_packages(sha256);
`,
}];

interface Row {
  id: string; name: string; version: string; from_versions: string; models: string; size: number; sha256: string;
  content_type: string; description: string | null; location: string; created_at: number;
}

/** Firmware rows in a better-sqlite3 database (shared with other components or not). */
export class SqliteFirmwareStore implements FirmwareStore {
  readonly #db: Database.Database;

  /** Uses `db` and applies the component's pending migrations. */
  constructor(db: Database.Database) {
    this.#db = db;
    applyComponentMigrations(db, { component: 'firmware', migrations: FIRMWARE_MIGRATIONS });
  }

  async insert(r: FirmwarePackageRecord): Promise<void> {
    try {
      this.#db.prepare(`INSERT INTO firmware_packages (id, name, version, from_versions, models, size, sha256, content_type, description, location, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        r.id, r.name, r.version, JSON.stringify(r.fromVersions), JSON.stringify(r.models), r.size, r.sha256, r.contentType,
        r.description ?? null, JSON.stringify(r.location), r.createdAt,
      );
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new StoreError(ErrorCode.ERR_FIRMWARE_INVALID, `firmware ${r.id} exists`);
      throw new StoreError(ErrorCode.ERR_STORE, `SQLite: ${(err as Error).message}`, { cause: err });
    }
  }

  async get(id: FirmwareId): Promise<FirmwarePackageRecord | undefined> {
    const row = this.#db.prepare('SELECT * FROM firmware_packages WHERE id = ?').get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  async list(q: FirmwareQuery): Promise<Page<FirmwarePackageRecord>> {
    const limit = Math.min(1000, Math.max(1, Math.trunc(q.limit ?? 100)));
    const desc = q.order === 'desc';
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.cursor !== undefined) {
      where.push(desc ? 'id < ?' : 'id > ?');
      args.push(Buffer.from(q.cursor, 'base64url').toString('utf8'));
    }
    if (q.version !== undefined) {
      where.push('version = ?');
      args.push(q.version);
    }
    if (q.model !== undefined) {
      where.push("(models = '[]' OR EXISTS (SELECT 1 FROM json_each(models) WHERE value = ?))");
      args.push(q.model);
    }
    const sql = `SELECT * FROM firmware_packages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${desc ? 'DESC' : 'ASC'} LIMIT ?`;
    const rows = this.#db.prepare(sql).all(...args, limit + 1) as Row[];
    const items = rows.slice(0, limit).map(toRecord);
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, nextCursor: Buffer.from(last.id, 'utf8').toString('base64url') } : { items };
  }

  async remove(id: FirmwareId): Promise<boolean> {
    return this.#db.prepare('DELETE FROM firmware_packages WHERE id = ?').run(id).changes > 0;
  }
}

function toRecord(r: Row): FirmwarePackageRecord {
  return {
    id: r.id as FirmwareId, name: r.name, version: r.version,
    fromVersions: JSON.parse(r.from_versions) as string[], models: JSON.parse(r.models) as string[],
    size: r.size, sha256: r.sha256, contentType: r.content_type,
    ...(r.description !== null ? { description: r.description } : {}),
    location: JSON.parse(r.location) as FirmwarePackageRecord['location'],
    createdAt: r.created_at,
  };
}
