/**
 * Fleet profiles of the device simulator: a JSON file describing what simulated devices look
 * like — models (with weights and firmware versions), the DM account template, how ids and
 * credentials are derived from the device number, and which devices fail firmware updates.
 * Format: docs/reference/device-agent.md. Profiles shipped with the project live in
 * `profiles/*.json` beside this module.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, DmError, ErrorCode } from '../../core/errors.js';
import { FailureProfile, type FailureProfileSpec } from '../fumo/failure-profile.js';
import type { DmAccountProfile } from '../mo/dmacc-accounts.js';
import type { DeviceProfile } from '../mo/standard-tree.js';
import type { UiScript } from './scripted-ui.js';

/** One device model of a fleet. */
export interface FleetModel {
  /** Relative share of devices with this model (default 1). */
  readonly weight?: number;
  readonly man: string;
  readonly mod: string;
  readonly oem?: string;
  readonly devTyp?: string;
  readonly hwV?: string;
  readonly swV?: string;
  /** DM client version (DevInfo/DmV), default `1.2`. */
  readonly dmV?: string;
  readonly lang?: string;
  /** Firmware versions (DevDetail/FwV) spread over the devices of this model. */
  readonly firmware: readonly string[];
}

/** A fleet profile file. */
export interface FleetProfile {
  /** Type Allocation Code: the first 8 IMEI digits of generated ids (default 35693803). */
  readonly tac?: string;
  /** DevId template: `{imei}`, `{n}` (device number) are replaced (default `IMEI:{imei}`). */
  readonly idTemplate?: string;
  /** DM account of every device (the server URL comes from the command line). */
  readonly account?: {
    readonly serverId?: string;
    /** BASIC, DIGEST or HMAC (default DIGEST). */
    readonly authPref?: string;
    readonly layout?: '1.1' | '1.2';
    readonly encoding?: 'xml' | 'wbxml';
    readonly protoVer?: '1.1' | '1.2';
    readonly connRetryFreq?: number;
    readonly initialBackOffMs?: number;
    readonly maxBackOffMs?: number;
  };
  /** Credential templates; `{n}`, `{devId}`, `{imei}` are replaced. */
  readonly credentials?: { readonly username?: string; readonly password?: string; readonly serverPassword?: string };
  /** How simulated users answer UI alerts. */
  readonly ui?: UiScript;
  /** Which devices fail firmware updates, and how (docs/reference/fumo.md, "Failure profiles"). */
  readonly failureProfile?: FailureProfileSpec;
  readonly models: readonly FleetModel[];
}

/**
 * Where a shipped profile is. Resolved from this module's URL, which works from the sources
 * (`src/client/simulator/profiles/`, under tsx) and from the build (the build copies the JSON to
 * `dist/src/client/simulator/profiles/`); a build without the copy falls back to the source tree.
 */
function shippedProfileUrl(name: string): URL | undefined {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.')) return undefined;
  const candidates = [
    new URL(`./profiles/${name}.json`, import.meta.url),
    new URL(`../../../../src/client/simulator/profiles/${name}.json`, import.meta.url),
  ];
  return candidates.find((u) => existsSync(u));
}

/** A fleet profile shipped with the project (`profiles/<name>.json`), e.g. `default`. */
export function shippedFleetProfile(name: string): FleetProfile {
  const found = shippedProfileUrl(name);
  if (found === undefined) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `the simulator profile "${name}" (profiles/${name}.json) is missing`);
  return parseFleetProfile(readFileSync(found, 'utf8'), `${name} profile`);
}

/** Values of the fleet profile shipped with the project (profiles/default.json). */
export function defaultFleetProfile(): FleetProfile {
  return shippedFleetProfile('default');
}

/** Reads and checks a fleet profile file; a name that is no file but a shipped profile (`default`) loads that. */
export function loadFleetProfile(path: string): FleetProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && shippedProfileUrl(path) !== undefined) return shippedFleetProfile(path);
    throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `cannot read profile ${path}: ${code ?? String(err)}`);
  }
  return parseFleetProfile(text, path);
}

/** The failure profile of a fleet profile (undefined: no device fails on purpose). */
export function failureProfileOf(profile: FleetProfile): FailureProfile | undefined {
  return profile.failureProfile === undefined ? undefined : new FailureProfile(profile.failureProfile);
}

/** Parses and checks profile JSON; every problem is a one-line ConfigError naming the field. */
export function parseFleetProfile(text: string, where: string): FleetProfile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `${where}: not JSON (${(err as Error).message})`);
  }
  const bad = (why: string): never => {
    throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `${where}: ${why}`);
  };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad('must be a JSON object');
  const p = v as Record<string, unknown>;
  if (!Array.isArray(p['models']) || p['models'].length === 0) bad('"models" must be a non-empty array');
  (p['models'] as unknown[]).forEach((m, i) => {
    const model = m as Record<string, unknown>;
    if (typeof m !== 'object' || m === null) bad(`models[${i}] must be an object`);
    for (const k of ['man', 'mod']) if (typeof model[k] !== 'string' || model[k] === '') bad(`models[${i}].${k} must be a non-empty string`);
    const fw = model['firmware'];
    if (!Array.isArray(fw) || fw.length === 0 || !fw.every((x) => typeof x === 'string')) bad(`models[${i}].firmware must be a non-empty array of strings`);
    if (model['weight'] !== undefined && !(typeof model['weight'] === 'number' && model['weight'] > 0)) bad(`models[${i}].weight must be a positive number`);
  });
  if (p['tac'] !== undefined && !(typeof p['tac'] === 'string' && /^\d{8}$/.test(p['tac']))) bad('"tac" must be 8 digits');
  const authPref = (p['account'] as Record<string, unknown> | undefined)?.['authPref'];
  if (authPref !== undefined && !['BASIC', 'DIGEST', 'HMAC', 'NONE'].includes(String(authPref).toUpperCase())) bad('"account.authPref" must be BASIC, DIGEST, HMAC or NONE');
  const failures = p['failureProfile'];
  if (failures !== undefined) {
    if (typeof failures !== 'object' || failures === null || Array.isArray(failures)) bad('"failureProfile" must be an object');
    try {
      new FailureProfile(failures as FailureProfileSpec);
    } catch (err) {
      if (err instanceof DmError) bad(`"failureProfile": ${err.message.replace(/^failure profile: /, '')}`);
      throw err;
    }
  }
  return p as unknown as FleetProfile;
}

/** The 15-digit IMEI of device `n`: TAC, 6-digit serial, Luhn check digit. */
export function imeiFor(tac: string, n: number): string {
  const body = `${tac}${String(n % 1_000_000).padStart(6, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** The model of device `n` (weighted round robin, so every run assigns the same models). */
export function modelFor(profile: FleetProfile, n: number): FleetModel {
  const total = profile.models.reduce((s, m) => s + (m.weight ?? 1), 0);
  let slot = n % total;
  for (const m of profile.models) {
    slot -= m.weight ?? 1;
    if (slot < 0) return m;
  }
  return profile.models[0] as FleetModel;
}

/** What device `n` of a fleet is: its tree profile (DevInfo, DevDetail, one DM account). */
export function deviceProfileFor(profile: FleetProfile, n: number, serverUrl: string, over: { devId?: string; username?: string; password?: string; serverPassword?: string } = {}): DeviceProfile {
  const tac = profile.tac ?? '35693803';
  // Devices beyond a million take the next TACs so ids stay distinct.
  const imei = imeiFor(String(Number(tac) + Math.floor(n / 1_000_000)).padStart(8, '0'), n);
  const fill = (t: string, devId: string): string => t.replaceAll('{n}', String(n)).replaceAll('{imei}', imei).replaceAll('{devId}', devId);
  const devId = over.devId ?? fill(profile.idTemplate ?? 'IMEI:{imei}', '');
  const model = modelFor(profile, n);
  const perModel = Math.floor(n / profile.models.length);
  const fwV = model.firmware[perModel % model.firmware.length] as string;
  const acc = profile.account ?? {};
  const creds = profile.credentials ?? {};
  const account: DmAccountProfile = {
    serverId: acc.serverId ?? 'omadm',
    addr: serverUrl,
    layout: acc.layout ?? '1.2',
    authPref: acc.authPref ?? 'DIGEST',
    clientName: over.username ?? fill(creds.username ?? '{devId}', devId),
    clientSecret: over.password ?? fill(creds.password ?? 'device-{n}', devId),
    serverSecret: over.serverPassword ?? fill(creds.serverPassword ?? 'server-{n}', devId),
    ...(acc.encoding !== undefined ? { encoding: acc.encoding } : {}),
    ...(acc.protoVer !== undefined ? { protoVer: acc.protoVer } : {}),
    retry: {
      ...(acc.connRetryFreq !== undefined ? { connRetryFreq: acc.connRetryFreq } : {}),
      ...(acc.initialBackOffMs !== undefined ? { initialBackOffMs: acc.initialBackOffMs } : {}),
      ...(acc.maxBackOffMs !== undefined ? { maxBackOffMs: acc.maxBackOffMs } : {}),
    },
  };
  return {
    devId, man: model.man, mod: model.mod, dmV: model.dmV ?? '1.2', lang: model.lang ?? 'en-US',
    fwV, swV: model.swV ?? fwV, hwV: model.hwV ?? '1.0', oem: model.oem ?? model.man, devTyp: model.devTyp ?? 'phone',
    accounts: [account],
  };
}
