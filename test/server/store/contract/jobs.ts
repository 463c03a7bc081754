// Store contract: JobStore (rows, ordering, compare-and-set, lookups by session and correlator).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ErrorCode } from '../../../../src/core/errors.js';
import {
  deviceId, jobId, sessionId, type JobRecord, type NewJob, type ServerStore,
} from '../../../../src/server/store/store.js';
import type { StoreFactory } from '../store-factories.js';

export function jobContract(factory: StoreFactory): void {
  describe(`${factory.name}: JobStore`, () => {
    let store: ServerStore;
    let dispose: () => Promise<void>;
    const id = deviceId('IMEI:1');
    const other = deviceId('IMEI:2');
    beforeEach(async () => {
      ({ store, dispose } = await factory.create());
      await store.devices.insert({ id, createdAt: 1 });
      await store.devices.insert({ id: other, createdAt: 1 });
    });
    afterEach(async () => dispose());

    const job = (over: Partial<NewJob> = {}): NewJob => ({ deviceId: id, command: { kind: 'Get', uris: ['./A'] }, priority: 0, size: 10, createdAt: 5, ...over });

    it('inserts jobs as queued with increasing ids and reads them back', async () => {
      const [a, b] = await store.jobs.insert([job(), job({ correlator: 'c1', expiresAt: 99, fanOutId: 'f', group: 'g', priority: 3 })]);
      assert.ok(a && b);
      assert.ok(Number(b.id) > Number(a.id));
      assert.deepEqual(a, {
        id: a.id, deviceId: id, command: { kind: 'Get', uris: ['./A'] }, state: 'queued', priority: 0, size: 10, createdAt: 5, updatedAt: 5,
        attempts: 0, statuses: [], results: [],
      });
      assert.deepEqual(await store.jobs.get(b.id), b);
      assert.equal(b.correlator, 'c1');
      assert.equal(b.expiresAt, 99);
      assert.equal(b.fanOutId, 'f');
      assert.equal(b.group, 'g');
      assert.equal(await store.jobs.get(jobId('999999')), undefined);
      assert.equal(await store.jobs.get(jobId('not-a-number')), undefined);
    });

    it('refuses a job for an unknown device', async () => {
      await assert.rejects(store.jobs.insert([job({ deviceId: deviceId('IMEI:none') })]), { code: ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND });
    });

    it('lists queued jobs by priority, then oldest first, per device', async () => {
      const [a, b, c, d] = await store.jobs.insert([job(), job({ priority: 5 }), job(), job({ deviceId: other })]);
      const queued = await store.jobs.listQueued(id, 10);
      assert.deepEqual(queued.map((j) => j.id), [b?.id, a?.id, c?.id]);
      assert.deepEqual((await store.jobs.listQueued(id, 1)).map((j) => j.id), [b?.id]);
      assert.deepEqual((await store.jobs.listQueued(other, 10)).map((j) => j.id), [d?.id]);
    });

    it('expires queued jobs whose expiry has passed, and only those', async () => {
      const [a, b, c] = await store.jobs.insert([job({ expiresAt: 100 }), job({ expiresAt: 200 }), job()]);
      const expired = await store.jobs.expireDue(id, 150);
      assert.deepEqual(expired.map((j) => [j.id, j.state, j.completedAt]), [[a?.id, 'expired', 150]]);
      assert.deepEqual((await store.jobs.listQueued(id, 10)).map((j) => j.id), [b?.id, c?.id]);
      assert.deepEqual(await store.jobs.expireDue(id, 150), []);
    });

    it('updates mutable fields only when the expected state still holds', async () => {
      const [a] = await store.jobs.insert([job()]);
      assert.ok(a);
      const sent: JobRecord = { ...a, state: 'sent', sessionId: sessionId('s1'), msgId: 2, cmdId: 4, childCmdIds: [5, 6], sentAt: 7, attempts: 1, updatedAt: 7 };
      assert.equal(await store.jobs.update(sent, 'queued'), true);
      assert.deepEqual(await store.jobs.get(a.id), sent);
      assert.equal(await store.jobs.update({ ...sent, state: 'done' }, 'queued'), false, 'stale expectation');
      const done: JobRecord = {
        ...sent, state: 'done', status: 200, statuses: [{ cmdId: 4, status: 200 }],
        results: [{ uri: './A', data: 'x', format: 'chr' }], completedAt: 8, updatedAt: 8,
      };
      assert.equal(await store.jobs.update(done, 'sent'), true);
      assert.deepEqual(await store.jobs.get(a.id), done);
      assert.equal((await store.jobs.get(a.id))?.command.kind, 'Get', 'command is immutable');
    });

    it('finds a sent job by session, message and CmdID, including nested CmdIDs', async () => {
      const [a, b] = await store.jobs.insert([job(), job({ command: { kind: 'Atomic', commands: [{ kind: 'Delete', uris: ['./X'] }] } })]);
      assert.ok(a && b);
      const s = sessionId('s1');
      await store.jobs.update({ ...a, state: 'sent', sessionId: s, msgId: 2, cmdId: 3 }, 'queued');
      await store.jobs.update({ ...b, state: 'sent', sessionId: s, msgId: 2, cmdId: 4, childCmdIds: [5] }, 'queued');
      assert.equal((await store.jobs.findSent(s, 2, 3))?.id, a.id);
      assert.equal((await store.jobs.findSent(s, 2, 4))?.id, b.id);
      assert.equal((await store.jobs.findSent(s, 2, 5))?.id, b.id);
      assert.equal(await store.jobs.findSent(s, 3, 3), undefined, 'other message');
      assert.equal(await store.jobs.findSent(sessionId('s2'), 2, 3), undefined, 'other session');
      assert.deepEqual((await store.jobs.listBySession(s, ['sent'])).map((j) => j.id), [a.id, b.id]);
      assert.deepEqual(await store.jobs.listBySession(s, ['done']), []);
    });

    it('finds the newest job with a correlator', async () => {
      const [, b] = await store.jobs.insert([job({ correlator: 'c' }), job({ correlator: 'c' }), job({ deviceId: other, correlator: 'c' })]);
      assert.equal((await store.jobs.findByCorrelator(id, 'c'))?.id, b?.id);
      assert.equal(await store.jobs.findByCorrelator(id, 'nope'), undefined);
    });

    it('filters and paginates the job listing', async () => {
      const inserted = await store.jobs.insert(Array.from({ length: 12 }, (_, i) => job(i % 3 === 0 ? { deviceId: other, fanOutId: 'F' } : {})));
      const first = inserted[0] as JobRecord;
      await store.jobs.update({ ...first, state: 'cancelled' }, 'queued');
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.jobs.list({ limit: 5, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((j) => j.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, inserted.map((j) => j.id));
      assert.equal((await store.jobs.list({ deviceId: id })).items.length, 8);
      assert.equal((await store.jobs.list({ deviceId: other, state: 'queued' })).items.length, 3);
      assert.equal((await store.jobs.list({ fanOutId: 'F' })).items.length, 4);
      assert.deepEqual((await store.jobs.list({ state: 'cancelled' })).items.map((j) => j.id), [first.id]);
      const desc = await store.jobs.list({ order: 'desc', limit: 2 });
      assert.deepEqual(desc.items.map((j) => j.id), [inserted[11]?.id, inserted[10]?.id]);
      const desc2 = await store.jobs.list({ order: 'desc', limit: 2, cursor: desc.nextCursor as string });
      assert.deepEqual(desc2.items.map((j) => j.id), [inserted[9]?.id, inserted[8]?.id]);
    });

    it('rejects a garbage cursor with a StoreError', async () => {
      await assert.rejects(store.jobs.list({ cursor: '***' }), { code: ErrorCode.ERR_STORE });
    });
  });
}
