/**
 * The way back from a typed w7 application to its APPLICATION characteristic, in the parm order
 * of the Windows bootstrap example (reference §1.12): APPID, PROVIDER-ID, NAME, ADDR, TO-NAPID,
 * ROLE, the Microsoft knobs, then APPADDR and APPAUTH characteristics.
 */
import { cpCharacteristic, cpDocumentOf, cpParm, type CpCharacteristic, type CpDocument, type CpNode } from './cp-document.js';
import { W7_APPID, type W7AppAuth, type W7Application, type W7Address } from './w7.js';

/** The APPLICATION characteristic of a w7 application (inverse of `parseW7`). */
export function w7ToCharacteristic(app: W7Application): CpCharacteristic {
  const out: CpNode[] = [cpParm('APPID', W7_APPID), cpParm('PROVIDER-ID', app.providerId)];
  const add = (name: string, value: string | number | undefined): void => {
    if (value !== undefined) out.push(cpParm(name, String(value)));
  };
  add('NAME', app.name);
  // A bare URL is written as the ADDR parm, as Windows' example does; anything more needs APPADDR.
  const [first, ...more] = app.addresses;
  const simple = first !== undefined && first.addrType === undefined && first.ports.length === 0;
  if (simple) add('ADDR', first.addr);
  for (const id of app.toNapIds) add('TO-NAPID', id);
  for (const id of app.toProxies) add('TO-PROXY', id);
  add('ROLE', app.role);
  add('PROTOVER', app.protoVer);
  add('DEFAULTENCODING', app.defaultEncoding);
  add('CONNRETRYFREQ', app.connRetryFreq);
  add('INITIALBACKOFFTIME', app.initialBackoffTime);
  add('MAXBACKOFFTIME', app.maxBackoffTime);
  if (app.backCompatRetryDisabled) out.push(cpParm('BACKCOMPATRETRYDISABLED'));
  if (app.useHwDevId) out.push(cpParm('USEHWDEVID'));
  if (app.init) out.push(cpParm('INIT'));
  add('SSLCLIENTCERTSEARCHCRITERIA', app.sslClientCertSearchCriteria);
  for (const a of simple ? more : app.addresses) out.push(appAddr(a));
  for (const a of app.appAuths) out.push(appAuth(a));
  return cpCharacteristic('APPLICATION', out);
}

/** A one-application bootstrap document (version 1.1, the ProvCont version w7 belongs to). */
export function w7Document(app: W7Application, extra: readonly CpCharacteristic[] = []): CpDocument {
  return cpDocumentOf([...extra, w7ToCharacteristic(app)], '1.1');
}

function appAddr(a: W7Address): CpCharacteristic {
  const children: CpNode[] = [cpParm('ADDR', a.addr)];
  if (a.addrType !== undefined) children.push(cpParm('ADDRTYPE', a.addrType));
  for (const p of a.ports) {
    children.push(cpCharacteristic('PORT', [cpParm('PORTNBR', String(p.portNbr)), ...p.services.map((s) => cpParm('SERVICE', s))]));
  }
  return cpCharacteristic('APPADDR', children);
}

function appAuth(a: W7AppAuth): CpCharacteristic {
  const children: CpNode[] = [cpParm('AAUTHLEVEL', a.level)];
  if (a.type !== undefined) children.push(cpParm('AAUTHTYPE', a.type));
  if (a.name !== undefined) children.push(cpParm('AAUTHNAME', a.name));
  children.push(cpParm('AAUTHSECRET', a.secret));
  if (a.data !== undefined) children.push(cpParm('AAUTHDATA', a.data));
  return cpCharacteristic('APPAUTH', children);
}
