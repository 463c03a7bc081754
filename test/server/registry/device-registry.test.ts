import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { computeMd5Digest, md5Secret } from '../../../src/core/auth/md5-digest.js';
import { ErrorCode } from '../../../src/core/errors.js';
import { EventLog } from '../../../src/server/events/event-log.js';
import { DeviceRegistry, serverDigest } from '../../../src/server/registry/device-registry.js';
import { SqliteStore } from '../../../src/server/store/sqlite/sqlite-store.js';
import { deviceId, type EventRecord, type ServerStore } from '../../../src/server/store/store.js';
import { counterRandom, fakeClock, storeFactories } from '../store/store-factories.js';

for (const factory of storeFactories) {
  describe(`DeviceRegistry on ${factory.name}`, () => {
    let store: ServerStore;
    let dispose: () => Promise<void>;
    let events: EventLog;
    let seen: EventRecord[];
    let registry: DeviceRegistry;
    const clock = fakeClock();
    const id = deviceId('IMEI:356938035643809');
    beforeEach(async () => {
      ({ store, dispose } = await factory.create());
      events = new EventLog({ store, clock });
      seen = [];
      events.subscribe((e) => seen.push(e));
      registry = new DeviceRegistry({ store, clock, events, random: counterRandom(), defaultServerCredential: { serverId: 'omadm', serverPassword: 'srv-pw' } });
    });
    afterEach(async () => dispose());

    it('stores B64(MD5(user:pass)) for MD5 devices and the derived server secret, never the passwords', async () => {
      await registry.register({ id, client: { username: 'Bruce2', password: 'OhBehave', authType: 'md5' } });
      const ctx = await registry.getAuthContext(id);
      assert.deepEqual(ctx?.client, { username: 'Bruce2', authType: 'md5', secret: { kind: 'md5', value: md5Secret('Bruce2', 'OhBehave') } });
      assert.deepEqual(ctx?.server, { serverId: 'omadm', secret: md5Secret('omadm', 'srv-pw') });
    });

    it('stores a salted scrypt hash for Basic-only devices and verifies Basic against either secret', async () => {
      await registry.register({ id, client: { username: 'u', password: 'secret-1', authType: 'basic' } });
      const other = deviceId('IMEI:2');
      await registry.register({ id: other, client: { username: 'v', password: 'secret-2', authType: 'md5' } });
      const ctx = await registry.getAuthContext(id);
      assert.equal(ctx?.client?.secret.kind, 'scrypt');
      assert.ok(!ctx?.client?.secret.value.includes('secret-1'));
      assert.equal(await registry.verifyBasic(id, 'u', 'secret-1'), true);
      assert.equal(await registry.verifyBasic(id, 'u', 'secret-2'), false);
      assert.equal(await registry.verifyBasic(id, 'x', 'secret-1'), false);
      assert.equal(await registry.verifyBasic(other, 'v', 'secret-2'), true);
      assert.equal(await registry.verifyBasic(other, 'v', 'nope'), false);
      assert.equal(await registry.verifyBasic(deviceId('IMEI:none'), 'v', 'secret-2'), false);
    });

    it('logs a registration event, refuses a duplicate id and reports unknown devices', async () => {
      const d = await registry.register({ id, groups: ['g'], tags: { a: 'b' }, pushAddress: { type: 'sms', msisdn: '+100' } });
      assert.deepEqual(d.groups, ['g']);
      assert.deepEqual(seen.map((e) => e.type), ['device.registered']);
      await assert.rejects(registry.register({ id }), { code: ErrorCode.ERR_REGISTRY_DEVICE_EXISTS });
      await assert.rejects(registry.require(deviceId('IMEI:none')), { code: ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND });
      await assert.rejects(registry.update(deviceId('IMEI:none'), {}), { code: ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND });
      await assert.rejects(registry.issueClientNonce(deviceId('IMEI:none')), { code: ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND });
      await assert.rejects(registry.setClientCredential(deviceId('IMEI:none'), { username: 'a', password: 'b', authType: 'md5' }), { code: ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND });
      assert.equal((await registry.update(id, { tags: { c: 'd' } })).tags.c, 'd');
      assert.equal((await registry.list({ group: 'g' })).items.length, 1);
      assert.equal(await registry.remove(id), true);
    });

    it('rotates the client nonce on every issue and keeps the server nonce the device sent', async () => {
      await registry.register({ id });
      const n1 = await registry.issueClientNonce(id);
      const n2 = await registry.issueClientNonce(id);
      assert.equal(n1.byteLength, 16);
      assert.notDeepEqual(n1, n2);
      assert.deepEqual((await registry.getAuthContext(id))?.clientNonce, n2);
      await registry.storeServerNonce(id, new Uint8Array([9, 8, 7]));
      const ctx = await registry.getAuthContext(id);
      assert.deepEqual(ctx?.serverNonce, new Uint8Array([9, 8, 7]));
      assert.equal(serverDigest(ctx ?? assert.fail()), computeMd5Digest({ username: 'omadm', password: 'srv-pw', nonce: new Uint8Array([9, 8, 7]) }));
    });

    it('accepts a credential once, rotating the nonce, and logs replayed and stale uses as auth failures', async () => {
      await registry.register({ id });
      const nonce = await registry.issueClientNonce(id);
      const first = await registry.acceptCredential(id, { nonce, digest: 'abc', authType: 'md5' });
      assert.ok(first.accepted);
      assert.equal(first.nextNonce.byteLength, 16);
      assert.notDeepEqual(first.nextNonce, nonce);
      assert.deepEqual((await registry.getAuthContext(id))?.clientNonce, first.nextNonce);
      assert.deepEqual(await registry.acceptCredential(id, { nonce, digest: 'def', authType: 'md5' }), { accepted: false, reason: 'stale_nonce' });
      await store.devices.setClientNonce(id, nonce, clock.now());
      assert.deepEqual(await registry.acceptCredential(id, { nonce, digest: 'abc', authType: 'md5' }), { accepted: false, reason: 'replayed' });
      const failures = seen.filter((e) => e.type === 'auth.failure');
      assert.deepEqual(failures.map((e) => e.type === 'auth.failure' && [e.reason, e.authType]), [['stale_nonce', 'md5'], ['replayed', 'md5']]);
      await assert.rejects(registry.acceptCredential(deviceId('IMEI:none'), { nonce, digest: 'abc' }), { code: ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND });
    });

    it('records DevInfo, protocol version and encoding, and caches the DevInfo nodes', async () => {
      await registry.register({ id });
      await registry.recordDevInfo(id, { devInfo: { man: 'Acme', mod: 'Phone', dmV: '1.2', lang: 'en', devId: id }, protocolVersion: '1.2', encoding: 'wbxml' });
      const d = await registry.require(id);
      assert.deepEqual(d.devInfo, { man: 'Acme', mod: 'Phone', dmV: '1.2', lang: 'en', devId: id });
      assert.equal(d.protocolVersion, '1.2');
      assert.equal(d.encoding, 'wbxml');
      const tree = await registry.listTree(id, { prefix: './DevInfo' });
      assert.deepEqual(tree.items.map((n) => [n.uri, n.data, n.source]), [
        ['./DevInfo/DevId', id, 'devinfo'], ['./DevInfo/DmV', '1.2', 'devinfo'], ['./DevInfo/Lang', 'en', 'devinfo'],
        ['./DevInfo/Man', 'Acme', 'devinfo'], ['./DevInfo/Mod', 'Phone', 'devinfo'],
      ]);
      await assert.rejects(registry.recordDevInfo(deviceId('IMEI:none'), { devInfo: {} }), { code: ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND });
    });

    it('caches read values, mirrors DevDetail leaves and skips ?list= URIs', async () => {
      await registry.register({ id });
      await registry.cacheNodes(id, [
        { uri: 'DevDetail/FwV', data: '2.1', format: 'chr' }, { uri: './DevDetail/SwV', data: '9' },
        { uri: './DevDetail?list=Struct', data: 'x' }, { uri: './DevInfo/Man', data: 'Maker' },
      ], 'get');
      const d = await registry.require(id);
      assert.deepEqual(d.devDetail, { FwV: '2.1', SwV: '9' });
      assert.equal(d.devInfo.man, 'Maker');
      assert.equal((await registry.getNode(id, './DevDetail/FwV'))?.source, 'get');
      assert.equal((await registry.listTree(id)).items.length, 3);
      assert.equal(await registry.forgetSubtree(id, './DevDetail'), 2);
      await registry.recordSessionEnd(id, 'completed');
      assert.equal((await registry.require(id)).lastSessionOutcome, 'completed');
    });

    it('rejects unknown devices under the reject policy and logs why', async () => {
      const got = await registry.autoRegister({ id, credential: { authType: 'basic', username: 'u', password: 'boot' } });
      assert.equal(got, undefined);
      assert.equal(await registry.get(id), undefined);
      assert.deepEqual(seen.map((e) => e.type === 'auth.failure' && e.reason), ['unknown_device']);
    });

    it('auto-registers a device whose Basic or MD5 credential matches the bootstrap password', async () => {
      const auto = new DeviceRegistry({ store, clock, events, unknownDevicePolicy: { mode: 'auto-register', bootstrapPassword: 'boot', groups: ['new'] } });
      assert.equal(await auto.autoRegister({ id, credential: { authType: 'basic', username: 'u', password: 'wrong' } }), undefined);
      const d = await auto.autoRegister({ id, credential: { authType: 'basic', username: 'u', password: 'boot' }, devInfo: { man: 'A' }, encoding: 'xml' });
      assert.equal(d?.id, id);
      assert.deepEqual(d?.groups, ['new']);
      assert.deepEqual((await auto.getAuthContext(id))?.client, { username: 'u', authType: 'md5', secret: { kind: 'md5', value: md5Secret('u', 'boot') } });
      const nonce = new Uint8Array([5, 5, 5]);
      const id2 = deviceId('IMEI:md5');
      const digest = computeMd5Digest({ username: 'dev2', password: 'boot', nonce });
      assert.equal(await auto.autoRegister({ id: id2, credential: { authType: 'md5', username: 'dev2', digest, nonce: new Uint8Array([0]) } }), undefined);
      assert.equal((await auto.autoRegister({ id: id2, credential: { authType: 'md5', username: 'dev2', digest, nonce } }))?.id, id2);
      // A second session of an already registered device gets the existing record.
      assert.equal((await auto.autoRegister({ id: id2, credential: { authType: 'md5', username: 'dev2', digest, nonce } }))?.id, id2);
      assert.deepEqual(seen.filter((e) => e.type === 'device.registered').map((e) => e.type === 'device.registered' && e.how), ['auto', 'auto']);
    });

    it('drops a registration and its event when the enclosing transaction rolls back', async () => {
      await assert.rejects(store.transaction(async (tx) => {
        await registry.inTransaction(tx).register({ id });
        throw new Error('abort');
      }));
      assert.equal(await registry.get(id), undefined);
      assert.deepEqual(seen, []);
      assert.deepEqual((await events.list()).items, []);
    });
  });
}

describe('DeviceRegistry on a SQLite file', () => {
  it('leaves no plain password in the database files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omadm-secrets-'));
    try {
      const path = join(dir, 'secrets.db');
      const store = SqliteStore.open({ path });
      const registry = new DeviceRegistry({ store });
      await registry.register({ id: deviceId('IMEI:1'), client: { username: 'u1', password: 'Plain-Basic-Pw', authType: 'basic' }, server: { serverId: 's', serverPassword: 'Plain-Server-Pw' } });
      await registry.register({ id: deviceId('IMEI:2'), client: { username: 'u2', password: 'Plain-Md5-Pw', authType: 'md5' } });
      await store.close();
      const text = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'latin1')).join('');
      assert.ok(text.includes('IMEI:1'), 'the files were read');
      for (const pw of ['Plain-Basic-Pw', 'Plain-Server-Pw', 'Plain-Md5-Pw']) assert.ok(!text.includes(pw), `${pw} is not stored`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
