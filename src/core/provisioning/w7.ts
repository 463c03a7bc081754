/**
 * The `w7` APPLICATION characteristic: a DM server account delivered by Client Provisioning
 * (OMA DM Bootstrap §3.1.3; the w7 registration; Windows w7 APPLICATION CSP, reference §1.12,
 * §4, §5). Typed form, validation that names the offending parm, and the way back to a
 * characteristic (w7-build.ts).
 */
import { CodecError, ErrorCode } from '../errors.js';
import { fromBase64Strict } from '../auth/bytes.js';
import { MediaType } from '../constants/meta-types.js';
import { parseRoleMask } from '../tree/security-role.js';
import { childCharacteristics, parmsOf, type CpCharacteristic, type CpDocument } from './cp-document.js';

/** APPID of the DM application (the w7 registration). */
export const W7_APPID = 'w7';

/** AAUTHLEVEL values: APPSRV = client authenticates to the server, CLIENT = server to client. */
export const W7AuthLevel = { APPSRV: 'APPSRV', CLIENT: 'CLIENT', OBEX: 'OBEX' } as const;
/** One AAUTHLEVEL. */
export type W7AuthLevel = (typeof W7AuthLevel)[keyof typeof W7AuthLevel];

/** AAUTHTYPE values a DM account accepts (OMA DMAcc AAuthType; w7 uses BASIC and DIGEST). */
export const W7_AUTH_TYPES: readonly string[] = ['BASIC', 'DIGEST', 'HMAC', 'HTTP-BASIC', 'HTTP-DIGEST', 'X509', 'SECURID', 'SAFEWORD', 'DIGIPASS', 'TRANSPORT'];
/** ADDRTYPE values of ProvCont (§7.3.1) plus `URI`, the one a DM server address uses. */
export const W7_ADDR_TYPES: readonly string[] = ['URI', 'IPV4', 'IPV6', 'E164', 'ALPHA', 'APN', 'SCODE', 'TETRA-ITSI', 'MAN'];

/** A server port (APPADDR/PORT). */
export interface W7Port {
  readonly portNbr: number;
  /** SERVICE parms of the port. */
  readonly services: readonly string[];
}

/** A server address: the ADDR parm, or an APPADDR characteristic. */
export interface W7Address {
  readonly addr: string;
  /** ADDRTYPE (absent = URI). */
  readonly addrType?: string;
  readonly ports: readonly W7Port[];
}

/** One APPAUTH characteristic. */
export interface W7AppAuth {
  readonly level: W7AuthLevel;
  /** AAUTHTYPE (`BASIC`, `DIGEST`…; a comma-separated list is allowed by ProvCont). */
  readonly type?: string;
  /** AAUTHNAME. */
  readonly name?: string;
  /** AAUTHSECRET. */
  readonly secret: string;
  /** AAUTHDATA: the nonce, base64 (the digest uses the decoded bytes). */
  readonly data?: string;
}

/** A w7 APPLICATION in typed form. */
export interface W7Application {
  /** PROVIDER-ID: the server id (DMAcc ServerID). */
  readonly providerId: string;
  readonly name?: string;
  /** ADDR and APPADDR, in document order. */
  readonly addresses: readonly W7Address[];
  readonly toNapIds: readonly string[];
  readonly toProxies: readonly string[];
  /** ROLE: Microsoft security-role mask. */
  readonly role?: number;
  readonly appAuths: readonly W7AppAuth[];
  /** INIT: start a session as soon as the document is accepted. */
  readonly init: boolean;
  readonly protoVer?: '1.1' | '1.2';
  readonly defaultEncoding?: string;
  readonly connRetryFreq?: number;
  /** INITIALBACKOFFTIME, milliseconds. */
  readonly initialBackoffTime?: number;
  /** MAXBACKOFFTIME, milliseconds. */
  readonly maxBackoffTime?: number;
  readonly backCompatRetryDisabled: boolean;
  readonly useHwDevId: boolean;
  readonly sslClientCertSearchCriteria?: string;
}

/** One finding of {@link validateW7}. */
export interface W7Problem {
  readonly severity: 'error' | 'warning';
  /** Path of the parm, e.g. `APPLICATION/APPAUTH[2]/AAUTHTYPE`. */
  readonly parm: string;
  readonly message: string;
}

/** True for an APPLICATION characteristic whose APPID is w7. */
export function isW7(c: CpCharacteristic): boolean {
  return c.type === 'APPLICATION' && parmsOf(c).some((p) => p.name === 'APPID' && p.value === W7_APPID);
}

/** The w7 APPLICATION characteristics of a document. */
export function findW7(doc: CpDocument): CpCharacteristic[] {
  return childCharacteristics(doc, 'APPLICATION').filter(isW7);
}

const FLAGS = ['INIT', 'BACKCOMPATRETRYDISABLED', 'USEHWDEVID'] as const;
const SINGLE = ['APPID', 'PROVIDER-ID', 'NAME', 'ADDR', 'ROLE', 'PROTOVER', 'DEFAULTENCODING', 'CONNRETRYFREQ', 'SSLCLIENTCERTSEARCHCRITERIA', ...FLAGS];
const MULTI = ['TO-NAPID', 'TO-PROXY'];
/** Both spellings of the back-off parms (the w7 CSP tree says INITIALBACKOFTIME; reference §4). */
const BACKOFF = { INITIALBACKOFFTIME: 'initial', INITIALBACKOFTIME: 'initial', MAXBACKOFFTIME: 'max', MAXBACKOFTIME: 'max' } as const;

/** Collects every error and warning of a w7 APPLICATION characteristic. */
export function validateW7(c: CpCharacteristic): W7Problem[] {
  return read(c).problems;
}

/**
 * Reads a w7 APPLICATION characteristic.
 *
 * @throws CodecError ERR_CP_INVALID naming the first bad parm (message and `position.path`).
 */
export function parseW7(c: CpCharacteristic): W7Application {
  const { app, problems } = read(c);
  const first = problems.find((p) => p.severity === 'error');
  if (first !== undefined || app === undefined) {
    const p = first ?? { parm: 'APPLICATION', message: 'invalid w7 APPLICATION' };
    throw new CodecError(ErrorCode.ERR_CP_INVALID, `w7 ${p.parm}: ${p.message}`, { path: p.parm });
  }
  return app;
}

interface Reading {
  readonly app: W7Application | undefined;
  readonly problems: W7Problem[];
}

function read(c: CpCharacteristic): Reading {
  const problems: W7Problem[] = [];
  const err = (parm: string, message: string): void => void problems.push({ severity: 'error', parm, message });
  const warn = (parm: string, message: string): void => void problems.push({ severity: 'warning', parm, message });
  const at = (name: string): string => `APPLICATION/${name}`;
  if (c.type !== 'APPLICATION') err(c.type, `characteristic type is ${c.type}, not APPLICATION`);

  const values = new Map<string, (string | undefined)[]>();
  for (const p of parmsOf(c)) {
    const known = SINGLE.includes(p.name) || MULTI.includes(p.name) || p.name in BACKOFF;
    if (!known) warn(at(p.name), 'unknown parm, ignored');
    values.set(p.name, [...(values.get(p.name) ?? []), p.value]);
  }
  for (const name of SINGLE) if ((values.get(name)?.length ?? 0) > 1) err(at(name), 'appears more than once');
  const one = (name: string): string | undefined => values.get(name)?.[0];
  const flag = (name: (typeof FLAGS)[number]): boolean => {
    const v = values.get(name);
    if (v !== undefined && v[0] !== undefined && v[0] !== '') warn(at(name), 'is a flag; its value is ignored');
    return v !== undefined;
  };

  const appId = one('APPID');
  if (appId !== W7_APPID) err(at('APPID'), appId === undefined ? 'missing' : `must be w7, not ${JSON.stringify(appId)}`);
  const providerId = one('PROVIDER-ID');
  if (providerId === undefined || providerId.trim() === '') err(at('PROVIDER-ID'), 'missing: the server id of the DM account');

  const addresses: W7Address[] = [];
  const addr = one('ADDR');
  if (addr !== undefined) {
    checkAddr(addr, undefined, at('ADDR'), err);
    addresses.push({ addr, ports: [] });
  }
  childCharacteristics(c, 'APPADDR').forEach((a, i) => addresses.push(readAppAddr(a, `APPLICATION/APPADDR[${i + 1}]`, err, warn)));
  if (addresses.length === 0) err(at('ADDR'), 'missing: no ADDR parm and no APPADDR characteristic');

  const role = one('ROLE');
  const roleMask = role === undefined ? undefined : parseRoleMask(role);
  if (role !== undefined && (roleMask === undefined || roleMask === 0)) err(at('ROLE'), `${JSON.stringify(role)} is not a non-zero role mask`);

  const appAuths: W7AppAuth[] = [];
  childCharacteristics(c, 'APPAUTH').forEach((a, i) => {
    const auth = readAppAuth(a, `APPLICATION/APPAUTH[${i + 1}]`, err, warn);
    if (auth === undefined) return;
    if (appAuths.some((x) => x.level === auth.level)) err(`APPLICATION/APPAUTH[${i + 1}]/AAUTHLEVEL`, `a second APPAUTH for level ${auth.level}`);
    appAuths.push(auth);
  });
  // Windows w7 CSP: "Both APPSRV and CLIENT credentials must be provided" (reference §1.12).
  for (const level of [W7AuthLevel.APPSRV, W7AuthLevel.CLIENT]) {
    if (!appAuths.some((a) => a.level === level)) err('APPLICATION/APPAUTH', `missing the ${level} credentials`);
  }

  const protoVer = one('PROTOVER');
  if (protoVer !== undefined && protoVer !== '1.1' && protoVer !== '1.2') err(at('PROTOVER'), `must be 1.1 or 1.2, not ${JSON.stringify(protoVer)}`);
  const encoding = one('DEFAULTENCODING');
  if (encoding !== undefined && encoding !== MediaType.DM_XML && encoding !== MediaType.DM_WBXML) {
    err(at('DEFAULTENCODING'), `must be ${MediaType.DM_XML} or ${MediaType.DM_WBXML}`);
  }
  const connRetryFreq = count(one('CONNRETRYFREQ'), at('CONNRETRYFREQ'), err);
  let initial: number | undefined;
  let max: number | undefined;
  for (const [name, which] of Object.entries(BACKOFF)) {
    const v = values.get(name);
    if (v === undefined) continue;
    const n = count(v[0], at(name), err);
    if ((which === 'initial' ? initial : max) !== undefined || v.length > 1) err(at(name), 'appears more than once');
    if (which === 'initial') initial = n;
    else max = n;
  }
  if (initial !== undefined && max !== undefined && max < initial) err(at('MAXBACKOFFTIME'), `${max} ms is below INITIALBACKOFFTIME (${initial} ms)`);
  for (const nested of childCharacteristics(c)) {
    if (nested.type !== 'APPADDR' && nested.type !== 'APPAUTH') warn(`APPLICATION/${nested.type}`, 'unknown characteristic, ignored');
  }

  const init = flag('INIT');
  const backCompatRetryDisabled = flag('BACKCOMPATRETRYDISABLED');
  const useHwDevId = flag('USEHWDEVID');
  if (problems.some((p) => p.severity === 'error')) return { app: undefined, problems };
  const opt = <K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } => (v === undefined ? {} : ({ [key]: v } as { [P in K]?: V }));
  const app: W7Application = {
    providerId: providerId as string,
    ...opt('name', one('NAME')),
    addresses,
    toNapIds: (values.get('TO-NAPID') ?? []).map((v) => v ?? ''),
    toProxies: (values.get('TO-PROXY') ?? []).map((v) => v ?? ''),
    ...opt('role', roleMask),
    appAuths,
    init,
    ...opt('protoVer', protoVer as '1.1' | '1.2' | undefined),
    ...opt('defaultEncoding', encoding),
    ...opt('connRetryFreq', connRetryFreq),
    ...opt('initialBackoffTime', initial),
    ...opt('maxBackoffTime', max),
    backCompatRetryDisabled,
    useHwDevId,
    ...opt('sslClientCertSearchCriteria', one('SSLCLIENTCERTSEARCHCRITERIA')),
  };
  return { app, problems };
}

type Report = (parm: string, message: string) => void;

function readAppAddr(c: CpCharacteristic, path: string, err: Report, warn: Report): W7Address {
  const parms = parmsOf(c);
  const addrs = parms.filter((p) => p.name === 'ADDR');
  const types = parms.filter((p) => p.name === 'ADDRTYPE');
  if (addrs.length !== 1) err(`${path}/ADDR`, addrs.length === 0 ? 'missing' : 'appears more than once');
  if (types.length > 1) err(`${path}/ADDRTYPE`, 'appears more than once');
  for (const p of parms) if (p.name !== 'ADDR' && p.name !== 'ADDRTYPE') warn(`${path}/${p.name}`, 'unknown parm, ignored');
  const addrType = types[0]?.value;
  if (addrType !== undefined && !W7_ADDR_TYPES.includes(addrType)) err(`${path}/ADDRTYPE`, `unknown address type ${JSON.stringify(addrType)}`);
  const addr = addrs[0]?.value ?? '';
  if (addrs.length === 1) checkAddr(addr, addrType, `${path}/ADDR`, err);
  const ports = childCharacteristics(c, 'PORT').map((p, i): W7Port => {
    const at = `${path}/PORT[${i + 1}]`;
    const nbrs = parmsOf(p).filter((x) => x.name === 'PORTNBR');
    if (nbrs.length !== 1) err(`${at}/PORTNBR`, nbrs.length === 0 ? 'missing' : 'appears more than once');
    const text = nbrs[0]?.value ?? '';
    const n = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
    if (nbrs.length === 1 && !(n >= 0 && n <= 65535)) err(`${at}/PORTNBR`, `${JSON.stringify(text)} is not a port number (0-65535)`);
    return { portNbr: n, services: parmsOf(p).filter((x) => x.name === 'SERVICE').map((x) => x.value ?? '') };
  });
  return { addr, ...(addrType === undefined ? {} : { addrType }), ports };
}

function checkAddr(addr: string, addrType: string | undefined, parm: string, err: Report): void {
  if (addr.trim() === '') {
    err(parm, 'is empty');
    return;
  }
  if (addrType !== undefined && addrType !== 'URI') return;
  // A DM server is reached over HTTP(S) (reference §2.7): a URI address must be an http(s) URL.
  let ok = false;
  try {
    const u = new URL(addr);
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok) err(parm, `${JSON.stringify(addr)} is not an http(s) URL`);
}

function readAppAuth(c: CpCharacteristic, path: string, err: Report, warn: Report): W7AppAuth | undefined {
  const parms = parmsOf(c);
  const known = ['AAUTHLEVEL', 'AAUTHTYPE', 'AAUTHNAME', 'AAUTHSECRET', 'AAUTHDATA'];
  for (const p of parms) {
    if (!known.includes(p.name)) warn(`${path}/${p.name}`, 'unknown parm, ignored');
  }
  for (const name of known) if (parms.filter((p) => p.name === name).length > 1) err(`${path}/${name}`, 'appears more than once');
  const v = (name: string): string | undefined => parms.find((p) => p.name === name)?.value;
  const level = v('AAUTHLEVEL');
  if (level === undefined || !(Object.values(W7AuthLevel) as string[]).includes(level)) {
    err(`${path}/AAUTHLEVEL`, level === undefined ? 'missing' : `must be APPSRV, CLIENT or OBEX, not ${JSON.stringify(level)}`);
    return undefined;
  }
  const type = v('AAUTHTYPE');
  if (type !== undefined) {
    const bad = type.split(',').map((t) => t.trim()).filter((t) => !W7_AUTH_TYPES.includes(t));
    if (bad.length > 0) err(`${path}/AAUTHTYPE`, `unknown authentication type ${JSON.stringify(bad[0])}`);
    // Windows w7 CSP: when AAUTHLEVEL is CLIENT, AAUTHTYPE must be DIGEST.
    if (level === W7AuthLevel.CLIENT && type !== 'DIGEST') err(`${path}/AAUTHTYPE`, `must be DIGEST for level CLIENT, not ${JSON.stringify(type)}`);
  }
  const secret = v('AAUTHSECRET');
  if (secret === undefined) err(`${path}/AAUTHSECRET`, 'missing');
  const name = v('AAUTHNAME');
  if (level === W7AuthLevel.APPSRV && (name === undefined || name === '')) warn(`${path}/AAUTHNAME`, 'missing: the client has no user name to authenticate with');
  const data = v('AAUTHDATA');
  if (data !== undefined && fromBase64Strict(data) === undefined) err(`${path}/AAUTHDATA`, 'is not base64 (the nonce travels base64-encoded)');
  return {
    level: level as W7AuthLevel,
    ...(type === undefined ? {} : { type }),
    ...(name === undefined ? {} : { name }),
    secret: secret ?? '',
    ...(data === undefined ? {} : { data }),
  };
}

function count(text: string | undefined, parm: string, err: Report): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,10}$/.test(text.trim()) || Number(text) > 0xffffffff) {
    err(parm, `${JSON.stringify(text)} is not a non-negative integer`);
    return undefined;
  }
  return Number(text);
}
