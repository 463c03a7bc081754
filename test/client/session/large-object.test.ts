import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertCommand, Command, ResultsCommand, SyncMLMessage } from '../../../src/core/syncml/message.js';
import { DEVINFO, MemoryTree } from '../../helpers/memory-tree.js';
import { drive, resultsOf, serverHdrStatus, serverMessage, statusTuples } from '../../helpers/session-driver.js';

const chunk = (cmdId: number, data: string, opts: { more?: boolean; size?: number; uri?: string } = {}): Command => ({
  kind: 'Replace', cmdId,
  items: [{
    target: { locUri: opts.uri ?? './DevInfo/Man' }, data,
    ...(opts.size !== undefined ? { meta: { format: 'chr', size: opts.size } } : {}),
    ...(opts.more === true ? { moreData: true } : {}),
  }],
});
const nextMessage: Command = { kind: 'Alert', cmdId: 9, data: 1222, items: [] };

describe('DmClientSession receiving large objects', () => {
  it('buffers chunks with 213 and Alert 1222, then applies the whole value on the last chunk', async () => {
    const d = drive();
    const first = await d.send(serverMessage([serverHdrStatus(200), chunk(2, 'hello ', { more: true, size: 11 })], { final: false }));
    assert.deepEqual(statusTuples(first).slice(1), [['Replace', 2, 213]]);
    assert.equal((first?.body.commands.at(-1) as AlertCommand).data, 1222);
    assert.equal(first?.body.final, false);
    assert.equal(d.tree.readValue('./DevInfo/Man'), 'Acme', 'nothing applied before the last chunk');
    const last = await d.send(serverMessage([chunk(1, 'world')], { msgId: 2 }));
    assert.deepEqual(statusTuples(last).slice(1), [['Replace', 1, 200]]);
    assert.equal(d.tree.readValue('./DevInfo/Man'), 'hello world');
  });

  it('answers 424 and commits nothing when the reassembled size differs from Meta Size', async () => {
    const d = drive();
    await d.send(serverMessage([serverHdrStatus(200), chunk(2, 'abc', { more: true, size: 10 })], { final: false }));
    const out = await d.send(serverMessage([chunk(1, 'de')], { msgId: 2 }));
    assert.deepEqual(statusTuples(out).slice(1), [['Replace', 1, 424]]);
    assert.equal(d.tree.readValue('./DevInfo/Man'), 'Acme');
  });

  it('reports Alert 1225 naming the object when another command arrives before the last chunk', async () => {
    const d = drive();
    await d.send(serverMessage([serverHdrStatus(200), chunk(2, 'abc', { more: true, size: 10 })], { final: false }));
    const out = await d.send(serverMessage([{ kind: 'Get', cmdId: 1, items: [{ target: { locUri: './DevInfo/Mod' } }] }], { msgId: 2 }));
    const alert = out?.body.commands.find((c): c is AlertCommand => c.kind === 'Alert');
    assert.equal(alert?.data, 1225);
    assert.equal(alert?.items[0]?.source?.locUri, './DevInfo/Man');
    assert.equal(resultsOf(out)[0]?.items[0]?.data, 'Rocket 1');
    assert.equal(d.tree.readValue('./DevInfo/Man'), 'Acme');
  });

  it('reports Alert 1225 when the server closes its package in the middle of an object', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(200), chunk(2, 'abc', { more: true, size: 10 })], { final: true }));
    assert.equal((out?.body.commands.at(-1) as AlertCommand).data, 1225);
  });

  it('refuses an object larger than its MaxObjSize with 413 and one without Meta Size with 411', async () => {
    const d = drive({ maxObjSize: 8 });
    const out = await d.send(serverMessage([serverHdrStatus(200), chunk(2, 'abc', { more: true, size: 9 }), chunk(3, 'abc', { more: true, uri: './DevInfo/Mod' })]));
    assert.deepEqual(statusTuples(out).slice(1), [['Replace', 2, 413], ['Replace', 3, 411]]);
  });
});

/** Plays the server: answers each client message that is not final with Status + Alert 1222. */
async function collect(d: ReturnType<typeof drive>, first: SyncMLMessage | undefined, limit: number): Promise<SyncMLMessage[]> {
  const seen: SyncMLMessage[] = [];
  let msg = first;
  let msgId = 2;
  while (msg !== undefined) {
    seen.push(msg);
    assert.ok((d.last()?.body.byteLength ?? 0) <= limit, `message ${msg.header.msgId} is ${d.last()?.body.byteLength} bytes, over ${limit}`);
    if (msg.body.final) break;
    const results = resultsOf(msg);
    const chunked = results.some((r) => r.items.some((i) => i.moreData === true));
    msg = await d.send(serverMessage([
      serverHdrStatus(200, msg.header.msgId),
      ...(chunked ? [{ kind: 'Status' as const, cmdId: 2, msgRef: msg.header.msgId, cmdRef: results[0]?.cmdId ?? 0, cmd: 'Results', data: 213 }] : []),
      nextMessage,
    ], { msgId: msgId++, final: false, meta: { maxMsgSize: limit } }));
  }
  return seen;
}

describe('DmClientSession sending within MaxMsgSize', () => {
  it('sends a value bigger than MaxMsgSize as chunks: Meta Size first, MoreData until the last, Final at the end', async () => {
    const big = 'x'.repeat(2500) + 'é'.repeat(300);
    const tree = new MemoryTree({ leaves: { ...DEVINFO, './Big': big } });
    const d = drive({ tree });
    const limit = 1000;
    const first = await d.send(serverMessage([serverHdrStatus(200), { kind: 'Get', cmdId: 2, items: [{ target: { locUri: './Big' } }] }], { meta: { maxMsgSize: limit } }));
    const msgs = await collect(d, first, limit);
    assert.ok(msgs.length >= 4, `expected several messages, got ${msgs.length}`);
    const items = msgs.flatMap((m) => resultsOf(m)).map((r: ResultsCommand) => r.items[0]);
    assert.equal(items[0]?.meta?.size, Buffer.byteLength(big));
    assert.ok(items.slice(1).every((i) => i?.meta?.size === undefined));
    assert.ok(items.slice(0, -1).every((i) => i?.moreData === true));
    assert.equal(items.at(-1)?.moreData, undefined);
    assert.equal(items.map((i) => i?.data).join(''), big);
    assert.deepEqual(msgs.map((m) => m.body.final), [...msgs.slice(1).map(() => false), true]);
  });

  it('splits a package that does not fit into several messages, Final only on the last', async () => {
    const tree = new MemoryTree({ leaves: DEVINFO });
    const d = drive({ tree });
    const gets: Command[] = Array.from({ length: 30 }, (_, i) => ({ kind: 'Get', cmdId: i + 2, items: [{ target: { locUri: './DevInfo/Man' } }] }));
    const limit = 1500;
    const first = await d.send(serverMessage([serverHdrStatus(200), ...gets], { meta: { maxMsgSize: limit } }));
    const msgs = await collect(d, first, limit);
    assert.ok(msgs.length >= 3);
    const getStatuses = msgs.flatMap((m) => statusTuples(m)).filter(([cmd, , data]) => cmd === 'Get' && data === 200);
    assert.equal(getStatuses.length, 30);
    assert.equal(msgs.flatMap((m) => resultsOf(m)).length, 30);
    assert.deepEqual(msgs.map((m) => m.body.final), [...msgs.slice(1).map(() => false), true]);
  });

  it('refuses with 413 a Get whose value exceeds the server MaxObjSize', async () => {
    const d = drive({ tree: new MemoryTree({ leaves: { ...DEVINFO, './Big': 'y'.repeat(100) } }) });
    const out = await d.send(serverMessage([serverHdrStatus(200), { kind: 'Get', cmdId: 2, items: [{ target: { locUri: './Big' } }] }], { meta: { maxObjSize: 50 } }));
    assert.deepEqual(statusTuples(out).slice(1), [['Get', 2, 413]]);
    assert.equal(resultsOf(out).length, 0);
  });
});
