/**
 * Deterministic failure profiles of the simulator: which simulated devices fail a firmware update,
 * and how. Every FUMO result code of the reference table (§2.3) has a failure kind, and each kind
 * is produced where it happens on a real device — a download kind during the download (State 20),
 * an install kind during the install (State 70/80). The choice is a hash of (seed, device id), so
 * the same profile fails the same devices in every run, and a test can compute the exact counts
 * to expect with {@link FailureProfile.expectedCounts}.
 */
import { createHash } from 'node:crypto';
import { FumoResult } from '../../core/constants/fumo.js';
import { ConfigError, ErrorCode } from '../../core/errors.js';

/** The ways a simulated update can fail, one per FUMO result code. */
export const FailureKind = {
  /** 400: the package cannot be found (WM "client cannot find the required package"). */
  CLIENT_ERROR: 'client-error',
  /** 401: the user declines. */
  USER_CANCEL: 'user-cancel',
  /** 402: the bytes are corrupted in transit (the SHA-256 check fails). */
  CORRUPT_PACKAGE: 'corrupt-package',
  /** 403: the package is for another device. */
  WRONG_DEVICE: 'wrong-device',
  /** 404: the package signature does not validate. */
  VALIDATION: 'validation',
  /** 405: the package is not acceptable. */
  NOT_ACCEPTABLE: 'not-acceptable',
  /** 406: the download server refuses the credentials. */
  AUTH_FAILURE: 'auth-failure',
  /** 407: the download request times out. */
  DOWNLOAD_TIMEOUT: 'download-timeout',
  /** 408: the device lacks the functionality. */
  NOT_IMPLEMENTED: 'not-implemented',
  /** 409: an undefined error. */
  UNDEFINED: 'undefined-error',
  /** 410: the update itself fails. */
  UPDATE_FAILED: 'update-failed',
  /** 411: the PkgURL is malformed. */
  BAD_URL: 'bad-url',
  /** 412: the download server is unavailable. */
  SERVER_UNAVAILABLE: 'server-unavailable',
  /** 500: the download server fails. */
  SERVER_ERROR: 'server-error',
  /** 501: no memory for the download. */
  DOWNLOAD_OUT_OF_MEMORY: 'download-oom',
  /** 502: no memory for the update. */
  UPDATE_OUT_OF_MEMORY: 'update-oom',
  /** 503: the network drops during the download (after half of the bytes, which are kept). */
  NETWORK_LOSS: 'network-loss',
} as const;
/** One failure kind. */
export type FailureKind = (typeof FailureKind)[keyof typeof FailureKind];

/** The FUMO result code each kind produces. */
export const FAILURE_RESULT: Readonly<Record<FailureKind, number>> = {
  'client-error': FumoResult.CLIENT_ERROR, 'user-cancel': FumoResult.USER_CANCELLED, 'corrupt-package': FumoResult.CORRUPTED_PACKAGE,
  'wrong-device': FumoResult.DEVICE_MISMATCH, validation: FumoResult.VALIDATION_FAILED, 'not-acceptable': FumoResult.PACKAGE_NOT_ACCEPTABLE,
  'auth-failure': FumoResult.DOWNLOAD_AUTH_FAILURE, 'download-timeout': FumoResult.DOWNLOAD_TIMEOUT, 'not-implemented': FumoResult.NOT_IMPLEMENTED,
  'undefined-error': FumoResult.UNDEFINED_ERROR, 'update-failed': FumoResult.UPDATE_FAILED, 'bad-url': FumoResult.BAD_URL,
  'server-unavailable': FumoResult.DOWNLOAD_SERVER_UNAVAILABLE, 'server-error': FumoResult.DOWNLOAD_SERVER_ERROR,
  'download-oom': FumoResult.DOWNLOAD_OUT_OF_MEMORY, 'update-oom': FumoResult.UPDATE_OUT_OF_MEMORY, 'network-loss': FumoResult.DOWNLOAD_NETWORK_ERROR,
};

/** Kinds that strike during the download (FUMO State 20); the others strike during the install. */
export const DOWNLOAD_FAILURES: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'client-error', 'user-cancel', 'corrupt-package', 'auth-failure', 'download-timeout', 'bad-url', 'server-unavailable', 'server-error',
  'download-oom', 'network-loss',
]);

/** Every kind, in a fixed order. */
export const ALL_FAILURE_KINDS: readonly FailureKind[] = Object.values(FailureKind);

/** A failure profile as written in JSON (docs/reference/fumo.md, "Failure profiles"). */
export interface FailureProfileSpec {
  /** Seed of the per-device choice (default `omadm`). */
  readonly seed?: string;
  /** Fraction of devices that fail, 0..1 (default 0). */
  readonly rate?: number;
  /** Relative weights of the kinds used for failing devices (default: every kind, equal weight). */
  readonly mix?: Readonly<Partial<Record<FailureKind, number>>>;
  /** Kinds forced for given device ids (these devices fail regardless of `rate`). */
  readonly devices?: Readonly<Record<string, FailureKind>>;
  /** Failures strike only a device's first attempt at a package; a retry succeeds. Default false. */
  readonly transient?: boolean;
}

/** A checked, deterministic failure profile. */
export class FailureProfile {
  readonly #seed: string;
  readonly #rate: number;
  readonly #mix: readonly (readonly [FailureKind, number])[];
  readonly #mixTotal: number;
  readonly #devices: ReadonlyMap<string, FailureKind>;
  /** Failures strike only the first attempt. */
  readonly transient: boolean;

  constructor(spec: FailureProfileSpec = {}) {
    const rate = spec.rate ?? 0;
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw bad('rate must be a number in 0..1');
    const mixEntries = Object.entries(spec.mix ?? Object.fromEntries(ALL_FAILURE_KINDS.map((k) => [k, 1]))) as [string, number][];
    for (const [k, w] of mixEntries) {
      if (!ALL_FAILURE_KINDS.includes(k as FailureKind)) throw bad(`unknown failure kind "${k}" in mix`);
      if (typeof w !== 'number' || !(w >= 0)) throw bad(`weight of "${k}" must be a non-negative number`);
    }
    const mix = mixEntries.filter(([, w]) => w > 0) as [FailureKind, number][];
    if (rate > 0 && mix.length === 0) throw bad('mix gives no kind a weight');
    for (const [id, k] of Object.entries(spec.devices ?? {})) if (!ALL_FAILURE_KINDS.includes(k)) throw bad(`unknown failure kind "${k}" for device ${id}`);
    this.#seed = spec.seed ?? 'omadm';
    this.#rate = rate;
    this.#mix = mix;
    this.#mixTotal = mix.reduce((n, [, w]) => n + w, 0);
    this.#devices = new Map(Object.entries(spec.devices ?? {}));
    this.transient = spec.transient === true;
  }

  /** The profile in which nothing fails. */
  static none(): FailureProfile {
    return new FailureProfile();
  }

  /** How device `deviceId` fails (undefined: it succeeds). */
  kindFor(deviceId: string): FailureKind | undefined {
    const forced = this.#devices.get(deviceId);
    if (forced !== undefined) return forced;
    if (this.#rate === 0) return undefined;
    if (unit(this.#seed, 'fail', deviceId) >= this.#rate) return undefined;
    let pick = unit(this.#seed, 'kind', deviceId) * this.#mixTotal;
    for (const [kind, w] of this.#mix) {
      pick -= w;
      if (pick < 0) return kind;
    }
    return this.#mix[this.#mix.length - 1]?.[0];
  }

  /**
   * Devices per outcome (`ok` or a result code) for a list of device ids. With
   * `downloads: false` (the in-session Update/PkgData flow downloads nothing) download kinds
   * do not strike.
   */
  expectedCounts(deviceIds: Iterable<string>, opts: { readonly downloads?: boolean } = {}): Map<number | 'ok', number> {
    const out = new Map<number | 'ok', number>();
    for (const id of deviceIds) {
      let kind = this.kindFor(id);
      if (kind !== undefined && opts.downloads === false && DOWNLOAD_FAILURES.has(kind)) kind = undefined;
      const key = kind === undefined ? 'ok' : FAILURE_RESULT[kind];
      out.set(key, (out.get(key) ?? 0) + 1);
    }
    return out;
  }
}

/** Parses a failure profile from JSON text; errors are one-line ConfigErrors. */
export function parseFailureProfile(text: string): FailureProfile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw bad(`not JSON (${(err as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('must be a JSON object');
  return new FailureProfile(v as FailureProfileSpec);
}

/** A number in [0, 1) from the SHA-256 of the parts. */
function unit(...parts: string[]): number {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  return h.readUInt32BE(0) / 0x1_0000_0000;
}

function bad(message: string): ConfigError {
  return new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `failure profile: ${message}`);
}
