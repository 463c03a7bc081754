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
  readonly #insert: Database.Statement<unknown[], unknown[]>;
  readonly #get: Database.Statement<[number], unknown[]>;
  readonly #expire: Database.Statement<unknown[], unknown[]>;
  /** By LIMIT: a literal LIMIT lets SQLite stop the indexed walk early; a bound one ran ~4× slower. */
  readonly #queued = new Map<number, Database.Statement<[string], unknown[]>>();
  readonly #findSent: Database.Statement<unknown[], unknown[]>;
  readonly #findSentExact: Database.Statement<unknown[], unknown[]>;
  readonly #bySession: Database.Statement<[string], unknown[]>;
  readonly #byCorrelator: Database.Statement<[string, string], unknown[]>;
  readonly #update: Database.Statement;
  readonly #lists = new Map<string, Database.Statement<unknown[], unknown[]>>();
  readonly #insertTx: (jobs: readonly NewJob[]) => JobRecord[];

  constructor(db: Database.Database) {
    this.#db = db;
    this.#insert = db.prepare<unknown[], unknown[]>(`INSERT INTO jobs (device_id, command, state, priority, correlator, fan_out_id, grp, size,
      created_at, updated_at, expires_at) VALUES (@device_id, @command, 'queued', @priority, @correlator, @fan_out_id, @grp, @size,
      @created_at, @created_at, @expires_at) RETURNING ${COLUMNS}`).raw();
    this.#get = db.prepare<[number], unknown[]>(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`).raw();
    this.#expire = db.prepare<unknown[], unknown[]>(`UPDATE jobs INDEXED BY jobs_expiring SET state = 'expired', updated_at = @now, completed_at = @now,
      error = 'expired before delivery' WHERE device_id = @device AND state = 'queued' AND expires_at IS NOT NULL AND expires_at <= @now
      RETURNING ${COLUMNS}`).raw();
    // Nested commands of an Atomic/Sequence travel in the same message as their parent.
    this.#findSent = db.prepare<unknown[], unknown[]>(`SELECT ${COLUMNS} FROM jobs WHERE session_id = @session AND msg_id = @msg
      AND (cmd_id = @cmd OR (child_cmd_ids IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(jobs.child_cmd_ids) WHERE value = @cmd)))
      ORDER BY cmd_id = @cmd DESC LIMIT 1`).raw();
    // The common case (a top-level command) without the json_each scan and the sort.
    this.#findSentExact = db.prepare<unknown[], unknown[]>(`SELECT ${COLUMNS} FROM jobs WHERE session_id = @session AND msg_id = @msg
      AND cmd_id = @cmd LIMIT 1`).raw();
    this.#bySession = db.prepare<[string], unknown[]>(`SELECT ${COLUMNS} FROM jobs WHERE session_id = ? ORDER BY msg_id, cmd_id`).raw();
    this.#byCorrelator = db.prepare<[string, string], unknown[]>(`SELECT ${COLUMNS} FROM jobs WHERE device_id = ? AND correlator = ?
      ORDER BY id DESC LIMIT 1`).raw();
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
    }) as unknown[]));
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
      stmt = this.#db.prepare<unknown[], unknown[]>(sql).raw();
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
    const n = Math.max(1, Math.trunc(limit));
    let stmt = this.#queued.get(n);
    if (!stmt) {
      stmt = this.#db.prepare<[string], unknown[]>(`SELECT ${COLUMNS} FROM jobs WHERE device_id = ? AND state = 'queued'
        ORDER BY priority DESC, id ASC LIMIT ${n}`).raw();
      this.#queued.set(n, stmt);
    }
    return stmt.all(deviceId).map(toJob);
  }

  findSent(session: SessionId, msgId: number, cmdId: number): JobRecord | undefined {
    const args = { session, msg: msgId, cmd: cmdId };
    const row = this.#findSentExact.get(args) ?? this.#findSent.get(args);
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

/**
 * Statements run in raw mode (rows as arrays, in {@link COLUMNS} order): better-sqlite3 builds a
 * named row object through one V8 property store per column, which cost more than the query itself.
 */
function rowOf(a: unknown[]): JobRow {
  return {
    id: a[0], device_id: a[1], command: a[2], state: a[3], priority: a[4], correlator: a[5], fan_out_id: a[6], grp: a[7], size: a[8],
    created_at: a[9], updated_at: a[10], expires_at: a[11], session_id: a[12], msg_id: a[13], cmd_id: a[14], child_cmd_ids: a[15],
    sent_at: a[16], attempts: a[17], status: a[18], statuses: a[19], results: a[20], completed_at: a[21], error: a[22],
  } as JobRow;
}

/** Builds the record field by field: no temporary spread objects on this hot path. */
function toJob(raw: unknown[]): JobRecord {
  const row = rowOf(raw);
  const job: Record<string, unknown> = {
    id: String(row.id),
    deviceId: row.device_id,
    command: JSON.parse(row.command),
    state: row.state,
    priority: row.priority,
  };
  if (row.correlator !== null) job['correlator'] = row.correlator;
  if (row.fan_out_id !== null) job['fanOutId'] = row.fan_out_id;
  if (row.grp !== null) job['group'] = row.grp;
  job['size'] = row.size;
  job['createdAt'] = row.created_at;
  job['updatedAt'] = row.updated_at;
  if (row.expires_at !== null) job['expiresAt'] = row.expires_at;
  if (row.session_id !== null) job['sessionId'] = row.session_id;
  if (row.msg_id !== null) job['msgId'] = row.msg_id;
  if (row.cmd_id !== null) job['cmdId'] = row.cmd_id;
  if (row.child_cmd_ids !== null) job['childCmdIds'] = parseJson<number[]>(row.child_cmd_ids, []);
  if (row.sent_at !== null) job['sentAt'] = row.sent_at;
  job['attempts'] = row.attempts;
  if (row.status !== null) job['status'] = row.status;
  job['statuses'] = row.statuses === '[]' ? [] : parseJson<JobStatusEntry[]>(row.statuses, []);
  job['results'] = row.results === '[]' ? [] : parseJson<StoredItem[]>(row.results, []);
  if (row.completed_at !== null) job['completedAt'] = row.completed_at;
  if (row.error !== null) job['error'] = row.error;
  return job as unknown as JobRecord;
}
