/**
 * Moves WAL checkpoints off the server's thread. By default SQLite checkpoints inside the COMMIT
 * that crosses 1,000 WAL pages: that COMMIT copies the pages into the database file and fsyncs it,
 * stalling every request behind it (in `npm run bench:server`, checkpoints were over half of all
 * COMMIT time). Here a worker thread with its own connection runs `wal_checkpoint(PASSIVE)` every
 * `intervalMs`: PASSIVE never takes the write lock, so the server's COMMITs only append to the WAL.
 *
 * Safety valve, no supervision needed: the server's connection keeps an automatic checkpoint, only
 * at {@link FALLBACK_AUTOCHECKPOINT_PAGES}. While the worker keeps up, the WAL is reset long before
 * that; if the worker dies or stalls, the server checkpoints itself and the WAL stays bounded.
 * Durability is unchanged: a COMMIT is durable (per `synchronous`) once it is in the WAL.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** WAL size (pages) at which the server's own connection checkpoints anyway (default is 1,000). */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

/** Options of {@link BackgroundCheckpointer.start}. */
export interface BackgroundCheckpointerOptions {
  /** Database file (not `:memory:`). */
  readonly path: string;
  /** Pause between checkpoints, ms; default 100. */
  readonly intervalMs?: number;
  /** Busy timeout of the worker's connection, ms. */
  readonly busyTimeoutMs: number;
  /** Told when the worker fails (the server's fallback checkpoint then takes over). */
  readonly onError?: (err: Error) => void;
  /** Told after each checkpoint of a non-empty WAL (for diagnostics and tests). */
  readonly onCheckpoint?: (result: CheckpointResult) => void;
}

/** What one `wal_checkpoint(PASSIVE)` reported. */
export interface CheckpointResult {
  /** Frames in the WAL. */
  readonly walFrames: number;
  /** Of those, frames now copied into the database file; all of them means the next write starts the WAL over. */
  readonly checkpointedFrames: number;
}

// Plain JavaScript evaluated in the worker: no TypeScript loader is needed there, in development
// or from dist/. The driver is passed by resolved path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
// better-sqlite3's SqliteError does not survive the trip to the parent thread: send a plain Error.
const plain = (err) => new Error(err.code ? err.code + ': ' + err.message : String(err.message ?? err));
let db, statement;
try {
  db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs, fileMustExist: true });
  statement = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
} catch (err) {
  throw plain(err);
}
// Another process's checkpoint or recovery holding the file is transient: try again next time.
const checkpoint = () => {
  try {
    const { log, checkpointed } = statement.get();
    if (log > 0 && workerData.report) parentPort.postMessage({ walFrames: log, checkpointedFrames: checkpointed });
  } catch (err) {
    if (err.code !== 'SQLITE_BUSY' && err.code !== 'SQLITE_LOCKED') throw plain(err);
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** A worker thread checkpointing one database file's WAL. */
export class BackgroundCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;

  private constructor(worker: Worker) {
    this.#worker = worker;
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
  }

  /** Starts the worker (it never keeps the process alive on its own). */
  static start(opts: BackgroundCheckpointerOptions): BackgroundCheckpointer {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, path: opts.path, busyTimeoutMs: opts.busyTimeoutMs, intervalMs: opts.intervalMs ?? 100, report: opts.onCheckpoint !== undefined },
      // Its own small heap: it only holds one prepared statement.
      resourceLimits: { maxOldGenerationSizeMb: 16 },
    });
    worker.on('error', (err) => opts.onError?.(err));
    const onCheckpoint = opts.onCheckpoint;
    if (onCheckpoint) worker.on('message', (result: CheckpointResult) => onCheckpoint(result));
    worker.unref();
    return new BackgroundCheckpointer(worker);
  }

  /** Runs a last checkpoint, closes the worker's connection and waits for the thread to end. */
  async stop(): Promise<void> {
    // Referenced again so the process waits for the last checkpoint instead of exiting under it.
    this.#worker.ref();
    this.#worker.postMessage('stop');
    await this.#exited;
  }
}
