/**
 * Connectivity characteristics of a provisioning document (OMA-WAP-TS-ProvCont-V1_1 §5.3): the
 * network access point NAPDEF (with NAPAUTHINFO and VALIDITY) and the logical proxy PXLOGICAL
 * (with PXAUTHINFO, PORT and PXPHYSICAL). A w7 application names its access point with TO-NAPID.
 * Parms this model does not name are kept in `other`, so nothing is lost on the way back.
 */
import { CodecError, ErrorCode } from '../errors.js';
import { childCharacteristics, cpCharacteristic, cpParm, parmsOf, type CpCharacteristic, type CpNode, type CpParm } from './cp-document.js';

/** NAPAUTHINFO: credentials for the access point. */
export interface NapAuthInfo {
  readonly authType: string;
  readonly authName?: string;
  readonly authSecret?: string;
  readonly other: readonly CpParm[];
}

/** NAPDEF: a network access point. */
export interface NapDef {
  readonly napId: string;
  readonly name: string;
  readonly bearers: readonly string[];
  readonly napAddress: string;
  readonly napAddrType?: string;
  /** INTERNET flag: the access point reaches the Internet. */
  readonly internet: boolean;
  readonly auth: readonly NapAuthInfo[];
  /** Other parms (CALLTYPE, LINGER, DNS-ADDR, …) and VALIDITY characteristics, as they came. */
  readonly other: readonly CpNode[];
}

/** A PORT of a proxy. */
export interface ProxyPort {
  readonly portNbr: number;
  readonly services: readonly string[];
}

/** PXPHYSICAL: one physical proxy of a logical proxy. */
export interface PxPhysical {
  readonly physicalProxyId: string;
  readonly pxAddr: string;
  readonly pxAddrType?: string;
  readonly toNapIds: readonly string[];
  readonly ports: readonly ProxyPort[];
  readonly other: readonly CpParm[];
}

/** PXLOGICAL: a logical proxy. */
export interface PxLogical {
  readonly proxyId: string;
  readonly name?: string;
  readonly startPage?: string;
  readonly auth: readonly { readonly type: string; readonly id?: string; readonly pw?: string }[];
  readonly ports: readonly ProxyPort[];
  readonly physical: readonly PxPhysical[];
  /** Other parms (DOMAIN, TRUST, MASTER, …), as they came. */
  readonly other: readonly CpParm[];
}

/** Reads a NAPDEF characteristic. @throws CodecError ERR_CP_INVALID naming the bad parm. */
export function parseNapDef(c: CpCharacteristic): NapDef {
  const path = 'NAPDEF';
  expectType(c, 'NAPDEF');
  const v = single(c, path);
  const auth = childCharacteristics(c, 'NAPAUTHINFO').map((a, i): NapAuthInfo => {
    const at = `${path}/NAPAUTHINFO[${i + 1}]`;
    const av = single(a, at);
    const authName = av('AUTHNAME');
    const authSecret = av('AUTHSECRET');
    return {
      authType: required(av('AUTHTYPE'), `${at}/AUTHTYPE`),
      ...(authName === undefined ? {} : { authName }),
      ...(authSecret === undefined ? {} : { authSecret }),
      other: parmsOf(a).filter((p) => !['AUTHTYPE', 'AUTHNAME', 'AUTHSECRET'].includes(p.name)),
    };
  });
  const named = ['NAPID', 'NAME', 'BEARER', 'NAP-ADDRESS', 'NAP-ADDRTYPE', 'INTERNET'];
  const napAddrType = v('NAP-ADDRTYPE');
  return {
    napId: required(v('NAPID'), `${path}/NAPID`),
    name: required(v('NAME'), `${path}/NAME`),
    bearers: parmsOf(c).filter((p) => p.name === 'BEARER').map((p) => p.value ?? ''),
    napAddress: required(v('NAP-ADDRESS'), `${path}/NAP-ADDRESS`),
    ...(napAddrType === undefined ? {} : { napAddrType }),
    internet: parmsOf(c).some((p) => p.name === 'INTERNET'),
    auth,
    other: c.children.filter((n) => (n.kind === 'parm' ? !named.includes(n.name) : n.type !== 'NAPAUTHINFO')),
  };
}

/** The NAPDEF characteristic of a typed access point. */
export function napDefToCharacteristic(n: NapDef): CpCharacteristic {
  const out: CpNode[] = [cpParm('NAPID', n.napId)];
  for (const b of n.bearers) out.push(cpParm('BEARER', b));
  out.push(cpParm('NAME', n.name), cpParm('NAP-ADDRESS', n.napAddress));
  if (n.napAddrType !== undefined) out.push(cpParm('NAP-ADDRTYPE', n.napAddrType));
  if (n.internet) out.push(cpParm('INTERNET'));
  out.push(...n.other.filter((x) => x.kind === 'parm'));
  for (const a of n.auth) {
    const kids: CpNode[] = [cpParm('AUTHTYPE', a.authType)];
    if (a.authName !== undefined) kids.push(cpParm('AUTHNAME', a.authName));
    if (a.authSecret !== undefined) kids.push(cpParm('AUTHSECRET', a.authSecret));
    out.push(cpCharacteristic('NAPAUTHINFO', [...kids, ...a.other]));
  }
  out.push(...n.other.filter((x) => x.kind === 'characteristic'));
  return cpCharacteristic('NAPDEF', out);
}

/** Reads a PXLOGICAL characteristic. @throws CodecError ERR_CP_INVALID naming the bad parm. */
export function parsePxLogical(c: CpCharacteristic): PxLogical {
  const path = 'PXLOGICAL';
  expectType(c, 'PXLOGICAL');
  const v = single(c, path);
  const physical = childCharacteristics(c, 'PXPHYSICAL').map((p, i): PxPhysical => {
    const at = `${path}/PXPHYSICAL[${i + 1}]`;
    const pv = single(p, at);
    const toNapIds = parmsOf(p).filter((x) => x.name === 'TO-NAPID').map((x) => x.value ?? '');
    if (toNapIds.length === 0) throw invalid(`${at}/TO-NAPID`, 'missing: a physical proxy needs an access point');
    const pxAddrType = pv('PXADDRTYPE');
    return {
      physicalProxyId: required(pv('PHYSICAL-PROXY-ID'), `${at}/PHYSICAL-PROXY-ID`),
      pxAddr: required(pv('PXADDR'), `${at}/PXADDR`),
      ...(pxAddrType === undefined ? {} : { pxAddrType }),
      toNapIds,
      ports: ports(p, at),
      other: parmsOf(p).filter((x) => !['PHYSICAL-PROXY-ID', 'PXADDR', 'PXADDRTYPE', 'TO-NAPID'].includes(x.name)),
    };
  });
  if (physical.length === 0) throw invalid(`${path}/PXPHYSICAL`, 'missing: a logical proxy needs a physical proxy');
  const auth = childCharacteristics(c, 'PXAUTHINFO').map((a, i) => {
    const av = single(a, `${path}/PXAUTHINFO[${i + 1}]`);
    const id = av('PXAUTH-ID');
    const pw = av('PXAUTH-PW');
    return { type: required(av('PXAUTH-TYPE'), `${path}/PXAUTHINFO[${i + 1}]/PXAUTH-TYPE`), ...(id === undefined ? {} : { id }), ...(pw === undefined ? {} : { pw }) };
  });
  const name = v('NAME');
  const startPage = v('STARTPAGE');
  return {
    proxyId: required(v('PROXY-ID'), `${path}/PROXY-ID`),
    ...(name === undefined ? {} : { name }),
    ...(startPage === undefined ? {} : { startPage }),
    auth,
    ports: ports(c, path),
    physical,
    other: parmsOf(c).filter((p) => !['PROXY-ID', 'NAME', 'STARTPAGE'].includes(p.name)),
  };
}

/** The PXLOGICAL characteristic of a typed proxy. */
export function pxLogicalToCharacteristic(p: PxLogical): CpCharacteristic {
  const out: CpNode[] = [cpParm('PROXY-ID', p.proxyId)];
  if (p.name !== undefined) out.push(cpParm('NAME', p.name));
  if (p.startPage !== undefined) out.push(cpParm('STARTPAGE', p.startPage));
  out.push(...p.other);
  for (const a of p.auth) {
    const kids: CpNode[] = [cpParm('PXAUTH-TYPE', a.type)];
    if (a.id !== undefined) kids.push(cpParm('PXAUTH-ID', a.id));
    if (a.pw !== undefined) kids.push(cpParm('PXAUTH-PW', a.pw));
    out.push(cpCharacteristic('PXAUTHINFO', kids));
  }
  for (const x of p.physical) {
    const kids: CpNode[] = [cpParm('PHYSICAL-PROXY-ID', x.physicalProxyId), cpParm('PXADDR', x.pxAddr)];
    if (x.pxAddrType !== undefined) kids.push(cpParm('PXADDRTYPE', x.pxAddrType));
    kids.push(...x.other, ...x.toNapIds.map((id) => cpParm('TO-NAPID', id)), ...x.ports.map(portCharacteristic));
    out.push(cpCharacteristic('PXPHYSICAL', kids));
  }
  out.push(...p.ports.map(portCharacteristic));
  return cpCharacteristic('PXLOGICAL', out);
}

function portCharacteristic(p: ProxyPort): CpCharacteristic {
  return cpCharacteristic('PORT', [cpParm('PORTNBR', String(p.portNbr)), ...p.services.map((s) => cpParm('SERVICE', s))]);
}

function ports(c: CpCharacteristic, path: string): ProxyPort[] {
  return childCharacteristics(c, 'PORT').map((p, i) => {
    const at = `${path}/PORT[${i + 1}]/PORTNBR`;
    const text = required(single(p, `${path}/PORT[${i + 1}]`)('PORTNBR'), at);
    const n = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
    if (!(n >= 0 && n <= 65535)) throw invalid(at, `${JSON.stringify(text)} is not a port number (0-65535)`);
    return { portNbr: n, services: parmsOf(p).filter((x) => x.name === 'SERVICE').map((x) => x.value ?? '') };
  });
}

/** Value getter for parms ProvCont allows once; a repeated one is an error. */
function single(c: CpCharacteristic, path: string): (name: string) => string | undefined {
  return (name) => {
    const found = parmsOf(c).filter((p) => p.name === name);
    if (found.length > 1) throw invalid(`${path}/${name}`, 'appears more than once');
    return found[0]?.value;
  };
}

function required(value: string | undefined, parm: string): string {
  if (value === undefined || value === '') throw invalid(parm, 'missing');
  return value;
}

function expectType(c: CpCharacteristic, type: string): void {
  if (c.type !== type) throw invalid(c.type, `characteristic type is ${c.type}, not ${type}`);
}

function invalid(parm: string, message: string): CodecError {
  return new CodecError(ErrorCode.ERR_CP_INVALID, `${parm}: ${message}`, { path: parm });
}
