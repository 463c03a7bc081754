/** SQLite rows of API tokens (SHA-256 hashes only). */
import type Database from 'better-sqlite3';
import type { ApiTokenRecord, ApiTokenStore } from '../store.js';
import { parseJson, type SyncOf } from './sqlite-util.js';

interface TokenRow {
  id: string;
  name: string;
  scopes: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

const COLUMNS = 'id, name, scopes, created_at, expires_at, last_used_at, revoked_at';

/** Synchronous core of the SQLite {@link ApiTokenStore}. */
export class SqliteApiTokenStore implements SyncOf<ApiTokenStore> {
  readonly #insert: Database.Statement;
  readonly #byHash: Database.Statement<[string], TokenRow>;
  readonly #list: Database.Statement<[], TokenRow>;
  readonly #revoke: Database.Statement;
  readonly #touch: Database.Statement;

  constructor(db: Database.Database) {
    this.#insert = db.prepare(`INSERT INTO api_tokens (id, name, hash, scopes, created_at, expires_at, last_used_at, revoked_at)
      VALUES (@id, @name, @hash, @scopes, @created_at, @expires_at, NULL, NULL)`);
    this.#byHash = db.prepare<[string], TokenRow>(`SELECT ${COLUMNS} FROM api_tokens WHERE hash = ?`);
    this.#list = db.prepare<[], TokenRow>(`SELECT ${COLUMNS} FROM api_tokens ORDER BY created_at DESC, id`);
    this.#revoke = db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    this.#touch = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');
  }

  insert(token: ApiTokenRecord & { readonly hash: string }): void {
    this.#insert.run({
      id: token.id, name: token.name, hash: token.hash, scopes: JSON.stringify(token.scopes), created_at: token.createdAt,
      expires_at: token.expiresAt ?? null,
    });
  }

  findByHash(hash: string): ApiTokenRecord | undefined {
    const row = this.#byHash.get(hash);
    return row ? toToken(row) : undefined;
  }

  list(): ApiTokenRecord[] {
    return this.#list.all().map(toToken);
  }

  revoke(id: string, at: number): boolean {
    return this.#revoke.run(at, id).changes > 0;
  }

  touch(id: string, at: number): void {
    this.#touch.run(at, id);
  }
}

function toToken(row: TokenRow): ApiTokenRecord {
  return {
    id: row.id,
    name: row.name,
    scopes: parseJson<string[]>(row.scopes, []),
    createdAt: row.created_at,
    ...(row.expires_at !== null ? { expiresAt: row.expires_at } : {}),
    ...(row.last_used_at !== null ? { lastUsedAt: row.last_used_at } : {}),
    ...(row.revoked_at !== null ? { revokedAt: row.revoked_at } : {}),
  };
}
