import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Command, StatusCommand, SyncMLMessage } from '../../../src/core/syncml/message.js';
import { SqliteStore } from '../../../src/server/store/sqlite/sqlite-store.js';
import { deviceId, type ServerStore, type StoreScope } from '../../../src/server/store/store.js';
import { TestDevice } from '../../helpers/dm-test-device.js';
import { addDevice, startTestServer, type TestServer } from '../../helpers/test-server.js';

async function withServer(fn: (t: TestServer) => Promise<void>, config: Parameters<typeof startTestServer>[0] = {}, extra: Parameters<typeof startTestServer>[1] = {}): Promise<void> {
  const t = await startTestServer(config, extra);
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

async function authedDevice(t: TestServer, id: string, extra: Partial<ConstructorParameters<typeof TestDevice>[0]> = {}): Promise<TestDevice> {
  await addDevice(t.server, { id });
  const dev = new TestDevice({ url: t.dmUrl, devId: id, auth: 'md5', password: 'device-secret', serverId: 'omadm', serverPassword: 'server-secret', ...extra });
  await dev.runSession(); // first session: nonce challenge, then accepted
  return dev;
}

const commandsOf = (m: SyncMLMessage): Command[] => m.body.commands.filter((c) => c.kind !== 'Status');
const id = deviceId;

describe('DM session engine', () => {
  it('delivers queued Get, Replace and Atomic jobs in Package 2 and records every Status and Result', () => withServer(async (t) => {
    const dev = await authedDevice(t, 'dev-1');
    dev.tree.set('./DevDetail/FwV', { data: '1.0.7' });
    const get = await t.server.queue.enqueue(id('dev-1'), { kind: 'Get', uris: ['./DevDetail/FwV'] });
    const rep = await t.server.queue.enqueue(id('dev-1'), { kind: 'Replace', items: [{ uri: './Vendor/A', data: '1', format: 'int' }] });
    const atomic = await t.server.queue.enqueue(id('dev-1'), { kind: 'Atomic', commands: [{ kind: 'Add', items: [{ uri: './Vendor/B', data: 'b' }] }, { kind: 'Delete', uris: ['./Vendor/C'] }] });
    const missing = await t.server.queue.enqueue(id('dev-1'), { kind: 'Get', uris: ['./Nope'] });
    const replies = await dev.runSession();
    assert.equal(commandsOf(replies[0] as SyncMLMessage).length, 4, 'all four jobs in Package 2');
    assert.equal(commandsOf(replies.at(-1) as SyncMLMessage).length, 0, 'Package 4 closes the session');
    const g = await t.server.queue.get(get.id);
    assert.equal(g?.state, 'done');
    assert.deepEqual(g?.results.map((r) => [r.uri, r.data]), [['./DevDetail/FwV', '1.0.7']]);
    assert.equal((await t.server.queue.get(rep.id))?.state, 'done');
    const a = await t.server.queue.get(atomic.id);
    assert.equal(a?.state, 'done');
    assert.equal(a?.statuses.length, 3, 'Atomic and both nested commands');
    const m = await t.server.queue.get(missing.id);
    assert.equal(m?.state, 'failed');
    assert.equal(m?.status, 404);
    const node = await t.server.registry.getNode(id('dev-1'), './DevDetail/FwV');
    assert.equal(node?.data, '1.0.7', 'Results cached in the tree');
    const devRec = await t.server.registry.get(id('dev-1'));
    assert.equal(devRec?.devInfo.mod, 'Roadrunner', 'DevInfo Replace recorded');
    assert.equal(devRec?.lastSessionOutcome, 'completed');
  }));

  it('answers a DM 1.1.2 device in DM 1.1.2 and a WBXML device in WBXML', () => withServer(async (t) => {
    const old = await authedDevice(t, 'old-1', { verDtd: '1.1' });
    await t.server.queue.enqueue(id('old-1'), { kind: 'Replace', items: [{ uri: './X', data: 'y' }] });
    old.newSession();
    const res = await old.send(old.package1());
    assert.equal(res.reply?.header.verDtd, '1.1');
    assert.equal(res.reply?.header.verProto, 'DM/1.1');
    assert.match(res.body.toString('utf8'), /<SyncML xmlns=.SYNCML:SYNCML1\.1/);
    const wb = await authedDevice(t, 'wb-1', { encoding: 'wbxml' });
    wb.newSession();
    const r2 = await wb.send(wb.package1());
    assert.equal(r2.headers['content-type'], 'application/vnd.syncml.dm+wbxml');
    assert.ok((r2.body[0] ?? 0xff) <= 3, 'a WBXML version byte');
    assert.equal(r2.reply?.header.verDtd, '1.2');
  }));

  it('accepts the Data Sync content types and answers with the same family', () => withServer(async (t) => {
    const dev = await authedDevice(t, 'ds-1', { contentType: 'application/vnd.syncml+xml' });
    dev.newSession();
    const res = await dev.send(dev.package1());
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/vnd.syncml+xml');
  }));

  it('records 1224/1226 alerts as events, matches a 1226 Correlator to its Exec job and answers 200', () => withServer(async (t) => {
    const dev = await authedDevice(t, 'fumo-1');
    const exec = await t.server.queue.enqueue(id('fumo-1'), { kind: 'Exec', item: { uri: './FUMO/1/DownloadAndUpdate' } });
    await dev.runSession();
    assert.equal(dev.execs[0]?.correlator, exec.correlator);
    assert.equal((await t.server.queue.get(exec.id))?.status, 202);
    dev.newSession();
    const generic: Command = {
      kind: 'Alert', cmdId: 10, data: 1226, correlator: exec.correlator as string,
      items: [{ source: { locUri: './FUMO/1' }, meta: { type: 'org.openmobilealliance.dm.firmwareupdate.downloadandupdate', format: 'int', mark: 'critical' }, data: '200' }],
    };
    const event: Command = { kind: 'Alert', cmdId: 11, data: 1224, items: [{ meta: { type: 'com.example/Login' }, data: 'user' }] };
    const res = await dev.send(dev.package1({ extra: [generic, event] }));
    const statuses = res.reply?.body.commands.filter((c): c is StatusCommand => c.kind === 'Status' && (c.cmdRef === 10 || c.cmdRef === 11));
    assert.deepEqual(statuses?.map((s) => s.data), [200, 200]);
    const alerts = await t.server.events.list({ deviceId: id('fumo-1'), type: 'alert' });
    const g = alerts.items.find((e) => e.type === 'alert' && e.code === 1226);
    assert.ok(g && g.type === 'alert');
    assert.equal(g.jobId, exec.id);
    assert.equal(g.items[0]?.data, '200');
    assert.equal(g.items[0]?.mark, 'critical');
    assert.ok(alerts.items.some((e) => e.type === 'alert' && e.code === 1224));
  }));

  it('answers commands a client may not send with 405 and unknown elements with 400', () => withServer(async (t) => {
    const dev = await authedDevice(t, 'odd-1');
    dev.newSession();
    const res = await dev.send(dev.package1({ extra: [{ kind: 'Get', cmdId: 9, items: [{ target: { locUri: './X' } }] }, { kind: 'Alert', cmdId: 10, data: 1999, items: [] }] }));
    const st = (ref: number) => res.reply?.body.commands.find((c): c is StatusCommand => c.kind === 'Status' && c.cmdRef === ref)?.data;
    assert.equal(st(9), 405);
    assert.equal(st(10), 406);
  }));

  it('sends a job queued while the session is open in that session\'s next package', () => withServer(async (t) => {
    const dev = await authedDevice(t, 'late-1');
    const first = await t.server.queue.enqueue(id('late-1'), { kind: 'Replace', items: [{ uri: './Vendor/A', data: '1' }] });
    dev.newSession();
    const p2 = await dev.send(dev.package1());
    assert.deepEqual(commandsOf(p2.reply as SyncMLMessage).map((c) => c.kind), ['Replace']);
    // Queued after Package 2 went out: the session already listed the queue and found it empty.
    const late = await t.server.queue.enqueue(id('late-1'), { kind: 'Get', uris: ['./DevDetail/FwV'] });
    const p4 = await dev.send(dev.respond(p2.reply as SyncMLMessage));
    assert.deepEqual(commandsOf(p4.reply as SyncMLMessage).map((c) => c.kind), ['Get']);
    assert.equal((await t.server.queue.get(first.id))?.state, 'done');
    assert.equal((await t.server.queue.get(late.id))?.state, 'sent');
  }));

  it('requeues the jobs of a message whose writes rolled back, though the session had seen them answered', async () => {
    // A store whose session-row delete fails once: Package 3's transaction (job Statuses recorded,
    // session closed) rolls back after the session's own copies of its jobs already say "done".
    const real = SqliteStore.open({ path: ':memory:' });
    let failClose = false;
    const wrap = (tx: StoreScope): StoreScope => ({
      ...tx,
      sessions: {
        ...tx.sessions,
        close: (sid) => {
          if (!failClose) return tx.sessions.close(sid);
          failClose = false;
          return Promise.reject(new Error('disk full'));
        },
      },
      transaction: (fn) => tx.transaction((inner) => fn(wrap(inner))),
    });
    const store: ServerStore = { ...wrap(real), kind: real.kind, transaction: (fn) => real.transaction((tx) => fn(wrap(tx))), afterCommit: (cb) => real.afterCommit(cb), close: () => real.close() };
    const t = await startTestServer({}, { store });
    try {
      const dev = await authedDevice(t, 'rb-1');
      const job = await t.server.queue.enqueue(id('rb-1'), { kind: 'Replace', items: [{ uri: './Vendor/A', data: '1' }] });
      dev.newSession();
      const p2 = await dev.send(dev.package1());
      assert.equal(commandsOf(p2.reply as SyncMLMessage).length, 1);
      failClose = true;
      const p4 = await dev.send(dev.respond(p2.reply as SyncMLMessage));
      assert.equal(p4.status, 500);
      assert.equal((await t.server.queue.get(job.id))?.state, 'queued', 'the rolled-back Status is not trusted: the job goes out again');
    } finally {
      await t.close();
      await real.close();
    }
  });

  it('ends the session on Alert 1223 and puts unanswered jobs back in the queue', () => withServer(async (t) => {
    const dev = await authedDevice(t, 'ab-1');
    const job = await t.server.queue.enqueue(id('ab-1'), { kind: 'Get', uris: ['./A'] });
    dev.newSession();
    const p2 = await dev.send(dev.package1());
    assert.equal(commandsOf(p2.reply as SyncMLMessage).length, 1);
    assert.equal((await t.server.queue.get(job.id))?.state, 'sent');
    const abort = dev.respond(p2.reply as SyncMLMessage);
    const aborted: SyncMLMessage = { header: abort.header, body: { commands: [{ kind: 'Alert', cmdId: 1, data: 1223, items: [] }], final: true } };
    const res = await dev.send(aborted);
    assert.ok(res.reply?.body.final);
    assert.ok(res.reply?.body.commands.every((c) => c.kind === 'Status'));
    assert.equal((await t.server.queue.get(job.id))?.state, 'queued');
    const ends = await t.server.events.list({ deviceId: id('ab-1'), type: 'session.end' });
    assert.ok(ends.items.some((e) => e.type === 'session.end' && e.outcome === 'aborted'));
  }));

  it('expires an idle session and requeues its sent-but-unanswered jobs', async () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    await withServer(async (t) => {
      const dev = await authedDevice(t, 'idle-1');
      const job = await t.server.queue.enqueue(id('idle-1'), { kind: 'Get', uris: ['./A'] });
      dev.newSession();
      await dev.send(dev.package1());
      assert.equal((await t.server.queue.get(job.id))?.state, 'sent');
      assert.equal(t.server.sessions.size, 1);
      now += 60_000;
      await t.server.sessions.sweep();
      assert.equal(t.server.sessions.size, 0);
      assert.equal((await t.server.queue.get(job.id))?.state, 'queued');
      const ends = await t.server.events.list({ deviceId: id('idle-1'), type: 'session.end' });
      assert.ok(ends.items.some((e) => e.type === 'session.end' && e.outcome === 'expired'));
      // The requeued job goes out in the next session.
      dev.tree.set('./A', { data: 'a' });
      await dev.runSession();
      assert.equal((await t.server.queue.get(job.id))?.state, 'done');
    }, { session: { idleTimeoutMs: 30_000 } }, { clock });
  });

  it('answers a retransmitted message with the same reply and processes it once', () => withServer(async (t) => {
    const dev = await authedDevice(t, 'rt-1');
    await t.server.queue.enqueue(id('rt-1'), { kind: 'Get', uris: ['./A'] });
    dev.newSession();
    const p1 = dev.package1();
    const first = await dev.send(p1);
    dev.respUri = undefined;
    const again = await dev.send(p1);
    assert.deepEqual(again.body, first.body);
  }));

  it('ends an abandoned session when the device starts a new one, so its unanswered jobs go out at once', () => withServer(async (t) => {
    const dev = await authedDevice(t, 'sup-1');
    const job = await t.server.queue.enqueue(id('sup-1'), { kind: 'Get', uris: ['./A'] });
    dev.newSession();
    await dev.send(dev.package1()); // the Get goes out, then the device drops the session
    assert.equal((await t.server.queue.get(job.id))?.state, 'sent');
    dev.tree.set('./A', { data: 'a' });
    const replies = await dev.runSession();
    assert.ok(replies[0]?.body.commands.some((c) => c.kind === 'Get'), 'resent in the new session');
    assert.equal((await t.server.queue.get(job.id))?.state, 'done');
    const ends = await t.server.events.list({ deviceId: id('sup-1'), type: 'session.end' });
    assert.ok(ends.items.some((e) => e.type === 'session.end' && e.outcome === 'aborted' && e.detail === 'superseded by a new session'));
  }));
});
