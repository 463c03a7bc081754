/**
 * Bearer tokens of the REST API. Only the SHA-256 of a token is stored; the admin token is
 * created at the first start, printed once and written to the token file (mode 0600) beside the
 * database, where the CLI finds it (docs/reference/rest-api.md, "Authentication").
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { hashApiToken } from '../registry/api-token-registry.js';
import type { ApiTokenRecord, ApiTokenStore, Clock } from '../store/store.js';

/** What `omadm serve` writes next to the database for the CLI. */
export interface ServerInfoFile {
  /** Base URL of the running server. */
  readonly url: string;
  /** Admin bearer token. */
  readonly token: string;
  /** Process id of the server that wrote the file. */
  readonly pid: number;
}

/** Reads a server info file; `undefined` when absent or unreadable. */
export function readServerInfo(file: string): Partial<ServerInfoFile> | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<ServerInfoFile>) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the server info file, readable by its owner only. */
export function writeServerInfo(file: string, info: ServerInfoFile): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}

/** Default location of the server info file for a database path: `<db>.server.json`. */
export function serverInfoPath(db: string): string {
  return `${db}.server.json`;
}

/**
 * Verifies bearer tokens against the store with a short cache, so an API call costs no store
 * read; use is recorded at most once a minute per token.
 */
export class TokenVerifier {
  readonly #store: ApiTokenStore;
  readonly #clock: Clock;
  readonly #cache = new Map<string, { record: ApiTokenRecord | undefined; until: number }>();

  constructor(store: ApiTokenStore, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** The token's record when it is valid (known, not revoked, not expired), else `undefined`. */
  async verify(token: string): Promise<ApiTokenRecord | undefined> {
    const now = this.#clock.now();
    const hash = hashApiToken(token);
    let hit = this.#cache.get(hash);
    if (!hit || hit.until <= now) {
      hit = { record: await this.#store.findByHash(hash), until: now + 10_000 };
      if (this.#cache.size > 10_000) this.#cache.clear();
      this.#cache.set(hash, hit);
    }
    const r = hit.record;
    if (!r || r.revokedAt !== undefined || (r.expiresAt !== undefined && r.expiresAt <= now)) return undefined;
    if (r.lastUsedAt === undefined || now - r.lastUsedAt > 60_000) {
      hit.record = { ...r, lastUsedAt: now };
      await this.#store.touch(r.id, now);
    }
    return r;
  }
}
