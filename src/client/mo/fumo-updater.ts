/**
 * How FUMO gets and installs firmware: the injectable `FirmwareUpdater`, and the simulator's
 * default one that downloads over HTTP(S) and "installs" a simulated package by reporting the new
 * FwV / SwV (OMA FUMO result codes, reference §2.3).
 */
import { createHash } from 'node:crypto';
import { FumoResult } from '../../core/constants/fumo.js';

/** A failed download, with the FUMO result code to report. */
export interface FumoFailure {
  /** FUMO result code (reference §2.3). */
  readonly resultCode: number;
  /** Human-readable reason (logs only). */
  readonly reason?: string;
}

/** Outcome of an install. */
export interface InstallOutcome {
  /** True when the device now runs the new firmware. */
  readonly ok: boolean;
  /** FUMO result code (200 on success). */
  readonly resultCode: number;
  /** New DevDetail/FwV. */
  readonly newFwV?: string;
  /** New DevDetail/SwV. */
  readonly newSwV?: string;
}

/**
 * What an updater may know about the device it downloads for and installs on (read from
 * DevInfo / DevDetail when the job runs). One updater may serve many devices (a simulated
 * fleet shares one), so it learns the device from this, not from its own construction.
 */
export interface FirmwareDeviceInfo {
  /** DevInfo/DevId. */
  readonly devId: string;
  /** DevInfo/Man. */
  readonly man: string;
  /** DevInfo/Mod. */
  readonly mod: string;
  /** DevDetail/FwV. */
  readonly fwV: string;
  /** DevDetail/SwV. */
  readonly swV: string;
}

/** Downloads and installs firmware packages for the FUMO plug-in. */
export interface FirmwareUpdater {
  /**
   * Fetches the package at `url`; a failure carries the FUMO result code. The FUMO plug-in
   * passes `device` (the device downloading); an updater for one device may ignore it.
   */
  download(url: string, onProgress?: (received: number, total: number | undefined) => void, device?: FirmwareDeviceInfo): Promise<Uint8Array | FumoFailure>;
  /** Installs a package. */
  install(pkg: Uint8Array, device: FirmwareDeviceInfo): Promise<InstallOutcome>;
}

/** True when a download returned a failure. */
export function isFumoFailure(value: Uint8Array | FumoFailure): value is FumoFailure {
  return !(value instanceof Uint8Array);
}

/** Content of a simulated firmware package. */
export interface SimulatedFirmware {
  /** FwV after the update. */
  readonly fwV: string;
  /** SwV after the update (default: unchanged). */
  readonly swV?: string;
  /** Model the package is built for (403 on another model). */
  readonly mod?: string;
}

const SIM_MAGIC = 'omadm-simulated-firmware/1';

/** Encodes a simulated firmware package (JSON, recognized by {@link HttpFirmwareUpdater.install}). */
export function encodeSimulatedFirmware(pkg: SimulatedFirmware): Uint8Array {
  return new Uint8Array(Buffer.from(JSON.stringify({ format: SIM_MAGIC, ...pkg }), 'utf8'));
}

/** Decodes a simulated firmware package, or undefined when the bytes are not one. */
export function decodeSimulatedFirmware(bytes: Uint8Array): SimulatedFirmware | undefined {
  try {
    const obj = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
    if (obj.format !== SIM_MAGIC || typeof obj.fwV !== 'string') return undefined;
    return {
      fwV: obj.fwV,
      ...(typeof obj.swV === 'string' ? { swV: obj.swV } : {}),
      ...(typeof obj.mod === 'string' ? { mod: obj.mod } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Options of {@link HttpFirmwareUpdater}. */
export interface HttpFirmwareUpdaterOptions {
  /** fetch implementation (default: the global one). */
  readonly fetch?: typeof fetch;
  /** Largest package accepted (default 64 MiB; more is 501, device out of memory). */
  readonly maxBytes?: number;
  /** Download time-out in ms (default 120 000; exceeded is 407). */
  readonly timeoutMs?: number;
}

const fail = (resultCode: number, reason: string): FumoFailure => ({ resultCode, reason });

/** Maps an HTTP status of the download server to a FUMO result code. */
export function resultForHttpStatus(status: number): number {
  if (status === 401 || status === 403 || status === 407) return FumoResult.DOWNLOAD_AUTH_FAILURE;
  if (status === 404 || status === 410) return FumoResult.CLIENT_ERROR; // WM: "cannot find the required package"
  if (status === 408 || status === 504) return FumoResult.DOWNLOAD_TIMEOUT;
  if (status === 503) return FumoResult.DOWNLOAD_SERVER_UNAVAILABLE;
  return FumoResult.DOWNLOAD_SERVER_ERROR;
}

/**
 * The simulator's updater. Downloads with fetch; the URL fragment may carry the expected
 * package (`#size=1234&sha256=<hex>`; fragments are never sent to the server), checked after the
 * download (402 on mismatch). `install` accepts packages made by {@link encodeSimulatedFirmware}.
 */
export class HttpFirmwareUpdater implements FirmwareUpdater {
  readonly #fetch: typeof fetch;
  readonly #maxBytes: number;
  readonly #timeoutMs: number;

  constructor(options: HttpFirmwareUpdaterOptions = {}) {
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** Downloads a package. */
  async download(url: string, onProgress?: (received: number, total: number | undefined) => void): Promise<Uint8Array | FumoFailure> {
    let parsed: URL;
    try {
      parsed = new URL(url.trim());
    } catch {
      return fail(FumoResult.BAD_URL, `malformed URL "${url}"`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return fail(FumoResult.BAD_URL, `unsupported scheme ${parsed.protocol}`);
    const expect = new URLSearchParams(parsed.hash.slice(1));
    parsed.hash = '';
    let response: Response;
    try {
      response = await this.#fetch(parsed, { signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return fail(timedOut ? FumoResult.DOWNLOAD_TIMEOUT : FumoResult.DOWNLOAD_NETWORK_ERROR, String(err));
    }
    if (!response.ok) return fail(resultForHttpStatus(response.status), `HTTP ${response.status}`);
    const lengthHeader = response.headers.get('content-length');
    const total = lengthHeader === null ? undefined : Number(lengthHeader);
    if (total !== undefined && total > this.#maxBytes) return fail(FumoResult.DOWNLOAD_OUT_OF_MEMORY, `package of ${total} bytes`);
    const chunks: Uint8Array[] = [];
    let received = 0;
    try {
      for await (const chunk of response.body ?? []) {
        received += chunk.byteLength;
        if (received > this.#maxBytes) return fail(FumoResult.DOWNLOAD_OUT_OF_MEMORY, 'package too large');
        chunks.push(chunk);
        onProgress?.(received, total);
      }
    } catch (err) {
      return fail(FumoResult.DOWNLOAD_NETWORK_ERROR, String(err));
    }
    const data = new Uint8Array(Buffer.concat(chunks));
    if (total !== undefined && Number.isFinite(total) && data.byteLength !== total) return fail(FumoResult.CORRUPTED_PACKAGE, 'truncated download');
    const size = expect.get('size');
    if (size !== null && Number(size) !== data.byteLength) return fail(FumoResult.CORRUPTED_PACKAGE, 'size mismatch');
    const sha = expect.get('sha256');
    if (sha !== null && createHash('sha256').update(data).digest('hex') !== sha.toLowerCase()) {
      return fail(FumoResult.CORRUPTED_PACKAGE, 'SHA-256 mismatch');
    }
    return data;
  }

  /** "Installs" a simulated package: reports its FwV / SwV. */
  async install(pkg: Uint8Array, device: FirmwareDeviceInfo): Promise<InstallOutcome> {
    const sim = decodeSimulatedFirmware(pkg);
    if (sim === undefined) return { ok: false, resultCode: FumoResult.CORRUPTED_PACKAGE };
    if (sim.mod !== undefined && sim.mod !== device.mod) return { ok: false, resultCode: FumoResult.DEVICE_MISMATCH };
    return { ok: true, resultCode: FumoResult.SUCCESSFUL, newFwV: sim.fwV, ...(sim.swV !== undefined ? { newSwV: sim.swV } : {}) };
  }
}
