// Store contract: EventStore, SessionStore and ApiTokenStore.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  deviceId, jobId, sessionId, type EventRecord, type ServerStore, type SessionRecord,
} from '../../../../src/server/store/store.js';
import type { StoreFactory } from '../store-factories.js';

export function recordsContract(factory: StoreFactory): void {
  describe(`${factory.name}: EventStore, SessionStore, ApiTokenStore`, () => {
    let store: ServerStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await factory.create());
    });
    afterEach(async () => dispose());
    const a = deviceId('IMEI:a');
    const b = deviceId('IMEI:b');

    it('appends events and lists them by device, type, time and cursor', async () => {
      const appended: EventRecord[] = [];
      for (let i = 0; i < 6; i++) {
        appended.push(await store.events.append(i % 2 === 0
          ? { type: 'alert', deviceId: a, code: 1226, correlator: `c${i}`, items: [{ source: './FUMO/1', type: 'org.openmobilealliance.dm.firmwareupdate.downloadandupdate', mark: 'critical', data: '200' }] }
          : { type: 'job.state', deviceId: b, jobId: jobId(String(i)), from: 'queued', to: 'sent' }, 100 + i));
      }
      const first = appended[0] as EventRecord;
      assert.equal(first.at, 100);
      assert.equal(first.type, 'alert');
      const all = await store.events.list({});
      assert.deepEqual(all.items, appended);
      assert.deepEqual((await store.events.list({ deviceId: a })).items.map((e) => e.at), [100, 102, 104]);
      assert.deepEqual((await store.events.list({ type: 'job.state' })).items.map((e) => e.at), [101, 103, 105]);
      assert.deepEqual((await store.events.list({ since: 104 })).items.map((e) => e.at), [104, 105]);
      const p1 = await store.events.list({ limit: 4 });
      const p2 = await store.events.list({ limit: 4, cursor: p1.nextCursor as string });
      assert.deepEqual([...p1.items, ...p2.items], appended);
      assert.equal(p2.nextCursor, undefined);
      const newest = await store.events.list({ order: 'desc', limit: 1, deviceId: b });
      assert.equal(newest.items[0]?.at, 105);
    });

    it('keeps events of devices that are not registered (auth failures of unknown devices)', async () => {
      const e = await store.events.append({ type: 'auth.failure', deviceId: deviceId('IMEI:ghost'), reason: 'unknown_device' }, 1);
      assert.deepEqual((await store.events.list({ deviceId: deviceId('IMEI:ghost') })).items, [e]);
    });

    it('opens, touches, finds and closes sessions', async () => {
      const s: SessionRecord = {
        id: sessionId('sess-1'), deviceId: a, dmSessionId: '1A', startedAt: 10, lastMessageAt: 10, lastMsgId: 1, ownerId: 'owner-1', ownerPid: 4242,
      };
      await store.sessions.open(s);
      await store.sessions.open({ ...s, id: sessionId('sess-2'), deviceId: b, ownerId: 'owner-2', respUriToken: 'tok' });
      assert.deepEqual(await store.sessions.get(s.id), s);
      assert.equal(await store.sessions.touch(s.id, { at: 20, lastMsgId: 3, respUriToken: 'tok-1' }), true);
      assert.deepEqual(await store.sessions.get(s.id), { ...s, lastMessageAt: 20, lastMsgId: 3, respUriToken: 'tok-1' });
      assert.equal((await store.sessions.findByToken('tok-1'))?.id, s.id);
      assert.equal((await store.sessions.findByToken('tok'))?.id, 'sess-2');
      assert.deepEqual((await store.sessions.list({ ownerId: 'owner-2' })).map((x) => x.id), ['sess-2']);
      assert.deepEqual((await store.sessions.list({ deviceId: a })).map((x) => x.id), ['sess-1']);
      assert.equal((await store.sessions.list()).length, 2);
      assert.equal(await store.sessions.close(s.id), true);
      assert.equal(await store.sessions.close(s.id), false);
      assert.equal(await store.sessions.get(s.id), undefined);
      assert.equal(await store.sessions.touch(s.id, { at: 1, lastMsgId: 1 }), false);
    });

    it('stores API tokens by hash, lists, revokes once and records use', async () => {
      await store.apiTokens.insert({ id: 't1', name: 'ci', scopes: ['read'], createdAt: 1, hash: 'h1' });
      await store.apiTokens.insert({ id: 't2', name: 'ops', scopes: [], createdAt: 2, expiresAt: 50, hash: 'h2' });
      assert.deepEqual(await store.apiTokens.findByHash('h1'), { id: 't1', name: 'ci', scopes: ['read'], createdAt: 1 });
      assert.equal(await store.apiTokens.findByHash('nope'), undefined);
      assert.deepEqual((await store.apiTokens.list()).map((t) => t.id), ['t2', 't1']);
      await store.apiTokens.touch('t1', 7);
      assert.equal((await store.apiTokens.findByHash('h1'))?.lastUsedAt, 7);
      assert.equal(await store.apiTokens.revoke('t1', 8), true);
      assert.equal(await store.apiTokens.revoke('t1', 9), false);
      assert.equal((await store.apiTokens.findByHash('h1'))?.revokedAt, 8);
      await assert.rejects(store.apiTokens.insert({ id: 't3', name: 'dup', scopes: [], createdAt: 3, hash: 'h1' }));
    });
  });
}
