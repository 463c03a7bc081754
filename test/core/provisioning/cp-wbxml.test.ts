import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodecError, ErrorCode } from '../../../src/core/errors.js';
import { decodeCpWbxml, encodeCpWbxml } from '../../../src/core/provisioning/cp-wbxml.js';
import { decodeCpXml } from '../../../src/core/provisioning/cp-xml.js';
import { cpCharacteristic, cpParm } from '../../../src/core/provisioning/cp-document.js';
import { readVector } from '../../helpers/wbxml-interop.js';
import { cpDocument } from '../../helpers/cp-arbitrary.js';

const IDS = ['001', '002', '003', '004', '005', '006', '007', '008'];
const xmlVector = (id: string): Buffer => readVector(`libwbxml-cp-prov-${id}.xml`);
const wbxmlVector = (id: string): Buffer => readVector(`derived-libwbxml0118-cp-prov-${id}.wbxml`);
const isCodec = (e: unknown): boolean => e instanceof CodecError;

describe('encodeCpWbxml', () => {
  it('writes each ProvCont example byte for byte as libwbxml 0.11.8 does', () => {
    for (const id of IDS) {
      const doc = decodeCpXml(xmlVector(id));
      assert.deepEqual(Buffer.from(encodeCpWbxml(doc)), wbxmlVector(id), `prov-${id}`);
    }
  });

  it('folds a known value into the attribute-start token and tokenises value text', () => {
    const doc = { version: '1.0', characteristics: [cpCharacteristic('PXLOGICAL', [cpParm('PXADDRTYPE', 'IPV4'), cpParm('ROLE', '8')])] };
    const bytes = encodeCpWbxml(doc, { stringTable: false });
    assert.deepEqual([...bytes], [
      0x03, 0x0b, 0x6a, 0x00, // WBXML 1.3, public id 0x0B, UTF-8, empty string table
      0xc5, 0x46, 0x01, //       wap-provisioningdoc, version="1.0"
      0xc6, 0x51, 0x01, //       characteristic type="PXLOGICAL"
      0x87, 0x21, 0x06, 0x85, 0x01, // parm name="PXADDRTYPE" value="IPV4"
      0x87, 0x05, 0x03, ...Buffer.from('ROLE'), 0x00, 0x06, 0x03, 0x38, 0x00, 0x01, // name="ROLE" value="8" as strings
      0x01, 0x01,
    ]);
  });

  it('switches the attribute code page only when a token lives on the other page', () => {
    const doc = { characteristics: [cpCharacteristic('APPLICATION', [cpParm('APPID', 'w7'), cpParm('AAUTHLEVEL', 'APPSRV')])] };
    const bytes = [...encodeCpWbxml(doc, { stringTable: false })].slice(4);
    assert.deepEqual(bytes, [
      0x45, //                   wap-provisioningdoc without attributes
      0xc6, 0x00, 0x01, 0x55, 0x01, // type="APPLICATION" (page 1)
      0x87, 0x36, 0x00, 0x00, 0x06, 0x03, 0x77, 0x37, 0x00, 0x01, // APPID (page 1), value (page 0)
      0x87, 0x00, 0x01, 0x30, 0x00, 0x00, 0x06, 0x00, 0x01, 0x8d, 0x01, // AAUTHLEVEL, value APPSRV (page 1)
      0x01, 0x01,
    ]);
  });

  it('rejects a value containing U+0000', () => {
    const doc = { characteristics: [cpCharacteristic('X', [cpParm('A', 'a\u0000b')])] };
    assert.throws(() => encodeCpWbxml(doc), (e: unknown) => isCodec(e) && (e as CodecError).code === ErrorCode.ERR_WBXML_UNSUPPORTED);
  });
});

describe('decodeCpWbxml', () => {
  it('reads each libwbxml vector as the document of its XML source', () => {
    for (const id of IDS) assert.deepEqual(decodeCpWbxml(wbxmlVector(id)), decodeCpXml(xmlVector(id)), `prov-${id}`);
  });

  it('reads a NowSMS document with a string table and no version', () => {
    const bytes = Buffer.from('030B6A0674657374310045C6560187070683000101C655018707068300018711060374657374315F4E415049440001871006AB0187' +
      '080603746573743200018709068901871401C65A01870C069A01870D060367707273757365726E616D650001870E060367707273' +
      '70617373776F72640001010101', 'hex');
    const doc = decodeCpWbxml(bytes);
    assert.equal(doc.version, undefined);
    assert.deepEqual(doc.characteristics.map((c) => c.type), ['BOOTSTRAP', 'NAPDEF']);
    const napdef = doc.characteristics[1];
    assert.deepEqual(napdef?.children.slice(0, 3), [cpParm('NAME', 'test1'), cpParm('NAPID', 'test1_NAPID'), cpParm('BEARER', 'GSM-GPRS')]);
    assert.deepEqual(napdef?.children[5], cpParm('INTERNET'));
  });

  it('accepts tags sent on code page 1 and AUTH-ENTITY values on either page', () => {
    const bytes = Uint8Array.of(0x03, 0x0b, 0x6a, 0x00, 0x45, 0x00, 0x01, 0xc6, 0x50, 0x03, 0x58, 0x00, 0x01, // page-1 characteristic, type="X"
      0x87, 0x4e, 0x06, 0x00, 0x01, 0xe1, 0x00, 0x00, 0xe0, 0x01, 0x01, 0x01); // parm AUTH-ENTITY value "HA" (page 1) + "AAA" (page 0)
    const doc = decodeCpWbxml(bytes);
    assert.deepEqual(doc.characteristics, [cpCharacteristic('X', [cpParm('AUTH-ENTITY', 'HAAAA')])]);
  });

  it('refuses a WBXML document of another type', () => {
    assert.throws(() => decodeCpWbxml(readVector('aosp-omadm-dm12-testget.wbxml')),
      (e: unknown) => isCodec(e) && (e as CodecError).code === ErrorCode.ERR_CP_INVALID);
  });

  it('fails with a CodecError, never another error, on every truncation of every vector', () => {
    for (const id of IDS) {
      const bytes = wbxmlVector(id);
      for (let cut = 0; cut < bytes.length; cut++) assert.throws(() => decodeCpWbxml(bytes.subarray(0, cut)), isCodec, `prov-${id} cut at ${cut}`);
    }
  });

  it('reads back what it wrote, with and without a string table', () => {
    fc.assert(fc.property(cpDocument(), fc.boolean(), (doc, stringTable) => {
      assert.deepEqual(decodeCpWbxml(encodeCpWbxml(doc, { stringTable })), doc);
    }), { numRuns: 300 });
  });

  it('throws only CodecError on random bytes behind a PROV header', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (tail) => {
      try {
        decodeCpWbxml(Uint8Array.from([0x03, 0x0b, 0x6a, 0x00, ...tail]));
      } catch (e) {
        assert.ok(isCodec(e), String(e));
      }
    }), { numRuns: 500 });
  });
});
