// Backends the store contract suite and the service tests run against (house style §6: one set of
// tests over every *Store). SQLite always; a PostgreSQL factory joins this list when it exists.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../../src/server/store/sqlite/sqlite-store.js';
import type { ServerStore } from '../../../src/server/store/store.js';

export interface StoreFactory {
  readonly name: string;
  create(): Promise<{ readonly store: ServerStore; dispose(): Promise<void> }>;
}

export const sqliteFactory: StoreFactory = {
  name: 'SqliteStore',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'omadm-store-'));
    const store = SqliteStore.open({ path: join(dir, 'test.db') });
    return {
      store,
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const storeFactories: readonly StoreFactory[] = [sqliteFactory];

/** A manually advanced clock. */
export function fakeClock(start = 1_700_000_000_000): { now(): number; advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; }, set: (ms) => { t = ms; } };
}

/** Deterministic "random" bytes: a counter, so ids and nonces differ and are reproducible. */
export function counterRandom(): (n: number) => Uint8Array {
  let c = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = (c + i * 7) & 0xff;
    c++;
    out[0] = c & 0xff;
    if (n > 1) out[1] = (c >> 8) & 0xff;
    return out;
  };
}
