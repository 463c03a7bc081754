import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuthType, MediaType } from '../../../src/core/constants/meta-types.js';
import { Status } from '../../../src/core/constants/status.js';
import { accountNodeName, createDmAccPlugin } from '../../../src/client/mo/dmacc.js';
import { dmAccountNodes, readDmAccounts, toSyncMLAuthType, updateAccountNonce } from '../../../src/client/mo/dmacc-accounts.js';
import { TreeTemplate } from '../../../src/client/tree/tree-template.js';
import type { InitialNode } from '../../../src/client/tree/tree-template.js';

const server = { serverId: 'srv', roles: 8 };

function tree(options: { nodes?: InitialNode[]; accessMode?: 'acl' | 'roles'; onInit?: (uri: string) => void } = {}): ReturnType<TreeTemplate['instantiate']> {
  return TreeTemplate.build({
    plugins: [
      createDmAccPlugin(options.onInit ? { onInitiateSession: (_ctx, uri) => options.onInit?.(uri) } : {}),
      createDmAccPlugin({ mount: './DMAcc' }),
    ],
    accessMode: options.accessMode ?? 'acl',
    rootAcl: 'Add=*&Delete=*&Exec=*&Get=*&Replace=*',
    nodes: options.nodes ?? [],
  }).instantiate();
}

const v12 = dmAccountNodes({
  id: 'acc12', serverId: 'srv', name: 'Server', addr: 'https://dm.example.com:8443/dm', authPref: 'DIGEST',
  clientName: 'dev1', clientSecret: 'cpw', clientNonce: new Uint8Array([1, 2]), serverSecret: 'spw', serverNonce: new Uint8Array([3]),
  roles: 12, protoVer: '1.2', encoding: 'wbxml', retry: { connRetryFreq: 6, initialBackOffMs: 30000, maxBackOffMs: 120000 },
  useNonceResync: true,
});
const v11 = dmAccountNodes({
  id: 'acc11', layout: '1.1', serverId: 'old', addr: 'http://dm.example.com/dm', authPref: 'syncml:auth-basic',
  clientName: 'dev1', clientSecret: 'c11', serverSecret: 's11', serverNonce: new Uint8Array([9, 9]),
});

describe('DMAcc management object', () => {
  it('reads a DM 1.2 account (AppAddr, AppAuth, Ext/Microsoft) into the normalized form', () => {
    const [a] = readDmAccounts(tree({ nodes: v12 }));
    assert.ok(a);
    assert.equal(a.layout, '1.2');
    assert.equal(a.uri, './SyncML/DMAcc/acc12');
    assert.equal(a.addr, 'https://dm.example.com:8443/dm');
    assert.equal(a.authPref, AuthType.MD5);
    assert.deepEqual(a.client, { name: 'dev1', secret: 'cpw', nonce: new Uint8Array([1, 2]), type: AuthType.MD5 });
    assert.deepEqual(a.server, { name: 'srv', secret: 'spw', nonce: new Uint8Array([3]), type: AuthType.MD5 });
    assert.equal(a.roles, 12);
    assert.equal(a.protoVer, '1.2');
    assert.equal(a.encoding, 'wbxml');
    assert.deepEqual(a.retry, { connRetryFreq: 6, initialBackOffMs: 30000, maxBackOffMs: 120000 });
    assert.equal(a.useNonceResync, true);
    assert.equal(a.backCompatRetryDisabled, false);
  });

  it('reads a DM 1.1.2 account (Addr, PortNbr, ClientPW, nonces in base64) with the WM defaults', () => {
    const t = tree({ nodes: [...v11, { uri: './SyncML/DMAcc/acc11/PortNbr', value: '8080' }] });
    const [a] = readDmAccounts(t);
    assert.ok(a);
    assert.equal(a.layout, '1.1');
    assert.equal(a.serverId, 'old');
    assert.equal(a.addr, 'http://dm.example.com:8080/dm');
    assert.equal(a.authPref, AuthType.BASIC);
    assert.deepEqual(a.server.nonce, new Uint8Array([9, 9]));
    assert.equal(a.client.secret, 'c11');
    assert.deepEqual(a.retry, { connRetryFreq: 3, initialBackOffMs: 16000, maxBackOffMs: 86_400_000 });
    assert.equal(a.roles, 8);
    assert.equal(a.encoding, 'xml');
  });

  it('finds accounts under ./SyncML/DMAcc and ./DMAcc', () => {
    const t = tree({ nodes: [...v12, ...dmAccountNodes({ id: 'x', serverId: 'b', addr: 'http://b', clientName: 'c', clientSecret: 'c', serverSecret: 's' }, './DMAcc')] });
    assert.deepEqual(readDmAccounts(t).map((a) => a.uri), ['./SyncML/DMAcc/acc12', './DMAcc/x']);
  });

  it('stores a new client nonce as AAuthData bytes (1.2) and a new server nonce as base64 text (1.1.2)', () => {
    const t = tree({ nodes: [...v12, ...v11] });
    updateAccountNonce(t, 'acc12', 'client', new Uint8Array([7, 7, 7]));
    updateAccountNonce(t, './SyncML/DMAcc/acc11', 'server', new Uint8Array([1, 2, 3, 4]));
    const [a12, a11] = readDmAccounts(t);
    assert.deepEqual(a12?.client.nonce, new Uint8Array([7, 7, 7]));
    assert.equal(t.readFormat('./SyncML/DMAcc/acc12/AppAuth/CLCRED/AAuthData'), 'bin');
    assert.deepEqual(a11?.server.nonce, new Uint8Array([1, 2, 3, 4]));
    assert.equal(t.readValue('./SyncML/DMAcc/acc11/ServerNonce'), 'AQIDBA==');
  });

  it('creates the AppAuth entry when an account has none for that level', () => {
    const t = tree({ nodes: [{ uri: './SyncML/DMAcc/a/ServerID', value: 'x' }, { uri: './SyncML/DMAcc/a/AppID', value: 'w7' }] });
    updateAccountNonce(t, 'a', 'server', new Uint8Array([5]));
    assert.deepEqual(readDmAccounts(t)[0]?.server.nonce, new Uint8Array([5]));
  });

  it('lets a server bootstrap an account with Adds and keeps secrets write-only', () => {
    const t = tree();
    const add = (uri: string, data: string, format?: string): number =>
      t.add({ uri: `./SyncML/DMAcc/new/${uri}`, data, ...(format ? { meta: { format } } : {}) }, server).status;
    assert.equal(add('ServerID', 'srv'), Status.OK);
    assert.equal(add('AppAddr/1/Addr', 'https://x/dm'), Status.OK);
    assert.equal(add('AppAuth/1/AAuthLevel', 'CLCRED'), Status.OK);
    assert.equal(add('AppAuth/1/AAuthSecret', 'pw'), Status.OK);
    assert.equal(add('AppAuth/1/AAuthData', 'AAEC', 'b64'), Status.OK);
    assert.equal(t.get('./SyncML/DMAcc/new/AppAuth/1/AAuthSecret', server).status, Status.COMMAND_NOT_ALLOWED);
    assert.deepEqual(readDmAccounts(t)[0]?.client.nonce, new Uint8Array([0, 1, 2]));
  });

  it('refuses AAuthLevel and AAuthType values outside the DMAcc vocabulary with 400', () => {
    const t = tree({ nodes: v12 });
    assert.equal(t.replace({ uri: './SyncML/DMAcc/acc12/AppAuth/CLCRED/AAuthLevel', data: 'ANY' }, server).status, Status.BAD_REQUEST);
    assert.equal(t.replace({ uri: './SyncML/DMAcc/acc12/AppAuth/CLCRED/AAuthType', data: 'ROT13' }, server).status, Status.BAD_REQUEST);
    assert.equal(t.replace({ uri: './SyncML/DMAcc/acc12/AppAuth/CLCRED/AAuthType', data: 'HMAC' }, server).status, Status.OK);
  });

  it('checks Ext/Microsoft/Role: allowed bits only, and in role mode no more than the session holds', () => {
    const t = tree({ nodes: v12, accessMode: 'roles' });
    const role = (data: string, roles = 8): number =>
      t.replace({ uri: './SyncML/DMAcc/acc12/Ext/Microsoft/Role', data }, { serverId: 'srv', roles }).status;
    assert.equal(role('1'), Status.BAD_REQUEST);
    assert.equal(role('12'), Status.PERMISSION_DENIED);
    assert.equal(role('8'), Status.OK);
    assert.equal(role('12', 12), Status.OK);
  });

  it('scrubs the ServerID of a deleted account from every ACL', () => {
    const t = tree({ nodes: [...v12, { uri: './SyncML/DMAcc/other/ServerID', value: 'b', acl: 'Get=srv+b&Replace=b' }] });
    assert.equal(t.delete('./SyncML/DMAcc/acc12', server).status, Status.OK);
    assert.equal(t.get('./SyncML/DMAcc/other/ServerID?prop=ACL', { serverId: 'b', roles: 0 }).items?.[0]?.data, 'Get=b&Replace=b');
  });

  it('calls onInitiateSession when a server adds Ext/Microsoft/InitiateSession', () => {
    const seen: string[] = [];
    const t = tree({ nodes: v12, onInit: (uri) => seen.push(uri) });
    assert.equal(t.add({ uri: './SyncML/DMAcc/acc12/Ext/Microsoft/InitiateSession', data: '' }, server).status, Status.OK);
    assert.deepEqual(seen, ['./SyncML/DMAcc/acc12']);
  });

  it('names accounts after the SHA-1 of the server id and maps auth names to SyncML types', () => {
    assert.match(accountNodeName('srv'), /^[0-9A-F]{40}$/);
    assert.equal(dmAccountNodes({ serverId: 'srv', addr: 'a', clientName: 'c', clientSecret: 'c', serverSecret: 's' })[0]?.uri,
      `./SyncML/DMAcc/${accountNodeName('srv')}`);
    assert.equal(toSyncMLAuthType('HTTP-DIGEST'), AuthType.MD5);
    assert.equal(toSyncMLAuthType('HMAC'), AuthType.HMAC);
    assert.equal(toSyncMLAuthType('syncml:auth-basic'), AuthType.BASIC);
    assert.equal(MediaType.DM_WBXML, 'application/vnd.syncml.dm+wbxml');
  });
});
