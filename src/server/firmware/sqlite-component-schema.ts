/**
 * Schema steps of the FUMO components (firmware packages, campaigns), kept apart from the core
 * store's `schema_migrations` so these tables can live in the same database file as the core
 * store — or in a file of their own — without the core migration runner refusing a version it
 * does not know. Each component records its applied steps in `component_migrations`.
 */
import type Database from 'better-sqlite3';
import { ErrorCode, StoreError } from '../../core/errors.js';

/** One schema step of a component: `version` increases by one per step. */
export interface ComponentMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Applies the component's pending steps in one write transaction (so two processes opening the
 * same file migrate once). Throws `StoreError(ERR_STORE_MIGRATION)` when the file holds a step
 * this build does not know, or a step fails.
 */
export function applyComponentMigrations(
  db: Database.Database,
  opts: { readonly component: string; readonly migrations: readonly ComponentMigration[]; readonly now?: () => number },
): void {
  const { component, migrations } = opts;
  const now = opts.now ?? Date.now;
  db.exec(`CREATE TABLE IF NOT EXISTS component_migrations (
    component TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL,
    PRIMARY KEY (component, version))`);
  const apply = db.transaction(() => {
    const applied = new Set(db.prepare('SELECT version FROM component_migrations WHERE component = ?').pluck().all(component) as number[]);
    const known = new Set(migrations.map((m) => m.version));
    for (const v of applied) {
      if (!known.has(v)) throw new StoreError(ErrorCode.ERR_STORE_MIGRATION, `database has ${component} schema version ${v}, which this build does not know`);
    }
    const record = db.prepare('INSERT INTO component_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)');
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      try {
        db.exec(m.sql);
      } catch (err) {
        throw new StoreError(ErrorCode.ERR_STORE_MIGRATION, `${component} migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
      }
      record.run(component, m.version, m.name, now());
    }
  });
  apply.immediate();
}

/** Opens a database file for a component store: WAL, synchronous=NORMAL, busy timeout (same settings as the core store). */
export function configureComponentDatabase(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
}
