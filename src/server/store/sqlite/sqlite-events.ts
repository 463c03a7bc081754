/** SQLite rows of the append-only event log (the event body is a JSON column). */
import type Database from 'better-sqlite3';
import type { DmEvent, EventId, EventQuery, EventRecord, EventStore, Page } from '../store.js';
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
  readonly #lists = new Map<string, Database.Statement<unknown[], EventRow>>();

  constructor(db: Database.Database) {
    this.#db = db;
    this.#append = db.prepare('INSERT INTO events (type, device_id, at, data) VALUES (?, ?, ?, ?)');
  }

  append(event: DmEvent, at: number): EventRecord {
    const id = this.#append.run(event.type, event.deviceId, at, JSON.stringify(event)).lastInsertRowid;
    return { ...event, id: String(id) as EventId, at };
  }

  list(query: EventQuery): Page<EventRecord> {
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
