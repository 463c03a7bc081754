import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readConnectivity } from '../../../src/client/mo/csp/connectivity.js';
import { readDmAccounts } from '../../../src/client/mo/dmacc-accounts.js';
import { installCpDocument, planCpInstall, rolesForSecurity } from '../../../src/client/provisioning/cp-install.js';
import { CodecError, ErrorCode } from '../../../src/core/errors.js';
import { SecurityRole } from '../../../src/core/tree/security-role.js';
import { cpCharacteristic, cpDocumentOf, cpParm } from '../../../src/core/provisioning/cp-document.js';
import { decodeCpXml } from '../../../src/core/provisioning/cp-xml.js';
import { w7ToCharacteristic } from '../../../src/core/provisioning/w7-build.js';
import { readVector } from '../../helpers/wbxml-interop.js';
import { bareTree, sampleW7 } from '../../helpers/cp-device.js';

const invalid = (text: string) => (e: unknown): boolean => e instanceof CodecError && e.code === ErrorCode.ERR_CP_INVALID && e.message.includes(text);

describe('installCpDocument', () => {
  it('creates the DM account and the NAP / Proxy entries of ProvCont example 1 plus a w7 application', () => {
    const example = decodeCpXml(readVector('libwbxml-cp-prov-001.xml'));
    const doc = cpDocumentOf([...example.characteristics, w7ToCharacteristic(sampleW7({ toNapIds: ['NAP1'] }))], '1.1');
    const tree = bareTree();
    const installed = installCpDocument(tree, doc, { messageRoles: rolesForSecurity('USERPIN') });
    assert.deepEqual(installed.map((a) => [a.serverId, a.roles, a.init]), [['dm.example.com', 8, false]]);
    const { naps, proxies } = readConnectivity(tree);
    assert.deepEqual(naps.map((n) => [n.napId, n.address, n.addressType, n.authType]), [['NAP1', '+35808124002', 'E164', 'PAP']]);
    assert.deepEqual(proxies.map((p) => [p.addr, p.port, p.toNapId, p.nap?.napId]), [['170.187.51.3', 9203, 'INTERNET', undefined]]);
    assert.equal(readDmAccounts(tree)[0]?.serverId, 'dm.example.com');
  });

  it('gives an account without ROLE the roles of the document that an account may hold', () => {
    const tree = bareTree();
    const { role: _role, ...noRole } = sampleW7();
    const [a] = installCpDocument(tree, cpDocumentOf([w7ToCharacteristic(noRole)]), { messageRoles: rolesForSecurity('USERNETWPIN') });
    assert.equal(a?.roles, SecurityRole.OPERATOR | SecurityRole.MANAGER | SecurityRole.USER_AUTH);
    assert.equal(readDmAccounts(tree)[0]?.roles, a?.roles);
  });

  it('writes the DM 1.1.2 layout on request', () => {
    const tree = bareTree();
    installCpDocument(tree, cpDocumentOf([w7ToCharacteristic(sampleW7())]), { messageRoles: SecurityRole.MANAGER, layout: '1.1' });
    assert.equal(readDmAccounts(tree)[0]?.layout, '1.1');
  });
});

describe('planCpInstall', () => {
  it('refuses a document with nothing to apply and two applications for one server', () => {
    assert.throws(() => planCpInstall(cpDocumentOf([cpCharacteristic('BOOTSTRAP', [cpParm('NAME', 'x')])]), { messageRoles: 8 }), invalid('nothing this device can apply'));
    const c = w7ToCharacteristic(sampleW7());
    assert.throws(() => planCpInstall(cpDocumentOf([c, c]), { messageRoles: 8 }), invalid('two w7 applications'));
  });

  it('names the bad parm of an invalid NAPDEF', () => {
    const nap = cpCharacteristic('NAPDEF', [cpParm('NAPID', 'N'), cpParm('NAME', 'n')]);
    assert.throws(() => planCpInstall(cpDocumentOf([nap]), { messageRoles: 8 }), invalid('NAPDEF/NAP-ADDRESS'));
  });
});
