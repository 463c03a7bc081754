/**
 * SQLite tree cache. Prefix listings and subtree deletes use a key range instead of LIKE:
 * the subtree of `./A` is `./A` itself plus every URI in [`./A/`, `./A0`) — `0` is the code point
 * after `/` — so the primary key (device_id, uri) index serves both.
 */
import type Database from 'better-sqlite3';
import { normalizeNodeUri } from '../node-uri.js';
import type { DeviceId, Page, StoredItem, TreeCacheStore, TreeNodeRecord, TreeValueSource } from '../store.js';
import { clampLimit, decodeCursor, encodeCursor, type SyncOf } from './sqlite-util.js';

interface NodeRow {
  device_id: string;
  uri: string;
  format: string | null;
  type: string | null;
  data: string | null;
  base64: number;
  source: string;
  at: number;
}

const COLUMNS = 'device_id, uri, format, type, data, base64, source, at';
const COLUMN_COUNT = 8;
/** Most rows per INSERT statement (8 parameters each, well under SQLite's 32766 limit). */
const UPSERT_CHUNK = 64;

type CachedNode = StoredItem & { readonly source: TreeValueSource; readonly at: number };
/** A node keyed by its normalized URI. */
type UpsertRow = readonly [uri: string, node: CachedNode];

/** Synchronous core of the SQLite {@link TreeCacheStore}. */
export class SqliteTreeCacheStore implements SyncOf<TreeCacheStore> {
  readonly #db: Database.Database;
  /** Multi-row upserts by row count (1..UPSERT_CHUNK). */
  readonly #upserts = new Map<number, Database.Statement>();
  readonly #get: Database.Statement<[string, string], NodeRow>;
  readonly #listAll: Database.Statement<unknown[], NodeRow>;
  readonly #listPrefix: Database.Statement<unknown[], NodeRow>;
  readonly #deleteSubtree: Database.Statement;
  readonly #deleteAll: Database.Statement;
  readonly #upsertTx: (deviceId: DeviceId, rows: readonly UpsertRow[]) => void;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#get = db.prepare<[string, string], NodeRow>(`SELECT ${COLUMNS} FROM tree_nodes WHERE device_id = ? AND uri = ?`);
    this.#listAll = db.prepare<unknown[], NodeRow>(`SELECT ${COLUMNS} FROM tree_nodes WHERE device_id = @device AND uri > @after
      ORDER BY uri LIMIT @limit`);
    this.#listPrefix = db.prepare<unknown[], NodeRow>(`SELECT ${COLUMNS} FROM tree_nodes WHERE device_id = @device AND uri > @after
      AND (uri = @prefix OR (uri >= @lo AND uri < @hi)) ORDER BY uri LIMIT @limit`);
    this.#deleteSubtree = db.prepare('DELETE FROM tree_nodes WHERE device_id = @device AND (uri = @prefix OR (uri >= @lo AND uri < @hi))');
    this.#deleteAll = db.prepare('DELETE FROM tree_nodes WHERE device_id = ?');
    this.#upsertTx = db.transaction((deviceId: DeviceId, rows: readonly UpsertRow[]) => {
      for (let i = 0; i < rows.length; i += UPSERT_CHUNK) this.#upsertRows(deviceId, rows.slice(i, i + UPSERT_CHUNK));
    });
  }

  upsert(deviceId: DeviceId, nodes: readonly CachedNode[]): void {
    // One row per URI, the last value winning (as successive upserts would leave it).
    const byUri = new Map<string, CachedNode>();
    for (const n of nodes) byUri.set(normalizeNodeUri(n.uri), n);
    if (byUri.size === 0) return;
    const rows = [...byUri];
    // A single statement is atomic by itself; several chunks need a transaction (a savepoint when nested).
    if (rows.length <= UPSERT_CHUNK) this.#upsertRows(deviceId, rows);
    else this.#upsertTx(deviceId, rows);
  }

  /** One INSERT … ON CONFLICT DO UPDATE for up to {@link UPSERT_CHUNK} rows with distinct, normalized URIs. */
  #upsertRows(deviceId: DeviceId, rows: readonly UpsertRow[]): void {
    const params: unknown[] = new Array(rows.length * COLUMN_COUNT);
    let i = 0;
    for (const [uri, n] of rows) {
      params[i++] = deviceId;
      params[i++] = uri;
      params[i++] = n.format ?? null;
      params[i++] = n.type ?? null;
      params[i++] = n.data ?? null;
      params[i++] = n.base64 === true ? 1 : 0;
      params[i++] = n.source;
      params[i++] = n.at;
    }
    this.#upsertStatement(rows.length).run(params);
  }

  #upsertStatement(rows: number): Database.Statement {
    let stmt = this.#upserts.get(rows);
    if (!stmt) {
      const values = new Array<string>(rows).fill(`(${new Array<string>(COLUMN_COUNT).fill('?').join(', ')})`).join(', ');
      stmt = this.#db.prepare(`INSERT INTO tree_nodes (${COLUMNS}) VALUES ${values}
        ON CONFLICT (device_id, uri) DO UPDATE SET format = excluded.format, type = excluded.type, data = excluded.data,
        base64 = excluded.base64, source = excluded.source, at = excluded.at`);
      this.#upserts.set(rows, stmt);
    }
    return stmt;
  }

  get(deviceId: DeviceId, uri: string): TreeNodeRecord | undefined {
    const row = this.#get.get(deviceId, normalizeNodeUri(uri));
    return row ? toNode(row) : undefined;
  }

  list(deviceId: DeviceId, query: { readonly prefix?: string; readonly cursor?: string; readonly limit?: number }): Page<TreeNodeRecord> {
    const limit = clampLimit(query.limit);
    const after = query.cursor !== undefined ? decodeCursor(query.cursor) : '';
    const prefix = query.prefix === undefined ? '.' : normalizeNodeUri(query.prefix);
    const rows = prefix === '.'
      ? this.#listAll.all({ device: deviceId, after, limit: limit + 1 })
      : this.#listPrefix.all({ device: deviceId, after, limit: limit + 1, ...range(prefix) });
    const items = rows.slice(0, limit).map(toNode);
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, nextCursor: encodeCursor(last.uri) } : { items };
  }

  deleteSubtree(deviceId: DeviceId, uri: string): number {
    const prefix = normalizeNodeUri(uri);
    if (prefix === '.') return this.#deleteAll.run(deviceId).changes;
    return this.#deleteSubtree.run({ device: deviceId, ...range(prefix) }).changes;
  }
}

function range(prefix: string): { prefix: string; lo: string; hi: string } {
  return { prefix, lo: `${prefix}/`, hi: `${prefix}0` };
}

function toNode(row: NodeRow): TreeNodeRecord {
  return {
    deviceId: row.device_id as DeviceId,
    uri: row.uri,
    ...(row.format !== null ? { format: row.format } : {}),
    ...(row.type !== null ? { type: row.type } : {}),
    ...(row.data !== null ? { data: row.data } : {}),
    ...(row.base64 === 1 ? { base64: true } : {}),
    source: row.source as TreeValueSource,
    at: row.at,
  };
}
