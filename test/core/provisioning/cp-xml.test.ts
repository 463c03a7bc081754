import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodecError, ErrorCode } from '../../../src/core/errors.js';
import { cpCharacteristic, cpDocumentOf, cpParm } from '../../../src/core/provisioning/cp-document.js';
import { decodeCpXml, encodeCpXml } from '../../../src/core/provisioning/cp-xml.js';
import { readVector } from '../../helpers/wbxml-interop.js';
import { cpDocument } from '../../helpers/cp-arbitrary.js';

describe('encodeCpXml', () => {
  it('writes the declaration, the PROV DOCTYPE and compact markup by default', () => {
    const xml = encodeCpXml(cpDocumentOf([cpCharacteristic('APPLICATION', [cpParm('APPID', 'w7'), cpParm('INIT')])], '1.1'));
    assert.equal(xml, '<?xml version="1.0" encoding="UTF-8"?>' +
      '<!DOCTYPE wap-provisioningdoc PUBLIC "-//WAPFORUM//DTD PROV 1.0//EN" "http://www.wapforum.org/DTD/prov.dtd">' +
      '<wap-provisioningdoc version="1.1"><characteristic type="APPLICATION"><parm name="APPID" value="w7"/><parm name="INIT"/></characteristic></wap-provisioningdoc>');
  });

  it('escapes markup characters in values', () => {
    const doc = cpDocumentOf([cpCharacteristic('A', [cpParm('X', 'a<b&"c\'')])]);
    assert.deepEqual(decodeCpXml(encodeCpXml(doc, { declaration: false, doctype: false, indent: '  ' })), doc);
  });
});

describe('decodeCpXml', () => {
  it('reads the ProvCont examples from bytes and from text alike', () => {
    for (const id of ['001', '002', '003', '004', '005', '006', '007', '008']) {
      const bytes = readVector(`libwbxml-cp-prov-${id}.xml`);
      assert.deepEqual(decodeCpXml(bytes), decodeCpXml(bytes.toString('utf8')));
    }
    const first = decodeCpXml(readVector('libwbxml-cp-prov-001.xml'));
    assert.equal(first.version, '1.0');
    assert.deepEqual(first.characteristics.map((c) => c.type), ['PXLOGICAL', 'NAPDEF']);
  });

  it('reports malformed XML and a foreign root as CodecErrors', () => {
    assert.throws(() => decodeCpXml('<wap-provisioningdoc><characteristic'), CodecError);
    assert.throws(() => decodeCpXml('<SyncML/>'), (e: unknown) => e instanceof CodecError && e.code === ErrorCode.ERR_CP_INVALID);
  });

  it('reads back what it wrote', () => {
    fc.assert(fc.property(cpDocument(), (doc) => assert.deepEqual(decodeCpXml(encodeCpXml(doc)), doc)), { numRuns: 200 });
  });
});
