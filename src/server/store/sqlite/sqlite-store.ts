/**
 * The embedded SQLite backend (better-sqlite3, synchronous). Durability: WAL journal with
 * `synchronous = NORMAL` by default — a committed transaction is in the WAL file (in the OS page
 * cache) before COMMIT returns, so killing the server process (SIGKILL) loses nothing; only an OS
 * crash or power loss can drop the last commits. `durability: 'power'` selects `synchronous = FULL`
 * (fsync per commit) for that case. See docs/reference/server-store.md.
 *
 * Concurrency: one connection per store. The async {@link ServerStore.transaction} holds a lock
 * while its function runs; store calls made outside it while it is open wait for the commit,
 * so no foreign write ever lands in (or is rolled back with) somebody else's transaction.
 * Several processes may open the same file: writers serialize on SQLite's lock (busy timeout).
 */
import Database from 'better-sqlite3';
import { DmError, ErrorCode, StoreError } from '../../../core/errors.js';
import type { Migration } from '../migrations/migration.js';
import { SQLITE_MIGRATIONS } from '../migrations/sqlite-migrations.js';
import type {
  ApiTokenStore, DeviceStore, EventStore, JobStore, ServerStore, SessionStore, StoreScope, TreeCacheStore,
} from '../store.js';
import { SqliteApiTokenStore } from './sqlite-api-tokens.js';
import { SqliteDeviceStore } from './sqlite-devices.js';
import { SqliteEventStore } from './sqlite-events.js';
import { SqliteJobStore } from './sqlite-jobs.js';
import { SqliteSessionStore } from './sqlite-sessions.js';
import { SqliteTreeCacheStore } from './sqlite-tree.js';
import { asyncFacade, isConstraint, type Exec } from './sqlite-util.js';

/** Options of {@link SqliteStore.open}. */
export interface SqliteStoreOptions {
  /** Database file path (`:memory:` for a private in-memory database). */
  readonly path: string;
  /** `process` (default): WAL + synchronous=NORMAL; `power`: WAL + synchronous=FULL. */
  readonly durability?: 'process' | 'power';
  /** How long to wait for another process's write lock, ms; default 5000. */
  readonly busyTimeoutMs?: number;
  /** Schema history; default {@link SQLITE_MIGRATIONS} (tests pass their own). */
  readonly migrations?: readonly Migration[];
  /** Clock for `schema_migrations.applied_at`; default Date.now. */
  readonly now?: () => number;
}

interface Cores {
  readonly devices: SqliteDeviceStore;
  readonly tree: SqliteTreeCacheStore;
  readonly jobs: SqliteJobStore;
  readonly events: SqliteEventStore;
  readonly sessions: SqliteSessionStore;
  readonly apiTokens: SqliteApiTokenStore;
}

/** The SQLite {@link ServerStore}. */
export class SqliteStore implements ServerStore {
  /** Backend name. */
  readonly kind = 'sqlite';
  readonly devices: DeviceStore;
  readonly tree: TreeCacheStore;
  readonly jobs: JobStore;
  readonly events: EventStore;
  readonly sessions: SessionStore;
  readonly apiTokens: ApiTokenStore;

  readonly #db: Database.Database;
  readonly #cores: Cores;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  /** True between BEGIN and COMMIT/ROLLBACK of an async transaction. */
  #inTx = false;
  /** Callbacks to run after the open transaction commits. */
  #afterCommit: (() => void)[] = [];
  /** Tail of the chain of waiting transactions and calls. */
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(db: Database.Database) {
    this.#db = db;
    this.#cores = {
      devices: new SqliteDeviceStore(db),
      tree: new SqliteTreeCacheStore(db),
      jobs: new SqliteJobStore(db),
      events: new SqliteEventStore(db),
      sessions: new SqliteSessionStore(db),
      apiTokens: new SqliteApiTokenStore(db),
    };
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
    const exec: Exec = (fn) => this.#runOutside(fn);
    this.devices = asyncFacade<DeviceStore>(this.#cores.devices, exec);
    this.tree = asyncFacade<TreeCacheStore>(this.#cores.tree, exec);
    this.jobs = asyncFacade<JobStore>(this.#cores.jobs, exec);
    this.events = asyncFacade<EventStore>(this.#cores.events, exec);
    this.sessions = asyncFacade<SessionStore>(this.#cores.sessions, exec);
    this.apiTokens = asyncFacade<ApiTokenStore>(this.#cores.apiTokens, exec);
  }

  /**
   * Opens (creating if needed) a database file, sets WAL and the durability level, and applies
   * pending migrations inside one write transaction, so concurrent openers migrate exactly once.
   * Throws `StoreError(ERR_STORE_MIGRATION)` when the file's schema is newer than this code.
   */
  static open(opts: SqliteStoreOptions): SqliteStore {
    let db: Database.Database;
    try {
      db = new Database(opts.path, { timeout: opts.busyTimeoutMs ?? 5000 });
    } catch (err) {
      throw new StoreError(ErrorCode.ERR_STORE, `cannot open database ${opts.path}: ${(err as Error).message}`, { cause: err });
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${opts.durability === 'power' ? 'FULL' : 'NORMAL'}`);
      db.pragma('foreign_keys = ON');
      migrate(db, opts.migrations ?? SQLITE_MIGRATIONS, opts.now ?? Date.now);
      return new SqliteStore(db);
    } catch (err) {
      db.close();
      if (err instanceof StoreError) throw err;
      throw new StoreError(ErrorCode.ERR_STORE, `cannot prepare database ${opts.path}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Versions recorded in `schema_migrations`, ascending (for tests and diagnostics). */
  appliedMigrations(): number[] {
    return (this.#db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[]);
  }

  transaction<T>(fn: (tx: StoreScope) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(closedError());
    const run = this.#tail.then(() => this.#runTransaction(fn));
    this.#tail = run.then(noop, noop);
    return run;
  }

  afterCommit(callback: () => void): void {
    if (this.#inTx) this.#afterCommit.push(callback);
    else callback();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tail;
    this.#db.close();
  }

  /** A call from outside any transaction: runs at once unless a transaction is open. */
  #runOutside<T>(fn: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(closedError());
    if (!this.#inTx) return settle(fn);
    const run = this.#tail.then(fn);
    this.#tail = run.then(noop, noop);
    return run;
  }

  async #runTransaction<T>(fn: (tx: StoreScope) => Promise<T>): Promise<T> {
    // Already queued when close() was called: it still runs (close waits for the queue).
    this.#begin.run();
    this.#inTx = true;
    let active = true;
    const exec: Exec = (f) => (active ? settle(f) : Promise.reject(new StoreError(ErrorCode.ERR_STORE, 'transaction already finished')));
    const tx: StoreScope = {
      devices: asyncFacade<DeviceStore>(this.#cores.devices, exec),
      tree: asyncFacade<TreeCacheStore>(this.#cores.tree, exec),
      jobs: asyncFacade<JobStore>(this.#cores.jobs, exec),
      events: asyncFacade<EventStore>(this.#cores.events, exec),
      sessions: asyncFacade<SessionStore>(this.#cores.sessions, exec),
      apiTokens: asyncFacade<ApiTokenStore>(this.#cores.apiTokens, exec),
      transaction: (inner) => (active ? inner(tx) : Promise.reject(new StoreError(ErrorCode.ERR_STORE, 'transaction already finished'))),
      afterCommit: (cb) => {
        if (active) this.#afterCommit.push(cb);
        else cb();
      },
    };
    let result: T;
    try {
      result = await fn(tx);
      this.#commit.run();
    } catch (err) {
      if (this.#db.inTransaction) this.#rollback.run();
      this.#afterCommit = [];
      throw err;
    } finally {
      active = false;
      this.#inTx = false;
    }
    const callbacks = this.#afterCommit;
    this.#afterCommit = [];
    for (const cb of callbacks) cb();
    return result;
  }
}

/** Applies pending migrations under a write lock; records each in `schema_migrations`. */
function migrate(db: Database.Database, migrations: readonly Migration[], now: () => number): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const apply = db.transaction(() => {
    const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
    const known = new Set(migrations.map((m) => m.version));
    for (const v of applied) {
      if (!known.has(v)) throw new StoreError(ErrorCode.ERR_STORE_MIGRATION, `database has schema version ${v}, which this build does not know (newer server?)`);
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      try {
        db.exec(m.sql);
      } catch (err) {
        throw new StoreError(ErrorCode.ERR_STORE_MIGRATION, `migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
      }
      record.run(m.version, m.name, now());
    }
  });
  apply.immediate();
}

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(translate(err));
  }
}

/** SQLite errors become StoreErrors with a catalog code; our own errors pass through. */
function translate(err: unknown): unknown {
  if (err instanceof DmError) return err;
  if (isConstraint(err, 'FOREIGNKEY')) return new StoreError(ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND, 'the device is not registered', { cause: err });
  return new StoreError(ErrorCode.ERR_STORE, `SQLite: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

function noop(): void {}

function closedError(): StoreError {
  return new StoreError(ErrorCode.ERR_STORE_CLOSED, 'the store is closed');
}
