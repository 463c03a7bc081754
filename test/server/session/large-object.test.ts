import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Command, StatusCommand, SyncMLMessage } from '../../../src/core/syncml/message.js';
import { deviceId } from '../../../src/server/store/store.js';
import { TestDevice } from '../../helpers/dm-test-device.js';
import { addDevice, startTestServer, type TestServer } from '../../helpers/test-server.js';

async function withServer(fn: (t: TestServer) => Promise<void>): Promise<void> {
  const t = await startTestServer();
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

async function authedDevice(t: TestServer, id: string, extra: Partial<ConstructorParameters<typeof TestDevice>[0]> = {}): Promise<TestDevice> {
  await addDevice(t.server, { id });
  const dev = new TestDevice({ url: t.dmUrl, devId: id, auth: 'md5', password: 'device-secret', serverId: 'omadm', serverPassword: 'server-secret', ...extra });
  await dev.runSession();
  return dev;
}

const statusOf = (m: SyncMLMessage | undefined, ref: number): number | undefined =>
  m?.body.commands.find((c): c is StatusCommand => c.kind === 'Status' && c.cmdRef === ref)?.data;

describe('multi-message packages, large objects and MaxMsgSize', () => {
  for (const encoding of ['xml', 'wbxml'] as const) {
    it(`never exceeds the device's MaxMsgSize and spreads queued jobs over several packages (${encoding})`, () => withServer(async (t) => {
      const dev = await authedDevice(t, `small-${encoding}`, { maxMsgSize: 2048, encoding });
      const jobs = [];
      for (let i = 0; i < 30; i++) jobs.push(await t.server.queue.enqueue(deviceId(`small-${encoding}`), { kind: 'Replace', items: [{ uri: `./Vendor/Node${i}`, data: 'x'.repeat(100) }] }));
      const replies = await dev.runSession();
      const withJobs = replies.filter((r) => r.body.commands.some((c) => c.kind === 'Replace'));
      assert.ok(withJobs.length >= 3, `spread over ${withJobs.length} packages`);
      for (const r of replies) assert.ok(r.body.final, 'each package fits in one message');
      for (const j of jobs) assert.equal((await t.server.queue.get(j.id))?.state, 'done');
      assert.equal(dev.tree.size, 30);
    }));
  }

  it('measures every reply against MaxMsgSize on the wire', () => withServer(async (t) => {
    const dev = await authedDevice(t, 'wire-1', { maxMsgSize: 2048 });
    for (let i = 0; i < 20; i++) await t.server.queue.enqueue(deviceId('wire-1'), { kind: 'Get', uris: [`./N${i}`] });
    dev.newSession();
    let msg = dev.package1();
    for (let i = 0; i < 40; i++) {
      const ex = await dev.send(msg);
      assert.ok(ex.body.byteLength <= 2048, `reply of ${ex.body.byteLength} bytes`);
      const reply = ex.reply as SyncMLMessage;
      if (reply.body.final && !reply.body.commands.some((c) => c.kind !== 'Status')) return;
      msg = dev.respond(reply);
    }
    assert.fail('session did not end');
  }));

  it('sends an object larger than a message in chunks with MoreData and Meta Size (213 per chunk)', () => withServer(async (t) => {
    const dev = await authedDevice(t, 'lo-out', { maxMsgSize: 2048, maxObjSize: 100_000 });
    const big = Array.from({ length: 9000 }, (_, i) => String.fromCharCode(0x41 + (i % 26))).join('') + 'é€';
    const job = await t.server.queue.enqueue(deviceId('lo-out'), { kind: 'Replace', items: [{ uri: './Vendor/Big', data: big, format: 'chr' }] });
    const replies = await dev.runSession();
    const chunks = replies.flatMap((r) => r.body.commands.filter((c): c is Extract<Command, { kind: 'Replace' }> => c.kind === 'Replace'));
    assert.ok(chunks.length >= 4, `${chunks.length} chunks`);
    assert.equal(chunks[0]?.items[0]?.meta?.size, Buffer.byteLength(big));
    assert.ok(chunks.slice(0, -1).every((c) => c.items[0]?.moreData === true));
    assert.equal(chunks.at(-1)?.items[0]?.moreData, undefined);
    for (const x of dev.transcript) if (x.in) assert.ok(x.in.body.final === !x.in.body.commands.some((c) => c.kind === 'Replace' && c.items[0]?.moreData));
    assert.equal(dev.tree.get('./Vendor/Big')?.data, big);
    assert.equal((await t.server.queue.get(job.id))?.state, 'done');
  }));

  it('cancels a job whose object exceeds the device MaxObjSize', () => withServer(async (t) => {
    const dev = await authedDevice(t, 'lo-max', { maxMsgSize: 2048, maxObjSize: 4000 });
    const job = await t.server.queue.enqueue(deviceId('lo-max'), { kind: 'Replace', items: [{ uri: './Big', data: 'z'.repeat(5000) }] });
    const small = await t.server.queue.enqueue(deviceId('lo-max'), { kind: 'Replace', items: [{ uri: './Small', data: 's' }] });
    await dev.runSession();
    const j = await t.server.queue.get(job.id);
    assert.equal(j?.state, 'cancelled');
    assert.match(j?.error ?? '', /MaxObjSize/);
    assert.equal((await t.server.queue.get(small.id))?.state, 'done');
  }));

  it('reassembles chunked Results (213 per chunk) and refuses a size mismatch with 424', () => withServer(async (t) => {
    const dev = await authedDevice(t, 'lo-in');
    const job = await t.server.queue.enqueue(deviceId('lo-in'), { kind: 'Get', uris: ['./Log'] });
    dev.newSession();
    const p2 = (await dev.send(dev.package1())).reply as SyncMLMessage;
    const get = p2.body.commands.find((c) => c.kind === 'Get') as Command;
    const results = (data: string, more: boolean, size?: number): Command => ({
      kind: 'Results', cmdId: dev.nextCmdId(), msgRef: p2.header.msgId, cmdRef: get.cmdId ?? 0,
      items: [{ source: { locUri: './Log' }, ...(size !== undefined ? { meta: { size, format: 'chr' } } : {}), data, ...(more ? { moreData: true } : {}) }],
    });
    // Chunk 1: Status for the Get + first Results chunk, not final.
    const m1 = dev.respond({ ...p2, body: { ...p2.body, commands: p2.body.commands.filter((c) => c.kind !== 'Get') } });
    const getStatus: StatusCommand = { kind: 'Status', cmdId: dev.nextCmdId(), msgRef: p2.header.msgId, cmdRef: get.cmdId ?? 0, cmd: 'Get', data: 200 };
    const r1 = await dev.send({ header: m1.header, body: { commands: [...m1.body.commands, getStatus, results('hello ', true, 11)], final: false } });
    const c1 = r1.reply?.body.commands.find((c): c is StatusCommand => c.kind === 'Status' && c.cmd === 'Results');
    assert.equal(c1?.data, 213);
    assert.ok(r1.reply?.body.commands.some((c) => c.kind === 'Alert' && c.data === 1222), 'asks for the next message');
    assert.equal(r1.reply?.body.final, false);
    const h2 = dev.header(false);
    const r2 = await dev.send({ header: h2, body: { commands: [results('world', false)], final: true } });
    assert.equal(statusOf(r2.reply, get.cmdId ?? 0), undefined, 'no 200 Status for Results');
    const j = await t.server.queue.get(job.id);
    assert.equal(j?.state, 'done');
    assert.equal(j?.results[0]?.data, 'hello world');

    // Size mismatch
    const job2 = await t.server.queue.enqueue(deviceId('lo-in'), { kind: 'Get', uris: ['./Log2'] });
    dev.newSession();
    const q2 = (await dev.send(dev.package1())).reply as SyncMLMessage;
    const get2 = q2.body.commands.find((c) => c.kind === 'Get') as Command;
    const hdr = dev.header(false);
    const mk = (data: string, more: boolean, size?: number): Command => ({
      kind: 'Results', cmdId: dev.nextCmdId(), msgRef: q2.header.msgId, cmdRef: get2.cmdId ?? 0,
      items: [{ source: { locUri: './Log2' }, ...(size !== undefined ? { meta: { size } } : {}), data, ...(more ? { moreData: true } : {}) }],
    });
    await dev.send({ header: hdr, body: { commands: [{ kind: 'Status', cmdId: dev.nextCmdId(), msgRef: q2.header.msgId, cmdRef: get2.cmdId ?? 0, cmd: 'Get', data: 200 }, mk('abc', true, 100)], final: false } });
    const bad = await dev.send({ header: dev.header(false), body: { commands: [mk('def', false)], final: true } });
    assert.equal(bad.reply?.body.commands.find((c): c is StatusCommand => c.kind === 'Status' && c.cmd === 'Results')?.data, 424);
    assert.equal((await t.server.queue.get(job2.id))?.results.length, 0);
  }));

  it('answers Alert 1225 when a chunked object is interrupted by a new command', () => withServer(async (t) => {
    const dev = await authedDevice(t, 'lo-cut');
    dev.newSession();
    const chunk: Command = { kind: 'Replace', cmdId: 5, items: [{ source: { locUri: './DevInfo/Ext' }, meta: { size: 50 }, data: 'part', moreData: true }] };
    const r1 = await dev.send(dev.package1({ extra: [chunk], final: false }));
    assert.equal(statusOf(r1.reply, 5), 213);
    const other: Command = { kind: 'Alert', cmdId: 2, data: 1224, items: [{ data: 'x' }] };
    const r2 = await dev.send({ header: dev.header(false), body: { commands: [other], final: true } });
    const alert = r2.reply?.body.commands.find((c) => c.kind === 'Alert');
    assert.ok(alert && alert.kind === 'Alert' && alert.data === 1225);
    assert.equal(alert.items[0]?.source?.locUri, './DevInfo/Ext');
  }));

  it('answers each message of a multi-message client package with Statuses and Alert 1222, commands only after Final', () => withServer(async (t) => {
    const dev = await authedDevice(t, 'mm-1');
    await t.server.queue.enqueue(deviceId('mm-1'), { kind: 'Replace', items: [{ uri: './X', data: '1' }] });
    dev.newSession();
    const r1 = await dev.send(dev.package1({ final: false, devInfo: false }));
    assert.equal(r1.reply?.body.final, false);
    assert.ok(r1.reply?.body.commands.some((c) => c.kind === 'Alert' && c.data === 1222));
    assert.ok(!r1.reply?.body.commands.some((c) => c.kind === 'Replace'), 'no new command before the package ends');
    const more: Command = { kind: 'Replace', cmdId: 2, items: [{ source: { locUri: './DevInfo/Lang' }, data: 'fr-FR' }] };
    const r2 = await dev.send({ header: dev.header(false), body: { commands: [more], final: true } });
    assert.equal(r2.reply?.body.final, true);
    assert.ok(r2.reply?.body.commands.some((c) => c.kind === 'Replace'));
    assert.equal((await t.server.registry.get(deviceId('mm-1')))?.devInfo.lang, 'fr-FR');
  }));
});
