import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodecError, ErrorCode } from '../../../src/core/errors.js';
import { encodeWapPush, WspContentType } from '../../../src/core/notification/wap-push.js';
import { cpCharacteristic, cpDocumentOf, cpParm } from '../../../src/core/provisioning/cp-document.js';
import { buildSignedCpPush, decodeCpPush, encodeCpPush, isCpContentType, WM_CFGMGR_APP_ID } from '../../../src/core/provisioning/cp-push.js';
import { verifyCpMac } from '../../../src/core/provisioning/cp-security.js';
import { decodeCpWbxml } from '../../../src/core/provisioning/cp-wbxml.js';
import { decodeCpXml } from '../../../src/core/provisioning/cp-xml.js';

const DOC = cpDocumentOf([cpCharacteristic('BOOTSTRAP', [cpParm('NAME', 'test')])], '1.1');
const MAC = 'C483EC25F7E3E0CF100380DA5F6714CF204A5EC5';

describe('encodeCpPush', () => {
  it('writes content type 0x36 with SEC and MAC and the X-MS-DESC header', () => {
    const body = Uint8Array.of(1, 2, 3);
    const pdu = encodeCpPush({ body, sec: 'NETWPIN', mac: MAC, description: 'Operator settings' });
    const ascii = (t: string): number[] => [...Buffer.from(`${t}\0`)];
    assert.deepEqual([...pdu], [
      0x00, 0x06, 75, //       TID, Push, HeadersLen = 2 + 45 + 10 + 18
      0x1f, 45, 0xb6, //      Content-general-form: Length-quote 45, application/vnd.wap.connectivity-wbxml
      0x91, 0x80, //          SEC = NETWPIN (0)
      0x92, ...ascii(MAC), // MAC as Token-text
      ...ascii('X-MS-DESC'), ...ascii('Operator settings'),
      1, 2, 3,
    ]);
    const decoded = decodeCpPush(pdu);
    assert.deepEqual(decoded, { format: 'wbxml', body, transactionId: 0, sec: 'NETWPIN', mac: MAC, description: 'Operator settings' });
  });

  it('writes a bare content type 0x35 for an unsigned XML document, with an application id', () => {
    const pdu = encodeCpPush({ body: Uint8Array.of(0x3c), format: 'xml', applicationId: WM_CFGMGR_APP_ID, transactionId: 5 });
    assert.deepEqual([...pdu.subarray(0, 4)], [0x05, 0x06, 28, 0xb5]);
    assert.deepEqual(decodeCpPush(pdu), { format: 'xml', body: Uint8Array.of(0x3c), transactionId: 5, applicationId: WM_CFGMGR_APP_ID });
  });
});

describe('decodeCpPush', () => {
  it('refuses a push whose content type is not a provisioning document', () => {
    const pdu = encodeWapPush({ contentType: WspContentType.SYNCML_NOTIFICATION, body: Uint8Array.of(0) });
    assert.throws(() => decodeCpPush(pdu), (e: unknown) => e instanceof CodecError && e.code === ErrorCode.ERR_CP_INVALID);
  });

  it('accepts the textual media types too', () => {
    assert.equal(isCpContentType('application/vnd.wap.connectivity-wbxml'), true);
    assert.equal(isCpContentType('TEXT/VND.WAP.CONNECTIVITY-XML'), true);
    assert.equal(isCpContentType(0x44), false);
    const pdu = encodeWapPush({ contentType: 'text/vnd.wap.connectivity-xml', body: Uint8Array.of(0x3c) });
    assert.equal(decodeCpPush(pdu).format, 'xml');
  });
});

describe('buildSignedCpPush', () => {
  it('signs the exact body it frames, in WBXML and in XML', () => {
    const w = buildSignedCpPush({ document: DOC, security: { sec: 'USERPIN', userPin: '1234' }, description: 'PIN 1234' });
    const got = decodeCpPush(w.push);
    assert.deepEqual(got.body, w.body);
    assert.equal(got.mac, w.mac);
    assert.equal(verifyCpMac({ sec: 'USERPIN', userPin: '1234', document: got.body, mac: got.mac }), true);
    assert.deepEqual(decodeCpWbxml(got.body), DOC);
    const x = buildSignedCpPush({ document: DOC, format: 'xml', security: { sec: 'NETWPIN', imsi: '001010123456789' } });
    const gx = decodeCpPush(x.push);
    assert.equal(gx.sec, 'NETWPIN');
    assert.deepEqual(decodeCpXml(gx.body), DOC);
  });

  it('sends an unsigned document without SEC or MAC', () => {
    const u = buildSignedCpPush({ document: DOC });
    assert.equal(u.mac, undefined);
    assert.equal(decodeCpPush(u.push).sec, undefined);
  });
});
