/**
 * REST API tokens. A token is 32 random bytes (base64url, prefixed `omadm_`) shown once at
 * creation; only its SHA-256 is stored, so a leaked database does not leak usable tokens, and a
 * lookup by hash needs no constant-time compare (the hash of a guess reveals nothing useful).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiTokenRecord, Clock, StoreScope } from '../store/store.js';
import { systemClock } from '../store/store.js';

/** Options of {@link ApiTokenRegistry}. */
export interface ApiTokenRegistryOptions {
  readonly store: StoreScope;
  readonly clock?: Clock;
  readonly random?: (size: number) => Uint8Array;
}

const PREFIX = 'omadm_';

/** Hex SHA-256 of a token: what is stored. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates, verifies and revokes API tokens. */
export class ApiTokenRegistry {
  readonly #store: StoreScope;
  readonly #clock: Clock;
  readonly #random: (size: number) => Uint8Array;

  constructor(opts: ApiTokenRegistryOptions) {
    this.#store = opts.store;
    this.#clock = opts.clock ?? systemClock;
    this.#random = opts.random ?? ((n) => new Uint8Array(randomBytes(n)));
  }

  /** Creates a token; the returned `token` is the only time the secret is available. */
  async create(input: { readonly name: string; readonly scopes?: readonly string[]; readonly expiresAt?: number }): Promise<{ readonly token: string; readonly record: ApiTokenRecord }> {
    const token = PREFIX + Buffer.from(this.#random(32)).toString('base64url');
    const record: ApiTokenRecord = {
      id: Buffer.from(this.#random(8)).toString('hex'),
      name: input.name,
      scopes: input.scopes ?? [],
      createdAt: this.#clock.now(),
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
    };
    await this.#store.apiTokens.insert({ ...record, hash: hashApiToken(token) });
    return { token, record };
  }

  /** The token's record when it exists, is not revoked and has not expired; records the use. */
  async verify(token: string): Promise<ApiTokenRecord | undefined> {
    if (!token.startsWith(PREFIX)) return undefined;
    const record = await this.#store.apiTokens.findByHash(hashApiToken(token));
    const now = this.#clock.now();
    if (!record || record.revokedAt !== undefined || (record.expiresAt !== undefined && record.expiresAt <= now)) return undefined;
    await this.#store.apiTokens.touch(record.id, now);
    return { ...record, lastUsedAt: now };
  }

  /** Revokes a token; false when absent or already revoked. */
  revoke(id: string): Promise<boolean> {
    return this.#store.apiTokens.revoke(id, this.#clock.now());
  }

  /** Every token (never the secrets), newest first. */
  list(): Promise<ApiTokenRecord[]> {
    return this.#store.apiTokens.list();
  }
}
