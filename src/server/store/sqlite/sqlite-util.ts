/**
 * Helpers shared by the SQLite repositories: the async facade over synchronous cores, cursor
 * encoding, JSON columns and page-size clamping.
 */
import { ErrorCode, StoreError } from '../../../core/errors.js';

/** Runs a synchronous store operation under the store's transaction rules. */
export type Exec = <T>(fn: () => T) => Promise<T>;

/**
 * Wraps every method of a synchronous repository so it returns a promise and runs through `exec`.
 * The type parameter is the async interface the core implements synchronously.
 */
export function asyncFacade<I extends object>(core: object, exec: Exec): I {
  const out: Record<string, unknown> = {};
  for (const name of methodNames(core)) {
    const fn = (core as Record<string, (...a: unknown[]) => unknown>)[name] as (...a: unknown[]) => unknown;
    out[name] = (...args: unknown[]) => exec(() => fn.apply(core, args));
  }
  return out as I;
}

// Facades are built for every logical transaction: walk each repository class's prototypes once.
const METHOD_NAMES = new WeakMap<object, readonly string[]>();

function methodNames(core: object): readonly string[] {
  const first = Object.getPrototypeOf(core) as object | null;
  const cached = first ? METHOD_NAMES.get(first) : undefined;
  if (cached) return cached;
  const names: string[] = [];
  for (let proto = first; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor' && !names.includes(name) && typeof (core as Record<string, unknown>)[name] === 'function') names.push(name);
    }
  }
  if (first) METHOD_NAMES.set(first, names);
  return names;
}

/** Page size: default 100, clamped to 1..1000. */
export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return 100;
  return Math.min(1000, Math.max(1, Math.trunc(limit)));
}

/** Encodes the last key of a page as an opaque cursor. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(String(key), 'utf8').toString('base64url');
}

/** Decodes a cursor; throws `StoreError(ERR_STORE)` for garbage. */
export function decodeCursor(cursor: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(cursor)) throw new StoreError(ErrorCode.ERR_STORE, 'invalid cursor');
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/** Decodes a numeric-id cursor. */
export function decodeIdCursor(cursor: string): number {
  const n = Number(decodeCursor(cursor));
  if (!Number.isSafeInteger(n)) throw new StoreError(ErrorCode.ERR_STORE, 'invalid cursor');
  return n;
}

/** Parses a JSON column. */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  return JSON.parse(text) as T;
}

/** Bytes from a BLOB column (better-sqlite3 returns Buffers). */
export function blobToBytes(blob: Buffer | null | undefined): Uint8Array | undefined {
  return blob ? new Uint8Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength)) : undefined;
}

/** A Buffer view of bytes, for binding to a BLOB parameter. */
export function bytesToBlob(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** True for SQLite constraint violations of the given kind (`PRIMARYKEY`, `FOREIGNKEY`, `UNIQUE`). */
export function isConstraint(err: unknown, kind: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === `SQLITE_CONSTRAINT_${kind}`;
}

/** The synchronous shape of an async store interface (what a SQLite core implements). */
export type SyncOf<I> = { [K in keyof I]: I[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never };
