/** SQLite rows of open DM sessions (kept for crash recovery). */
import type Database from 'better-sqlite3';
import type { DeviceId, SessionId, SessionRecord, SessionStore } from '../store.js';
import type { SyncOf } from './sqlite-util.js';

interface SessionRow {
  id: string;
  device_id: string;
  dm_session_id: string;
  started_at: number;
  last_message_at: number;
  last_msg_id: number;
  resp_uri_token: string | null;
  owner_id: string;
  owner_pid: number;
}

const COLUMNS = 'id, device_id, dm_session_id, started_at, last_message_at, last_msg_id, resp_uri_token, owner_id, owner_pid';

/** Synchronous core of the SQLite {@link SessionStore}. */
export class SqliteSessionStore implements SyncOf<SessionStore> {
  readonly #open: Database.Statement;
  readonly #get: Database.Statement<[string], SessionRow>;
  readonly #byToken: Database.Statement<[string], SessionRow>;
  readonly #touch: Database.Statement;
  readonly #touchToken: Database.Statement;
  readonly #close: Database.Statement;
  readonly #all: Database.Statement<[], SessionRow>;
  readonly #byOwner: Database.Statement<[string], SessionRow>;
  readonly #byDevice: Database.Statement<[string], SessionRow>;

  constructor(db: Database.Database) {
    this.#open = db.prepare(`INSERT INTO sessions (${COLUMNS}) VALUES (@id, @device_id, @dm_session_id, @started_at, @last_message_at,
      @last_msg_id, @resp_uri_token, @owner_id, @owner_pid)`);
    this.#get = db.prepare<[string], SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE id = ?`);
    this.#byToken = db.prepare<[string], SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE resp_uri_token = ?`);
    this.#touch = db.prepare('UPDATE sessions SET last_message_at = ?, last_msg_id = ? WHERE id = ?');
    this.#touchToken = db.prepare('UPDATE sessions SET last_message_at = ?, last_msg_id = ?, resp_uri_token = ? WHERE id = ?');
    this.#close = db.prepare('DELETE FROM sessions WHERE id = ?');
    this.#all = db.prepare<[], SessionRow>(`SELECT ${COLUMNS} FROM sessions ORDER BY started_at, id`);
    this.#byOwner = db.prepare<[string], SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE owner_id = ? ORDER BY started_at, id`);
    this.#byDevice = db.prepare<[string], SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE device_id = ? ORDER BY started_at, id`);
  }

  open(session: SessionRecord): void {
    this.#open.run({
      id: session.id,
      device_id: session.deviceId,
      dm_session_id: session.dmSessionId,
      started_at: session.startedAt,
      last_message_at: session.lastMessageAt,
      last_msg_id: session.lastMsgId,
      resp_uri_token: session.respUriToken ?? null,
      owner_id: session.ownerId,
      owner_pid: session.ownerPid,
    });
  }

  get(id: SessionId): SessionRecord | undefined {
    const row = this.#get.get(id);
    return row ? toSession(row) : undefined;
  }

  findByToken(token: string): SessionRecord | undefined {
    const row = this.#byToken.get(token);
    return row ? toSession(row) : undefined;
  }

  touch(id: SessionId, entry: { readonly at: number; readonly lastMsgId: number; readonly respUriToken?: string }): boolean {
    const r = entry.respUriToken !== undefined
      ? this.#touchToken.run(entry.at, entry.lastMsgId, entry.respUriToken, id)
      : this.#touch.run(entry.at, entry.lastMsgId, id);
    return r.changes > 0;
  }

  close(id: SessionId): boolean {
    return this.#close.run(id).changes > 0;
  }

  list(filter: { readonly ownerId?: string; readonly deviceId?: DeviceId } = {}): SessionRecord[] {
    let rows: SessionRow[];
    if (filter.ownerId !== undefined) rows = this.#byOwner.all(filter.ownerId);
    else if (filter.deviceId !== undefined) rows = this.#byDevice.all(filter.deviceId);
    else rows = this.#all.all();
    return rows.map(toSession).filter((s) => filter.deviceId === undefined || s.deviceId === filter.deviceId);
  }
}

function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id as SessionId,
    deviceId: row.device_id as DeviceId,
    dmSessionId: row.dm_session_id,
    startedAt: row.started_at,
    lastMessageAt: row.last_message_at,
    lastMsgId: row.last_msg_id,
    ...(row.resp_uri_token !== null ? { respUriToken: row.resp_uri_token } : {}),
    ownerId: row.owner_id,
    ownerPid: row.owner_pid,
  };
}
