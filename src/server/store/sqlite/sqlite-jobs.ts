/** SQLite rows of the durable command queue. */
import type Database from 'better-sqlite3';
import type {
  DeviceId, JobCommand, JobId, JobQuery, JobRecord, JobState, JobStatusEntry, JobStore, NewJob, Page, SessionId, StoredItem,
} from '../store.js';
import { clampLimit, decodeIdCursor, encodeCursor, parseJson, type SyncOf } from './sqlite-util.js';

interface JobRow {
  id: number;
  device_id: string;
  command: string;
  state: string;
  priority: number;
  correlator: string | null;
  fan_out_id: string | null;
  grp: string | null;
  size: number;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  session_id: string | null;
  msg_id: number | null;
  cmd_id: number | null;
  child_cmd_ids: string | null;
  sent_at: number | null;
  attempts: number;
  status: number | null;
  statuses: string;
  results: string;
  completed_at: number | null;
  error: string | null;
}

const COLUMNS = `id, device_id, command, state, priority, correlator, fan_out_id, grp, size, created_at, updated_at, expires_at,
  session_id, msg_id, cmd_id, child_cmd_ids, sent_at, attempts, status, statuses, results, completed_at, error`;

/** Synchronous core of the SQLite {@link JobStore}. */
export class SqliteJobStore implements SyncOf<JobStore> {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<unknown[], JobRow>;
  readonly #get: Database.Statement<[number], JobRow>;
  readonly #expire: Database.Statement<unknown[], JobRow>;
  readonly #queued: Database.Statement<unknown[], JobRow>;
  readonly #findSent: Database.Statement<unknown[], JobRow>;
  readonly #bySession: Database.Statement<[string], JobRow>;
  readonly #byCorrelator: Database.Statement<[string, string], JobRow>;
  readonly #update: Database.Statement;
  readonly #lists = new Map<string, Database.Statement<unknown[], JobRow>>();
  readonly #insertTx: (jobs: readonly NewJob[]) => JobRecord[];

  constructor(db: Database.Database) {
    this.#db = db;
    this.#insert = db.prepare<unknown[], JobRow>(`INSERT INTO jobs (device_id, command, state, priority, correlator, fan_out_id, grp, size,
      created_at, updated_at, expires_at) VALUES (@device_id, @command, 'queued', @priority, @correlator, @fan_out_id, @grp, @size,
      @created_at, @created_at, @expires_at) RETURNING ${COLUMNS}`);
    this.#get = db.prepare<[number], JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`);
    this.#expire = db.prepare<unknown[], JobRow>(`UPDATE jobs INDEXED BY jobs_expiring SET state = 'expired', updated_at = @now, completed_at = @now,
      error = 'expired before delivery' WHERE device_id = @device AND state = 'queued' AND expires_at IS NOT NULL AND expires_at <= @now
      RETURNING ${COLUMNS}`);
    this.#queued = db.prepare<unknown[], JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE device_id = ? AND state = 'queued'
      ORDER BY priority DESC, id ASC LIMIT ?`);
    // Nested commands of an Atomic/Sequence travel in the same message as their parent.
    this.#findSent = db.prepare<unknown[], JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE session_id = @session AND msg_id = @msg
      AND (cmd_id = @cmd OR (child_cmd_ids IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(jobs.child_cmd_ids) WHERE value = @cmd)))
      ORDER BY cmd_id = @cmd DESC LIMIT 1`);
    this.#bySession = db.prepare<[string], JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE session_id = ? ORDER BY msg_id, cmd_id`);
    this.#byCorrelator = db.prepare<[string, string], JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE device_id = ? AND correlator = ?
      ORDER BY id DESC LIMIT 1`);
    this.#update = db.prepare(`UPDATE jobs SET state = @state, updated_at = @updated_at, session_id = @session_id, msg_id = @msg_id,
      cmd_id = @cmd_id, child_cmd_ids = @child_cmd_ids, sent_at = @sent_at, attempts = @attempts, status = @status,
      statuses = @statuses, results = @results, completed_at = @completed_at, error = @error
      WHERE id = @id AND state = @expect`);
    this.#insertTx = db.transaction((jobs: readonly NewJob[]) => this.#insertSync(jobs));
  }

  insert(jobs: readonly NewJob[]): JobRecord[] {
    return this.#insertTx(jobs);
  }

  #insertSync(jobs: readonly NewJob[]): JobRecord[] {
    return jobs.map((j) => toJob(this.#insert.get({
      device_id: j.deviceId,
      command: JSON.stringify(j.command),
      priority: j.priority,
      correlator: j.correlator ?? null,
      fan_out_id: j.fanOutId ?? null,
      grp: j.group ?? null,
      size: j.size,
      created_at: j.createdAt,
      expires_at: j.expiresAt ?? null,
    }) as JobRow));
  }

  get(id: JobId): JobRecord | undefined {
    const n = Number(id);
    if (!Number.isSafeInteger(n)) return undefined;
    const row = this.#get.get(n);
    return row ? toJob(row) : undefined;
  }

  list(query: JobQuery): Page<JobRecord> {
    const limit = clampLimit(query.limit);
    const desc = query.order === 'desc';
    const after = query.cursor !== undefined ? decodeIdCursor(query.cursor) : undefined;
    const where: string[] = [];
    if (query.deviceId !== undefined) where.push('device_id = @device');
    if (query.state !== undefined) where.push('state = @state');
    if (query.fanOutId !== undefined) where.push('fan_out_id = @fan');
    if (after !== undefined) where.push(desc ? 'id < @after' : 'id > @after');
    const sql = `SELECT ${COLUMNS} FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${desc ? 'DESC' : 'ASC'} LIMIT @limit`;
    let stmt = this.#lists.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare<unknown[], JobRow>(sql);
      this.#lists.set(sql, stmt);
    }
    const rows = stmt.all({
      limit: limit + 1,
      ...(query.deviceId !== undefined ? { device: query.deviceId } : {}),
      ...(query.state !== undefined ? { state: query.state } : {}),
      ...(query.fanOutId !== undefined ? { fan: query.fanOutId } : {}),
      ...(after !== undefined ? { after } : {}),
    });
    const items = rows.slice(0, limit).map(toJob);
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, nextCursor: encodeCursor(last.id) } : { items };
  }

  expireDue(deviceId: DeviceId, now: number): JobRecord[] {
    return this.#expire.all({ device: deviceId, now }).map(toJob);
  }

  listQueued(deviceId: DeviceId, limit: number): JobRecord[] {
    return this.#queued.all(deviceId, Math.max(1, limit)).map(toJob);
  }

  findSent(session: SessionId, msgId: number, cmdId: number): JobRecord | undefined {
    const row = this.#findSent.get({ session, msg: msgId, cmd: cmdId });
    return row ? toJob(row) : undefined;
  }

  listBySession(session: SessionId, states: readonly JobState[]): JobRecord[] {
    return this.#bySession.all(session).map(toJob).filter((j) => states.includes(j.state));
  }

  findByCorrelator(deviceId: DeviceId, correlator: string): JobRecord | undefined {
    const row = this.#byCorrelator.get(deviceId, correlator);
    return row ? toJob(row) : undefined;
  }

  update(next: JobRecord, expect: JobState): boolean {
    return this.#update.run({
      id: Number(next.id),
      expect,
      state: next.state,
      updated_at: next.updatedAt,
      session_id: next.sessionId ?? null,
      msg_id: next.msgId ?? null,
      cmd_id: next.cmdId ?? null,
      child_cmd_ids: next.childCmdIds && next.childCmdIds.length > 0 ? JSON.stringify(next.childCmdIds) : null,
      sent_at: next.sentAt ?? null,
      attempts: next.attempts,
      status: next.status ?? null,
      statuses: JSON.stringify(next.statuses),
      results: JSON.stringify(next.results),
      completed_at: next.completedAt ?? null,
      error: next.error ?? null,
    }).changes > 0;
  }
}

function toJob(row: JobRow): JobRecord {
  return {
    id: String(row.id) as JobId,
    deviceId: row.device_id as DeviceId,
    command: JSON.parse(row.command) as JobCommand,
    state: row.state as JobState,
    priority: row.priority,
    ...(row.correlator !== null ? { correlator: row.correlator } : {}),
    ...(row.fan_out_id !== null ? { fanOutId: row.fan_out_id } : {}),
    ...(row.grp !== null ? { group: row.grp } : {}),
    size: row.size,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.expires_at !== null ? { expiresAt: row.expires_at } : {}),
    ...(row.session_id !== null ? { sessionId: row.session_id as SessionId } : {}),
    ...(row.msg_id !== null ? { msgId: row.msg_id } : {}),
    ...(row.cmd_id !== null ? { cmdId: row.cmd_id } : {}),
    ...(row.child_cmd_ids !== null ? { childCmdIds: parseJson<number[]>(row.child_cmd_ids, []) } : {}),
    ...(row.sent_at !== null ? { sentAt: row.sent_at } : {}),
    attempts: row.attempts,
    ...(row.status !== null ? { status: row.status } : {}),
    statuses: parseJson<JobStatusEntry[]>(row.statuses, []),
    results: parseJson<StoredItem[]>(row.results, []),
    ...(row.completed_at !== null ? { completedAt: row.completed_at } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
  };
}
