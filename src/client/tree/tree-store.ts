/**
 * Where device trees are kept between runs. `FileTreeStore` writes one JSON file per device
 * atomically (temp file, fsync, rename, directory fsync), so a crash leaves either the old or the
 * new state, never a torn file. `MemoryTreeStore` keeps the JSON text in memory (tests, simulator).
 */
import { open, readFile, rename, rm, mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ErrorCode, StoreError } from '../../core/errors.js';
import type { TreeSnapshot } from './tree-snapshot.js';

/** Persistence port for device trees (the snapshot carries the agent's blob, e.g. pending alerts). */
export interface TreeStore {
  /** The saved snapshot of a device, or undefined. */
  load(deviceId: string): Promise<TreeSnapshot | undefined>;
  /** Saves a device's snapshot (replacing the previous one). */
  save(deviceId: string, snapshot: TreeSnapshot): Promise<void>;
  /** Forgets a device. */
  remove(deviceId: string): Promise<void>;
}

/** Serializes a snapshot to JSON text. */
export function serializeSnapshot(snapshot: TreeSnapshot): string {
  return JSON.stringify(snapshot);
}

/** Parses JSON text written by {@link serializeSnapshot} (StoreError on anything else). */
export function parseSnapshot(text: string, where = 'snapshot'): TreeSnapshot {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new StoreError(ErrorCode.ERR_STORE, `${where}: not JSON`, { cause: err });
  }
  const s = obj as Partial<TreeSnapshot> | null;
  if (s === null || typeof s !== 'object' || s.version !== 1 || !Array.isArray(s.nodes) || (s.kind !== 'delta' && s.kind !== 'full')) {
    throw new StoreError(ErrorCode.ERR_STORE, `${where}: not a tree snapshot`);
  }
  return s as TreeSnapshot;
}

/** File name of a device: safe characters kept, everything else percent-escaped. */
export function deviceFileName(deviceId: string): string {
  const safe = deviceId.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `${safe === '' || safe.startsWith('.') ? `_${safe}` : safe}.tree.json`;
}

/** One JSON file per device in a state directory. */
export class FileTreeStore implements TreeStore {
  readonly #dir: string;

  constructor(options: { directory: string }) {
    this.#dir = options.directory;
  }

  /** Path of a device's file. */
  pathOf(deviceId: string): string {
    return join(this.#dir, deviceFileName(deviceId));
  }

  /** Reads a device's snapshot. */
  async load(deviceId: string): Promise<TreeSnapshot | undefined> {
    const path = this.pathOf(deviceId);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreError(ErrorCode.ERR_STORE, `cannot read ${path}`, { cause: err });
    }
    return parseSnapshot(text, path);
  }

  /** Writes a device's snapshot atomically. */
  async save(deviceId: string, snapshot: TreeSnapshot): Promise<void> {
    const path = this.pathOf(deviceId);
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(this.#dir, { recursive: true });
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(serializeSnapshot(snapshot), 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, path);
      await this.#syncDir();
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw new StoreError(ErrorCode.ERR_STORE, `cannot write ${path}`, { cause: err });
    }
  }

  /** Deletes a device's file. */
  async remove(deviceId: string): Promise<void> {
    await rm(this.pathOf(deviceId), { force: true });
    await this.#syncDir();
  }

  async #syncDir(): Promise<void> {
    // The rename is durable only once the directory entry is on disk (POSIX); not possible on Windows.
    try {
      const dh = await open(this.#dir, 'r');
      try {
        await dh.sync();
      } finally {
        await dh.close();
      }
    } catch {
      // Directories cannot be opened for fsync on every platform.
    }
  }
}

/** Snapshots kept in memory as JSON text (compact, and proves they serialize). */
export class MemoryTreeStore implements TreeStore {
  readonly #data = new Map<string, string>();

  /** Reads a device's snapshot. */
  async load(deviceId: string): Promise<TreeSnapshot | undefined> {
    const text = this.#data.get(deviceId);
    return text === undefined ? undefined : parseSnapshot(text, deviceId);
  }

  /** Saves a device's snapshot. */
  async save(deviceId: string, snapshot: TreeSnapshot): Promise<void> {
    this.#data.set(deviceId, serializeSnapshot(snapshot));
  }

  /** Forgets a device. */
  async remove(deviceId: string): Promise<void> {
    this.#data.delete(deviceId);
  }

  /** Number of stored devices. */
  get size(): number {
    return this.#data.size;
  }
}
