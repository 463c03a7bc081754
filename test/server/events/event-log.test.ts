import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { EventLog } from '../../../src/server/events/event-log.js';
import { deviceId, sessionId, type EventRecord, type ServerStore } from '../../../src/server/store/store.js';
import { fakeClock, storeFactories } from '../store/store-factories.js';

for (const factory of storeFactories) {
  describe(`EventLog on ${factory.name}`, () => {
    let store: ServerStore;
    let dispose: () => Promise<void>;
    let log: EventLog;
    const clock = fakeClock();
    const a = deviceId('IMEI:a');
    const b = deviceId('IMEI:b');
    beforeEach(async () => {
      ({ store, dispose } = await factory.create());
      log = new EventLog({ store, clock });
    });
    afterEach(async () => dispose());

    it('stores events at the clock time and emits them to matching subscribers', async () => {
      const all: EventRecord[] = [];
      const onlyA: EventRecord[] = [];
      const onlyAuth: EventRecord[] = [];
      log.subscribe((e) => all.push(e));
      log.subscribe((e) => onlyA.push(e), { deviceId: a });
      const stop = log.subscribe((e) => onlyAuth.push(e), { types: ['auth.failure'] });
      const e1 = await log.append({ type: 'session.start', deviceId: a, sessionId: sessionId('s'), dmSessionId: '1F', initiator: 'server' });
      await log.append({ type: 'auth.failure', deviceId: b, reason: 'stale_nonce', authType: 'syncml:auth-md5' });
      stop();
      await log.append({ type: 'auth.failure', deviceId: b, reason: 'invalid' });
      assert.equal(e1.at, clock.now());
      assert.equal(all.length, 3);
      assert.deepEqual(onlyA, [e1]);
      assert.equal(onlyAuth.length, 1);
      assert.deepEqual((await log.list({ deviceId: b })).items.map((e) => e.type === 'auth.failure' && e.reason), ['stale_nonce', 'invalid']);
    });

    it('keeps writing when a listener throws', async () => {
      const errors: unknown[] = [];
      const tolerant = new EventLog({ store, clock, onListenerError: (e) => errors.push(e) });
      tolerant.subscribe(() => { throw new Error('bad listener'); });
      await tolerant.append({ type: 'device.registered', deviceId: a, how: 'manual' });
      assert.equal(errors.length, 1);
      assert.equal((await tolerant.list()).items.length, 1);
    });

    it('emits events of a transaction only after it commits, and never after a rollback', async () => {
      const got: string[] = [];
      log.subscribe((e) => got.push(e.type));
      await store.transaction(async (tx) => {
        await log.inTransaction(tx).append({ type: 'device.registered', deviceId: a, how: 'manual' });
        assert.deepEqual(got, [], 'not yet emitted inside the transaction');
      });
      assert.deepEqual(got, ['device.registered']);
      await assert.rejects(store.transaction(async (tx) => {
        await log.inTransaction(tx).append({ type: 'device.registered', deviceId: b, how: 'manual' });
        throw new Error('rollback');
      }));
      assert.deepEqual(got, ['device.registered']);
      assert.equal((await log.list()).items.length, 1);
    });

    it('streams committed events through an async iterator until aborted', async () => {
      const controller = new AbortController();
      const stream = log.watch({ filter: { types: ['alert'] }, signal: controller.signal });
      await log.append({ type: 'alert', deviceId: a, code: 1226, correlator: 'c', items: [{ data: '200' }] });
      await log.append({ type: 'device.registered', deviceId: a, how: 'manual' });
      await log.append({ type: 'alert', deviceId: b, code: 1224, items: [] });
      const first = await stream.next();
      const second = await stream.next();
      assert.deepEqual([first.value?.deviceId, second.value?.deviceId], [a, b]);
      const pending = stream.next();
      controller.abort();
      assert.equal((await pending).done, true);
    });

    it('drops the oldest buffered events for a slow reader beyond maxBuffered', async () => {
      const stream = log.watch({ maxBuffered: 2 });
      for (let i = 0; i < 4; i++) await log.append({ type: 'device.registered', deviceId: deviceId(`IMEI:${i}`), how: 'manual' });
      const got: string[] = [];
      for await (const e of stream) {
        got.push(e.deviceId);
        if (got.length === 2) break;
      }
      assert.deepEqual(got, ['IMEI:2', 'IMEI:3']);
    });
  });
}
