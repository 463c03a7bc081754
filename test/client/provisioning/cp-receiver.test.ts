import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readDmAccounts } from '../../../src/client/mo/dmacc-accounts.js';
import type { UiHandler, UiRequest } from '../../../src/client/session/ui-handler.js';
import { isCpPush, receiveCpPush } from '../../../src/client/provisioning/cp-receiver.js';
import { ErrorCode } from '../../../src/core/errors.js';
import { encodeWapPush } from '../../../src/core/notification/wap-push.js';
import { cpCharacteristic, cpParm } from '../../../src/core/provisioning/cp-document.js';
import { buildSignedCpPush, encodeCpPush } from '../../../src/core/provisioning/cp-push.js';
import { userPinMacPin } from '../../../src/core/provisioning/cp-security.js';
import { encodeCpWbxml } from '../../../src/core/provisioning/cp-wbxml.js';
import { w7Document, w7ToCharacteristic } from '../../../src/core/provisioning/w7-build.js';
import { bareTree, sampleW7 } from '../../helpers/cp-device.js';

const IMSI = '001010123456789';
const DOC = w7Document(sampleW7());

/** A user who types `pin` (and accepts confirmations), recording what was asked. */
function user(pin: string | undefined): UiHandler & { asked: UiRequest[] } {
  const asked: UiRequest[] = [];
  return {
    asked,
    prompt: (r) => {
      asked.push(r);
      if (r.code === 1102) return pin === undefined ? { outcome: 'cancel' } : { outcome: 'ok', input: pin };
      return { outcome: 'ok' };
    },
  };
}

describe('receiveCpPush', () => {
  it('installs a USERPIN document once the user types the right PIN, prompting with X-MS-DESC', async () => {
    const tree = bareTree();
    const ui = user('1234');
    const { push } = buildSignedCpPush({ document: DOC, security: { sec: 'USERPIN', userPin: '1234' }, description: 'Enter the PIN from your welcome letter' });
    const v = await receiveCpPush(push, { tree, ui });
    assert.equal(v.accepted, true, v.accepted ? '' : v.reason);
    assert.equal(ui.asked[0]?.text, 'Enter the PIN from your welcome letter');
    assert.equal(ui.asked[0]?.options.echoType, 'P');
    const [account] = readDmAccounts(tree);
    assert.equal(account?.serverId, 'dm.example.com');
    assert.equal(account?.roles, 8);
  });

  it('changes nothing when the PIN is wrong, missing, or the document was altered', async () => {
    const { push, body } = buildSignedCpPush({ document: DOC, security: { sec: 'USERPIN', userPin: '1234' } });
    for (const [bytes, ui, code] of [
      [push, user('4321'), ErrorCode.ERR_CP_MAC_INVALID],
      [push, user(undefined), ErrorCode.ERR_CP_SECURITY],
      [(() => { const p = Buffer.from(push); p.writeUInt8(p.readUInt8(p.length - 4) ^ 0x20, p.length - 4); return p; })(), user('1234'), ErrorCode.ERR_CP_MAC_INVALID],
    ] as const) {
      const tree = bareTree();
      const before = tree.revision;
      const v = await receiveCpPush(bytes, { tree, ui });
      assert.equal(v.accepted, false);
      assert.equal(!v.accepted && v.code, code);
      assert.equal(tree.revision, before);
      assert.deepEqual(readDmAccounts(tree), []);
    }
    assert.ok(body.byteLength > 0);
  });

  it('checks NETWPIN with the SIM IMSI and asks the user to accept', async () => {
    const { push } = buildSignedCpPush({ document: DOC, security: { sec: 'NETWPIN', imsi: IMSI } });
    const ui = user(undefined);
    assert.equal((await receiveCpPush(push, { tree: bareTree(), ui, imsi: IMSI })).accepted, true);
    assert.equal(ui.asked[0]?.code, 1101);
    const other = await receiveCpPush(push, { tree: bareTree(), imsi: '001010123456780' });
    assert.equal(!other.accepted && other.code, ErrorCode.ERR_CP_MAC_INVALID);
    const noSim = await receiveCpPush(push, { tree: bareTree() });
    assert.equal(!noSim.accepted && noSim.code, ErrorCode.ERR_CP_SECURITY);
    const declined = await receiveCpPush(push, { tree: bareTree(), imsi: IMSI, ui: { prompt: () => ({ outcome: 'no' }) } });
    assert.equal(declined.accepted, false);
  });

  it('accepts USERNETWPIN and USERPINMAC documents', async () => {
    const both = buildSignedCpPush({ document: DOC, security: { sec: 'USERNETWPIN', imsi: IMSI, userPin: '77' } });
    assert.equal((await receiveCpPush(both.push, { tree: bareTree(), imsi: IMSI, ui: user('77') })).accepted, true);
    const body = encodeCpWbxml(DOC);
    const pin = userPinMacPin({ keyDigits: '24680', document: body });
    const pinmac = encodeCpPush({ body, sec: 'USERPINMAC' });
    assert.equal((await receiveCpPush(pinmac, { tree: bareTree(), ui: user(pin) })).accepted, true);
    assert.equal((await receiveCpPush(pinmac, { tree: bareTree(), ui: user('2468000000') })).accepted, false);
  });

  it('refuses unsigned documents unless told to accept them', async () => {
    const { push } = buildSignedCpPush({ document: DOC, format: 'xml' });
    const refused = await receiveCpPush(push, { tree: bareTree() });
    assert.equal(!refused.accepted && refused.code, ErrorCode.ERR_CP_SECURITY);
    assert.equal((await receiveCpPush(push, { tree: bareTree(), acceptUnsigned: true })).accepted, true);
  });

  it('installs nothing of an authentic but invalid document', async () => {
    const bad = w7ToCharacteristic(sampleW7());
    const doc = { version: '1.1', characteristics: [
      cpCharacteristic('NAPDEF', [cpParm('NAPID', 'INTERNET'), cpParm('NAME', 'Internet'), cpParm('NAP-ADDRESS', 'internet'), cpParm('NAP-ADDRTYPE', 'APN')]),
      cpCharacteristic('APPLICATION', [...bad.children.filter((n) => !(n.kind === 'parm' && n.name === 'PROVIDER-ID'))]),
    ] };
    const tree = bareTree();
    const before = tree.revision;
    const { push } = buildSignedCpPush({ document: doc, security: { sec: 'USERPIN', userPin: '1' } });
    const v = await receiveCpPush(push, { tree, ui: user('1') });
    assert.equal(v.accepted, false);
    assert.ok(!v.accepted && v.code === ErrorCode.ERR_CP_INVALID && v.reason.includes('PROVIDER-ID'), !v.accepted ? v.reason : '');
    assert.equal(tree.revision, before);
    assert.equal(tree.exists('./Vendor/MSFT/NAP/INTERNET'), false);
  });

  it('refuses a ROLE the document was not authenticated for', async () => {
    const { push } = buildSignedCpPush({ document: w7Document(sampleW7({ role: 4 })), security: { sec: 'USERPIN', userPin: '1' } });
    const v = await receiveCpPush(push, { tree: bareTree(), ui: user('1') });
    assert.ok(!v.accepted && v.reason.includes('ROLE'));
  });

  it('hands INIT accounts to onInit, and a second bootstrap replaces the account', async () => {
    const tree = bareTree();
    const started: string[] = [];
    const first = buildSignedCpPush({ document: w7Document(sampleW7({ init: true })), security: { sec: 'USERPIN', userPin: '1' } });
    await receiveCpPush(first.push, { tree, ui: user('1'), onInit: (a) => started.push(a.serverId) });
    assert.deepEqual(started, ['dm.example.com']);
    const second = buildSignedCpPush({ document: w7Document(sampleW7({ addresses: [{ addr: 'https://dm2.example.com/dm', ports: [] }] })), security: { sec: 'USERPIN', userPin: '1' } });
    await receiveCpPush(second.push, { tree, ui: user('1') });
    const accounts = readDmAccounts(tree);
    assert.equal(accounts.length, 1);
    assert.equal(accounts[0]?.addr, 'https://dm2.example.com/dm');
  });
});

describe('isCpPush', () => {
  it('tells a provisioning push from a Package 0 push and from raw bytes', () => {
    assert.equal(isCpPush(buildSignedCpPush({ document: DOC }).push), true);
    const pkg0 = encodeWapPush({ contentType: 0x44, applicationId: 0x07, body: new Uint8Array(24) });
    assert.equal(isCpPush(pkg0), false);
    assert.equal(isCpPush(Uint8Array.of(1, 2)), false);
  });
});
