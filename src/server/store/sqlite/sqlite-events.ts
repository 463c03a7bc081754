/**
 * SQLite rows of the append-only event log (the event body is a JSON column). Inside a group-commit
 * batch, appends are buffered and written with multi-row INSERTs just before COMMIT (or before a
 * read of the log), so a session's events cost a share of one statement instead of one each.
 */
import type Database from 'better-sqlite3';
import { ErrorCode, StoreError } from '../../../core/errors.js';
import type { DmEvent, EventId, EventQuery, EventRecord, EventStore, Page } from '../store.js';
import type { BatchParticipant } from './group-commit.js';
import { clampLimit, decodeIdCursor, encodeCursor, type SyncOf } from './sqlite-util.js';

interface EventRow {
  id: number;
  at: number;
  data: string;
}

/** Synchronous core of the SQLite {@link EventStore}. */
export class SqliteEventStore implements SyncOf<EventStore> {
  readonly #db: Database.Database;
  readonly #append: Database.Statement;
  readonly #pending: PendingEventRows;
  /** The hooks through which the group commit drives the append buffer. */
  readonly batchParticipant: BatchParticipant;
  readonly #lists = new Map<string, Database.Statement<unknown[], EventRow>>();

  constructor(db: Database.Database) {
    this.#db = db;
    this.#append = db.prepare('INSERT INTO events (type, device_id, at, data) VALUES (?, ?, ?, ?)');
    this.#pending = new PendingEventRows(db);
    this.batchParticipant = this.#pending;
  }

  append(event: DmEvent, at: number): EventRecord {
    const data = JSON.stringify(event);
    let id: number | bigint;
    if (this.#pending.isOpen) {
      // A row SQLite refuses would only fail at COMMIT, taking the whole batch along: refuse it now.
      if (!isStorable(event, at)) throw new StoreError(ErrorCode.ERR_STORE, 'an event needs a type, a device id and a time');
      id = this.#pending.add({ type: event.type, deviceId: event.deviceId, at, data });
    } else {
      id = this.#append.run(event.type, event.deviceId, at, data).lastInsertRowid;
    }
    return { ...event, id: String(id) as EventId, at };
  }

  list(query: EventQuery): Page<EventRecord> {
    this.#pending.flush(); // Reads see this batch's own appends.
    const limit = clampLimit(query.limit);
    const desc = query.order === 'desc';
    const after = query.cursor !== undefined ? decodeIdCursor(query.cursor) : undefined;
    const where: string[] = [];
    if (query.deviceId !== undefined) where.push('device_id = @device');
    if (query.type !== undefined) where.push('type = @type');
    if (query.since !== undefined) where.push('at >= @since');
    if (after !== undefined) where.push(desc ? 'id < @after' : 'id > @after');
    const sql = `SELECT id, at, data FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${desc ? 'DESC' : 'ASC'} LIMIT @limit`;
    let stmt = this.#lists.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare<unknown[], EventRow>(sql);
      this.#lists.set(sql, stmt);
    }
    const rows = stmt.all({
      limit: limit + 1,
      ...(query.deviceId !== undefined ? { device: query.deviceId } : {}),
      ...(query.type !== undefined ? { type: query.type } : {}),
      ...(query.since !== undefined ? { since: query.since } : {}),
      ...(after !== undefined ? { after } : {}),
    });
    const items = rows.slice(0, limit).map((r) => ({ ...(JSON.parse(r.data) as DmEvent), id: String(r.id) as EventId, at: r.at }));
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, nextCursor: encodeCursor(last.id) } : { items };
  }
}

function isStorable(event: DmEvent, at: number): boolean {
  return typeof event.type === 'string' && typeof event.deviceId === 'string' && typeof at === 'number' && !Number.isNaN(at);
}

interface PendingRow {
  readonly type: string;
  readonly deviceId: string | null;
  readonly at: number;
  readonly data: string;
}

/** Most rows per INSERT statement (5 parameters each, far below SQLite's parameter limit). */
const ROWS_PER_INSERT = 64;

/**
 * Event rows of the open batch. Ids are assigned here: the batch holds SQLite's write lock and
 * only this class inserts events meanwhile, so row `i` gets `base + i + 1`. Rows stay in `#rows`
 * after being written (`#written` counts them) because ROLLBACK TO a savepoint can undo a write
 * of rows that were appended before that savepoint; those are written again at the next flush.
 */
class PendingEventRows implements BatchParticipant {
  readonly #db: Database.Database;
  readonly #readLastId: Database.Statement<[], number>;
  readonly #inserts = new Map<number, Database.Statement>();
  #open = false;
  #lastId: number | undefined;
  #rows: PendingRow[] = [];
  #written = 0;
  #mark = { rows: 0, written: 0 };

  constructor(db: Database.Database) {
    this.#db = db;
    // AUTOINCREMENT: never reuse an id, even one whose row was deleted (sqlite_sequence keeps it).
    this.#readLastId = db.prepare<[], number>(
      "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0), coalesce((SELECT max(id) FROM events), 0))",
    ).pluck();
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** Buffers a row and returns its id. */
  add(row: PendingRow): number {
    this.#lastId ??= this.#readLastId.get() ?? 0;
    this.#rows.push(row);
    return this.#lastId + this.#rows.length;
  }

  batchBegan(): void {
    this.#open = true;
  }

  savepointTaken(): void {
    this.#mark = { rows: this.#rows.length, written: this.#written };
  }

  rolledBackToSavepoint(): void {
    this.#rows.length = this.#mark.rows;
    this.#written = this.#mark.written;
  }

  flush(): void {
    const lastId = this.#lastId;
    if (lastId === undefined) return;
    while (this.#written < this.#rows.length) {
      const count = Math.min(ROWS_PER_INSERT, this.#rows.length - this.#written);
      const params: unknown[] = [];
      for (let i = this.#written; i < this.#written + count; i++) {
        const row = this.#rows[i]!;
        params.push(lastId + i + 1, row.type, row.deviceId, row.at, row.data);
      }
      this.#insertOf(count).run(params);
      this.#written += count;
    }
  }

  batchEnded(): void {
    this.#open = false;
    this.#lastId = undefined;
    this.#rows = [];
    this.#written = 0;
    this.#mark = { rows: 0, written: 0 };
  }

  #insertOf(count: number): Database.Statement {
    let stmt = this.#inserts.get(count);
    if (!stmt) {
      const values = Array.from({ length: count }, () => '(?, ?, ?, ?, ?)').join(', ');
      stmt = this.#db.prepare(`INSERT INTO events (id, type, device_id, at, data) VALUES ${values}`);
      this.#inserts.set(count, stmt);
    }
    return stmt;
  }
}
