/**
 * Where an interrupted package download keeps its bytes and validators, so the next attempt —
 * in the same run, or after the device restarted — asks only for the rest with a Range request
 * (RFC 9110 §14). The file store survives restarts; the memory store serves simulated fleets.
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What is known about a partial download. */
export interface PartialDownloadState {
  /** URL the bytes came from (a different URL starts over). */
  readonly url: string;
  /** Strong ETag of the representation, for If-Range. */
  readonly etag?: string;
  /** Last-Modified of the representation, for If-Range when there is no ETag. */
  readonly lastModified?: string;
  /** Full size when the server told it. */
  readonly total?: number;
  /** Bytes stored. */
  readonly received: number;
}

/** Storage of partial downloads, by key. */
export interface PartialDownloadStore {
  /** The stored state and bytes, or undefined. */
  load(key: string): Promise<{ readonly state: PartialDownloadState; readonly data: Uint8Array } | undefined>;
  /** Appends `chunk` (which ends at `state.received`) and records `state`. */
  append(key: string, state: PartialDownloadState, chunk: Uint8Array): Promise<void>;
  /** Forgets a download. */
  clear(key: string): Promise<void>;
}

/** Partial downloads in memory (lost on restart; the simulator's default). */
export class MemoryPartialDownloadStore implements PartialDownloadStore {
  readonly #entries = new Map<string, { state: PartialDownloadState; chunks: Uint8Array[] }>();

  async load(key: string): Promise<{ state: PartialDownloadState; data: Uint8Array } | undefined> {
    const e = this.#entries.get(key);
    return e ? { state: e.state, data: new Uint8Array(Buffer.concat(e.chunks)) } : undefined;
  }

  async append(key: string, state: PartialDownloadState, chunk: Uint8Array): Promise<void> {
    const e = this.#entries.get(key) ?? { state, chunks: [] };
    e.state = state;
    if (chunk.byteLength > 0) e.chunks.push(chunk);
    this.#entries.set(key, e);
  }

  async clear(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  /** Number of partial downloads held. */
  get size(): number {
    return this.#entries.size;
  }
}

/**
 * Partial downloads as files: `<dir>/<sha1(key)>.part` (bytes) and `.json` (state). The state is
 * written after the bytes, so after a crash the file may be longer than the state says; load
 * trusts the shorter of the two.
 */
export class FilePartialDownloadStore implements PartialDownloadStore {
  readonly #dir: string;

  constructor(directory: string) {
    this.#dir = directory;
  }

  async load(key: string): Promise<{ state: PartialDownloadState; data: Uint8Array } | undefined> {
    const { part, meta } = this.#paths(key);
    let state: PartialDownloadState;
    let bytes: Buffer;
    try {
      state = JSON.parse(await readFile(meta, 'utf8')) as PartialDownloadState;
      bytes = await readFile(part);
    } catch {
      return undefined;
    }
    if (typeof state.url !== 'string' || typeof state.received !== 'number') return undefined;
    const n = Math.min(bytes.byteLength, state.received);
    if (bytes.byteLength > n) await truncate(part, n);
    return { state: { ...state, received: n }, data: new Uint8Array(bytes.subarray(0, n)) };
  }

  async append(key: string, state: PartialDownloadState, chunk: Uint8Array): Promise<void> {
    const { part, meta } = this.#paths(key);
    await mkdir(this.#dir, { recursive: true });
    if (chunk.byteLength > 0) await appendFile(part, chunk);
    else await appendFile(part, new Uint8Array(0));
    await writeFile(meta, JSON.stringify(state));
  }

  async clear(key: string): Promise<void> {
    const { part, meta } = this.#paths(key);
    await rm(part, { force: true });
    await rm(meta, { force: true });
  }

  #paths(key: string): { part: string; meta: string } {
    const name = createHash('sha1').update(key).digest('hex');
    return { part: join(this.#dir, `${name}.part`), meta: join(this.#dir, `${name}.json`) };
  }
}
