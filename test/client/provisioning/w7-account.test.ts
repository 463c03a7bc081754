import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readDmAccounts } from '../../../src/client/mo/dmacc-accounts.js';
import { applyInitialNodes } from '../../../src/client/tree/tree-template.js';
import { syncmlAuthType, w7AccountNodes, w7AccountUri } from '../../../src/client/provisioning/w7-account.js';
import { bareTree, sampleW7 } from '../../helpers/cp-device.js';

const NODE = createHash('sha1').update('dm.example.com').digest('hex').toUpperCase();

describe('w7AccountNodes', () => {
  it('names the account node by the SHA-1 hex of PROVIDER-ID and grants its server the account', () => {
    assert.equal(w7AccountUri(sampleW7()), `./SyncML/DMAcc/${NODE}`);
    const [root] = w7AccountNodes(sampleW7(), { roles: 8 });
    assert.deepEqual(root, { uri: `./SyncML/DMAcc/${NODE}`, format: 'node', acl: 'Add=dm.example.com&Delete=dm.example.com&Get=dm.example.com&Replace=dm.example.com' });
  });

  it('writes the DM 1.2 layout the agent reads back as the same account', () => {
    const tree = bareTree();
    applyInitialNodes(tree, w7AccountNodes(sampleW7(), { roles: 8 }));
    const u = `./SyncML/DMAcc/${NODE}`;
    assert.equal(tree.readValue(`${u}/AppID`), 'w7');
    assert.equal(tree.readValue(`${u}/PrefConRef`), 'INTERNET');
    assert.equal(tree.readValue(`${u}/ToConRef/1/ConRef`), 'INTERNET');
    assert.equal(tree.readValue(`${u}/AppAddr/1/AddrType`), 'URI');
    assert.equal(tree.readValue(`${u}/AppAuth/CLCRED/AAuthLevel`), 'CLCRED');
    assert.equal(tree.readValue(`${u}/AppAuth/SRVCRED/AAuthName`), 'dm.example.com');
    assert.equal(tree.readFormat(`${u}/AppAuth/CLCRED/AAuthData`), 'bin');
    assert.equal(tree.readValue(`${u}/Ext/Microsoft/BackCompatRetryDisabled`), 'true');
    const [a] = readDmAccounts(tree);
    assert.ok(a);
    assert.equal(a.layout, '1.2');
    assert.equal(a.serverId, 'dm.example.com');
    assert.equal(a.addr, 'https://dm.example.com/omadm');
    assert.equal(a.client.name, 'dev-1');
    assert.equal(a.client.secret, 'client-secret');
    assert.deepEqual([...a.client.nonce], [...Buffer.from('AAECAwQFBgcICQoLDA0ODw==', 'base64')]);
    assert.equal(a.client.type, 'syncml:auth-md5');
    assert.equal(a.server.secret, 'server-secret');
    assert.equal(a.encoding, 'wbxml');
    assert.equal(a.protoVer, '1.2');
    assert.deepEqual(a.retry, { connRetryFreq: 5, initialBackOffMs: 1000, maxBackOffMs: 60000 });
    assert.equal(a.backCompatRetryDisabled, true);
    assert.equal(a.roles, 8);
  });

  it('writes the DM 1.1.2 layout the agent reads back as the same account', () => {
    const tree = bareTree();
    const app = sampleW7({ addresses: [{ addr: 'http://dm.example.com/omadm', addrType: 'URI', ports: [{ portNbr: 8080, services: [] }] }] });
    applyInitialNodes(tree, w7AccountNodes(app, { roles: 8, layout: '1.1' }));
    const [a] = readDmAccounts(tree);
    assert.ok(a);
    assert.equal(a.layout, '1.1');
    assert.equal(a.serverId, 'dm.example.com');
    assert.equal(a.addr, 'http://dm.example.com:8080/omadm');
    assert.equal(a.authPref, 'syncml:auth-md5');
    assert.equal(a.client.name, 'dev-1');
    assert.equal(a.server.secret, 'server-secret');
    assert.deepEqual([...a.server.nonce], [...Buffer.from('EBESExQVFhcYGRobHB0eHw==', 'base64')]);
    assert.equal(tree.readValue(`./SyncML/DMAcc/${NODE}/ConRef`), 'INTERNET');
  });
});

describe('syncmlAuthType', () => {
  it('maps BASIC and DIGEST to the SyncML auth types', () => {
    assert.equal(syncmlAuthType('BASIC'), 'syncml:auth-basic');
    assert.equal(syncmlAuthType('DIGEST'), 'syncml:auth-md5');
    assert.equal(syncmlAuthType('HMAC'), 'syncml:auth-MAC');
    assert.equal(syncmlAuthType(undefined), undefined);
  });
});
