import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpParm } from '../../../src/core/provisioning/cp-document.js';
import { decodeCpXml, encodeCpXml } from '../../../src/core/provisioning/cp-xml.js';
import { findW7, parseW7, validateW7, type W7Application } from '../../../src/core/provisioning/w7.js';
import { w7Document, w7ToCharacteristic } from '../../../src/core/provisioning/w7-build.js';

const APP: W7Application = {
  providerId: 'dm.example.com', name: 'Example DM',
  addresses: [{ addr: 'https://dm.example.com/omadm', ports: [] }, { addr: 'http://10.0.0.1/dm', addrType: 'URI', ports: [{ portNbr: 8080, services: [] }] }],
  toNapIds: ['INTERNET'], toProxies: [], role: 8,
  appAuths: [
    { level: 'APPSRV', type: 'DIGEST', name: 'dev-1', secret: 'cs', data: 'AAECAwQFBgcICQoLDA0ODw==' },
    { level: 'CLIENT', type: 'DIGEST', name: 'dm.example.com', secret: 'ss', data: 'EBESExQVFhcYGRobHB0eHw==' },
  ],
  init: true, protoVer: '1.2', connRetryFreq: 3, initialBackoffTime: 16000, maxBackoffTime: 86400000,
  backCompatRetryDisabled: false, useHwDevId: true,
};

describe('w7ToCharacteristic', () => {
  it('is the inverse of parseW7, through XML and back', () => {
    const doc = w7Document(APP);
    assert.equal(doc.version, '1.1');
    const [c] = findW7(decodeCpXml(encodeCpXml(doc)));
    assert.ok(c);
    assert.deepEqual(validateW7(c), []);
    assert.deepEqual(parseW7(c), APP);
  });

  it('writes a bare first address as the ADDR parm and flags without values, in the Windows example order', () => {
    const c = w7ToCharacteristic(APP);
    const parms = c.children.filter((n) => n.kind === 'parm');
    assert.deepEqual(parms.slice(0, 6), [cpParm('APPID', 'w7'), cpParm('PROVIDER-ID', 'dm.example.com'), cpParm('NAME', 'Example DM'),
      cpParm('ADDR', 'https://dm.example.com/omadm'), cpParm('TO-NAPID', 'INTERNET'), cpParm('ROLE', '8')]);
    assert.ok(parms.some((p) => p.name === 'INIT' && p.value === undefined));
    assert.deepEqual(c.children.filter((n) => n.kind === 'characteristic').map((n) => n.kind === 'characteristic' && n.type),
      ['APPADDR', 'APPAUTH', 'APPAUTH']);
  });
});
