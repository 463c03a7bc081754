/**
 * SQLite {@link CampaignStore} (component `campaign`). Each row keeps its whole record as JSON in
 * `data`, with the fields that are filtered, counted or compared-and-set in their own indexed
 * columns. Runs on the same better-sqlite3 database as the firmware store, or a file of its own.
 */
import type Database from 'better-sqlite3';
import { ErrorCode, StoreError } from '../../core/errors.js';
import { type ComponentMigration, applyComponentMigrations } from '../firmware/sqlite-component-schema.js';
import type { Page, PageQuery } from '../store/store.js';
import type { CampaignCounts, CampaignDeviceQuery, CampaignJobLink, CampaignStore } from './campaign-store.js';
import type {
  CampaignDeviceRecord, CampaignDeviceState, CampaignEvent, CampaignEventRecord, CampaignId, CampaignRecord, CampaignState,
} from './campaign-types.js';

/** Schema history of the `campaign` component. */
export const CAMPAIGN_MIGRATIONS: readonly ComponentMigration[] = [{
  version: 1,
  name: 'campaigns',
  sql: `
CREATE TABLE campaigns (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  package_id TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX campaigns_state ON campaigns(state);
CREATE TABLE campaign_devices (
  campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  wave INTEGER NOT NULL,
  state TEXT NOT NULL,
  correlator TEXT,
  result_code INTEGER,
  deadline_at INTEGER,
  next_attempt_at INTEGER,
  data TEXT NOT NULL,
  PRIMARY KEY (campaign_id, device_id)
);
CREATE UNIQUE INDEX campaign_devices_seq ON campaign_devices(campaign_id, seq);
CREATE INDEX campaign_devices_state ON campaign_devices(campaign_id, state, wave, seq);
CREATE UNIQUE INDEX campaign_devices_correlator ON campaign_devices(correlator) WHERE correlator IS NOT NULL;
CREATE INDEX campaign_devices_device ON campaign_devices(device_id, state);
CREATE INDEX campaign_devices_deadline ON campaign_devices(campaign_id, deadline_at) WHERE deadline_at IS NOT NULL;
CREATE TABLE campaign_jobs (
  job_id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  role TEXT NOT NULL,
  attempt INTEGER NOT NULL
);
CREATE INDEX campaign_jobs_device ON campaign_jobs(campaign_id, device_id, attempt);
CREATE TABLE campaign_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  campaign_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX campaign_events_campaign ON campaign_events(campaign_id, id);
`,
}];

const IN_FLIGHT = "('sending','executing','verifying')";
const TERMINAL = "('succeeded','failed','timed_out','cancelled')";

/** Campaign rows in a better-sqlite3 database. */
export class SqliteCampaignStore implements CampaignStore {
  readonly #db: Database.Database;
  readonly #s: ReturnType<typeof prepare>;

  /** Uses `db` and applies the component's pending migrations. */
  constructor(db: Database.Database) {
    this.#db = db;
    db.pragma('foreign_keys = ON');
    applyComponentMigrations(db, { component: 'campaign', migrations: CAMPAIGN_MIGRATIONS });
    this.#s = prepare(db);
  }

  async create(campaign: CampaignRecord, devices: readonly CampaignDeviceRecord[]): Promise<void> {
    const run = this.#db.transaction(() => {
      this.#s.insertCampaign.run(campaign.id, campaign.state, campaign.packageId, JSON.stringify(campaign));
      for (const d of devices) this.#s.insertDevice.run(...deviceColumns(d));
    });
    try {
      run.immediate();
    } catch (err) {
      throw new StoreError(ErrorCode.ERR_STORE, `SQLite: ${(err as Error).message}`, { cause: err });
    }
  }

  async get(id: CampaignId): Promise<CampaignRecord | undefined> {
    const row = this.#s.getCampaign.get(id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as CampaignRecord) : undefined;
  }

  async list(query: PageQuery & { readonly states?: readonly CampaignState[] }): Promise<Page<CampaignRecord>> {
    const limit = clamp(query.limit);
    const desc = query.order === 'desc';
    const where: string[] = [];
    const args: unknown[] = [];
    if (query.cursor !== undefined) {
      where.push(desc ? 'id < ?' : 'id > ?');
      args.push(Buffer.from(query.cursor, 'base64url').toString('utf8'));
    }
    if (query.states !== undefined) {
      where.push(`state IN (${query.states.map(() => '?').join(',') || "''"})`);
      args.push(...query.states);
    }
    const rows = this.#db.prepare(`SELECT id, data FROM campaigns ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${desc ? 'DESC' : 'ASC'} LIMIT ?`)
      .all(...args, limit + 1) as { id: string; data: string }[];
    const items = rows.slice(0, limit).map((r) => JSON.parse(r.data) as CampaignRecord);
    const last = rows[limit - 1];
    return rows.length > limit && last ? { items, nextCursor: Buffer.from(last.id, 'utf8').toString('base64url') } : { items };
  }

  async update(next: CampaignRecord, expect: CampaignState): Promise<boolean> {
    return this.#s.updateCampaign.run(next.state, JSON.stringify(next), next.id, expect).changes > 0;
  }

  async getDevice(campaignId: CampaignId, deviceId: string): Promise<CampaignDeviceRecord | undefined> {
    return parseDevice(this.#s.getDevice.get(campaignId, deviceId));
  }

  async listDevices(campaignId: CampaignId, q: CampaignDeviceQuery): Promise<Page<CampaignDeviceRecord>> {
    const limit = clamp(q.limit);
    const where = ['campaign_id = ?'];
    const args: unknown[] = [campaignId];
    if (q.cursor !== undefined) {
      where.push('seq > ?');
      args.push(Number(Buffer.from(q.cursor, 'base64url').toString('utf8')));
    }
    if (q.state !== undefined) {
      where.push('state = ?');
      args.push(q.state);
    }
    if (q.wave !== undefined) {
      where.push('wave = ?');
      args.push(q.wave);
    }
    const rows = this.#db.prepare(`SELECT data FROM campaign_devices WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`).all(...args, limit + 1);
    const items = rows.slice(0, limit).map((r) => parseDevice(r) as CampaignDeviceRecord);
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, nextCursor: Buffer.from(String(last.seq), 'utf8').toString('base64url') } : { items };
  }

  async updateDevice(next: CampaignDeviceRecord, expect: CampaignDeviceState): Promise<boolean> {
    const [campaignId, deviceId, , , state, correlator, resultCode, deadlineAt, nextAttemptAt, data] = deviceColumns(next);
    try {
      return this.#s.updateDevice.run(state, correlator, resultCode, deadlineAt, nextAttemptAt, data, campaignId, deviceId, expect).changes > 0;
    } catch (err) {
      throw new StoreError(ErrorCode.ERR_STORE, `SQLite: ${(err as Error).message}`, { cause: err });
    }
  }

  async nextPending(campaignId: CampaignId, maxWave: number, limit: number): Promise<CampaignDeviceRecord[]> {
    return this.#s.nextPending.all(campaignId, maxWave, limit).map((r) => parseDevice(r) as CampaignDeviceRecord);
  }

  async listDue(campaignId: CampaignId, now: number, limit: number): Promise<CampaignDeviceRecord[]> {
    return this.#s.listDue.all(campaignId, now, campaignId, now, limit).map((r) => parseDevice(r) as CampaignDeviceRecord);
  }

  async countInFlight(campaignId: CampaignId): Promise<number> {
    return this.#s.countInFlight.get(campaignId) as number;
  }

  async countUnfinished(campaignId: CampaignId, wave: number): Promise<number> {
    return this.#s.countUnfinished.get(campaignId, wave) as number;
  }

  async counts(campaignId: CampaignId): Promise<CampaignCounts> {
    const byState: Partial<Record<CampaignDeviceState, number>> = {};
    for (const r of this.#s.countByState.all(campaignId) as { state: CampaignDeviceState; n: number }[]) byState[r.state] = r.n;
    const byResult = (this.#s.countByResult.all(campaignId) as { code: number; n: number }[]).map((r) => ({ code: r.code, count: r.n }));
    const byWave = (this.#s.countByWave.all(campaignId) as { wave: number; total: number; finished: number; failed: number; succeeded: number }[])
      .map((r) => ({ wave: r.wave, total: r.total, finished: r.finished, failed: r.failed, succeeded: r.succeeded }));
    return { byState, byResult, byWave };
  }

  async findActiveByDevice(deviceId: string): Promise<CampaignDeviceRecord[]> {
    return this.#s.activeByDevice.all(deviceId).map((r) => parseDevice(r) as CampaignDeviceRecord);
  }

  async findByCorrelator(correlator: string): Promise<CampaignDeviceRecord | undefined> {
    return parseDevice(this.#s.byCorrelator.get(correlator));
  }

  async linkJob(l: CampaignJobLink): Promise<void> {
    this.#s.linkJob.run(l.jobId, l.campaignId, l.deviceId, l.role, l.attempt);
  }

  async findJob(jobId: string): Promise<CampaignJobLink | undefined> {
    const r = this.#s.findJob.get(jobId) as { job_id: string; campaign_id: string; device_id: string; role: string; attempt: number } | undefined;
    return r ? toLink(r) : undefined;
  }

  async listJobs(campaignId: CampaignId, deviceId: string, attempt: number): Promise<CampaignJobLink[]> {
    return (this.#s.listJobs.all(campaignId, deviceId, attempt) as { job_id: string; campaign_id: string; device_id: string; role: string; attempt: number }[]).map(toLink);
  }

  async appendEvent(event: CampaignEvent, at: number): Promise<CampaignEventRecord> {
    const id = Number(this.#s.appendEvent.run(event.campaignId, at, JSON.stringify(event)).lastInsertRowid);
    return { ...event, id, at };
  }

  async listEvents(campaignId: CampaignId, q: { readonly after?: number; readonly limit?: number }): Promise<CampaignEventRecord[]> {
    return (this.#s.listEvents.all(campaignId, q.after ?? 0, clamp(q.limit)) as { id: number; at: number; data: string }[])
      .map((r) => ({ ...(JSON.parse(r.data) as CampaignEvent), id: r.id, at: r.at }));
  }

  async packageInUse(packageId: string): Promise<boolean> {
    return this.#s.packageInUse.get(packageId) !== undefined;
  }
}

function prepare(db: Database.Database) {
  return {
    insertCampaign: db.prepare('INSERT INTO campaigns (id, state, package_id, data) VALUES (?, ?, ?, ?)'),
    getCampaign: db.prepare('SELECT data FROM campaigns WHERE id = ?'),
    updateCampaign: db.prepare('UPDATE campaigns SET state = ?, data = ? WHERE id = ? AND state = ?'),
    insertDevice: db.prepare(`INSERT INTO campaign_devices (campaign_id, device_id, seq, wave, state, correlator, result_code, deadline_at, next_attempt_at, data)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    getDevice: db.prepare('SELECT data FROM campaign_devices WHERE campaign_id = ? AND device_id = ?'),
    updateDevice: db.prepare(`UPDATE campaign_devices SET state = ?, correlator = ?, result_code = ?, deadline_at = ?, next_attempt_at = ?, data = ?
      WHERE campaign_id = ? AND device_id = ? AND state = ?`),
    nextPending: db.prepare("SELECT data FROM campaign_devices WHERE campaign_id = ? AND state = 'pending' AND wave <= ? ORDER BY seq LIMIT ?"),
    listDue: db.prepare(`SELECT data FROM (
      SELECT data, seq FROM campaign_devices WHERE campaign_id = ? AND state = 'retry_wait' AND next_attempt_at <= ?
      UNION ALL
      SELECT data, seq FROM campaign_devices WHERE campaign_id = ? AND deadline_at <= ? AND state IN ${IN_FLIGHT}
    ) ORDER BY seq LIMIT ?`),
    countInFlight: db.prepare(`SELECT COUNT(*) FROM campaign_devices WHERE campaign_id = ? AND state IN ${IN_FLIGHT}`).pluck(),
    countUnfinished: db.prepare(`SELECT COUNT(*) FROM campaign_devices WHERE campaign_id = ? AND wave = ? AND state NOT IN ${TERMINAL}`).pluck(),
    countByState: db.prepare('SELECT state, COUNT(*) AS n FROM campaign_devices WHERE campaign_id = ? GROUP BY state'),
    countByResult: db.prepare('SELECT result_code AS code, COUNT(*) AS n FROM campaign_devices WHERE campaign_id = ? AND result_code IS NOT NULL GROUP BY result_code ORDER BY result_code'),
    countByWave: db.prepare(`SELECT wave, COUNT(*) AS total,
      SUM(state IN ${TERMINAL}) AS finished, SUM(state IN ('failed','timed_out')) AS failed, SUM(state = 'succeeded') AS succeeded
      FROM campaign_devices WHERE campaign_id = ? GROUP BY wave ORDER BY wave`),
    activeByDevice: db.prepare(`SELECT d.data FROM campaign_devices d JOIN campaigns c ON c.id = d.campaign_id
      WHERE d.device_id = ? AND d.state NOT IN ${TERMINAL} AND d.state <> 'pending' AND c.state <> 'draft'`),
    byCorrelator: db.prepare('SELECT data FROM campaign_devices WHERE correlator = ?'),
    linkJob: db.prepare('INSERT OR IGNORE INTO campaign_jobs (job_id, campaign_id, device_id, role, attempt) VALUES (?, ?, ?, ?, ?)'),
    findJob: db.prepare('SELECT * FROM campaign_jobs WHERE job_id = ?'),
    listJobs: db.prepare('SELECT * FROM campaign_jobs WHERE campaign_id = ? AND device_id = ? AND attempt = ? ORDER BY rowid'),
    appendEvent: db.prepare('INSERT INTO campaign_events (campaign_id, at, data) VALUES (?, ?, ?)'),
    listEvents: db.prepare('SELECT id, at, data FROM campaign_events WHERE campaign_id = ? AND id > ? ORDER BY id LIMIT ?'),
    packageInUse: db.prepare("SELECT 1 FROM campaigns WHERE package_id = ? AND state IN ('draft','running','paused') LIMIT 1"),
  };
}

function deviceColumns(d: CampaignDeviceRecord) {
  return [
    d.campaignId, d.deviceId, d.seq, d.wave, d.state, d.correlator ?? null, d.resultCode ?? null,
    IN_FLIGHT.includes(`'${d.state}'`) ? (d.deadlineAt ?? null) : null,
    d.state === 'retry_wait' ? (d.nextAttemptAt ?? null) : null,
    JSON.stringify(d),
  ] as const;
}

function parseDevice(row: unknown): CampaignDeviceRecord | undefined {
  return row === undefined ? undefined : (JSON.parse((row as { data: string }).data) as CampaignDeviceRecord);
}

function toLink(r: { job_id: string; campaign_id: string; device_id: string; role: string; attempt: number }): CampaignJobLink {
  return { jobId: r.job_id, campaignId: r.campaign_id as CampaignId, deviceId: r.device_id, role: r.role as CampaignJobLink['role'], attempt: r.attempt };
}

function clamp(limit: number | undefined): number {
  return limit === undefined || !Number.isFinite(limit) ? 100 : Math.min(1000, Math.max(1, Math.trunc(limit)));
}
