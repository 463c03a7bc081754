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

/** Synchronous core of the SQLite {@link TreeCacheStore}. */
export class SqliteTreeCacheStore implements SyncOf<TreeCacheStore> {
  readonly #upsert: Database.Statement;
  readonly #get: Database.Statement<[string, string], NodeRow>;
  readonly #listAll: Database.Statement<unknown[], NodeRow>;
  readonly #listPrefix: Database.Statement<unknown[], NodeRow>;
  readonly #deleteSubtree: Database.Statement;
  readonly #deleteAll: Database.Statement;
  readonly #upsertTx: (deviceId: DeviceId, nodes: readonly (StoredItem & { readonly source: TreeValueSource; readonly at: number })[]) => void;

  constructor(db: Database.Database) {
    this.#upsert = db.prepare(`INSERT INTO tree_nodes (${COLUMNS}) VALUES (@device_id, @uri, @format, @type, @data, @base64, @source, @at)
      ON CONFLICT (device_id, uri) DO UPDATE SET format = excluded.format, type = excluded.type, data = excluded.data,
      base64 = excluded.base64, source = excluded.source, at = excluded.at`);
    this.#get = db.prepare<[string, string], NodeRow>(`SELECT ${COLUMNS} FROM tree_nodes WHERE device_id = ? AND uri = ?`);
    this.#listAll = db.prepare<unknown[], NodeRow>(`SELECT ${COLUMNS} FROM tree_nodes WHERE device_id = @device AND uri > @after
      ORDER BY uri LIMIT @limit`);
    this.#listPrefix = db.prepare<unknown[], NodeRow>(`SELECT ${COLUMNS} FROM tree_nodes WHERE device_id = @device AND uri > @after
      AND (uri = @prefix OR (uri >= @lo AND uri < @hi)) ORDER BY uri LIMIT @limit`);
    this.#deleteSubtree = db.prepare('DELETE FROM tree_nodes WHERE device_id = @device AND (uri = @prefix OR (uri >= @lo AND uri < @hi))');
    this.#deleteAll = db.prepare('DELETE FROM tree_nodes WHERE device_id = ?');
    this.#upsertTx = db.transaction((deviceId: DeviceId, nodes: readonly (StoredItem & { readonly source: TreeValueSource; readonly at: number })[]) => this.#upsertSync(deviceId, nodes));
  }

  upsert(deviceId: DeviceId, nodes: readonly (StoredItem & { readonly source: TreeValueSource; readonly at: number })[]): void {
    if (nodes.length === 1) this.#upsertSync(deviceId, nodes);
    else this.#upsertTx(deviceId, nodes);
  }

  #upsertSync(deviceId: DeviceId, nodes: readonly (StoredItem & { readonly source: TreeValueSource; readonly at: number })[]): void {
    for (const n of nodes) {
      this.#upsert.run({
        device_id: deviceId,
        uri: normalizeNodeUri(n.uri),
        format: n.format ?? null,
        type: n.type ?? null,
        data: n.data ?? null,
        base64: n.base64 === true ? 1 : 0,
        source: n.source,
        at: n.at,
      });
    }
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
