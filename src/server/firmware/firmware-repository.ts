/**
 * The firmware repository: stores update packages (bytes under `<dataDir>/firmware/<id>.bin`,
 * metadata in a {@link FirmwareStore}) and answers what a campaign needs — size, SHA-256, target
 * models, from-versions and to-version — and where devices download it from.
 *
 * Writes are crash-safe: bytes go to a temporary file that is renamed into place only after the
 * hash is known, then the row is inserted; a crash leaves at most an orphan temporary file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DmError, ErrorCode } from '../../core/errors.js';
import type { Clock, Page } from '../store/store.js';
import { systemClock } from '../store/store.js';
import { type FirmwareId, type FirmwarePackageRecord, type FirmwareQuery, type FirmwareStore, firmwareId } from './firmware-store.js';

/** Metadata given with an upload. */
export interface FirmwareMetadata {
  readonly name: string;
  /** The to-version: DevDetail/FwV after the update. */
  readonly version: string;
  readonly fromVersions?: readonly string[];
  readonly models?: readonly string[];
  /** Default `application/octet-stream`. */
  readonly contentType?: string;
  readonly description?: string;
}

/** A package hosted elsewhere: its size and hash must be given (devices check them). */
export interface ExternalFirmware extends FirmwareMetadata {
  readonly url: string;
  readonly size: number;
  readonly sha256: string;
}

/** Options of {@link FirmwareRepository}. */
export interface FirmwareRepositoryOptions {
  readonly store: FirmwareStore;
  /** Data directory of the server; packages go to `<dataDir>/firmware/`. */
  readonly dataDir: string;
  readonly clock?: Clock;
  readonly random?: (n: number) => Uint8Array;
  /** Largest accepted upload in bytes (default 2 GiB). */
  readonly maxBytes?: number;
  /** Refuses deleting a package a live campaign still uses (wired to the campaign service). */
  readonly inUse?: (id: FirmwareId) => Promise<boolean>;
}

/** Firmware packages: upload, metadata, storage, deletion. */
export class FirmwareRepository {
  readonly #o: FirmwareRepositoryOptions;
  readonly #dir: string;
  readonly #clock: Clock;
  readonly #random: (n: number) => Uint8Array;
  #inUse: ((id: FirmwareId) => Promise<boolean>) | undefined;

  constructor(options: FirmwareRepositoryOptions) {
    this.#o = options;
    this.#dir = join(options.dataDir, 'firmware');
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? ((n) => new Uint8Array(randomBytes(n)));
    this.#inUse = options.inUse;
  }

  /** Sets the in-use check after construction (the campaign service is built after the repository). */
  setInUseCheck(check: (id: FirmwareId) => Promise<boolean>): void {
    this.#inUse = check;
  }

  /**
   * Stores a package from bytes or a stream; computes its size and SHA-256. Throws
   * `ERR_FIRMWARE_INVALID` for bad metadata, an empty package or one over `maxBytes`.
   */
  async upload(data: Uint8Array | Readable | AsyncIterable<Uint8Array>, meta: FirmwareMetadata): Promise<FirmwarePackageRecord> {
    checkMetadata(meta);
    mkdirSync(this.#dir, { recursive: true });
    const id = this.#newId();
    const file = `${id}.bin`;
    const tmp = join(this.#dir, `.${file}.${process.pid}.tmp`);
    const hash = createHash('sha256');
    const max = this.#o.maxBytes ?? 2 * 1024 * 1024 * 1024;
    let size = 0;
    try {
      const source: AsyncIterable<Uint8Array | string> = data instanceof Uint8Array ? once(data) : (data as AsyncIterable<Uint8Array | string>);
      await pipeline(source, async function* (chunks: AsyncIterable<Uint8Array | string>) {
        for await (const chunk of chunks) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          size += bytes.byteLength;
          if (size > max) throw new DmError(ErrorCode.ERR_FIRMWARE_INVALID, `package larger than ${max} bytes`);
          hash.update(bytes);
          yield bytes;
        }
      }, createWriteStream(tmp));
      if (size === 0) throw new DmError(ErrorCode.ERR_FIRMWARE_INVALID, 'the package is empty');
      renameSync(tmp, join(this.#dir, file));
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    const record: FirmwarePackageRecord = {
      ...baseRecord(id, meta, this.#clock.now()), size, sha256: hash.digest('hex'), location: { kind: 'local', file },
    };
    try {
      await this.#o.store.insert(record);
    } catch (err) {
      rmSync(join(this.#dir, file), { force: true });
      throw err;
    }
    return record;
  }

  /** Registers a package hosted at an external HTTP(S) URL. */
  async addExternal(input: ExternalFirmware): Promise<FirmwarePackageRecord> {
    checkMetadata(input);
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new DmError(ErrorCode.ERR_FIRMWARE_INVALID, `"${input.url}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DmError(ErrorCode.ERR_FIRMWARE_INVALID, 'an external package URL must be http(s)');
    if (!Number.isSafeInteger(input.size) || input.size <= 0) throw new DmError(ErrorCode.ERR_FIRMWARE_INVALID, 'size must be a positive integer');
    if (!/^[0-9a-fA-F]{64}$/.test(input.sha256)) throw new DmError(ErrorCode.ERR_FIRMWARE_INVALID, 'sha256 must be 64 hex digits');
    const record: FirmwarePackageRecord = {
      ...baseRecord(this.#newId(), input, this.#clock.now()),
      size: input.size, sha256: input.sha256.toLowerCase(), location: { kind: 'external', url: url.href },
    };
    await this.#o.store.insert(record);
    return record;
  }

  /** One package, or `undefined`. */
  get(id: string): Promise<FirmwarePackageRecord | undefined> {
    return this.#o.store.get(firmwareId(id));
  }

  /** One package; throws `ERR_FIRMWARE_NOT_FOUND`. */
  async require(id: string): Promise<FirmwarePackageRecord> {
    const r = await this.get(id);
    if (!r) throw new DmError(ErrorCode.ERR_FIRMWARE_NOT_FOUND, `firmware package ${id} does not exist`);
    return r;
  }

  /** Packages, paginated. */
  list(query: FirmwareQuery = {}): Promise<Page<FirmwarePackageRecord>> {
    return this.#o.store.list(query);
  }

  /** Deletes a package and its bytes; throws `ERR_FIRMWARE_NOT_FOUND` or `ERR_FIRMWARE_IN_USE`. */
  async remove(id: string): Promise<void> {
    const r = await this.require(id);
    if (this.#inUse && (await this.#inUse(r.id))) throw new DmError(ErrorCode.ERR_FIRMWARE_IN_USE, `firmware package ${id} is used by an active campaign`);
    await this.#o.store.remove(r.id);
    if (r.location.kind === 'local') rmSync(join(this.#dir, r.location.file), { force: true });
  }

  /** Absolute path of a local package's bytes. */
  filePath(record: FirmwarePackageRecord): string | undefined {
    return record.location.kind === 'local' ? join(this.#dir, record.location.file) : undefined;
  }

  /** Reads bytes `start..end` (inclusive) of a local package. */
  openRead(record: FirmwarePackageRecord, range?: { readonly start: number; readonly end: number }): Readable {
    const path = this.filePath(record);
    if (path === undefined) throw new DmError(ErrorCode.ERR_FIRMWARE_INVALID, `firmware ${record.id} is external`);
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  /** Whole bytes of a local package (FUMO Update/PkgData delivery in-session). */
  async readAll(record: FirmwarePackageRecord): Promise<Uint8Array> {
    const chunks: Buffer[] = [];
    for await (const c of this.openRead(record)) chunks.push(c as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  }

  #newId(): FirmwareId {
    return firmwareId(`fw-${Buffer.from(this.#random(6)).toString('hex')}`);
  }
}

/** True when `record` may be installed on a device of `model` running `fwV`. */
export function packageApplies(record: FirmwarePackageRecord, device: { readonly model?: string; readonly fwV?: string }): boolean {
  if (record.models.length > 0 && (device.model === undefined || !record.models.includes(device.model))) return false;
  if (record.fromVersions.length > 0 && (device.fwV === undefined || !record.fromVersions.includes(device.fwV))) return false;
  return true;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function baseRecord(id: FirmwareId, meta: FirmwareMetadata, at: number) {
  return {
    id, name: meta.name.trim(), version: meta.version.trim(),
    fromVersions: [...(meta.fromVersions ?? [])], models: [...(meta.models ?? [])],
    contentType: meta.contentType ?? 'application/octet-stream',
    ...(meta.description !== undefined ? { description: meta.description } : {}),
    createdAt: at,
  };
}

function checkMetadata(m: FirmwareMetadata): void {
  if (typeof m.name !== 'string' || m.name.trim() === '' || m.name.length > 200) throw new DmError(ErrorCode.ERR_FIRMWARE_INVALID, 'name must be 1..200 characters');
  if (typeof m.version !== 'string' || m.version.trim() === '' || m.version.length > 100) throw new DmError(ErrorCode.ERR_FIRMWARE_INVALID, 'version must be 1..100 characters');
  if (m.contentType !== undefined && !/^[\w.+-]+\/[\w.+-]+$/.test(m.contentType)) throw new DmError(ErrorCode.ERR_FIRMWARE_INVALID, `bad content type "${m.contentType}"`);
}
