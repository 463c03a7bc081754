import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage } from '../../../src/core/codec/message-codec.js';
import type { AlertCommand, Command, ReplaceCommand, StatusCommand } from '../../../src/core/syncml/message.js';
import { DEVINFO, MemoryTree } from '../../helpers/memory-tree.js';
import { drive, resultsOf, serverHdrStatus, serverMessage, statusTuples } from '../../helpers/session-driver.js';

const add = (cmdId: number, uri: string, data = 'v'): Command => ({ kind: 'Add', cmdId, meta: { format: 'chr' }, items: [{ target: { locUri: uri }, data }] });
const replace = (cmdId: number, uri: string, data = 'v'): Command => ({ kind: 'Replace', cmdId, items: [{ target: { locUri: uri }, data }] });
const get = (cmdId: number, uri: string): Command => ({ kind: 'Get', cmdId, items: [{ target: { locUri: uri } }] });
const del = (cmdId: number, uri: string): Command => ({ kind: 'Delete', cmdId, items: [{ target: { locUri: uri } }] });

describe('DmClientSession Package 1', () => {
  it('sends Alert 1201, one DevInfo Replace item per leaf with Source LocURI and Format chr, and Final', () => {
    const { package1 } = drive();
    const msg = package1.message;
    assert.equal(msg.header.msgId, 1);
    assert.equal(msg.header.verDtd, '1.2');
    assert.equal(msg.header.source.locUri, DEVINFO['./DevInfo/DevId']);
    assert.equal(msg.header.target.locUri, 'https://dm.example.net/dm');
    assert.equal(msg.header.meta?.maxMsgSize, 65536);
    assert.equal(msg.header.meta?.maxObjSize, 4 * 1024 * 1024);
    const [alert, rep] = msg.body.commands as [AlertCommand, ReplaceCommand];
    assert.equal(alert.kind, 'Alert');
    assert.equal(alert.data, 1201);
    assert.equal(rep.kind, 'Replace');
    assert.deepEqual(rep.items.map((i) => i.source?.locUri), ['./DevInfo/DevId', './DevInfo/Man', './DevInfo/Mod', './DevInfo/DmV', './DevInfo/Lang']);
    assert.ok(rep.items.every((i) => i.meta?.format === 'chr' && i.target === undefined));
    assert.equal(msg.body.final, true);
    assert.equal(package1.contentType, 'application/vnd.syncml.dm+xml');
  });

  it('answers a Package 0 with Alert 1200 and the trigger session id in upper-case hex', () => {
    const { package1 } = drive({ trigger: { sessionId: 0x1a2f } });
    assert.equal(package1.message.header.sessionId, '1A2F');
    assert.equal((package1.message.body.commands[0] as AlertCommand).data, 1200);
  });

  it('appends pending generic alerts with their correlator after the DevInfo Replace', () => {
    const { package1 } = drive({
      alerts: [{ id: 'a1', code: 1226, correlator: 'fw-1', items: [{ source: { locUri: './FwUpdate/x/Update' }, meta: { type: 'org.openmobilealliance.dm.firmwareupdate.update', format: 'int' }, data: '200' }] }],
    });
    const cmds = package1.message.body.commands;
    assert.deepEqual(cmds.map((c) => c.kind), ['Alert', 'Replace', 'Alert']);
    const ga = cmds[2] as AlertCommand;
    assert.equal(ga.data, 1226);
    assert.equal(ga.correlator, 'fw-1');
    assert.equal(ga.items[0]?.source?.locUri, './FwUpdate/x/Update');
  });

  it('announces DM 1.1.2 (VerDTD 1.1, DM/1.1, SYNCML:SYNCML1.1) when asked to', () => {
    const { package1 } = drive({ verDtd: '1.1' });
    assert.equal(package1.message.header.verProto, 'DM/1.1');
    assert.match(Buffer.from(package1.body).toString(), /xmlns="SYNCML:SYNCML1\.1"/);
  });

  it('leaves the DM 1.2 Correlator out of a generic alert in a DM 1.1.2 session (WBXML has no token for it)', () => {
    const alerts = [{ id: 'a', code: 1226, correlator: 'c1', items: [{ source: { locUri: './FwUpdate/x' }, data: '200' }] }];
    const { package1 } = drive({ verDtd: '1.1', encoding: 'wbxml', alerts });
    const ga = decodeMessage(package1.body).message.body.commands.at(-1) as AlertCommand;
    assert.equal(ga.data, 1226);
    assert.equal(ga.correlator, undefined);
  });

  it('encodes WBXML with the WBXML content type when the account says so', () => {
    const { package1 } = drive({ encoding: 'wbxml' });
    assert.equal(package1.contentType, 'application/vnd.syncml.dm+wbxml');
    assert.ok((package1.body[0] ?? 0xff) <= 3);
    assert.equal(decodeMessage(package1.body).message.body.commands.length, 2);
  });
});

describe('DmClientSession command execution', () => {
  it('answers the server SyncHdr first with CmdRef 0, the server MsgID, TargetRef and SourceRef', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(200), get(2, './DevInfo/Mod')], { msgId: 7 }));
    const hdr = out?.body.commands[0] as StatusCommand;
    assert.equal(hdr.cmd, 'SyncHdr');
    assert.equal(hdr.cmdRef, 0);
    assert.equal(hdr.msgRef, 7);
    assert.equal(hdr.data, 200);
    assert.deepEqual(hdr.targetRefs, [DEVINFO['./DevInfo/DevId']]);
    assert.deepEqual(hdr.sourceRefs, ['https://dm.example.net/dm']);
    assert.equal(out?.header.msgId, 2);
  });

  it('runs Add, Replace, Delete and Copy and gives each item a Status with its TargetRef', async () => {
    const d = drive();
    const out = await d.send(serverMessage([
      serverHdrStatus(200),
      add(2, './DevInfo/Ext'), add(3, './DevInfo/Man'), replace(4, './Nope'), del(5, './DevInfo/Lang'),
      { kind: 'Copy', cmdId: 6, items: [{ target: { locUri: './DevInfo/Copy' }, source: { locUri: './DevInfo/Mod' } }] },
    ]));
    assert.deepEqual(statusTuples(out).slice(1), [['Add', 2, 200], ['Add', 3, 418], ['Replace', 4, 404], ['Delete', 5, 200], ['Copy', 6, 200]]);
    const add2 = out?.body.commands[1] as StatusCommand;
    assert.deepEqual(add2.targetRefs, ['./DevInfo/Ext']);
    assert.equal(d.tree.readValue('./DevInfo/Copy'), 'Rocket 1');
    assert.equal(d.tree.readValue('./DevInfo/Lang'), undefined);
  });

  it('puts Results with CmdRef and MsgRef right after the Status of a Get', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(200), get(4, './DevInfo/Mod'), get(5, './Missing')], { msgId: 3 }));
    const kinds = out?.body.commands.map((c) => c.kind);
    assert.deepEqual(kinds, ['Status', 'Status', 'Results', 'Status']);
    const [r] = resultsOf(out);
    assert.equal(r?.cmdRef, 4);
    assert.equal(r?.msgRef, 3);
    assert.equal(r?.items[0]?.source?.locUri, './DevInfo/Mod');
    assert.equal(r?.items[0]?.data, 'Rocket 1');
    assert.deepEqual(statusTuples(out).at(-1), ['Get', 5, 404]);
  });

  it('passes the Correlator of an Exec to the tree and reports its 202', async () => {
    let seen: string | undefined;
    const tree = new MemoryTree({ leaves: DEVINFO, exec: { './FwUpdate/1/DownloadAndUpdate': (r) => { seen = r.correlator; return { status: 202 }; } } });
    const d = drive({ tree });
    const out = await d.send(serverMessage([serverHdrStatus(200), { kind: 'Exec', cmdId: 2, correlator: 'c-9', items: [{ target: { locUri: './FwUpdate/1/DownloadAndUpdate' } }] }]));
    assert.deepEqual(statusTuples(out).at(-1), ['Exec', 2, 202]);
    assert.equal(seen, 'c-9');
  });

  it('answers an element that is not a DM command with 400', async () => {
    const d = drive();
    const sync: Command = { kind: 'Unknown', cmdId: 2, name: 'Sync', element: { name: 'Sync', children: [{ name: 'CmdID', children: ['2'] }] } };
    const out = await d.send(serverMessage([serverHdrStatus(200), sync]));
    assert.deepEqual(statusTuples(out).at(-1), ['Sync', 2, 400]);
  });

  it('answers a command without CmdID with 400 and an empty CmdRef', async () => {
    const d = drive();
    const msg = serverMessage([serverHdrStatus(200), { kind: 'Get', cmdId: undefined, items: [{ target: { locUri: './DevInfo/Mod' } }] }]);
    const out = await d.session.receive({ body: encodeMessage(msg, 'xml') });
    const xml = Buffer.from(out?.body ?? []).toString();
    assert.match(xml, /<Status><CmdID>2<\/CmdID><MsgRef>1<\/MsgRef><CmdRef\s*\/?>(<\/CmdRef>)?<Cmd>Get<\/Cmd><Data>400<\/Data><\/Status>/);
  });

  it('sends no Status for a command marked NoResp', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(200), { kind: 'Replace', cmdId: 2, noResp: true, items: [{ target: { locUri: './DevInfo/Man' }, data: 'X' }] }, get(3, './DevInfo/Man')]));
    assert.deepEqual(statusTuples(out), [['SyncHdr', 0, 200], ['Get', 3, 200]]);
    assert.equal(resultsOf(out)[0]?.items[0]?.data, 'X');
  });

  it('refuses an Item without Target with 400 and its SourceRef', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(200), { kind: 'Replace', cmdId: 2, items: [{ source: { locUri: './DevInfo/DevId' }, data: 'x' }] }]));
    const s = out?.body.commands[1] as StatusCommand;
    assert.equal(s.data, 400);
    assert.deepEqual(s.sourceRefs, ['./DevInfo/DevId']);
  });
});

describe('DmClientSession Atomic and Sequence', () => {
  it('commits an Atomic whose members all succeed and answers 200 for each', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(200), { kind: 'Atomic', cmdId: 2, commands: [add(3, './DevInfo/A'), replace(4, './DevInfo/Man', 'M')] }]));
    assert.deepEqual(statusTuples(out).slice(1), [['Atomic', 2, 200], ['Add', 3, 200], ['Replace', 4, 200]]);
    assert.equal(d.tree.readValue('./DevInfo/A'), 'v');
  });

  it('rolls back a failed Atomic: 507 on it, 216 on done members, the failure kept, 215 for the rest', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(200), {
      kind: 'Atomic', cmdId: 2, commands: [add(3, './DevInfo/A'), replace(4, './Nope'), add(5, './DevInfo/B')],
    }]));
    assert.deepEqual(statusTuples(out).slice(1), [['Atomic', 2, 507], ['Add', 3, 216], ['Replace', 4, 404], ['Add', 5, 215]]);
    assert.equal(d.tree.readValue('./DevInfo/A'), undefined);
  });

  it('reports 516 for members whose rollback failed', async () => {
    const d = drive({ tree: new MemoryTree({ leaves: DEVINFO, rollbackFails: true }) });
    const out = await d.send(serverMessage([serverHdrStatus(200), { kind: 'Atomic', cmdId: 2, commands: [add(3, './DevInfo/A'), replace(4, './Nope')] }]));
    assert.deepEqual(statusTuples(out).slice(1), [['Atomic', 2, 507], ['Add', 3, 516], ['Replace', 4, 404]]);
  });

  it('refuses a nested Atomic with 500 and fails the parent with 507', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(200), {
      kind: 'Atomic', cmdId: 2, commands: [add(3, './DevInfo/A'), { kind: 'Atomic', cmdId: 4, commands: [add(5, './DevInfo/B')] }],
    }]));
    assert.deepEqual(statusTuples(out).slice(1), [['Atomic', 2, 507], ['Add', 3, 216], ['Atomic', 4, 500], ['Add', 5, 215]]);
  });

  it('refuses a Get inside an Atomic with 500 and sends no Results', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(200), { kind: 'Atomic', cmdId: 2, commands: [get(3, './DevInfo/Mod')] }]));
    assert.deepEqual(statusTuples(out).slice(1), [['Atomic', 2, 507], ['Get', 3, 500]]);
    assert.equal(resultsOf(out).length, 0);
  });

  it('stops a Sequence at the first failure and answers 215 for the commands it skipped', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(200), {
      kind: 'Sequence', cmdId: 2, commands: [add(3, './DevInfo/A'), replace(4, './Nope'), add(5, './DevInfo/B')],
    }, add(6, './DevInfo/C')]));
    assert.deepEqual(statusTuples(out).slice(1), [['Sequence', 2, 200], ['Add', 3, 200], ['Replace', 4, 404], ['Add', 5, 215], ['Add', 6, 200]]);
    assert.equal(d.tree.readValue('./DevInfo/A'), 'v');
  });
});

describe('DmClientSession session flow', () => {
  it('ends without sending when the reply would hold only the SyncHdr Status', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(200), { kind: 'Status', cmdId: 2, msgRef: 1, cmdRef: 1, cmd: 'Alert', data: 200 }]));
    assert.equal(out, undefined);
    assert.equal(d.session.outcome?.end, 'completed');
    assert.equal(d.session.outcome?.messagesSent, 1);
  });

  it('asks for the next message with Alert 1222 and no Final while the server package is open', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(200), get(2, './DevInfo/Mod')], { final: false }));
    assert.equal(out?.body.final, false);
    const last = out?.body.commands.at(-1) as AlertCommand;
    assert.equal(last.kind, 'Alert');
    assert.equal(last.data, 1222);
    const next = await d.send(serverMessage([get(1, './DevInfo/Man')], { msgId: 2 }));
    assert.equal(next?.body.final, true);
  });

  it('stops at Alert 1223 without answering', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(200), add(2, './DevInfo/A'), { kind: 'Alert', cmdId: 3, data: 1223, items: [] }]));
    assert.equal(out, undefined);
    assert.equal(d.session.outcome?.end, 'aborted-by-server');
  });

  it('follows RespURI for later messages', async () => {
    const d = drive();
    await d.send(serverMessage([serverHdrStatus(200), get(2, './DevInfo/Mod')], { respUri: 'https://dm.example.net/dm?s=42' }));
    assert.equal(d.last()?.url, 'https://dm.example.net/dm?s=42');
    assert.equal(d.last()?.message.header.target.locUri, 'https://dm.example.net/dm?s=42');
  });

  it('reports the generic alerts the server acknowledged with 2xx', async () => {
    const items = [{ source: { locUri: './FwUpdate/x' }, data: '200' }];
    const d = drive({ alerts: [{ id: 'ok', code: 1226, items }, { id: 'bad', code: 1226, items: [{ data: '1' }] }] });
    await d.send(serverMessage([
      serverHdrStatus(200),
      { kind: 'Status', cmdId: 2, msgRef: 1, cmdRef: 3, cmd: 'Alert', data: 200 },
      { kind: 'Status', cmdId: 3, msgRef: 1, cmdRef: 4, cmd: 'Alert', data: 500 },
    ]));
    assert.deepEqual(d.session.outcome?.deliveredAlerts, ['ok']);
  });

  it('marks a first reply refusing the DTD version as version-rejected', async () => {
    const d = drive();
    const out = await d.send(serverMessage([serverHdrStatus(505)]));
    assert.equal(out, undefined);
    assert.equal(d.session.outcome?.end, 'version-rejected');
  });

  it('marks an undecodable first reply as version-rejected and a later one as a protocol error', async () => {
    const d = drive();
    assert.equal(await d.session.receive({ body: new TextEncoder().encode('<html>oops</html>') }), undefined);
    assert.equal(d.session.outcome?.end, 'version-rejected');
    const e = drive();
    await e.send(serverMessage([serverHdrStatus(200), get(2, './DevInfo/Mod')]));
    await e.session.receive({ body: new TextEncoder().encode('garbage') });
    assert.equal(e.session.outcome?.end, 'protocol-error');
  });

  it('runs the same package over WBXML', async () => {
    const d = drive({ encoding: 'wbxml' });
    const out = await d.send(serverMessage([serverHdrStatus(200), get(2, './DevInfo/Mod')]), { encoding: 'wbxml' });
    assert.ok((d.last()?.body[0] ?? 0xff) <= 3);
    assert.equal(resultsOf(out)[0]?.items[0]?.data, 'Rocket 1');
  });
});
