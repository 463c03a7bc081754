import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBasicCredential } from '../../../src/core/auth/basic.js';
import { computeHmacMd5, formatHmacHeader, parseHmacHeader, verifyHmacMd5 } from '../../../src/core/auth/hmac-md5.js';
import { computeMd5Digest, md5Secret } from '../../../src/core/auth/md5-digest.js';
import { RESYNC_NONCE, decodeNonce, encodeNonce } from '../../../src/core/auth/nonce.js';
import { encodeMessage } from '../../../src/core/codec/message-codec.js';
import type { Command, StatusCommand } from '../../../src/core/syncml/message.js';
import type { NonceKind, SessionAccount } from '../../../src/client/session/session-types.js';
import { DEVINFO, MemoryTree } from '../../helpers/memory-tree.js';
import { OPEN_ACCOUNT, drive, serverHdrStatus, serverMessage, statusTuples } from '../../helpers/session-driver.js';

const NONCE = encodeNonce(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]));
const NEXT = encodeNonce(new Uint8Array(16).fill(7));
const client = { username: 'dev1', password: 'secret1' };
const server = { username: 'acme-dm', password: 'srvpw' };
const md5Chal = (code: number, nonce = NEXT): StatusCommand => serverHdrStatus(code, 1, { chal: { meta: { type: 'syncml:auth-md5', format: 'b64', nextNonce: nonce } } });
const getMod: Command = { kind: 'Get', cmdId: 2, items: [{ target: { locUri: './DevInfo/Mod' } }] };

function account(over: Partial<SessionAccount>): SessionAccount {
  return { ...OPEN_ACCOUNT, ...over };
}

function nonceLog(): { log: Array<[NonceKind, string]>; onNonce: (k: NonceKind, n: string) => void } {
  const log: Array<[NonceKind, string]> = [];
  return { log, onNonce: (k, n) => log.push([k, n]) };
}

describe('DmClientSession client authentication', () => {
  it('sends a Basic Cred and the user name as Source LocName in Package 1', () => {
    const d = drive({ account: account({ clientAuth: 'basic', clientCredentials: client }) });
    const h = d.package1.message.header;
    assert.equal(h.cred?.meta?.type, 'syncml:auth-basic');
    assert.equal(h.cred?.meta?.format, 'b64');
    assert.equal(h.cred?.data, encodeBasicCredential('dev1', 'secret1'));
    assert.equal(h.source.locName, 'dev1');
  });

  it('sends an MD5 Cred computed with the stored client nonce', () => {
    const d = drive({ account: account({ clientAuth: 'md5', clientCredentials: { ...client, nonce: NONCE } }) });
    assert.equal(d.package1.message.header.cred?.data, computeMd5Digest({ username: 'dev1', password: 'secret1', nonce: decodeNonce(NONCE) }));
  });

  it('answers a 407 challenge by reverting to Package 1 with the next MsgID and the new nonce', async () => {
    const { log, onNonce } = nonceLog();
    const d = drive({ account: account({ clientAuth: 'md5', clientCredentials: client }), onNonce });
    assert.equal(d.package1.message.header.cred, undefined, 'no nonce yet: no Cred');
    const out = await d.send(serverMessage([md5Chal(407), { kind: 'Status', cmdId: 2, msgRef: 1, cmdRef: 1, cmd: 'Alert', data: 407 }]));
    assert.equal(out?.header.msgId, 2);
    assert.equal(out?.header.sessionId, d.package1.message.header.sessionId);
    assert.equal(out?.header.cred?.data, computeMd5Digest({ username: 'dev1', password: 'secret1', nonce: decodeNonce(NEXT) }));
    assert.equal(out?.header.source.locName, 'dev1');
    assert.deepEqual(out?.body.commands.map((c) => c.kind), ['Status', 'Alert', 'Replace']);
    assert.deepEqual(statusTuples(out), [['SyncHdr', 0, 200]]);
    assert.deepEqual(log, [['client', NEXT]]);
  });

  it('switches to the credential type a 401 challenge asks for', async () => {
    const d = drive({ account: account({ clientAuth: 'md5', clientCredentials: { ...client, nonce: NONCE } }) });
    const out = await d.send(serverMessage([serverHdrStatus(401, 1, { chal: { meta: { type: 'syncml:auth-basic', format: 'b64' } } })]));
    assert.equal(out?.header.cred?.meta?.type, 'syncml:auth-basic');
  });

  it('stops sending Cred after 212 and keeps sending it after 200 with a new nonce', async () => {
    const a = drive({ account: account({ clientAuth: 'md5', clientCredentials: { ...client, nonce: NONCE } }) });
    const after212 = await a.send(serverMessage([md5Chal(212), getMod]));
    assert.equal(after212?.header.cred, undefined);
    const b = drive({ account: account({ clientAuth: 'md5', clientCredentials: { ...client, nonce: NONCE } }) });
    const after200 = await b.send(serverMessage([md5Chal(200), getMod]));
    assert.equal(after200?.header.cred?.data, computeMd5Digest({ username: 'dev1', password: 'secret1', nonce: decodeNonce(NEXT) }));
  });

  it('gives up when the same challenge comes back after it was answered', async () => {
    const d = drive({ account: account({ clientAuth: 'md5', clientCredentials: client }) });
    assert.ok(await d.send(serverMessage([md5Chal(401)])));
    const out = await d.send(serverMessage([md5Chal(401)], { msgId: 2 }));
    assert.equal(out, undefined);
    assert.equal(d.session.outcome?.end, 'auth-failed');
    assert.match(d.session.outcome?.reason ?? '', /refused the client credentials/);
  });

  it('signs every message with x-syncml-hmac over the exact body bytes', async () => {
    const d = drive({ account: account({ clientAuth: 'hmac', clientCredentials: { ...client, nonce: NONCE } }) });
    const first = d.package1;
    const header = first.headers['x-syncml-hmac'];
    assert.ok(header !== undefined);
    assert.equal(parseHmacHeader(header).username, 'dev1');
    assert.ok(verifyHmacMd5({ header, secret: md5Secret('dev1', 'secret1'), nonce: decodeNonce(NONCE), body: first.body }));
    await d.send(serverMessage([serverHdrStatus(200, 1, { chal: { meta: { type: 'syncml:auth-MAC', format: 'b64', nextNonce: NEXT } } }), getMod]));
    const second = d.last();
    assert.ok(second !== undefined);
    assert.ok(verifyHmacMd5({ header: second.headers['x-syncml-hmac'] ?? '', secret: md5Secret('dev1', 'secret1'), nonce: decodeNonce(NEXT), body: second.body }));
    assert.equal(second.message.header.cred, undefined);
  });
});

describe('DmClientSession server authentication', () => {
  const serverAccount = account({ serverAuth: 'md5', serverCredentials: { ...server, nonce: NONCE } });
  const goodCred = { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: computeMd5Digest({ username: 'acme-dm', password: 'srvpw', nonce: decodeNonce(NONCE) }) };

  it('accepts a valid MD5 server Cred with 212 and a Chal carrying a fresh 16-byte server nonce', async () => {
    const { log, onNonce } = nonceLog();
    const d = drive({ account: serverAccount, onNonce });
    const out = await d.send(serverMessage([serverHdrStatus(212), getMod], { cred: goodCred }));
    const hdr = out?.body.commands[0] as StatusCommand;
    assert.equal(hdr.data, 212);
    assert.equal(hdr.chal?.meta.type, 'syncml:auth-md5');
    assert.equal(hdr.chal?.meta.format, 'b64');
    const issued = hdr.chal?.meta.nextNonce ?? '';
    assert.equal(decodeNonce(issued).byteLength, 16);
    assert.notEqual(issued, NONCE);
    assert.deepEqual(log, [['server', issued]]);
    assert.deepEqual(statusTuples(out).at(-1), ['Get', 2, 200]);
  });

  it('does not store a server nonce whose Chal was never sent (the session ended first)', async () => {
    const { log, onNonce } = nonceLog();
    const d = drive({ account: serverAccount, onNonce });
    assert.equal(await d.send(serverMessage([serverHdrStatus(212), { kind: 'Status', cmdId: 2, msgRef: 1, cmdRef: 1, cmd: 'Alert', data: 200 }], { cred: goodCred })), undefined);
    assert.equal(d.session.outcome?.end, 'completed');
    assert.deepEqual(log, [], 'the server never saw the new nonce, so the old one stays');
  });

  it('accepts an MD5 server Cred where Basic is configured, never Basic where MD5 is', async () => {
    const basicAccount = account({ serverAuth: 'basic', serverCredentials: server });
    const a = drive({ account: basicAccount });
    const md5Cred = { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: computeMd5Digest({ username: 'acme-dm', password: 'srvpw', nonce: new Uint8Array(0) }) };
    assert.equal(statusTuples(await a.send(serverMessage([serverHdrStatus(212), getMod], { cred: md5Cred })))[0]?.[2], 212);
    const b = drive({ account: serverAccount });
    const basicCred = { meta: { type: 'syncml:auth-basic', format: 'b64' }, data: encodeBasicCredential('acme-dm', 'srvpw') };
    assert.equal(statusTuples(await b.send(serverMessage([serverHdrStatus(212), getMod], { cred: basicCred })))[0]?.[2], 401);
  });

  it('executes nothing when the server sends no Cred: 407 + Chal on the SyncHdr and 407 for each command', async () => {
    const tree = new MemoryTree({ leaves: DEVINFO });
    const d = drive({ account: serverAccount, tree });
    const out = await d.send(serverMessage([serverHdrStatus(200), { kind: 'Delete', cmdId: 2, items: [{ target: { locUri: './DevInfo/Man' } }] }]));
    assert.deepEqual(statusTuples(out), [['SyncHdr', 0, 407], ['Delete', 2, 407]]);
    assert.ok((out?.body.commands[0] as StatusCommand).chal?.meta.nextNonce);
    assert.equal(tree.readValue('./DevInfo/Man'), 'Acme');
    assert.ok(!tree.calls.some((c) => c.startsWith('Delete')));
  });

  it('answers a wrong Cred with 401 and gives up after repeated failures', async () => {
    const d = drive({ account: serverAccount });
    const bad = { ...goodCred, data: 'AAAAAAAAAAAAAAAAAAAAAA==' };
    const first = await d.send(serverMessage([serverHdrStatus(200), getMod], { cred: bad }));
    assert.deepEqual(statusTuples(first)[0], ['SyncHdr', 0, 401]);
    assert.ok(await d.send(serverMessage([getMod], { msgId: 2, cred: bad })));
    assert.equal(await d.send(serverMessage([getMod], { msgId: 3, cred: bad })), undefined);
    assert.equal(d.session.outcome?.end, 'server-auth-failed');
  });

  it('accepts the server Cred computed with the nonce it challenged with', async () => {
    const d = drive({ account: serverAccount });
    const out = await d.send(serverMessage([serverHdrStatus(200), getMod]));
    const nonce = decodeNonce((out?.body.commands[0] as StatusCommand).chal?.meta.nextNonce ?? '');
    const retry = await d.send(serverMessage([getMod], { msgId: 2, cred: { ...goodCred, data: computeMd5Digest({ username: 'acme-dm', password: 'srvpw', nonce }) } }));
    assert.deepEqual(statusTuples(retry), [['SyncHdr', 0, 212], ['Get', 2, 200]]);
  });

  it('sends nothing back to an unauthenticated server message that holds no commands', async () => {
    const d = drive({ account: serverAccount });
    assert.equal(await d.send(serverMessage([serverHdrStatus(200)])), undefined);
    assert.equal(d.session.outcome?.end, 'server-auth-failed');
  });

  it('after a Package 0 nonce resync, builds client credentials with the resync nonce and accepts server ones made with it', async () => {
    const d = drive({
      account: account({ clientAuth: 'md5', clientCredentials: { ...client, nonce: NONCE }, serverAuth: 'md5', serverCredentials: { ...server, nonce: NONCE } }),
      trigger: { sessionId: 5, nonceResync: true },
    });
    assert.equal(d.package1.message.header.cred?.data, computeMd5Digest({ username: 'dev1', password: 'secret1', nonce: RESYNC_NONCE }));
    const cred = { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: computeMd5Digest({ username: 'acme-dm', password: 'srvpw', nonce: RESYNC_NONCE }) };
    const out = await d.send(serverMessage([serverHdrStatus(212), getMod], { cred, sessionId: '5' }));
    assert.equal((out?.body.commands[0] as StatusCommand).data, 212);
  });

  it('verifies an HMAC-signed server message on every message', async () => {
    const d = drive({ account: account({ serverAuth: 'hmac', serverCredentials: { ...server, nonce: NONCE } }) });
    const msg = serverMessage([serverHdrStatus(200), getMod]);
    const body = encodeMessage(msg, 'xml');
    const mac = computeHmacMd5({ username: 'acme-dm', password: 'srvpw', nonce: decodeNonce(NONCE), body });
    const out = await d.session.receive({ body, hmac: formatHmacHeader({ username: 'acme-dm', mac }) });
    assert.ok(out !== undefined);
    const hdr = out.message.body.commands[0] as StatusCommand;
    assert.equal(hdr.data, 200);
    const next = hdr.chal?.meta.nextNonce ?? '';
    // The next message must be signed with the nonce just issued; the old one no longer works.
    const msg2 = serverMessage([getMod], { msgId: 2 });
    const body2 = encodeMessage(msg2, 'xml');
    const stale = await d.session.receive({ body: body2, hmac: formatHmacHeader({ username: 'acme-dm', mac: computeHmacMd5({ username: 'acme-dm', password: 'srvpw', nonce: decodeNonce(NONCE), body: body2 }) }) });
    assert.equal((stale?.message.body.commands[0] as StatusCommand).data, 401);
    assert.ok(next !== '');
  });
});
