/**
 * The embedded SQLite backend (better-sqlite3, synchronous). Durability: WAL journal with
 * `synchronous = NORMAL` by default — a committed transaction is in the WAL file (in the OS page
 * cache) before COMMIT returns, so killing the server process (SIGKILL) loses nothing; only an OS
 * crash or power loss can drop the last commits. `durability: 'power'` selects `synchronous = FULL`
 * (fsync per commit) for that case. See docs/reference/server-store.md.
 *
 * Concurrency: one connection per store. Transactions run one at a time and share COMMITs
 * (group-commit.ts): store calls made while one is running wait their turn, so no foreign write
 * ever lands in (or is rolled back with) somebody else's transaction, and every promise settles
 * only after its writes are committed. Several processes may open the same file: writers
 * serialize on SQLite's lock (busy timeout).
 */
import Database from 'better-sqlite3';
import { ErrorCode, StoreError } from '../../../core/errors.js';
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
import { BackgroundCheckpointer, FALLBACK_AUTOCHECKPOINT_PAGES, type CheckpointResult } from './background-checkpointer.js';
import { GroupCommit } from './group-commit.js';
import { asyncFacade, type Exec } from './sqlite-util.js';

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
  /** Most logical transactions sharing one COMMIT (group commit); default 256. */
  readonly maxBatch?: number;
  /**
   * `inline` (default): SQLite checkpoints the WAL inside the COMMIT that crosses 1,000 pages.
   * `background`: a worker thread checkpoints it (background-checkpointer.ts), so COMMITs on the
   * caller's thread only append to the WAL; what the server uses. Ignored for `:memory:`.
   */
  readonly checkpoint?: 'inline' | 'background';
  /** Told when the background checkpointer fails (the inline fallback then takes over). */
  readonly onCheckpointError?: (err: Error) => void;
  /** Told after each background checkpoint of a non-empty WAL. */
  readonly onCheckpoint?: (result: CheckpointResult) => void;
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
  readonly #group: GroupCommit;
  readonly #checkpointer: BackgroundCheckpointer | undefined;
  #closed = false;

  private constructor(db: Database.Database, opts: { readonly maxBatch?: number }, checkpointer: BackgroundCheckpointer | undefined) {
    this.#db = db;
    this.#checkpointer = checkpointer;
    const cores: Cores = {
      devices: new SqliteDeviceStore(db),
      tree: new SqliteTreeCacheStore(db),
      jobs: new SqliteJobStore(db),
      events: new SqliteEventStore(db),
      sessions: new SqliteSessionStore(db),
      apiTokens: new SqliteApiTokenStore(db),
    };
    this.#cores = cores;
    this.#group = new GroupCommit(db, (exec, hooks) => ({
      ...facades(cores, exec),
      transaction: hooks.join,
      afterCommit: hooks.afterCommit,
    }), { ...opts, participants: [cores.events.batchParticipant] });
    const f = facades(cores, (fn) => (this.#closed ? Promise.reject(closedError()) : this.#group.runOutside(fn)));
    this.devices = f.devices;
    this.tree = f.tree;
    this.jobs = f.jobs;
    this.events = f.events;
    this.sessions = f.sessions;
    this.apiTokens = f.apiTokens;
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
      setWal(db, opts.busyTimeoutMs ?? 5000);
      db.pragma(`synchronous = ${opts.durability === 'power' ? 'FULL' : 'NORMAL'}`);
      db.pragma('foreign_keys = ON');
      // Read-side tuning only (no effect on durability): sorts and temp b-trees in memory, a larger
      // page cache, and memory-mapped reads of the main file instead of a read() per page.
      db.pragma('temp_store = MEMORY');
      db.pragma('cache_size = -65536');
      db.pragma('mmap_size = 268435456');
      migrate(db, opts.migrations ?? SQLITE_MIGRATIONS, opts.now ?? Date.now);
      let checkpointer: BackgroundCheckpointer | undefined;
      if (opts.checkpoint === 'background' && !db.memory) {
        db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
        checkpointer = BackgroundCheckpointer.start({
          path: db.name, busyTimeoutMs: opts.busyTimeoutMs ?? 5000,
          ...(opts.onCheckpointError ? { onError: opts.onCheckpointError } : {}),
          ...(opts.onCheckpoint ? { onCheckpoint: opts.onCheckpoint } : {}),
        });
      }
      return new SqliteStore(db, opts.maxBatch === undefined ? {} : { maxBatch: opts.maxBatch }, checkpointer);
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
    return this.#group.transaction(fn);
  }

  /** Outside a transaction there is nothing to wait for: runs `callback` at once. */
  afterCommit(callback: () => void): void {
    callback();
  }

  /** Waits for queued work to commit, then closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#group.idle();
    // The worker's connection goes first, so that closing the last one checkpoints and removes the WAL.
    await this.#checkpointer?.stop();
    this.#db.close();
  }
}

function facades(cores: Cores, exec: Exec): Omit<StoreScope, 'transaction' | 'afterCommit'> {
  return {
    devices: asyncFacade<DeviceStore>(cores.devices, exec),
    tree: asyncFacade<TreeCacheStore>(cores.tree, exec),
    jobs: asyncFacade<JobStore>(cores.jobs, exec),
    events: asyncFacade<EventStore>(cores.events, exec),
    sessions: asyncFacade<SessionStore>(cores.sessions, exec),
    apiTokens: asyncFacade<ApiTokenStore>(cores.apiTokens, exec),
  };
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

/**
 * Switching a file to WAL can fail with SQLITE_BUSY without going through the busy handler (another
 * process is opening or recovering the WAL at that moment): retry for up to the busy timeout.
 */
function setWal(db: Database.Database, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

function closedError(): StoreError {
  return new StoreError(ErrorCode.ERR_STORE_CLOSED, 'the store is closed');
}
