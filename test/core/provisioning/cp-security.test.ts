import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuthError, ErrorCode } from '../../../src/core/errors.js';
import {
  cpMacKey, createCpMac, needsUserPin, netwPinKey, secMethodName, userPinMacPin, verifyCpMac,
} from '../../../src/core/provisioning/cp-security.js';
import { readVector } from '../../helpers/wbxml-interop.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const isSecurity = (e: unknown): boolean => e instanceof AuthError && e.code === ErrorCode.ERR_CP_SECURITY;

// A CP document pushed by NowSMS with NETWPIN, IMSI 123456789012345, and the MAC NowSMS computed
// for it (support.nowsms.com "NETWPIN Calculation" thread): an independent implementation's vector.
const NOWSMS_DOC = Buffer.from(
  '030B6A0674657374310045C6560187070683000101C655018707068300018711060374657374315F4E415049440001871006AB01870806' +
  '03746573743200018709068901871401C65A01870C069A01870D060367707273757365726E616D650001870E06036770727370617373776F' +
  '72640001010101', 'hex');
const NOWSMS_MAC = 'C483EC25F7E3E0CF100380DA5F6714CF204A5EC5';

// Vectors computed independently with Python's hmac/hashlib over the libwbxml PROV vector 005
// (derived-libwbxml0118-cp-prov-005.wbxml), keys built as ProvBoot §5.4 describes.
const DOC = (): Buffer => readVector('derived-libwbxml0118-cp-prov-005.wbxml');
const IMSI = '001010123456789';
const VECTORS = {
  NETWPIN: '36CAA4EA99A8D7C1C35376FD7C8D50B1D30D2832',
  NETWPIN_EVEN: '3B0F179DE919993C8CD5CF31E00914BB7E06105C', // IMSI 21407650123456
  USERPIN: '277FC0967E41B7835F68DA68FC7C99DA98B125D6', // PIN 1234
  USERNETWPIN: '49BD9ADFFF3701B7554505B99F996EF662C8FE50', // IMSI above, PIN 1234
  USERPINMAC_PIN: '1234543434', // key digits 12345
  USERPINMAC_MAC: 'EA0D688FEAFC87BE316943E1044482FABC6280BD',
};

describe('netwPinKey', () => {
  it('writes an odd-length IMSI behind the parity nibble 9, low nibble first', () => {
    assert.equal(hex(netwPinKey('123456789012345')), '1932547698103254');
  });

  it('writes an even-length IMSI behind nibble 1 and ends it with the F filler', () => {
    assert.equal(hex(netwPinKey('21407650123456')), '21417056103254f6');
  });

  it('rejects an IMSI that is not 1 to 15 digits', () => {
    for (const bad of ['', '12345678901234567', '12a4']) assert.throws(() => netwPinKey(bad), isSecurity);
  });
});

describe('createCpMac', () => {
  it('matches the MAC NowSMS computed for a NETWPIN push', () => {
    assert.equal(createCpMac({ sec: 'NETWPIN', imsi: '123456789012345', document: NOWSMS_DOC }), NOWSMS_MAC);
  });

  it('matches independently computed vectors for every method', () => {
    const doc = DOC();
    assert.equal(createCpMac({ sec: 'NETWPIN', imsi: IMSI, document: doc }), VECTORS.NETWPIN);
    assert.equal(createCpMac({ sec: 'NETWPIN', imsi: '21407650123456', document: doc }), VECTORS.NETWPIN_EVEN);
    assert.equal(createCpMac({ sec: 'USERPIN', userPin: '1234', document: doc }), VECTORS.USERPIN);
    assert.equal(createCpMac({ sec: 'USERNETWPIN', imsi: IMSI, userPin: '1234', document: doc }), VECTORS.USERNETWPIN);
    assert.equal(createCpMac({ sec: 'USERPINMAC', userPin: VECTORS.USERPINMAC_PIN, document: doc }), VECTORS.USERPINMAC_MAC);
  });

  it('accepts the SEC parameter number for the method', () => {
    assert.equal(createCpMac({ sec: 1, userPin: '1234', document: DOC() }), VECTORS.USERPIN);
  });

  it('refuses to sign without the secret the method needs', () => {
    assert.throws(() => createCpMac({ sec: 'USERPIN', document: DOC() }), isSecurity);
    assert.throws(() => createCpMac({ sec: 'NETWPIN', document: DOC() }), isSecurity);
    assert.throws(() => createCpMac({ sec: 'USERNETWPIN', userPin: '1', document: DOC() }), isSecurity);
    assert.throws(() => createCpMac({ sec: 7, userPin: '1', document: DOC() }), isSecurity);
  });
});

describe('userPinMacPin', () => {
  it('appends one digit per key digit, each an HMAC octet mod 10', () => {
    assert.equal(userPinMacPin({ keyDigits: '12345', document: DOC() }), VECTORS.USERPINMAC_PIN);
  });

  it('rejects key digits that are not 1 to 20 decimal digits', () => {
    assert.throws(() => userPinMacPin({ keyDigits: '12a', document: DOC() }), isSecurity);
  });
});

describe('verifyCpMac', () => {
  it('accepts the right MAC in any case and refuses a changed document', () => {
    const doc = DOC();
    assert.equal(verifyCpMac({ sec: 'USERPIN', userPin: '1234', document: doc, mac: VECTORS.USERPIN.toLowerCase() }), true);
    const tampered = Buffer.from(doc);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 3) ^ 1, tampered.length - 3);
    assert.equal(verifyCpMac({ sec: 'USERPIN', userPin: '1234', document: tampered, mac: VECTORS.USERPIN }), false);
  });

  it('refuses the wrong PIN and the wrong IMSI', () => {
    const doc = DOC();
    assert.equal(verifyCpMac({ sec: 'USERPIN', userPin: '1235', document: doc, mac: VECTORS.USERPIN }), false);
    assert.equal(verifyCpMac({ sec: 'NETWPIN', imsi: '001010123456788', document: doc, mac: VECTORS.NETWPIN }), false);
    assert.equal(verifyCpMac({ sec: 'USERNETWPIN', imsi: IMSI, userPin: '1234', document: doc, mac: VECTORS.USERNETWPIN }), true);
  });

  it('judges USERPINMAC by the digits the PIN carries', () => {
    const doc = DOC();
    assert.equal(verifyCpMac({ sec: 'USERPINMAC', userPin: VECTORS.USERPINMAC_PIN, document: doc, mac: undefined }), true);
    assert.equal(verifyCpMac({ sec: 'USERPINMAC', userPin: '1234543435', document: doc, mac: undefined }), false);
    assert.equal(verifyCpMac({ sec: 'USERPINMAC', userPin: VECTORS.USERPINMAC_PIN, document: doc, mac: VECTORS.USERPINMAC_MAC }), true);
    assert.equal(verifyCpMac({ sec: 'USERPINMAC', userPin: VECTORS.USERPINMAC_PIN, document: doc, mac: VECTORS.USERPIN }), false);
    assert.throws(() => verifyCpMac({ sec: 'USERPINMAC', userPin: '123', document: doc, mac: undefined }), isSecurity);
  });

  it('throws when the MAC parameter is missing or not 40 hex digits', () => {
    assert.throws(() => verifyCpMac({ sec: 'USERPIN', userPin: '1', document: DOC(), mac: undefined }), isSecurity);
    assert.throws(() => verifyCpMac({ sec: 'USERPIN', userPin: '1', document: DOC(), mac: 'XYZ' }), isSecurity);
  });
});

describe('secMethodName', () => {
  it('maps SEC numbers, names and numeric text to method names', () => {
    assert.equal(secMethodName(0), 'NETWPIN');
    assert.equal(secMethodName(3), 'USERPINMAC');
    assert.equal(secMethodName('userpin'), 'USERPIN');
    assert.equal(secMethodName('2'), 'USERNETWPIN');
    assert.equal(secMethodName(9), undefined);
  });

  it('says which methods need a user PIN', () => {
    assert.equal(needsUserPin('NETWPIN'), false);
    assert.equal(needsUserPin('USERPINMAC'), true);
    assert.equal(hex(cpMacKey({ sec: 'USERPINMAC', userPin: '1234543434' })), hex(Buffer.from('12345')));
  });
});
