/**
 * Client Provisioning WBXML against Debian's libwbxml2-utils (xml2wbxml / wbxml2xml 0.11.8):
 * our encoder must write the bytes xml2wbxml writes (with and without a string table), and each
 * side must read the other's output as the same document.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CpDocument } from '../../src/core/provisioning/cp-document.js';
import { decodeCpWbxml, encodeCpWbxml } from '../../src/core/provisioning/cp-wbxml.js';
import { decodeCpXml, encodeCpXml } from '../../src/core/provisioning/cp-xml.js';
import { w7Document } from '../../src/core/provisioning/w7-build.js';
import { readVector, wbxml2xml, xml2wbxml } from '../helpers/wbxml-interop.js';
import { cpDocument } from '../helpers/cp-arbitrary.js';

const IDS = ['001', '002', '003', '004', '005', '006', '007', '008'];

/**
 * libwbxml 0.11.8 spells two BEARER tokens "TRETRA-SDS" / "TRETRA-PACKET" (ProvCont: TETRA-…);
 * we follow the spec, so documents holding either spelling are the one known difference.
 */
function usesTetra(doc: CpDocument): boolean {
  return /TR?ETRA-(SDS|PACKET)/.test(JSON.stringify(doc));
}

const W7 = w7Document({
  providerId: 'com.mgmtsrv.manage', name: 'Mgmt Server',
  addresses: [{ addr: 'https://www.mgmtserver.com:8080/manage', addrType: 'URI', ports: [{ portNbr: 8080, services: [] }] }],
  toNapIds: ['ABCGPRS1'], toProxies: [], role: 8,
  appAuths: [
    { level: 'APPSRV', type: 'DIGEST', name: 'clientname', secret: 'clientsecret', data: 'Y2xpZW50bm9uY2U=' },
    { level: 'CLIENT', type: 'DIGEST', name: 'com.mgmtsrv.manage', secret: 'serversecret', data: 'c2VydmVybm9uY2U=' },
  ],
  init: true, protoVer: '1.2', defaultEncoding: 'application/vnd.syncml.dm+wbxml', connRetryFreq: 6,
  initialBackoffTime: 30000, maxBackoffTime: 120000, backCompatRetryDisabled: true, useHwDevId: true,
});

describe('Client Provisioning WBXML and libwbxml', () => {
  it('xml2wbxml writes the same bytes as encodeCpWbxml for the ProvCont examples', () => {
    for (const id of IDS) {
      const xml = readVector(`libwbxml-cp-prov-${id}.xml`).toString('utf8');
      const doc = decodeCpXml(xml);
      assert.deepEqual(Buffer.from(xml2wbxml(xml, [])), Buffer.from(encodeCpWbxml(doc)), `prov-${id} with string table`);
      assert.deepEqual(Buffer.from(xml2wbxml(xml, ['-n'])), Buffer.from(encodeCpWbxml(doc, { stringTable: false })), `prov-${id} -n`);
    }
  });

  it('agrees with xml2wbxml on a full w7 bootstrap, in every WBXML version', () => {
    const xml = encodeCpXml(W7);
    for (const [flag, version] of [['1.1', 0x01], ['1.2', 0x02], ['1.3', 0x03]] as const) {
      assert.deepEqual(Buffer.from(xml2wbxml(xml, ['-v', flag])), Buffer.from(encodeCpWbxml(W7, { version })), `WBXML ${flag}`);
    }
    assert.deepEqual(decodeCpXml(wbxml2xml(encodeCpWbxml(W7))), W7);
  });

  it('wbxml2xml reads our WBXML as the document we encoded', () => {
    for (const id of IDS) {
      const doc = decodeCpXml(readVector(`libwbxml-cp-prov-${id}.xml`));
      assert.deepEqual(decodeCpXml(wbxml2xml(encodeCpWbxml(doc, { stringTable: false }))), doc, `prov-${id}`);
    }
  });

  it('matches xml2wbxml byte for byte on random documents, and both read each other', () => {
    fc.assert(fc.property(cpDocument().filter((d) => !usesTetra(d)), (doc) => {
      const xml = encodeCpXml(doc);
      const theirs = xml2wbxml(xml, []);
      assert.deepEqual(Buffer.from(encodeCpWbxml(doc)), Buffer.from(theirs));
      assert.deepEqual(Buffer.from(encodeCpWbxml(doc, { stringTable: false })), Buffer.from(xml2wbxml(xml, ['-n'])));
      assert.deepEqual(decodeCpWbxml(theirs), doc);
      assert.deepEqual(decodeCpXml(wbxml2xml(encodeCpWbxml(doc))), doc);
    }), { numRuns: 150 });
  });
});
