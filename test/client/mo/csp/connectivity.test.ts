import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Status } from '../../../../src/core/constants/status.js';
import { createNapPlugin, createProxyPlugin, readConnectivity } from '../../../../src/client/mo/csp/connectivity.js';
import { TreeTemplate } from '../../../../src/client/tree/tree-template.js';

const caller = { serverId: 's', roles: 8 };
const tree = (): ReturnType<TreeTemplate['instantiate']> => TreeTemplate.build({
  plugins: [createNapPlugin(), createProxyPlugin()], rootAcl: 'Add=*&Delete=*&Exec=*&Get=*&Replace=*',
}).instantiate();

describe('NAP and Proxy connectivity CSPs', () => {
  it('lets a server configure an access point and a proxy that uses it', () => {
    const t = tree();
    const add = (uri: string, data: string): number => t.add({ uri, data }, caller).status;
    assert.equal(add('./Vendor/MSFT/NAP/GPRS1/NAPID', 'INTERNET'), Status.OK);
    assert.equal(add('./Vendor/MSFT/NAP/GPRS1/NAME', 'Operator Internet'), Status.OK);
    assert.equal(add('./Vendor/MSFT/NAP/GPRS1/NAPADDRESS', 'internet.operator.example'), Status.OK);
    assert.equal(add('./Vendor/MSFT/NAP/GPRS1/NAPADDRTYPE', 'APN'), Status.OK);
    assert.equal(add('./Vendor/MSFT/NAP/GPRS1/AUTHTYPE', 'CHAP'), Status.OK);
    assert.equal(add('./Vendor/MSFT/NAP/GPRS1/AUTHSECRET', 'pw'), Status.OK);
    assert.equal(add('./Vendor/MSFT/Proxy/P1/ADDR', '10.0.0.1'), Status.OK);
    assert.equal(add('./Vendor/MSFT/Proxy/P1/PORT', '8080'), Status.OK);
    assert.equal(add('./Vendor/MSFT/Proxy/P1/TO-NAPID', 'INTERNET'), Status.OK);
    const { naps, proxies } = readConnectivity(t);
    assert.equal(naps[0]?.address, 'internet.operator.example');
    assert.equal(proxies[0]?.port, 8080);
    assert.equal(proxies[0]?.nap?.id, 'GPRS1');
    assert.equal(t.get('./Vendor/MSFT/NAP/GPRS1/AUTHSECRET', caller).status, Status.COMMAND_NOT_ALLOWED);
  });

  it('refuses values outside the Client Provisioning vocabularies with 400', () => {
    const t = tree();
    assert.equal(t.add({ uri: './Vendor/MSFT/NAP/n/NAPADDRTYPE', data: 'PIGEON' }, caller).status, Status.BAD_REQUEST);
    assert.equal(t.add({ uri: './Vendor/MSFT/NAP/n/AUTHTYPE', data: 'NONE' }, caller).status, Status.BAD_REQUEST);
    assert.equal(t.add({ uri: './Vendor/MSFT/Proxy/p/PORT', data: '70000' }, caller).status, Status.BAD_REQUEST);
    assert.equal(t.add({ uri: './Vendor/MSFT/Proxy/p/ADDRTYPE', data: 'ipv4' }, caller).status, Status.OK);
  });

  it('reports a proxy whose TO-NAPID names no access point', () => {
    const t = tree();
    t.add({ uri: './Vendor/MSFT/Proxy/p/TO-NAPID', data: 'MISSING' }, caller);
    assert.equal(readConnectivity(t).proxies[0]?.nap, undefined);
  });
});
