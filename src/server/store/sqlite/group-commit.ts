/**
 * Group commit for the SQLite store. Logical transactions run one at a time, each inside a
 * SAVEPOINT of one shared SQLite transaction (a "batch"); the batch commits when no more work is
 * waiting after one turn of the event loop (so concurrent sessions share a commit) or when it
 * holds `maxBatch` logical transactions. A caller's promise settles only after the COMMIT that
 * made its writes durable; a logical transaction that throws is rolled back to its savepoint
 * without touching the others. Calls made while nothing is running take the autocommit fast path.
 * A {@link BatchParticipant} may defer writes to the end of the batch (written before COMMIT).
 */
import type Database from 'better-sqlite3';
import { DmError, ErrorCode, StoreError } from '../../../core/errors.js';
import type { StoreScope } from '../store.js';
import { isConstraint, type Exec } from './sqlite-util.js';

/** Builds the scope a logical transaction sees. */
export type ScopeFactory = (exec: Exec, hooks: { readonly join: <T>(fn: (tx: StoreScope) => Promise<T>) => Promise<T>; readonly afterCommit: (cb: () => void) => void }) => StoreScope;

/**
 * A repository that defers writes until just before the batch's COMMIT (the event log buffers its
 * appends). It must drop what a rolled-back logical transaction deferred, and everything when the
 * batch ends.
 */
export interface BatchParticipant {
  /** BEGIN IMMEDIATE succeeded: writes may be deferred until {@link flush}. */
  batchBegan(): void;
  /** A logical transaction's SAVEPOINT was just taken. */
  savepointTaken(): void;
  /** The logical transaction was rolled back to its savepoint: forget what it deferred. */
  rolledBackToSavepoint(): void;
  /** Writes everything deferred so far; runs inside the batch (before COMMIT, or before a read). */
  flush(): void;
  /** The batch committed or was rolled back: forget all deferred state. */
  batchEnded(): void;
}

/** Options of {@link GroupCommit}. */
export interface GroupCommitOptions {
  /** Most logical transactions sharing one COMMIT; default 256. */
  readonly maxBatch?: number;
  /** Repositories that defer writes to the end of a batch. */
  readonly participants?: readonly BatchParticipant[];
}

interface Work {
  readonly run: () => Promise<Finished | undefined>;
  readonly reject: (err: unknown) => void;
}

/** A logical transaction that succeeded and waits for the batch COMMIT. */
interface Finished {
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
  readonly callbacks: readonly (() => void)[];
}

/** Serializes logical transactions and shares COMMITs between them. */
export class GroupCommit {
  readonly #db: Database.Database;
  readonly #makeScope: ScopeFactory;
  readonly #maxBatch: number;
  readonly #participants: readonly BatchParticipant[];
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  readonly #savepoint: Database.Statement;
  readonly #release: Database.Statement;
  readonly #rollbackTo: Database.Statement;
  #queue: Work[] = [];
  #finished: Finished[] = [];
  #batchOpen = false;
  #pump: Promise<void> | undefined;

  constructor(db: Database.Database, makeScope: ScopeFactory, opts: GroupCommitOptions = {}) {
    this.#db = db;
    this.#makeScope = makeScope;
    this.#maxBatch = Math.max(1, opts.maxBatch ?? 256);
    this.#participants = opts.participants ?? [];
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
    this.#savepoint = db.prepare('SAVEPOINT lt');
    this.#release = db.prepare('RELEASE lt');
    this.#rollbackTo = db.prepare('ROLLBACK TO lt');
  }

  /** Resolves once all queued work has committed (or failed). */
  async idle(): Promise<void> {
    while (this.#pump) await this.#pump;
  }

  /** Runs one repository call outside any logical transaction. */
  runOutside<T>(fn: () => T): Promise<T> {
    if (this.#pump === undefined) return settle(fn);
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        reject,
        run: async () => {
          const value = fn();
          return { resolve: () => resolve(value), reject, callbacks: [] };
        },
      });
      this.#start();
    });
  }

  /** Runs `fn` as one logical transaction. */
  transaction<T>(fn: (tx: StoreScope) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ reject, run: () => this.#runLogical(fn, resolve, reject) });
      this.#start();
    });
  }

  #start(): void {
    if (this.#pump === undefined) this.#pump = this.#drain();
  }

  async #drain(): Promise<void> {
    for (;;) {
      const work = this.#queue.shift();
      if (work) {
        await this.#runOne(work);
        if (this.#finished.length >= this.#maxBatch) this.#commitBatch();
        continue;
      }
      if (!this.#batchOpen) break;
      // Give concurrent requests one turn of the event loop to join this batch's COMMIT.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#queue.length === 0) this.#commitBatch();
    }
    // Synchronous with the final empty-queue check: nothing can be queued unseen.
    this.#pump = undefined;
  }

  async #runOne(work: Work): Promise<void> {
    if (!this.#batchOpen) {
      try {
        this.#begin.run();
      } catch (err) {
        work.reject(translate(err));
        return;
      }
      this.#batchOpen = true;
      for (const p of this.#participants) p.batchBegan();
    }
    try {
      const finished = await work.run();
      if (finished) this.#finished.push(finished);
    } catch (err) {
      work.reject(translate(err));
    }
    if (!this.#db.inTransaction) this.#failBatch(new StoreError(ErrorCode.ERR_STORE, 'SQLite rolled the transaction back'));
  }

  async #runLogical<T>(fn: (tx: StoreScope) => Promise<T>, resolve: (v: T) => void, reject: (err: unknown) => void): Promise<Finished | undefined> {
    this.#savepoint.run();
    for (const p of this.#participants) p.savepointTaken();
    let active = true;
    const callbacks: (() => void)[] = [];
    const finishedError = (): StoreError => new StoreError(ErrorCode.ERR_STORE, 'transaction already finished');
    const scope = this.#makeScope((f) => (active ? settle(f) : Promise.reject(finishedError())), {
      join: (inner) => (active ? inner(scope) : Promise.reject(finishedError())),
      afterCommit: (cb) => {
        if (active) callbacks.push(cb);
        else cb();
      },
    });
    try {
      const value = await fn(scope);
      active = false;
      this.#release.run();
      return { resolve: () => resolve(value), reject, callbacks };
    } catch (err) {
      active = false;
      if (this.#db.inTransaction) {
        this.#rollbackTo.run();
        for (const p of this.#participants) p.rolledBackToSavepoint();
        this.#release.run();
      }
      reject(err);
      return undefined;
    }
  }

  #commitBatch(): void {
    if (!this.#batchOpen) return;
    const finished = this.#finished;
    this.#finished = [];
    try {
      for (const p of this.#participants) p.flush();
      this.#commit.run();
    } catch (err) {
      this.#finished = finished;
      this.#failBatch(translate(err));
      return;
    }
    this.#batchOpen = false;
    for (const p of this.#participants) p.batchEnded();
    for (const f of finished) {
      for (const cb of f.callbacks) {
        try {
          cb();
        } catch {
          // An after-commit hook must not turn a committed write into a failure.
        }
      }
      f.resolve();
    }
  }

  /** The batch is lost (COMMIT failed or SQLite rolled back): nothing in it was acknowledged. */
  #failBatch(err: unknown): void {
    if (this.#db.inTransaction) {
      try {
        this.#rollback.run();
      } catch {
        // Already rolled back.
      }
    }
    this.#batchOpen = false;
    for (const p of this.#participants) p.batchEnded();
    const finished = this.#finished;
    this.#finished = [];
    for (const f of finished) f.reject(err);
  }
}

/** Runs a synchronous call, turning a throw into a rejection with a translated error. */
export function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(translate(err));
  }
}

/** SQLite errors become StoreErrors with a catalog code; our own errors pass through. */
export function translate(err: unknown): unknown {
  if (err instanceof DmError) return err;
  if (isConstraint(err, 'FOREIGNKEY')) return new StoreError(ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND, 'the device is not registered', { cause: err });
  return new StoreError(ErrorCode.ERR_STORE, `SQLite: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
