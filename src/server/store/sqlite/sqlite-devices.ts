/** SQLite rows of devices, their credentials, nonces and recently accepted digests. */
import type Database from 'better-sqlite3';
import { ErrorCode, StoreError } from '../../../core/errors.js';
import type {
  ClientCredential, CredentialAcceptance, CredentialUse, DeviceAuthContext, DeviceId, DevicePatch, DeviceRecord, DeviceReport, DeviceStore, NewDeviceRecord, Page, PageQuery,
  ServerCredential, SessionOutcome,
} from '../store.js';
import { blobToBytes, bytesToBlob, clampLimit, decodeCursor, encodeCursor, isConstraint, parseJson, type SyncOf } from './sqlite-util.js';

interface DeviceRow {
  id: string;
  dev_info: string;
  dev_detail: string;
  protocol_version: string | null;
  encoding: string | null;
  groups: string;
  tags: string;
  push_address: string | null;
  created_at: number;
  updated_at: number;
  last_session_at: number | null;
  last_session_outcome: string | null;
  notify_session_id: number | null;
  notified_at: number | null;
  client_username: string | null;
  client_auth_type: string | null;
  client_secret_kind: string | null;
  client_secret: string | null;
  server_id: string | null;
  server_secret: string | null;
  client_nonce: Buffer | null;
  server_nonce: Buffer | null;
}

const COLUMNS = `id, dev_info, dev_detail, protocol_version, encoding, groups, tags, push_address, created_at, updated_at,
  last_session_at, last_session_outcome, notify_session_id, notified_at, client_username, client_auth_type,
  client_secret_kind, client_secret, server_id, server_secret, client_nonce, server_nonce`;

/** Synchronous core of the SQLite {@link DeviceStore}. */
export class SqliteDeviceStore implements SyncOf<DeviceStore> {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #insertGroup: Database.Statement;
  readonly #deleteGroups: Database.Statement;
  readonly #get: Database.Statement<[string], unknown[]>;
  readonly #update: Database.Statement;
  readonly #mergeReported: Database.Statement;
  readonly #remove: Database.Statement;
  readonly #members: Database.Statement<[string], string>;
  readonly #setClient: Database.Statement;
  readonly #setServer: Database.Statement;
  readonly #setClientNonce: Database.Statement;
  readonly #setServerNonce: Database.Statement;
  readonly #credentialState: Database.Statement<[string], unknown[]>;
  readonly #acceptCredential: Database.Statement;
  readonly #recordSession: Database.Statement;
  readonly #allocate: Database.Statement<[number, string], number>;
  readonly #lists = new Map<string, Database.Statement<unknown[], unknown[]>>();
  // Multi-statement writes: created once (a savepoint when a transaction is already open).
  readonly #insertTx: (row: Record<string, unknown>, groups: readonly string[]) => void;
  readonly #updateTx: (id: DeviceId, patch: DevicePatch, at: number) => DeviceRecord | undefined;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#insert = db.prepare(`INSERT INTO devices (${COLUMNS}) VALUES
      (@id, @dev_info, @dev_detail, @protocol_version, @encoding, @groups, @tags, @push_address, @created_at, @updated_at,
       NULL, NULL, NULL, NULL, @client_username, @client_auth_type, @client_secret_kind, @client_secret, @server_id, @server_secret, NULL, NULL)`);
    this.#insertGroup = db.prepare('INSERT OR IGNORE INTO device_groups (grp, device_id) VALUES (?, ?)');
    this.#deleteGroups = db.prepare('DELETE FROM device_groups WHERE device_id = ?');
    this.#get = db.prepare<[string], unknown[]>(`SELECT ${COLUMNS} FROM devices WHERE id = ?`).raw();
    this.#update = db.prepare(`UPDATE devices SET dev_info = @dev_info, dev_detail = @dev_detail, protocol_version = @protocol_version,
      encoding = @encoding, groups = @groups, tags = @tags, push_address = @push_address, updated_at = @updated_at WHERE id = @id`);
    // json_patch merges the reported leaves into the stored object (RFC 7396; values are strings, never null).
    this.#mergeReported = db.prepare(`UPDATE devices SET
      dev_info = CASE WHEN @dev_info IS NULL THEN dev_info ELSE json_patch(dev_info, @dev_info) END,
      dev_detail = CASE WHEN @dev_detail IS NULL THEN dev_detail ELSE json_patch(dev_detail, @dev_detail) END,
      protocol_version = coalesce(@protocol_version, protocol_version), encoding = coalesce(@encoding, encoding),
      updated_at = @updated_at WHERE id = @id`);
    this.#remove = db.prepare('DELETE FROM devices WHERE id = ?');
    this.#members = db.prepare<[string], string>('SELECT device_id FROM device_groups WHERE grp = ? ORDER BY device_id').pluck();
    this.#setClient = db.prepare(`UPDATE devices SET client_username = ?, client_auth_type = ?, client_secret_kind = ?, client_secret = ?,
      updated_at = ? WHERE id = ?`);
    this.#setServer = db.prepare('UPDATE devices SET server_id = ?, server_secret = ?, updated_at = ? WHERE id = ?');
    this.#setClientNonce = db.prepare('UPDATE devices SET client_nonce = ? WHERE id = ?');
    this.#setServerNonce = db.prepare('UPDATE devices SET server_nonce = ? WHERE id = ?');
    this.#credentialState = db.prepare<[string], unknown[]>('SELECT client_nonce, recent_digests FROM devices WHERE id = ?').raw();
    // Compare-and-set on what was read: only matters when another process shares the file.
    this.#acceptCredential = db.prepare(`UPDATE devices SET client_nonce = @next, recent_digests = @digests
      WHERE id = @id AND client_nonce = @nonce AND recent_digests IS @seen`);
    this.#recordSession = db.prepare('UPDATE devices SET last_session_at = ?, last_session_outcome = ? WHERE id = ?');
    this.#allocate = db.prepare<[number, string], number>(`UPDATE devices SET notify_session_id = COALESCE(notify_session_id, 0) % 65535 + 1,
      notified_at = ? WHERE id = ? RETURNING notify_session_id`).pluck();
    this.#insertTx = db.transaction((row: Record<string, unknown>, groups: readonly string[]) => {
      try {
        this.#insert.run(row);
      } catch (err) {
        if (isConstraint(err, 'PRIMARYKEY')) throw new StoreError(ErrorCode.ERR_REGISTRY_DEVICE_EXISTS, `device ${String(row.id)} is already registered`);
        throw err;
      }
      for (const g of groups) this.#insertGroup.run(g, row.id);
    });
    this.#updateTx = db.transaction((id: DeviceId, patch: DevicePatch, at: number) => this.#updateSync(id, patch, at));
  }

  insert(device: NewDeviceRecord): DeviceRecord {
    const groups = unique(device.groups ?? []);
    const row = {
      id: device.id,
      dev_info: JSON.stringify(device.devInfo ?? {}),
      dev_detail: JSON.stringify(device.devDetail ?? {}),
      protocol_version: device.protocolVersion ?? null,
      encoding: device.encoding ?? null,
      groups: JSON.stringify(groups),
      tags: JSON.stringify(device.tags ?? {}),
      push_address: device.pushAddress ? JSON.stringify(device.pushAddress) : null,
      created_at: device.createdAt,
      updated_at: device.createdAt,
      client_username: device.client?.username ?? null,
      client_auth_type: device.client?.authType ?? null,
      client_secret_kind: device.client?.secret.kind ?? null,
      client_secret: device.client?.secret.value ?? null,
      server_id: device.server?.serverId ?? null,
      server_secret: device.server?.secret ?? null,
    };
    this.#insertTx(row, groups);
    return this.get(device.id) as DeviceRecord;
  }

  get(id: DeviceId): DeviceRecord | undefined {
    const raw = this.#get.get(id);
    return raw ? toDevice(rowOf(raw)) : undefined;
  }

  getAuthContext(id: DeviceId): DeviceAuthContext | undefined {
    const raw = this.#get.get(id);
    if (!raw) return undefined;
    const row = rowOf(raw);
    const client: ClientCredential | undefined = row.client_username !== null && row.client_secret !== null
      ? {
        username: row.client_username,
        authType: row.client_auth_type as ClientCredential['authType'],
        secret: { kind: row.client_secret_kind === 'scrypt' ? 'scrypt' : 'md5', value: row.client_secret },
      }
      : undefined;
    const server: ServerCredential | undefined = row.server_id !== null && row.server_secret !== null
      ? { serverId: row.server_id, secret: row.server_secret } : undefined;
    const clientNonce = blobToBytes(row.client_nonce);
    const serverNonce = blobToBytes(row.server_nonce);
    return {
      device: toDevice(row),
      ...(client ? { client } : {}),
      ...(server ? { server } : {}),
      ...(clientNonce ? { clientNonce } : {}),
      ...(serverNonce ? { serverNonce } : {}),
    };
  }

  list(query: PageQuery & { readonly group?: string }): Page<DeviceRecord> {
    const limit = clampLimit(query.limit);
    const desc = query.order === 'desc';
    const after = query.cursor !== undefined ? decodeCursor(query.cursor) : undefined;
    const key = `${query.group !== undefined}:${after !== undefined}:${desc}`;
    let stmt = this.#lists.get(key);
    if (!stmt) {
      const where: string[] = [];
      if (query.group !== undefined) where.push('id IN (SELECT device_id FROM device_groups WHERE grp = @group)');
      if (after !== undefined) where.push(desc ? 'id < @after' : 'id > @after');
      stmt = this.#db.prepare<unknown[], unknown[]>(`SELECT ${COLUMNS} FROM devices ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id ${desc ? 'DESC' : 'ASC'} LIMIT @limit`).raw();
      this.#lists.set(key, stmt);
    }
    const rows = stmt.all({ limit: limit + 1, ...(query.group !== undefined ? { group: query.group } : {}), ...(after !== undefined ? { after } : {}) });
    const items = rows.slice(0, limit).map((r) => toDevice(rowOf(r)));
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, nextCursor: encodeCursor(last.id) } : { items };
  }

  listGroupMembers(group: string): DeviceId[] {
    return this.#members.all(group) as DeviceId[];
  }

  update(id: DeviceId, patch: DevicePatch, at: number): DeviceRecord | undefined {
    // Inside an open transaction with a single write (no group change) the extra savepoint buys
    // nothing: the read is already isolated and one UPDATE cannot half-apply.
    if (patch.groups === undefined && this.#db.inTransaction) return this.#updateSync(id, patch, at);
    return this.#updateTx(id, patch, at);
  }

  #updateSync(id: DeviceId, patch: DevicePatch, at: number): DeviceRecord | undefined {
    const raw = this.#get.get(id);
    if (!raw) return undefined;
    const row = rowOf(raw);
    const current = toDevice(row);
    const groups = patch.groups !== undefined ? unique(patch.groups) : current.groups;
    const next: Record<string, unknown> = {
      id,
      dev_info: patch.devInfo ? JSON.stringify({ ...current.devInfo, ...patch.devInfo }) : row.dev_info,
      dev_detail: patch.devDetail ? JSON.stringify({ ...current.devDetail, ...patch.devDetail }) : row.dev_detail,
      protocol_version: patch.protocolVersion !== undefined ? patch.protocolVersion : row.protocol_version,
      encoding: patch.encoding !== undefined ? patch.encoding : row.encoding,
      groups: patch.groups !== undefined ? JSON.stringify(groups) : row.groups,
      tags: patch.tags !== undefined ? JSON.stringify(patch.tags) : row.tags,
      push_address: patch.pushAddress !== undefined ? (patch.pushAddress === null ? null : JSON.stringify(patch.pushAddress)) : row.push_address,
      updated_at: at,
    };
    this.#update.run(next);
    if (patch.groups !== undefined) {
      this.#deleteGroups.run(id);
      for (const g of groups) this.#insertGroup.run(g, id);
    }
    // The row as written, without reading it back.
    return toDevice({ ...row, ...next } as DeviceRow);
  }

  mergeReported(id: DeviceId, report: DeviceReport, at: number): boolean {
    return this.#mergeReported.run({
      id,
      dev_info: report.devInfo ? JSON.stringify(report.devInfo) : null,
      dev_detail: report.devDetail ? JSON.stringify(report.devDetail) : null,
      protocol_version: report.protocolVersion ?? null,
      encoding: report.encoding ?? null,
      updated_at: at,
    }).changes > 0;
  }

  remove(id: DeviceId): boolean {
    return this.#remove.run(id).changes > 0;
  }

  setClientCredential(id: DeviceId, cred: ClientCredential | null, at: number): boolean {
    return this.#setClient.run(cred?.username ?? null, cred?.authType ?? null, cred?.secret.kind ?? null, cred?.secret.value ?? null, at, id).changes > 0;
  }

  setServerCredential(id: DeviceId, cred: ServerCredential | null, at: number): boolean {
    return this.#setServer.run(cred?.serverId ?? null, cred?.secret ?? null, at, id).changes > 0;
  }

  setClientNonce(id: DeviceId, nonce: Uint8Array, _at: number): boolean {
    return this.#setClientNonce.run(bytesToBlob(nonce), id).changes > 0;
  }

  setServerNonce(id: DeviceId, nonce: Uint8Array, _at: number): boolean {
    return this.#setServerNonce.run(bytesToBlob(nonce), id).changes > 0;
  }

  acceptCredential(id: DeviceId, use: CredentialUse): CredentialAcceptance {
    const presented = bytesToBlob(use.nonce);
    // A failed compare-and-set means another process wrote the row since the read: read again,
    // which then refuses the use (that process won) or, after an unrelated write, accepts it.
    for (let attempt = 0; attempt < 3; attempt++) {
      const raw = this.#credentialState.get(id);
      if (!raw) throw new StoreError(ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND, `device ${id} is not registered`);
      const nonce = raw[0] as Buffer | null;
      const seen = raw[1] as string | null;
      const digests = parseJson<string[]>(seen, []);
      if (digests.includes(use.digest)) return 'replayed';
      if (!nonce?.equals(presented)) return 'stale_nonce';
      digests.unshift(use.digest);
      digests.length = Math.min(digests.length, Math.max(1, use.keep));
      const written = this.#acceptCredential.run({ id, next: bytesToBlob(use.nextNonce), digests: JSON.stringify(digests), nonce, seen });
      if (written.changes > 0) return 'accepted';
    }
    return 'stale_nonce';
  }

  recordSession(id: DeviceId, entry: { readonly at: number; readonly outcome: SessionOutcome }): boolean {
    return this.#recordSession.run(entry.at, entry.outcome, id).changes > 0;
  }

  allocateNotificationSession(id: DeviceId, at: number): number | undefined {
    return this.#allocate.get(at, id);
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** A raw-mode row (array in {@link COLUMNS} order) as a named row; see sqlite-jobs.ts for why raw. */
function rowOf(a: unknown[]): DeviceRow {
  return {
    id: a[0], dev_info: a[1], dev_detail: a[2], protocol_version: a[3], encoding: a[4], groups: a[5], tags: a[6], push_address: a[7],
    created_at: a[8], updated_at: a[9], last_session_at: a[10], last_session_outcome: a[11], notify_session_id: a[12], notified_at: a[13],
    client_username: a[14], client_auth_type: a[15], client_secret_kind: a[16], client_secret: a[17], server_id: a[18], server_secret: a[19],
    client_nonce: a[20], server_nonce: a[21],
  } as DeviceRow;
}

function toDevice(row: DeviceRow): DeviceRecord {
  return {
    id: row.id as DeviceId,
    devInfo: parseJson(row.dev_info, {}),
    devDetail: parseJson(row.dev_detail, {}),
    ...(row.protocol_version !== null ? { protocolVersion: row.protocol_version as DeviceRecord['protocolVersion'] & string } : {}),
    ...(row.encoding !== null ? { encoding: row.encoding as DeviceRecord['encoding'] & string } : {}),
    groups: parseJson(row.groups, []),
    tags: parseJson(row.tags, {}),
    ...(row.push_address !== null ? { pushAddress: parseJson(row.push_address, { type: 'sms', msisdn: '' }) } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.last_session_at !== null ? { lastSessionAt: row.last_session_at } : {}),
    ...(row.last_session_outcome !== null ? { lastSessionOutcome: row.last_session_outcome as SessionOutcome } : {}),
    ...(row.notify_session_id !== null && row.notified_at !== null
      ? { lastNotification: { dmSessionId: row.notify_session_id, at: row.notified_at } } : {}),
  };
}
