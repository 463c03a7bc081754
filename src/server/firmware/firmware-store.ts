/**
 * Persistence port of the firmware repository: one row per firmware update package with the
 * metadata a campaign needs (size, SHA-256, target models, from-versions, to-version) and where
 * its bytes are (a file under the server's data directory, or an external URL).
 */
import type { Page, PageQuery } from '../store/store.js';

/** A firmware package identifier (`fw-` + 12 hex digits). */
export type FirmwareId = string & { readonly __brand: 'FirmwareId' };

/** Brands a string as a {@link FirmwareId}. */
export function firmwareId(id: string): FirmwareId {
  return id as FirmwareId;
}

/** Where the package bytes are served from. */
export type FirmwareLocation =
  /** A file below the repository's directory, served by the DM server itself (with Range). */
  | { readonly kind: 'local'; readonly file: string }
  /** An external HTTP(S) URL (CDN, vendor server); devices download from it directly. */
  | { readonly kind: 'external'; readonly url: string };

/** A stored firmware update package. */
export interface FirmwarePackageRecord {
  readonly id: FirmwareId;
  /** Operator-facing name; also sent as FUMO PkgName. */
  readonly name: string;
  /** Firmware version the device reports (DevDetail/FwV) after the update: the to-version. */
  readonly version: string;
  /** DevDetail/FwV values the package applies to; empty = any. */
  readonly fromVersions: readonly string[];
  /** DevInfo/Mod values the package is built for; empty = any. */
  readonly models: readonly string[];
  /** Size in bytes. */
  readonly size: number;
  /** Lower-case hex SHA-256 of the bytes. */
  readonly sha256: string;
  /** MIME type sent with the bytes and in the download descriptor. */
  readonly contentType: string;
  readonly description?: string;
  readonly location: FirmwareLocation;
  readonly createdAt: number;
}

/** Filters of a package listing. */
export interface FirmwareQuery extends PageQuery {
  /** Only packages for this model (or for any model). */
  readonly model?: string;
  /** Only packages with this to-version. */
  readonly version?: string;
}

/** Firmware package rows. */
export interface FirmwareStore {
  /** Inserts a package; throws `StoreError(ERR_FIRMWARE_INVALID)` when the id is taken. */
  insert(record: FirmwarePackageRecord): Promise<void>;
  /** One package, or `undefined`. */
  get(id: FirmwareId): Promise<FirmwarePackageRecord | undefined>;
  /** Packages ordered by id. */
  list(query: FirmwareQuery): Promise<Page<FirmwarePackageRecord>>;
  /** Removes a package row; false when absent. */
  remove(id: FirmwareId): Promise<boolean>;
}
