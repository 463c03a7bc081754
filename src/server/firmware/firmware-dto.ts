/** JSON shapes of the firmware REST routes (types only; the dashboard imports them with `import type`). */

/** A firmware package as the API shows it. */
export interface FirmwareDto {
  readonly id: string;
  readonly name: string;
  /** Firmware version after the update (DevDetail/FwV). */
  readonly version: string;
  readonly fromVersions: readonly string[];
  readonly models: readonly string[];
  readonly size: number;
  readonly sha256: string;
  readonly contentType: string;
  readonly description?: string;
  /** `local` (served by this server) or `external`. */
  readonly source: 'local' | 'external';
  /** Where devices download the bytes. */
  readonly url: string;
  /** The OMA download descriptor of the package. */
  readonly descriptorUrl: string;
  readonly createdAt: string;
}

/** Body of `POST /api/firmware` with `Content-Type: application/json`: a package hosted elsewhere. */
export interface CreateExternalFirmwareDto {
  readonly name: string;
  readonly version: string;
  readonly url: string;
  readonly size: number;
  readonly sha256: string;
  readonly fromVersions?: readonly string[];
  readonly models?: readonly string[];
  readonly contentType?: string;
  readonly description?: string;
}
