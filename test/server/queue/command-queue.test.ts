import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ErrorCode } from '../../../src/core/errors.js';
import { EventLog } from '../../../src/server/events/event-log.js';
import { CommandQueue, isAllowed } from '../../../src/server/queue/command-queue.js';
import {
  deviceId, jobId, sessionId, type EventRecord, type JobRecord, type JobState, type ServerStore,
} from '../../../src/server/store/store.js';
import { counterRandom, fakeClock, storeFactories } from '../store/store-factories.js';

for (const factory of storeFactories) {
  describe(`CommandQueue on ${factory.name}`, () => {
    let store: ServerStore;
    let dispose: () => Promise<void>;
    let queue: CommandQueue;
    let seen: EventRecord[];
    const clock = fakeClock();
    const dev = deviceId('IMEI:1');
    const dev2 = deviceId('IMEI:2');
    const s1 = sessionId('s1');
    beforeEach(async () => {
      ({ store, dispose } = await factory.create());
      const events = new EventLog({ store, clock });
      seen = [];
      events.subscribe((e) => seen.push(e));
      queue = new CommandQueue({ store, clock, events, random: counterRandom() });
      await store.devices.insert({ id: dev, createdAt: 1, groups: ['fleet'] });
      await store.devices.insert({ id: dev2, createdAt: 1, groups: ['fleet'] });
    });
    afterEach(async () => dispose());

    const get = (uri = './DevDetail/FwV') => ({ kind: 'Get' as const, uris: [uri] });
    const replace = (uri = './Vendor/X', data = 'v') => ({ kind: 'Replace' as const, items: [{ uri, data, format: 'chr' }] });
    const sendAll = async (jobs: readonly JobRecord[], msgId = 2, firstCmd = 3): Promise<JobRecord[]> =>
      queue.markSent(jobs.map((j) => j.id), { sessionId: s1, msgId, cmdIds: jobs.map((_, i) => firstCmd + i) });

    it('refuses malformed commands and unknown devices', async () => {
      await assert.rejects(queue.enqueue(dev, { kind: 'Get', uris: [] }), { code: ErrorCode.ERR_QUEUE_COMMAND_INVALID });
      await assert.rejects(queue.enqueue(dev, { kind: 'Atomic', commands: [get()] }), { code: ErrorCode.ERR_QUEUE_COMMAND_INVALID });
      await assert.rejects(queue.enqueue(deviceId('IMEI:none'), get()), { code: ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND });
    });

    it('gives Exec jobs a correlator, generated when the operator gave none', async () => {
      const exec = { kind: 'Exec' as const, item: { uri: './FUMO/1/Update' } };
      const a = await queue.enqueue(dev, exec);
      const b = await queue.enqueue(dev, exec, { correlator: 'op-corr' });
      const nested = await queue.enqueue(dev, { kind: 'Sequence', commands: [replace(), exec] });
      const plain = await queue.enqueue(dev, get());
      assert.match(a.correlator ?? '', /^[0-9a-f]{16}$/);
      assert.equal(b.correlator, 'op-corr');
      assert.ok(nested.correlator);
      assert.equal(plain.correlator, undefined);
      assert.notEqual(a.correlator, nested.correlator);
      assert.equal((await queue.matchAlertToJob(dev, 'op-corr'))?.id, b.id);
      assert.equal((await queue.matchAlertToJob(dev, a.correlator as string))?.id, a.id);
      assert.equal(await queue.matchAlertToJob(dev2, 'op-corr'), undefined);
    });

    it('fans a group job out to one job per current member', async () => {
      const { fanOutId, jobs } = await queue.enqueueForGroup('fleet', get(), { priority: 2 });
      assert.deepEqual(jobs.map((j) => j.deviceId), [dev, dev2]);
      assert.ok(jobs.every((j) => j.fanOutId === fanOutId && j.group === 'fleet' && j.priority === 2));
      assert.equal((await queue.list({ fanOutId })).items.length, 2);
      assert.deepEqual((await queue.enqueueForGroup('empty', get())).jobs, []);
    });

    it('batches by priority then age, within maxCount and maxBytes, never starving a large job', async () => {
      const a = await queue.enqueue(dev, get('./A'));
      const b = await queue.enqueue(dev, get('./B'), { priority: 1 });
      const c = await queue.enqueue(dev, get('./C'));
      assert.deepEqual((await queue.nextBatch(dev)).map((j) => j.id), [b.id, a.id, c.id]);
      assert.deepEqual((await queue.nextBatch(dev, { maxCount: 2 })).map((j) => j.id), [b.id, a.id]);
      assert.deepEqual((await queue.nextBatch(dev, { maxBytes: a.size + b.size })).map((j) => j.id), [b.id, a.id]);
      assert.deepEqual((await queue.nextBatch(dev, { maxBytes: 1 })).map((j) => j.id), [b.id]);
      await sendAll([b]);
      assert.deepEqual((await queue.nextBatch(dev)).map((j) => j.id), [a.id, c.id], 'sent jobs are not offered again');
    });

    it('expires jobs not delivered in time instead of sending them', async () => {
      const late = await queue.enqueue(dev, get(), { expiresAt: clock.now() + 1000 });
      clock.advance(1001);
      assert.deepEqual(await queue.nextBatch(dev), []);
      const got = await queue.get(late.id);
      assert.equal(got?.state, 'expired');
      assert.ok(seen.some((e) => e.type === 'job.state' && e.jobId === late.id && e.to === 'expired'));
    });

    it('marks jobs sent with session, message and CmdIDs, all or nothing', async () => {
      const a = await queue.enqueue(dev, get());
      const b = await queue.enqueue(dev, { kind: 'Atomic', commands: [replace('./X'), { kind: 'Delete', uris: ['./Y'] }] });
      const [sa, sb] = await queue.markSent([a.id, b.id], { sessionId: s1, msgId: 2, cmdIds: [3, [4, 5, 6]] });
      assert.deepEqual([sa?.state, sa?.sessionId, sa?.msgId, sa?.cmdId, sa?.attempts, sa?.sentAt], ['sent', s1, 2, 3, 1, clock.now()]);
      assert.deepEqual([sb?.cmdId, sb?.childCmdIds], [4, [5, 6]]);
      const c = await queue.enqueue(dev, get());
      await assert.rejects(queue.markSent([c.id, a.id], { sessionId: s1, msgId: 3, cmdIds: [7, 8] }), { code: ErrorCode.ERR_QUEUE_ILLEGAL_TRANSITION });
      assert.equal((await queue.get(c.id))?.state, 'queued', 'the batch was rolled back');
      await assert.rejects(queue.markSent([c.id], { sessionId: s1, msgId: 3, cmdIds: [] }), { code: ErrorCode.ERR_QUEUE_COMMAND_INVALID });
      await assert.rejects(queue.markSent([jobId('424242')], { sessionId: s1, msgId: 3, cmdIds: [1] }), { code: ErrorCode.ERR_QUEUE_JOB_NOT_FOUND });
    });

    it('completes a write on 2xx, fails it otherwise, and keeps the tree cache current', async () => {
      await store.tree.upsert(dev, [{ uri: './Old/A', data: '1', source: 'get', at: 1 }, { uri: './Old', source: 'get', at: 1 }]);
      const ok = await queue.enqueue(dev, replace('./Vendor/X', 'new'));
      const bad = await queue.enqueue(dev, replace('./Vendor/Y', 'nope'));
      const del = await queue.enqueue(dev, { kind: 'Delete', uris: ['./Old'] });
      await sendAll([ok, bad, del]);
      assert.equal((await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 3, status: 200 }))?.state, 'done');
      const failed = await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 4, status: 404 });
      assert.deepEqual([failed?.state, failed?.status, failed?.completedAt], ['failed', 404, clock.now()]);
      assert.equal((await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 5, status: 200 }))?.state, 'done');
      assert.deepEqual((await store.tree.get(dev, './Vendor/X'))?.data, 'new');
      assert.equal((await store.tree.get(dev, './Vendor/X'))?.source, 'replace');
      assert.equal(await store.tree.get(dev, './Vendor/Y'), undefined);
      assert.deepEqual((await store.tree.list(dev, { prefix: './Old' })).items, []);
      assert.deepEqual(seen.filter((e) => e.type === 'job.state' && e.jobId === ok.id).map((e) => e.type === 'job.state' && `${e.from}>${e.to}`), ['queued>sent', 'sent>done']);
    });

    it('completes a Get only when both its Status and its Results arrived, in either order', async () => {
      const first = await queue.enqueue(dev, get('./DevDetail/FwV'));
      const second = await queue.enqueue(dev, get('./DevDetail/SwV'));
      await sendAll([first, second]);
      assert.equal((await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 3, status: 200 }))?.state, 'status_received');
      const done = await queue.recordResults(dev, { sessionId: s1, msgRef: 2, cmdRef: 3, items: [{ uri: './DevDetail/FwV', data: '1.2.3', format: 'chr' }] });
      assert.deepEqual([done?.state, done?.results], ['done', [{ uri: './DevDetail/FwV', data: '1.2.3', format: 'chr' }]]);
      assert.equal((await queue.recordResults(dev, { sessionId: s1, msgRef: 2, cmdRef: 4, items: [{ uri: './DevDetail/SwV', data: '7' }] }))?.state, 'results_received');
      assert.equal((await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 4, status: 200 }))?.state, 'done');
      assert.equal((await store.tree.get(dev, './DevDetail/FwV'))?.source, 'get');
      assert.deepEqual((await store.devices.get(dev))?.devDetail, { FwV: '1.2.3', SwV: '7' });
    });

    it('uses the caller\'s copy of a sent job, and the store\'s row when that copy is stale', async () => {
      const j = await queue.enqueue(dev, get());
      const [sent] = await queue.markSent([j], { sessionId: s1, msgId: 2, cmdIds: [3] });
      assert.ok(sent);
      // The copy is current: the Status is recorded from it.
      const afterStatus = await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 3, status: 200, job: sent });
      assert.equal(afterStatus?.state, 'status_received');
      // A stale copy (still `sent`) must not overwrite the Status already stored: the store's row wins.
      const done = await queue.recordResults(dev, { sessionId: s1, msgRef: 2, cmdRef: 3, items: [{ uri: './DevDetail/FwV', data: '9' }], job: sent });
      assert.equal(done?.state, 'done');
      const stored = await queue.get(j.id);
      assert.deepEqual([stored?.state, stored?.status, stored?.statuses.map((s) => s.status), stored?.results.map((r) => r.data)], ['done', 200, [200], ['9']]);
      assert.deepEqual(seen.filter((e) => e.type === 'job.state').map((e) => e.type === 'job.state' && e.to), ['sent', 'status_received', 'done']);
    });

    it('marks a job given as the record just listed sent, and refuses it when it was no longer queued', async () => {
      const j = await queue.enqueue(dev, replace());
      const [listed] = await queue.nextBatch(dev);
      assert.ok(listed);
      await queue.cancel(j.id);
      await assert.rejects(queue.markSent([listed], { sessionId: s1, msgId: 2, cmdIds: [3] }), { code: ErrorCode.ERR_QUEUE_ILLEGAL_TRANSITION });
      assert.equal((await queue.get(j.id))?.state, 'cancelled');
    });

    it('tells listeners which devices got queued jobs, new or requeued', async () => {
      const told: string[][] = [];
      const stop = queue.onQueued((ids) => told.push([...ids]));
      const j = await queue.enqueue(dev, replace());
      await queue.enqueueForGroup('fleet', replace());
      await sendAll([j]);
      await queue.requeueUnanswered(s1);
      stop();
      await queue.enqueue(dev, replace());
      assert.deepEqual(told, [[dev], [dev, dev2], [dev]]);
    });

    it('treats 1xx and 213 as not final and refuses a second final Status', async () => {
      const j = await queue.enqueue(dev, replace());
      await sendAll([j]);
      assert.equal((await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 3, status: 213 }))?.state, 'sent');
      assert.equal((await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 3, status: 200 }))?.state, 'done');
      await assert.rejects(queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 3, status: 500 }), { code: ErrorCode.ERR_QUEUE_ILLEGAL_TRANSITION });
      const got = await queue.get(j.id);
      assert.deepEqual(got?.statuses.map((s) => s.status), [213, 200]);
      assert.equal(got?.status, 200);
    });

    it('ignores a Status that matches no sent job of that device', async () => {
      const j = await queue.enqueue(dev, replace());
      await sendAll([j]);
      assert.equal(await queue.recordStatus(dev, { sessionId: s1, msgRef: 9, cmdRef: 3, status: 200 }), undefined);
      assert.equal(await queue.recordStatus(dev2, { sessionId: s1, msgRef: 2, cmdRef: 3, status: 200 }), undefined);
      assert.equal(await queue.recordResults(dev, { sessionId: sessionId('other'), msgRef: 2, cmdRef: 3, items: [] }), undefined);
    });

    it('records Statuses and Results of commands nested in Atomic and Sequence', async () => {
      const atomic = await queue.enqueue(dev, { kind: 'Atomic', commands: [replace('./A', '1'), { kind: 'Sequence', commands: [replace('./B', '2')] }] });
      const seq = await queue.enqueue(dev, { kind: 'Sequence', commands: [get('./C'), { kind: 'Alert', code: 1102, text: 'Name?' }] });
      await queue.markSent([atomic.id, seq.id], { sessionId: s1, msgId: 2, cmdIds: [[3, 4, 5, 6], [7, 8, 9]] });
      assert.equal((await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 3, status: 200 }))?.state, 'done');
      await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 4, status: 200 });
      await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 6, status: 200 });
      assert.deepEqual((await queue.get(atomic.id))?.statuses.map((s) => s.cmdId), [3, 4, 6]);
      assert.equal((await store.tree.get(dev, './A'))?.data, '1');
      assert.equal((await store.tree.get(dev, './B'))?.data, '2');
      await queue.recordResults(dev, { sessionId: s1, msgRef: 2, cmdRef: 8, items: [{ uri: './C', data: 'c' }] });
      await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 8, status: 200 });
      await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 9, status: 200, items: [{ uri: '', data: 'Alice' }] });
      const s = await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 7, status: 200 });
      assert.equal(s?.state, 'done', 'a Sequence completes on its own Status');
      assert.deepEqual(s?.results, [{ uri: './C', data: 'c' }]);
      assert.deepEqual(s?.statuses.find((x) => x.cmdId === 9)?.items, [{ uri: '', data: 'Alice' }]);
    });

    it('requeues jobs whose Status never came and finishes the half-answered ones', async () => {
      const unanswered = await queue.enqueue(dev, replace());
      const statusOnly = await queue.enqueue(dev, get());
      const answered = await queue.enqueue(dev, replace('./Z'));
      await sendAll([unanswered, statusOnly, answered]);
      await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 4, status: 200 });
      await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 5, status: 200 });
      const requeued = await queue.requeueUnanswered(s1);
      assert.deepEqual(requeued.map((j) => j.id), [unanswered.id]);
      const back = await queue.get(unanswered.id);
      assert.deepEqual([back?.state, back?.sessionId, back?.cmdId, back?.attempts], ['queued', undefined, undefined, 1]);
      assert.equal((await queue.get(statusOnly.id))?.state, 'done');
      assert.equal((await queue.get(answered.id))?.state, 'done');
      assert.equal(await queue.recordStatus(dev, { sessionId: s1, msgRef: 2, cmdRef: 3, status: 200 }), undefined, 'a late Status of the broken session matches nothing');
      const [again] = await queue.nextBatch(dev);
      assert.equal(again?.id, unanswered.id);
      const [resent] = await queue.markSent([unanswered.id], { sessionId: sessionId('s2'), msgId: 2, cmdIds: [3] });
      assert.equal(resent?.attempts, 2);
      assert.deepEqual(await queue.requeueUnanswered(sessionId('nothing')), []);
    });

    it('recovers the sessions a dead process left open', async () => {
      const j = await queue.enqueue(dev, replace());
      const k = await queue.enqueue(dev2, replace());
      const base = { deviceId: dev, dmSessionId: '1', startedAt: 1, lastMessageAt: 1, lastMsgId: 2, ownerPid: 1 };
      await store.sessions.open({ ...base, id: s1, ownerId: 'dead' });
      await store.sessions.open({ ...base, id: sessionId('alive'), deviceId: dev2, ownerId: 'other-live-process' });
      await store.sessions.open({ ...base, id: sessionId('mine'), ownerId: 'me' });
      await sendAll([j]);
      await queue.markSent([k.id], { sessionId: sessionId('alive'), msgId: 2, cmdIds: [3] });
      const { sessions, requeued } = await queue.recoverOrphanedSessions({ ownerId: 'me', isOwnerAlive: (s) => s.ownerId === 'other-live-process' });
      assert.deepEqual(sessions.map((s) => s.id), ['s1']);
      assert.deepEqual(requeued.map((x) => x.id), [j.id]);
      assert.equal((await queue.get(k.id))?.state, 'sent');
      assert.deepEqual((await store.sessions.list()).map((s) => s.id).sort(), ['alive', 'mine']);
    });

    it('cancels queued jobs only', async () => {
      const a = await queue.enqueue(dev, replace());
      const b = await queue.enqueue(dev, replace());
      const c = await queue.cancel(a.id);
      assert.deepEqual([c.state, c.error], ['cancelled', 'cancelled by operator']);
      assert.deepEqual((await queue.nextBatch(dev)).map((j) => j.id), [b.id]);
      await assert.rejects(queue.cancel(a.id), { code: ErrorCode.ERR_QUEUE_ILLEGAL_TRANSITION });
      await sendAll([b]);
      await assert.rejects(queue.cancel(b.id), { code: ErrorCode.ERR_QUEUE_ILLEGAL_TRANSITION });
      await assert.rejects(queue.cancel(jobId('777')), { code: ErrorCode.ERR_QUEUE_JOB_NOT_FOUND });
    });

    it('lists jobs by device and state with cursor pagination', async () => {
      for (let i = 0; i < 5; i++) await queue.enqueue(dev, get(`./N${i}`));
      await queue.enqueue(dev2, get());
      const p1 = await queue.list({ deviceId: dev, state: 'queued', limit: 3 });
      const p2 = await queue.list({ deviceId: dev, state: 'queued', limit: 3, cursor: p1.nextCursor as string });
      assert.deepEqual([p1.items.length, p2.items.length, p2.nextCursor], [3, 2, undefined]);
    });
  });
}

describe('isAllowed', () => {
  it('allows exactly the documented lifecycle moves', () => {
    const states: JobState[] = ['queued', 'sent', 'status_received', 'results_received', 'done', 'failed', 'cancelled', 'expired'];
    const allowed = states.flatMap((from) => states.filter((to) => from !== to && isAllowed(from, to)).map((to) => `${from}>${to}`));
    assert.deepEqual(allowed, [
      'queued>sent', 'queued>cancelled', 'queued>expired',
      'sent>queued', 'sent>status_received', 'sent>results_received', 'sent>done', 'sent>failed',
      'status_received>done', 'results_received>done', 'results_received>failed',
    ]);
    assert.equal(isAllowed('cancelled', 'cancelled'), false);
    assert.equal(isAllowed('done', 'done'), true, 'nested Statuses are recorded on a finished job');
  });
});
