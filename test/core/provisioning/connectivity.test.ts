import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodecError, ErrorCode } from '../../../src/core/errors.js';
import { childCharacteristics, cpCharacteristic, cpParm } from '../../../src/core/provisioning/cp-document.js';
import { decodeCpXml } from '../../../src/core/provisioning/cp-xml.js';
import { napDefToCharacteristic, parseNapDef, parsePxLogical, pxLogicalToCharacteristic } from '../../../src/core/provisioning/connectivity.js';
import { readVector } from '../../helpers/wbxml-interop.js';

const rejects = (parm: string) => (e: unknown): boolean => e instanceof CodecError && e.code === ErrorCode.ERR_CP_INVALID && e.position.path === parm;

describe('parseNapDef', () => {
  it('reads the NAPDEF of ProvCont example 1 with its credentials and validity', () => {
    const [napdef] = childCharacteristics(decodeCpXml(readVector('libwbxml-cp-prov-001.xml')), 'NAPDEF');
    assert.ok(napdef);
    const n = parseNapDef(napdef);
    assert.equal(n.napId, 'NAP1');
    assert.deepEqual(n.bearers, ['GSM-CSD']);
    assert.equal(n.napAddress, '+35808124002');
    assert.equal(n.napAddrType, 'E164');
    assert.deepEqual(n.auth, [{ authType: 'PAP', authName: 'wwwmmmuser', authSecret: 'wwwmmmsecret', other: [] }]);
    assert.ok(n.other.some((x) => x.kind === 'characteristic' && x.type === 'VALIDITY'));
    assert.deepEqual(parseNapDef(napDefToCharacteristic(n)), n);
  });

  it('names a missing mandatory parm', () => {
    assert.throws(() => parseNapDef(cpCharacteristic('NAPDEF', [cpParm('NAPID', 'A'), cpParm('NAME', 'x')])), rejects('NAPDEF/NAP-ADDRESS'));
    assert.throws(() => parseNapDef(cpCharacteristic('NAPDEF', [cpParm('NAPID', 'A'), cpParm('NAPID', 'B')])), rejects('NAPDEF/NAPID'));
  });
});

describe('parsePxLogical', () => {
  it('reads the proxy of ProvCont example 1 and writes it back', () => {
    const [px] = childCharacteristics(decodeCpXml(readVector('libwbxml-cp-prov-001.xml')), 'PXLOGICAL');
    assert.ok(px);
    const p = parsePxLogical(px);
    assert.equal(p.proxyId, '170.187.51.4');
    assert.equal(p.startPage, 'http://www.bank.com/startpage.wml');
    assert.deepEqual(p.auth, [{ type: 'HTTP-BASIC', id: 'pxusername', pw: 'pxuserpasswd' }]);
    assert.equal(p.physical.length, 1);
    assert.deepEqual(p.physical[0]?.toNapIds, ['INTERNET', 'NAP1']);
    assert.deepEqual(p.physical[0]?.ports, [{ portNbr: 9203, services: [] }]);
    assert.deepEqual(parsePxLogical(pxLogicalToCharacteristic(p)), p);
  });

  it('needs a physical proxy that names an access point', () => {
    assert.throws(() => parsePxLogical(cpCharacteristic('PXLOGICAL', [cpParm('PROXY-ID', 'p')])), rejects('PXLOGICAL/PXPHYSICAL'));
    const noNap = cpCharacteristic('PXLOGICAL', [cpParm('PROXY-ID', 'p'), cpCharacteristic('PXPHYSICAL', [cpParm('PHYSICAL-PROXY-ID', 'a'), cpParm('PXADDR', '1.2.3.4')])]);
    assert.throws(() => parsePxLogical(noNap), rejects('PXLOGICAL/PXPHYSICAL[1]/TO-NAPID'));
  });
});
