import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { encodeMessage } from '../../../src/core/codec/message-codec.js';
import { encodeNonce } from '../../../src/core/auth/nonce.js';
import type { StatusCommand, SyncMLMessage } from '../../../src/core/syncml/message.js';
import { deviceId } from '../../../src/server/store/store.js';
import { TestDevice } from '../../helpers/dm-test-device.js';
import { addDevice, startTestServer, type TestServer } from '../../helpers/test-server.js';

const tlsDir = new URL('../../fixtures/tls/', import.meta.url);

function hdrStatus(m: SyncMLMessage | undefined): StatusCommand | undefined {
  return m?.body.commands.find((c): c is StatusCommand => c.kind === 'Status' && c.cmdRef === 0);
}

async function withServer(fn: (t: TestServer) => Promise<void>, config: Parameters<typeof startTestServer>[0] = {}): Promise<void> {
  const t = await startTestServer(config);
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

function device(t: TestServer, id: string, auth: 'md5' | 'hmac' | 'basic' | 'none', extra: Partial<ConstructorParameters<typeof TestDevice>[0]> = {}): TestDevice {
  return new TestDevice({ url: t.dmUrl, devId: id, auth, password: 'device-secret', serverId: 'omadm', serverPassword: 'server-secret', ...extra });
}

describe('session authentication', () => {
  it('challenges an MD5 device without a nonce with 401 and a 16-byte NextNonce, then accepts it with 212', () => withServer(async (t) => {
    await addDevice(t.server, { id: 'md5-1' });
    const dev = device(t, 'md5-1', 'md5');
    dev.newSession();
    const first = await dev.send(dev.package1());
    const st = hdrStatus(first.reply);
    assert.equal(st?.data, 401);
    assert.equal(st?.chal?.meta.type, 'syncml:auth-md5');
    assert.equal(st?.chal?.meta.format, 'b64');
    assert.equal(Buffer.from(st?.chal?.meta.nextNonce ?? '', 'base64').byteLength, 16);
    // A message reporting an authentication failure carries only Status commands.
    assert.ok(first.reply?.body.commands.every((c) => c.kind === 'Status'));
    assert.ok(first.reply?.header.respUri?.includes('/dm/n1/'));
    const second = await dev.send(dev.package1());
    assert.equal(hdrStatus(second.reply)?.data, 212);
    assert.ok(hdrStatus(second.reply)?.chal?.meta.nextNonce, 'a NextNonce for the next session');
    const events = await t.server.events.list({ deviceId: deviceId('md5-1'), type: 'auth.failure' });
    assert.equal(events.items.length, 1);
  }));

  it('authenticates itself with an MD5 server Cred and LocName in every reply until the device answers 212, and stores the device nonce', () => withServer(async (t) => {
    await addDevice(t.server, { id: 'md5-2' });
    await t.server.queue.enqueue(deviceId('md5-2'), { kind: 'Get', uris: ['./DevInfo/Man'] });
    await t.server.queue.enqueue(deviceId('md5-2'), { kind: 'Get', uris: ['./DevInfo/Mod'] });
    const dev = device(t, 'md5-2', 'md5', { maxMsgSize: 2500 });
    dev.tree.set('./DevInfo/Man', { data: 'Acme' });
    dev.tree.set('./DevInfo/Mod', { data: 'R1' });
    const replies = await dev.runSession();
    assert.ok(replies.some((r) => r.body.commands.some((c) => c.kind === 'Get')));
    const accepted = replies.findIndex((r) => hdrStatus(r)?.data === 212);
    // Every reply up to the device's 212 for the server (its answer to the first accepted reply),
    // failed attempts included, carries the server Cred with the server id as LocName.
    for (const r of replies.slice(0, accepted + 1)) {
      assert.ok(r.header.cred, `reply ${r.header.msgId} has a server Cred`);
      assert.equal(r.header.source.locName, 'omadm');
    }
    assert.equal(replies.at(-1)?.header.cred, undefined, 'no Cred once the device answered 212');
    assert.ok(dev.serverCredChecks.length > 0 && dev.serverCredChecks.every(Boolean), 'every server Cred verified');
    const ctx = await t.server.registry.getAuthContext(deviceId('md5-2'));
    assert.equal(encodeNonce(ctx?.serverNonce ?? new Uint8Array()), encodeNonce(dev.serverNonce ?? new Uint8Array()));
    // Next session: the device uses the NextNonce from the 212 and is accepted without a challenge.
    const next = await dev.runSession();
    assert.equal(hdrStatus(next[0])?.data, 212);
    assert.ok(dev.serverCredChecks.every(Boolean), 'server Cred uses the nonce the device issued last');
  }));

  it('answers 407 with a challenge when credentials are missing', () => withServer(async (t) => {
    await addDevice(t.server, { id: 'md5-3' });
    const dev = device(t, 'md5-3', 'md5');
    dev.newSession();
    const r = await dev.send(dev.package1({ cred: false }));
    assert.equal(hdrStatus(r.reply)?.data, 407);
    assert.equal(hdrStatus(r.reply)?.chal?.meta.type, 'syncml:auth-md5');
    assert.deepEqual(r.reply?.body.commands.map((c) => (c as StatusCommand).data), [407, 407, 407]);
  }));

  it('refuses a replayed credential with 401 and one new challenge, and logs it', () => withServer(async (t) => {
    await addDevice(t.server, { id: 'md5-4' });
    const dev = device(t, 'md5-4', 'md5');
    await dev.runSession();
    // Capture a valid Package 1 (nonce N), use it, then put N back as if rotation had failed.
    const nonce = dev.clientNonce ?? new Uint8Array();
    dev.newSession();
    const pkg1 = dev.package1();
    const bytes = encodeMessage(pkg1, 'xml');
    assert.equal(hdrStatus((await dev.sendBytes(bytes, pkg1)).reply)?.data, 212);
    await t.server.store.devices.setClientNonce(deviceId('md5-4'), nonce, Date.now());
    const attacker = device(t, 'md5-4', 'md5');
    attacker.sessionId = 99;
    const replay = await attacker.sendBytes(bytes, pkg1);
    assert.equal(hdrStatus(replay.reply)?.data, 401);
    assert.ok(hdrStatus(replay.reply)?.chal?.meta.nextNonce);
    const failures = await t.server.events.list({ deviceId: deviceId('md5-4'), type: 'auth.failure' });
    assert.ok(failures.items.some((e) => e.type === 'auth.failure' && e.reason === 'replayed'));
  }));

  it('gives up after the configured number of failed attempts with a 401 and no challenge', () => withServer(async (t) => {
    await addDevice(t.server, { id: 'md5-5' });
    const dev = device(t, 'md5-5', 'md5', { password: 'wrong' });
    const replies = await dev.runSession();
    assert.equal(replies.length, 3);
    assert.equal(hdrStatus(replies[2])?.chal, undefined);
  }));

  it('runs HMAC sessions: x-syncml-hmac verified over the body, a NextNonce every message, signed replies', () => withServer(async (t) => {
    await addDevice(t.server, { id: 'hmac-1', authType: 'hmac' });
    const job = await t.server.queue.enqueue(deviceId('hmac-1'), { kind: 'Replace', items: [{ uri: './X', data: 'v' }] });
    const dev = device(t, 'hmac-1', 'hmac');
    const replies = await dev.runSession();
    assert.equal(hdrStatus(replies[0])?.data, 401, 'no nonce yet: challenged');
    assert.equal(hdrStatus(replies[0])?.chal?.meta.type, 'syncml:auth-MAC');
    const ok = replies.slice(1);
    assert.ok(ok.length >= 2);
    for (const r of ok) {
      assert.equal(hdrStatus(r)?.data, 200);
      assert.ok(hdrStatus(r)?.chal?.meta.nextNonce);
    }
    assert.ok(dev.serverCredChecks.length >= 2 && dev.serverCredChecks.every(Boolean), 'server MAC and Cred verified');
    assert.equal((await t.server.queue.get(job.id))?.state, 'done');
  }));

  it('refuses an HMAC message whose body was altered after signing', () => withServer(async (t) => {
    await addDevice(t.server, { id: 'hmac-2', authType: 'hmac' });
    const dev = device(t, 'hmac-2', 'hmac');
    await dev.runSession();
    dev.newSession();
    const msg = dev.package1();
    const res = await dev.send(msg, { 'x-syncml-hmac': 'algorithm=MD5, username="hmac-2", mac=AAAAAAAAAAAAAAAAAAAAAA==' });
    assert.equal(hdrStatus(res.reply)?.data, 401);
  }));

  it('refuses Basic over plain HTTP', () => withServer(async (t) => {
    await addDevice(t.server, { id: 'basic-1', authType: 'basic' });
    const replies = await device(t, 'basic-1', 'basic').runSession();
    assert.equal(hdrStatus(replies[0])?.data, 401);
  }));

  it('accepts Basic over plain HTTP when the configuration allows it', () => withServer(async (t) => {
    await addDevice(t.server, { id: 'basic-2', authType: 'basic' });
    const replies = await device(t, 'basic-2', 'basic').runSession();
    assert.equal(hdrStatus(replies[0])?.data, 212);
  }, { auth: { allowBasicWithoutTls: true } }));

  it('accepts Basic over HTTPS with the server certificate', () => withServer(async (t) => {
    assert.ok(t.url.startsWith('https://'));
    await addDevice(t.server, { id: 'basic-3', authType: 'basic' });
    const dev = device(t, 'basic-3', 'basic', { ca: readFileSync(new URL('ca.pem', tlsDir)) });
    const replies = await dev.runSession();
    assert.equal(hdrStatus(replies[0])?.data, 212);
  }, { tls: { certFile: new URL('server.pem', tlsDir).pathname, keyFile: new URL('server-key.pem', tlsDir).pathname } }));

  it('answers an unknown device with 403 under the reject policy', () => withServer(async (t) => {
    const replies = await device(t, 'stranger', 'md5').runSession();
    assert.equal(hdrStatus(replies[0])?.data, 403);
    assert.equal(hdrStatus(replies[0])?.chal, undefined);
    assert.equal(await t.server.registry.get(deviceId('stranger')), undefined);
  }));

  it('auto-registers an unknown device whose MD5 credential uses the bootstrap secret', () => withServer(async (t) => {
    const dev = device(t, 'newbie', 'md5', { password: 'boot' });
    const replies = await dev.runSession();
    assert.equal(hdrStatus(replies[0])?.data, 401, 'no nonce issued yet: challenged');
    assert.equal(hdrStatus(replies[1])?.data, 212);
    const rec = await t.server.registry.get(deviceId('newbie'));
    assert.equal(rec?.devInfo.man, 'Acme');
    assert.ok(dev.serverVerified, 'auto-registered devices get the default server credential');
    const bad = await device(t, 'intruder', 'md5', { password: 'guess' }).runSession();
    assert.equal(hdrStatus(bad.at(-1))?.data, 401);
    assert.equal(await t.server.registry.get(deviceId('intruder')), undefined);
  }, { auth: { unknownDevices: 'auto-register', bootstrapSecret: 'boot' } }));
});
