import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodecError, ErrorCode } from '../../../src/core/errors.js';
import { cpCharacteristic, cpParm, type CpNode } from '../../../src/core/provisioning/cp-document.js';
import { decodeCpXml } from '../../../src/core/provisioning/cp-xml.js';
import { findW7, isW7, parseW7, validateW7 } from '../../../src/core/provisioning/w7.js';

// The Windows Mobile bootstrap example (reference §1.12, "Bootstrapping To Use An OMA DM Server").
const WM_EXAMPLE = `<wap-provisioningdoc version="1.1">
 <characteristic type="APPLICATION">
  <parm name="APPID" value="w7"/><parm name="PROVIDER-ID" value="com.mgmtsrv.manage"/>
  <parm name="NAME" value="Mgmt Server"/>
  <parm name="ADDR" value="https://www.mgmtserver.com:8080/manage"/>
  <parm name="TO-NAPID" value="ABCGPRS1"/><parm name="ROLE" value="8"/>
  <characteristic type="APPAUTH"><parm name="AAUTHLEVEL" value="APPSRV"/>
   <parm name="AAUTHTYPE" value="DIGEST"/><parm name="AAUTHNAME" value="clientname"/>
   <parm name="AAUTHSECRET" value="clientsecret"/><parm name="AAUTHDATA" value="Y2xpZW50bm9uY2U="/></characteristic>
  <characteristic type="APPAUTH"><parm name="AAUTHLEVEL" value="CLIENT"/>
   <parm name="AAUTHTYPE" value="DIGEST"/><parm name="AAUTHSECRET" value="serversecret"/>
   <parm name="AAUTHDATA" value="c2VydmVybm9uY2U="/></characteristic>
 </characteristic>
</wap-provisioningdoc>`;

const example = () => {
  const [c] = findW7(decodeCpXml(WM_EXAMPLE));
  assert.ok(c);
  return c;
};
/** The example with its parm named `name` replaced (or removed when `value` is null), at the top level. */
const withParm = (name: string, value: string | null | undefined) => {
  const c = example();
  const kids: CpNode[] = c.children.filter((n) => !(n.kind === 'parm' && n.name === name));
  if (value !== null) kids.unshift(cpParm(name, value));
  return cpCharacteristic('APPLICATION', kids);
};
const rejects = (parm: string) => (e: unknown): boolean =>
  e instanceof CodecError && e.code === ErrorCode.ERR_CP_INVALID && e.position.path === parm && e.message.includes(parm);

describe('parseW7', () => {
  it('reads the Windows Mobile bootstrap example', () => {
    const app = parseW7(example());
    assert.equal(app.providerId, 'com.mgmtsrv.manage');
    assert.equal(app.name, 'Mgmt Server');
    assert.deepEqual(app.addresses, [{ addr: 'https://www.mgmtserver.com:8080/manage', ports: [] }]);
    assert.deepEqual(app.toNapIds, ['ABCGPRS1']);
    assert.equal(app.role, 8);
    assert.deepEqual(app.appAuths, [
      { level: 'APPSRV', type: 'DIGEST', name: 'clientname', secret: 'clientsecret', data: 'Y2xpZW50bm9uY2U=' },
      { level: 'CLIENT', type: 'DIGEST', secret: 'serversecret', data: 'c2VydmVybm9uY2U=' },
    ]);
    assert.equal(app.init, false);
    assert.equal(app.backCompatRetryDisabled, false);
  });

  it('reads the Microsoft knobs, flags and both back-off spellings', () => {
    let c = withParm('INIT', undefined);
    for (const [n, v] of [['PROTOVER', '1.1'], ['DEFAULTENCODING', 'application/vnd.syncml.dm+wbxml'], ['CONNRETRYFREQ', '6'],
      ['INITIALBACKOFTIME', '30000'], ['MAXBACKOFFTIME', '120000'], ['SSLCLIENTCERTSEARCHCRITERIA', 'Subject=CN%3DTester']] as const) {
      c = cpCharacteristic('APPLICATION', [...c.children, cpParm(n, v)]);
    }
    c = cpCharacteristic('APPLICATION', [...c.children, cpParm('BACKCOMPATRETRYDISABLED'), cpParm('USEHWDEVID')]);
    const app = parseW7(c);
    assert.equal(app.init, true);
    assert.equal(app.protoVer, '1.1');
    assert.equal(app.defaultEncoding, 'application/vnd.syncml.dm+wbxml');
    assert.equal(app.connRetryFreq, 6);
    assert.equal(app.initialBackoffTime, 30000);
    assert.equal(app.maxBackoffTime, 120000);
    assert.equal(app.backCompatRetryDisabled, true);
    assert.equal(app.useHwDevId, true);
    assert.equal(app.sslClientCertSearchCriteria, 'Subject=CN%3DTester');
  });

  it('reads APPADDR with ADDRTYPE and ports', () => {
    const c = cpCharacteristic('APPLICATION', [...withParm('ADDR', null).children, cpCharacteristic('APPADDR', [
      cpParm('ADDR', 'http://dm.example.com/dm'), cpParm('ADDRTYPE', 'URI'),
      cpCharacteristic('PORT', [cpParm('PORTNBR', '8080'), cpParm('SERVICE', 'CO-WSP')]),
    ])]);
    assert.deepEqual(parseW7(c).addresses, [{ addr: 'http://dm.example.com/dm', addrType: 'URI', ports: [{ portNbr: 8080, services: ['CO-WSP'] }] }]);
  });

  it('names the bad parm when a value is wrong', () => {
    assert.throws(() => parseW7(withParm('APPID', 'w2')), rejects('APPLICATION/APPID'));
    assert.throws(() => parseW7(withParm('PROVIDER-ID', null)), rejects('APPLICATION/PROVIDER-ID'));
    assert.throws(() => parseW7(withParm('ADDR', 'ftp://x')), rejects('APPLICATION/ADDR'));
    assert.throws(() => parseW7(withParm('ADDR', null)), rejects('APPLICATION/ADDR'));
    assert.throws(() => parseW7(withParm('ROLE', 'eight')), rejects('APPLICATION/ROLE'));
    assert.throws(() => parseW7(withParm('PROTOVER', '2.0')), rejects('APPLICATION/PROTOVER'));
    assert.throws(() => parseW7(withParm('DEFAULTENCODING', 'text/plain')), rejects('APPLICATION/DEFAULTENCODING'));
    assert.throws(() => parseW7(withParm('CONNRETRYFREQ', '-1')), rejects('APPLICATION/CONNRETRYFREQ'));
    assert.throws(() => parseW7(cpCharacteristic('APPLICATION', [...example().children, cpParm('NAME', 'again')])), rejects('APPLICATION/NAME'));
    const backoff = cpCharacteristic('APPLICATION', [...example().children, cpParm('INITIALBACKOFFTIME', '5000'), cpParm('MAXBACKOFFTIME', '100')]);
    assert.throws(() => parseW7(backoff), rejects('APPLICATION/MAXBACKOFFTIME'));
  });

  it('names the bad parm inside APPAUTH and APPADDR', () => {
    // Replaces the i-th APPAUTH (0-based) of the example.
    const auth = (i: number, parms: CpNode[]) => {
      let seen = -1;
      return cpCharacteristic('APPLICATION', example().children.map((n) =>
        n.kind === 'characteristic' && ++seen === i ? cpCharacteristic('APPAUTH', parms) : n));
    };
    assert.throws(() => parseW7(auth(1, [cpParm('AAUTHLEVEL', 'CLIENT'), cpParm('AAUTHTYPE', 'BASIC'), cpParm('AAUTHSECRET', 's')])),
      rejects('APPLICATION/APPAUTH[2]/AAUTHTYPE'));
    assert.throws(() => parseW7(auth(1, [cpParm('AAUTHLEVEL', 'CLIENT'), cpParm('AAUTHTYPE', 'DIGEST')])), rejects('APPLICATION/APPAUTH[2]/AAUTHSECRET'));
    assert.throws(() => parseW7(auth(1, [cpParm('AAUTHLEVEL', 'SERVER'), cpParm('AAUTHSECRET', 's')])), rejects('APPLICATION/APPAUTH[2]/AAUTHLEVEL'));
    assert.throws(() => parseW7(auth(0, [cpParm('AAUTHLEVEL', 'APPSRV'), cpParm('AAUTHSECRET', 's'), cpParm('AAUTHDATA', 'not base64!')])),
      rejects('APPLICATION/APPAUTH[1]/AAUTHDATA'));
    assert.throws(() => parseW7(auth(1, [cpParm('AAUTHLEVEL', 'APPSRV'), cpParm('AAUTHSECRET', 's')])), rejects('APPLICATION/APPAUTH[2]/AAUTHLEVEL'));
    const port = cpCharacteristic('APPLICATION', [...withParm('ADDR', null).children,
      cpCharacteristic('APPADDR', [cpParm('ADDR', 'https://x/'), cpCharacteristic('PORT', [cpParm('PORTNBR', '70000')])])]);
    assert.throws(() => parseW7(port), rejects('APPLICATION/APPADDR[1]/PORT[1]/PORTNBR'));
  });

  it('requires both the APPSRV and the CLIENT credentials', () => {
    const kids = example().children;
    const firstAuth = kids.find((n) => n.kind === 'characteristic');
    const appsrvOnly = cpCharacteristic('APPLICATION', kids.filter((n) => n.kind === 'parm' || n === firstAuth));
    assert.throws(() => parseW7(appsrvOnly), (e: unknown) => rejects('APPLICATION/APPAUTH')(e) && (e as Error).message.includes('CLIENT'));
  });
});

describe('validateW7', () => {
  it('lists warnings for unknown parms and valued flags without failing', () => {
    const c = cpCharacteristic('APPLICATION', [...example().children, cpParm('FOO', '1'), cpParm('INIT', 'yes')]);
    const problems = validateW7(c);
    assert.deepEqual(problems.map((p) => [p.severity, p.parm]), [['warning', 'APPLICATION/FOO'], ['warning', 'APPLICATION/INIT']]);
    assert.equal(parseW7(c).init, true);
  });

  it('lists every error, not only the first', () => {
    const c = cpCharacteristic('APPLICATION', [cpParm('APPID', 'w7'), cpParm('ROLE', 'x')]);
    const errors = validateW7(c).filter((p) => p.severity === 'error').map((p) => p.parm);
    assert.deepEqual(errors, ['APPLICATION/PROVIDER-ID', 'APPLICATION/ADDR', 'APPLICATION/ROLE', 'APPLICATION/APPAUTH', 'APPLICATION/APPAUTH']);
  });
});

describe('isW7 / findW7', () => {
  it('picks only APPLICATION characteristics whose APPID is w7', () => {
    assert.equal(isW7(example()), true);
    assert.equal(isW7(cpCharacteristic('APPLICATION', [cpParm('APPID', 'w2')])), false);
    assert.equal(findW7(decodeCpXml(WM_EXAMPLE)).length, 1);
  });
});
