/**
 * The simulator's complete FUMO updater: PkgURL may be the package or an OMA download descriptor
 * (`application/vnd.oma.dd+xml`), downloads resume with Range from persisted partial bytes, the
 * package is checked against the expected size and SHA-256 (descriptor, or the `#size=&sha256=`
 * URL fragment), and installing switches the reported firmware (DevDetail/FwV, SwV). A
 * {@link FailureProfile} makes chosen devices fail with any FUMO result code (reference §2.3).
 */
import { FumoResult } from '../../core/constants/fumo.js';
import {
  type FirmwareDeviceInfo, type FirmwareUpdater, type FumoFailure, type InstallOutcome, decodeSimulatedFirmware,
} from '../mo/fumo-updater.js';
import { type DownloadDescriptor, InstallStatus, installStatusReport, isDownloadDescriptorType, parseDownloadDescriptor } from './download-descriptor.js';
import { DOWNLOAD_FAILURES, FAILURE_RESULT, type FailureKind, FailureProfile } from './failure-profile.js';
import { MemoryPartialDownloadStore, type PartialDownloadStore } from './partial-download-store.js';
import { resumableDownload } from './resumable-download.js';

/** Options of {@link SimulatedFirmwareUpdater}. */
export interface SimulatedFirmwareUpdaterOptions {
  readonly fetch?: typeof fetch;
  /** Partial downloads (default in memory; a FilePartialDownloadStore survives restarts). */
  readonly partials?: PartialDownloadStore;
  /** Who fails, and how (default: nobody). */
  readonly failures?: FailureProfile;
  /** Device id used when `download` is not told the device (an updater per device). */
  readonly deviceId?: string;
  /** Largest package accepted (default 64 MiB; more is 501). */
  readonly maxBytes?: number;
  /** Time-out of one download request, ms (default 120 000). */
  readonly timeoutMs?: number;
  /** Resumed tries after a broken transfer within one download (default 2). */
  readonly retries?: number;
  readonly retryDelayMs?: number;
  /** Signature check of a package; false is 404 (failed package validation). Default: accept. */
  readonly verifySignature?: (pkg: Uint8Array, device: FirmwareDeviceInfo) => boolean;
  /** POST the install status to a descriptor's installNotifyURI (default true). */
  readonly installNotify?: boolean;
}

const NOTIFY_STATUS: Readonly<Partial<Record<number, number>>> = {
  [FumoResult.USER_CANCELLED]: InstallStatus.USER_CANCELLED,
  [FumoResult.CORRUPTED_PACKAGE]: InstallStatus.ATTRIBUTE_MISMATCH,
  [FumoResult.DOWNLOAD_OUT_OF_MEMORY]: InstallStatus.INSUFFICIENT_MEMORY,
  [FumoResult.DOWNLOAD_NETWORK_ERROR]: InstallStatus.LOSS_OF_SERVICE,
};

/** A FirmwareUpdater for simulated devices, with descriptors, resume, integrity checks and failure profiles. */
export class SimulatedFirmwareUpdater implements FirmwareUpdater {
  readonly #o: SimulatedFirmwareUpdaterOptions;
  readonly #fetch: typeof fetch;
  readonly #partials: PartialDownloadStore;
  readonly #failures: FailureProfile;
  /** (device, package) pairs a transient failure already struck. */
  readonly #struck = new Set<string>();

  constructor(options: SimulatedFirmwareUpdaterOptions = {}) {
    this.#o = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#partials = options.partials ?? new MemoryPartialDownloadStore();
    this.#failures = options.failures ?? FailureProfile.none();
  }

  /**
   * Downloads the package at `url` (directly, or through a download descriptor). `device` tells
   * which device downloads (for the failure profile and the partial-download key); without it the
   * `deviceId` option is used.
   */
  async download(url: string, onProgress?: (received: number, total: number | undefined) => void, device?: FirmwareDeviceInfo): Promise<Uint8Array | FumoFailure> {
    const devId = device?.devId ?? this.#o.deviceId ?? '';
    const kind = this.#strike(devId, `download|${url}`, (k) => DOWNLOAD_FAILURES.has(k));
    if (kind !== undefined && SHORT_CIRCUIT.has(kind)) return { resultCode: FAILURE_RESULT[kind], reason: `simulated ${kind}` };
    let target = kind === 'bad-url' ? `:${url}` : url;
    let expect = fragmentExpectations(target);
    let dd: DownloadDescriptor | undefined;
    let first: Response | undefined;
    const key = `${devId}|${url}`;
    if ((await this.#partials.load(key)) === undefined && kind !== 'bad-url') {
      // Nothing stored: one GET tells a descriptor from the package (whose body is then used as is).
      try {
        first = await this.#fetch(stripHash(target), { headers: { accept: 'application/vnd.oma.dd+xml, */*' }, signal: AbortSignal.timeout(this.#o.timeoutMs ?? 120_000) });
      } catch {
        first = undefined; // the resumable download tries again and reports the failure
      }
      if (first !== undefined && first.ok && isDownloadDescriptorType(first.headers.get('content-type'))) {
        try {
          dd = parseDownloadDescriptor(new Uint8Array(await first.arrayBuffer()), stripHash(target));
        } catch (err) {
          return { resultCode: FumoResult.CLIENT_ERROR, reason: `bad download descriptor: ${(err as Error).message}` };
        }
        first = undefined;
        target = dd.objectUri;
        expect = { size: dd.size, ...(dd.sha256 !== undefined ? { sha256: dd.sha256 } : {}), ...fragmentExpectations(dd.objectUri) };
      }
    }
    const result = await resumableDownload({
      url: target, key, store: this.#partials, fetch: this.#fetch,
      ...(first !== undefined ? { firstResponse: first } : {}),
      ...(expect.size !== undefined ? { expectedSize: expect.size } : {}),
      ...(expect.sha256 !== undefined ? { expectedSha256: expect.sha256 } : {}),
      maxBytes: kind === 'download-oom' ? 1 : (this.#o.maxBytes ?? 64 * 1024 * 1024),
      ...(this.#o.timeoutMs !== undefined ? { timeoutMs: this.#o.timeoutMs } : {}),
      ...(this.#o.retries !== undefined ? { retries: this.#o.retries } : {}),
      ...(this.#o.retryDelayMs !== undefined ? { retryDelayMs: this.#o.retryDelayMs } : {}),
      ...(onProgress !== undefined ? { onProgress } : {}),
      ...(kind === 'corrupt-package' ? { onChunk: flipFirstByte } : {}),
      ...(kind === 'network-loss' ? { onChunk: dropAfterHalf(expect.size) } : {}),
    });
    if (dd?.installNotifyUri !== undefined && this.#o.installNotify !== false) {
      const status = result.ok ? InstallStatus.SUCCESS : NOTIFY_STATUS[result.resultCode] ?? InstallStatus.DEVICE_ABORTED;
      await this.#notify(dd.installNotifyUri, status);
    }
    return result.ok ? result.data : { resultCode: result.resultCode, reason: result.reason };
  }

  /** "Installs" a simulated package: checks it and reports its FwV / SwV. */
  async install(pkg: Uint8Array, device: FirmwareDeviceInfo): Promise<InstallOutcome> {
    const kind = this.#strike(device.devId, `install|${pkg.byteLength}`, (k) => !DOWNLOAD_FAILURES.has(k));
    if (kind !== undefined) return { ok: false, resultCode: FAILURE_RESULT[kind] };
    const sim = decodeSimulatedFirmware(pkg);
    if (sim === undefined) return { ok: false, resultCode: FumoResult.CORRUPTED_PACKAGE };
    if (sim.mod !== undefined && sim.mod !== device.mod) return { ok: false, resultCode: FumoResult.DEVICE_MISMATCH };
    if (this.#o.verifySignature && !this.#o.verifySignature(pkg, device)) return { ok: false, resultCode: FumoResult.VALIDATION_FAILED };
    return { ok: true, resultCode: FumoResult.SUCCESSFUL, newFwV: sim.fwV, ...(sim.swV !== undefined ? { newSwV: sim.swV } : {}) };
  }

  /** The device's failure kind when it applies to this phase (and, if transient, strikes once). */
  #strike(devId: string, what: string, phase: (k: FailureKind) => boolean): FailureKind | undefined {
    const kind = this.#failures.kindFor(devId);
    if (kind === undefined || !phase(kind)) return undefined;
    if (this.#failures.transient) {
      const key = `${devId}|${what}`;
      if (this.#struck.has(key)) return undefined;
      this.#struck.add(key);
    }
    return kind;
  }

  async #notify(uri: string, status: number): Promise<void> {
    try {
      const res = await this.#fetch(uri, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: installStatusReport(status), signal: AbortSignal.timeout(10_000) });
      await res.body?.cancel();
    } catch {
      // OMA DLOTA: a failed notification does not change the download's outcome.
    }
  }
}

/** Kinds reported without touching the network: what the download server or the user would have done. */
const SHORT_CIRCUIT: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'client-error', 'user-cancel', 'auth-failure', 'download-timeout', 'server-unavailable', 'server-error',
]);

/** `#size=<n>&sha256=<hex>` of a package URL (the server's campaign PkgURL carries it). */
function fragmentExpectations(url: string): { size?: number; sha256?: string } {
  const i = url.indexOf('#');
  if (i < 0) return {};
  const p = new URLSearchParams(url.slice(i + 1));
  const size = p.get('size');
  const sha = p.get('sha256');
  return {
    ...(size !== null && /^\d+$/.test(size) ? { size: Number(size) } : {}),
    ...(sha !== null && /^[0-9a-fA-F]{64}$/.test(sha) ? { sha256: sha.toLowerCase() } : {}),
  };
}

function stripHash(url: string): string {
  const i = url.indexOf('#');
  return i < 0 ? url : url.slice(0, i);
}

function flipFirstByte(chunk: Uint8Array, offset: number): Uint8Array {
  if (offset > 0 || chunk.byteLength === 0) return chunk;
  const copy = new Uint8Array(chunk);
  copy[0] = (copy[0] ?? 0) ^ 0xff;
  return copy;
}

/** Breaks every transfer once it passes half of the package (the bytes before are kept). */
function dropAfterHalf(size: number | undefined): (chunk: Uint8Array, offset: number) => Uint8Array {
  return (chunk, offset) => {
    const half = Math.floor((size ?? 2) / 2);
    if (offset >= half) throw new Error('simulated network loss');
    return offset + chunk.byteLength > half ? chunk.subarray(0, half - offset) : chunk;
  };
}
