// Store contract: DeviceStore (devices, credentials, nonces, credential acceptance, groups).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ErrorCode } from '../../../../src/core/errors.js';
import { deviceId, type ServerStore } from '../../../../src/server/store/store.js';
import type { StoreFactory } from '../store-factories.js';

export function deviceContract(factory: StoreFactory): void {
  describe(`${factory.name}: DeviceStore`, () => {
    let store: ServerStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await factory.create());
    });
    afterEach(async () => dispose());

    const id = deviceId('IMEI:490154203237518');

    it('round-trips every field of a new device', async () => {
      const created = await store.devices.insert({
        id,
        devInfo: { man: 'Acme', mod: 'X1', dmV: '1.2', lang: 'en-US', devId: id },
        devDetail: { FwV: '1.0' },
        protocolVersion: '1.2',
        encoding: 'wbxml',
        groups: ['fleet', 'beta', 'fleet'],
        tags: { site: 'lab' },
        pushAddress: { type: 'udp', host: '127.0.0.1', port: 2948 },
        client: { username: 'u1', authType: 'md5', secret: { kind: 'md5', value: 'c2VjcmV0' } },
        server: { serverId: 'srv', secret: 'c3J2' },
        createdAt: 1000,
      });
      const got = await store.devices.get(id);
      assert.deepEqual(got, created);
      assert.deepEqual(got, {
        id, devInfo: { man: 'Acme', mod: 'X1', dmV: '1.2', lang: 'en-US', devId: id }, devDetail: { FwV: '1.0' },
        protocolVersion: '1.2', encoding: 'wbxml', groups: ['fleet', 'beta'], tags: { site: 'lab' },
        pushAddress: { type: 'udp', host: '127.0.0.1', port: 2948 }, createdAt: 1000, updatedAt: 1000,
      });
      assert.equal(await store.devices.get(deviceId('IMEI:none')), undefined);
    });

    it('refuses a second device with the same id', async () => {
      await store.devices.insert({ id, createdAt: 1 });
      await assert.rejects(store.devices.insert({ id, createdAt: 2 }), { code: ErrorCode.ERR_REGISTRY_DEVICE_EXISTS });
    });

    it('returns credentials and binary nonces in the auth context', async () => {
      await store.devices.insert({
        id, createdAt: 1,
        client: { username: 'u', authType: 'basic', secret: { kind: 'scrypt', value: 'scrypt$1$2$3$a$b' } },
        server: { serverId: 's', secret: 'x' },
      });
      const nonce = new Uint8Array([0x00, 0xff, 0x3a, 0x80, 0x00]);
      assert.equal(await store.devices.setClientNonce(id, nonce, 5), true);
      assert.equal(await store.devices.setServerNonce(id, new Uint8Array([1, 2, 3]), 5), true);
      const ctx = await store.devices.getAuthContext(id);
      assert.deepEqual(ctx?.client, { username: 'u', authType: 'basic', secret: { kind: 'scrypt', value: 'scrypt$1$2$3$a$b' } });
      assert.deepEqual(ctx?.server, { serverId: 's', secret: 'x' });
      assert.deepEqual(ctx?.clientNonce, nonce);
      assert.deepEqual(ctx?.serverNonce, new Uint8Array([1, 2, 3]));
      assert.equal(await store.devices.setClientNonce(deviceId('IMEI:none'), nonce, 5), false);
      assert.equal(await store.devices.getAuthContext(deviceId('IMEI:none')), undefined);
    });

    it('replaces and clears credentials', async () => {
      await store.devices.insert({ id, createdAt: 1 });
      assert.equal((await store.devices.getAuthContext(id))?.client, undefined);
      await store.devices.setClientCredential(id, { username: 'a', authType: 'hmac', secret: { kind: 'md5', value: 'm' } }, 2);
      await store.devices.setServerCredential(id, { serverId: 'S', secret: 'z' }, 2);
      assert.equal((await store.devices.getAuthContext(id))?.client?.authType, 'hmac');
      await store.devices.setClientCredential(id, null, 3);
      await store.devices.setServerCredential(id, null, 3);
      const ctx = await store.devices.getAuthContext(id);
      assert.equal(ctx?.client, undefined);
      assert.equal(ctx?.server, undefined);
      assert.equal(await store.devices.setServerCredential(deviceId('IMEI:none'), null, 3), false);
    });

    it('pages through devices with a cursor in both orders', async () => {
      for (let i = 0; i < 7; i++) await store.devices.insert({ id: deviceId(`IMEI:${i}`), createdAt: i, groups: i % 2 === 0 ? ['even'] : [] });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.devices.list({ limit: 3, ...(cursor ? { cursor } : {}) });
        assert.ok(page.items.length <= 3);
        seen.push(...page.items.map((d) => d.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, ['IMEI:0', 'IMEI:1', 'IMEI:2', 'IMEI:3', 'IMEI:4', 'IMEI:5', 'IMEI:6']);
      const desc = await store.devices.list({ limit: 2, order: 'desc' });
      assert.deepEqual(desc.items.map((d) => d.id), ['IMEI:6', 'IMEI:5']);
      const desc2 = await store.devices.list({ limit: 2, order: 'desc', cursor: desc.nextCursor as string });
      assert.deepEqual(desc2.items.map((d) => d.id), ['IMEI:4', 'IMEI:3']);
      const even = await store.devices.list({ group: 'even', limit: 3 });
      assert.deepEqual(even.items.map((d) => d.id), ['IMEI:0', 'IMEI:2', 'IMEI:4']);
      const even2 = await store.devices.list({ group: 'even', limit: 3, cursor: even.nextCursor as string });
      assert.deepEqual(even2.items.map((d) => d.id), ['IMEI:6']);
      assert.equal(even2.nextCursor, undefined);
      assert.deepEqual(await store.devices.listGroupMembers('even'), ['IMEI:0', 'IMEI:2', 'IMEI:4', 'IMEI:6']);
      assert.deepEqual(await store.devices.listGroupMembers('none'), []);
    });

    it('merges DevInfo and DevDetail, replaces groups and tags, and clears with null', async () => {
      await store.devices.insert({ id, createdAt: 1, devInfo: { man: 'A' }, groups: ['g1'], pushAddress: { type: 'sms', msisdn: '+1555' }, encoding: 'xml' });
      const updated = await store.devices.update(id, { devInfo: { mod: 'M' }, devDetail: { FwV: '2' }, groups: ['g2'], tags: { t: 'v' }, pushAddress: null, encoding: null, protocolVersion: '1.1' }, 9);
      assert.deepEqual(updated?.devInfo, { man: 'A', mod: 'M' });
      assert.deepEqual(updated?.devDetail, { FwV: '2' });
      assert.deepEqual(updated?.groups, ['g2']);
      assert.deepEqual(updated?.tags, { t: 'v' });
      assert.equal(updated?.pushAddress, undefined);
      assert.equal(updated?.encoding, undefined);
      assert.equal(updated?.protocolVersion, '1.1');
      assert.equal(updated?.updatedAt, 9);
      assert.deepEqual(await store.devices.listGroupMembers('g1'), []);
      assert.deepEqual(await store.devices.listGroupMembers('g2'), [id]);
      const again = await store.devices.update(id, { devDetail: { SwV: '3' } }, 10);
      assert.deepEqual(again?.devDetail, { FwV: '2', SwV: '3' });
      assert.deepEqual(again?.groups, ['g2']);
      assert.equal(await store.devices.update(deviceId('IMEI:none'), {}, 1), undefined);
    });

    it('merges what a device reported without touching the rest', async () => {
      await store.devices.insert({ id, createdAt: 1, devInfo: { man: 'A', mod: 'old' }, devDetail: { HwV: '1' }, groups: ['g1'], tags: { t: 'v' }, encoding: 'xml' });
      assert.equal(await store.devices.mergeReported(id, { devInfo: { mod: 'M', lang: 'en' }, protocolVersion: '1.1' }, 5), true);
      assert.equal(await store.devices.mergeReported(id, { devDetail: { FwV: '2', 'Ext/Conf': 'x' }, encoding: 'wbxml' }, 6), true);
      const d = await store.devices.get(id);
      assert.deepEqual(d?.devInfo, { man: 'A', mod: 'M', lang: 'en' });
      assert.deepEqual(d?.devDetail, { HwV: '1', FwV: '2', 'Ext/Conf': 'x' });
      assert.equal(d?.protocolVersion, '1.1');
      assert.equal(d?.encoding, 'wbxml');
      assert.deepEqual(d?.groups, ['g1']);
      assert.deepEqual(d?.tags, { t: 'v' });
      assert.equal(d?.updatedAt, 6);
      assert.equal(await store.devices.mergeReported(deviceId('IMEI:none'), { devInfo: { man: 'X' } }, 7), false);
    });

    it('removes a device with its tree cache, jobs and group membership', async () => {
      await store.devices.insert({ id, createdAt: 1, groups: ['g'] });
      await store.tree.upsert(id, [{ uri: './A', data: '1', source: 'get', at: 1 }]);
      const [job] = await store.jobs.insert([{ deviceId: id, command: { kind: 'Get', uris: ['./A'] }, priority: 0, size: 1, createdAt: 1 }]);
      assert.equal(await store.devices.remove(id), true);
      assert.equal(await store.devices.get(id), undefined);
      assert.equal(await store.tree.get(id, './A'), undefined);
      assert.equal(await store.jobs.get(job?.id as never), undefined);
      assert.deepEqual(await store.devices.listGroupMembers('g'), []);
      assert.equal(await store.devices.remove(id), false);
    });

    it('accepts a credential once: rotates the nonce, refuses replays and stale nonces, forgets the oldest digests', async () => {
      await store.devices.insert({ id, createdAt: 1 });
      const n = (b: number): Uint8Array => new Uint8Array([b, 0, 0xff]);
      const accept = (nonce: number, digest: string, next: number): Promise<string> =>
        store.devices.acceptCredential(id, { nonce: n(nonce), digest, nextNonce: n(next), keep: 2 });
      assert.equal(await accept(1, 'd1', 2), 'stale_nonce', 'no nonce issued yet');
      await store.devices.setClientNonce(id, n(1), 1);
      assert.equal(await accept(1, 'd1', 2), 'accepted');
      assert.deepEqual((await store.devices.getAuthContext(id))?.clientNonce, n(2), 'the next nonce is stored with the acceptance');
      assert.equal(await accept(1, 'd1x', 3), 'stale_nonce', 'a second use of the spent nonce');
      assert.deepEqual((await store.devices.getAuthContext(id))?.clientNonce, n(2), 'a refused use changes nothing');
      // The spent nonce put back (a lost rotation): the digest memory still refuses the same credential.
      await store.devices.setClientNonce(id, n(1), 2);
      assert.equal(await accept(1, 'd1', 3), 'replayed');
      assert.deepEqual((await store.devices.getAuthContext(id))?.clientNonce, n(1));
      assert.equal(await accept(1, 'd2', 3), 'accepted');
      assert.equal(await accept(3, 'd3', 4), 'accepted');
      // Only the newest two digests (d3, d2) are kept: d1 has been forgotten.
      assert.equal(await accept(4, 'd2', 5), 'replayed');
      assert.equal(await accept(4, 'd1', 5), 'accepted');
      await assert.rejects(store.devices.acceptCredential(deviceId('IMEI:none'), { nonce: n(1), digest: 'x', nextNonce: n(2), keep: 2 }), { code: ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND });
    });

    it('accepts exactly one of concurrent uses of the same nonce', async () => {
      await store.devices.insert({ id, createdAt: 1 });
      await store.devices.setClientNonce(id, new Uint8Array([7]), 1);
      const use = (digest: string, next: number): Promise<string> =>
        store.devices.acceptCredential(id, { nonce: new Uint8Array([7]), digest, nextNonce: new Uint8Array([next]), keep: 16 });
      const outcomes = await Promise.all([use('a', 8), use('b', 9), store.transaction((tx) => tx.devices.acceptCredential(id, { nonce: new Uint8Array([7]), digest: 'c', nextNonce: new Uint8Array([10]), keep: 16 }))]);
      assert.deepEqual([...outcomes].sort(), ['accepted', 'stale_nonce', 'stale_nonce']);
    });

    it('records the last session time and outcome', async () => {
      await store.devices.insert({ id, createdAt: 1 });
      assert.equal(await store.devices.recordSession(id, { at: 50, outcome: 'auth_failed' }), true);
      const d = await store.devices.get(id);
      assert.equal(d?.lastSessionAt, 50);
      assert.equal(d?.lastSessionOutcome, 'auth_failed');
      assert.equal(await store.devices.recordSession(deviceId('IMEI:none'), { at: 50, outcome: 'completed' }), false);
    });

    it('allocates Package 0 session ids 1..65535 and wraps around', async () => {
      await store.devices.insert({ id, createdAt: 1 });
      assert.equal(await store.devices.allocateNotificationSession(id, 10), 1);
      assert.equal(await store.devices.allocateNotificationSession(id, 11), 2);
      assert.deepEqual((await store.devices.get(id))?.lastNotification, { dmSessionId: 2, at: 11 });
      let last = 2;
      await store.transaction(async (tx) => {
        for (let i = 3; i <= 65535; i++) last = (await tx.devices.allocateNotificationSession(id, 12)) as number;
      });
      assert.equal(last, 65535);
      assert.equal(await store.devices.allocateNotificationSession(id, 13), 1);
      assert.equal(await store.devices.allocateNotificationSession(deviceId('IMEI:none'), 13), undefined);
    });
  });
}
