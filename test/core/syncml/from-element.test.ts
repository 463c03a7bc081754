import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messageFromElement } from '../../../src/core/syncml/from-element.js';
import { CodecError } from '../../../src/core/errors.js';
import { el, type DmElement, type DmNode } from '../../../src/core/codec/element.js';

const t = (name: string, text: string, ns?: string): DmElement => el(name, [text], ns);

function message(body: DmNode[], hdrExtra: DmNode[] = []): DmElement {
  return el('SyncML', [
    el('SyncHdr', [
      t('VerDTD', '1.2'), t('VerProto', 'DM/1.2'), t('SessionID', 'AB1F'), t('MsgID', ' 1\n'),
      el('Target', [t('LocURI', '\n  https://dm.example.net/dm  \n')]),
      el('Source', [t('LocURI', 'IMEI:1'), t('LocName', 'user')]),
      ...hdrExtra,
    ]),
    el('SyncBody', body),
  ]);
}

describe('messageFromElement', () => {
  it('trims whitespace around LocURI and numbers and keeps a hex SessionID as text', () => {
    const m = messageFromElement(message([el('Final')]));
    assert.equal(m.header.sessionId, 'AB1F');
    assert.equal(m.header.msgId, 1);
    assert.equal(m.header.target.locUri, 'https://dm.example.net/dm');
    assert.deepEqual(m.header.source, { locUri: 'IMEI:1', locName: 'user' });
    assert.equal(m.body.final, true);
  });

  it('reads Meta children whatever their namespace, also inside a MetInf wrapper', () => {
    const m = messageFromElement(message([], [
      el('Meta', [el('MetInf', [t('MaxMsgSize', '5000', 'syncml:metinf')], 'syncml:metinf'), t('MaxObjSize', '9000')]),
    ]));
    assert.deepEqual(m.header.meta, { maxMsgSize: 5000, maxObjSize: 9000 });
  });

  it('keeps vendor Meta children such as msft:AccessRole as extensions', () => {
    const role = t('AccessRole', '64', 'https://schemas.microsoft.com/MobileDevice/DM');
    const m = messageFromElement(message([
      el('Add', [t('CmdID', '2'), el('Item', [el('Target', [t('LocURI', './A')]), el('Meta', [t('Format', 'chr', 'syncml:metinf'), role]), t('Data', 'x')])]),
    ]));
    const add = m.body.commands[0];
    assert.ok(add?.kind === 'Add');
    assert.deepEqual(add.items[0]?.meta, { format: 'chr', extensions: [role] });
  });

  it('leaves cmdId undefined when a command has no CmdID, so it can be answered with 400', () => {
    const m = messageFromElement(message([el('Get', [el('Item', [el('Target', [t('LocURI', './A')])])])]));
    assert.equal(m.body.commands[0]?.cmdId, undefined);
  });

  it('turns an element that is not a DM command into an Unknown command holding the element', () => {
    const sync = el('Sync', [t('CmdID', '4')]);
    const m = messageFromElement(message([sync]));
    assert.deepEqual(m.body.commands[0], { kind: 'Unknown', cmdId: 4, name: 'Sync', element: sync });
  });

  it('keeps embedded markup in Data as an element (TNDS)', () => {
    const tree = el('MgmtTree', [t('VerDTD', '1.2')], 'syncml:dmddf1.2');
    const m = messageFromElement(message([
      el('Add', [t('CmdID', '2'), el('Item', [el('Target', [t('LocURI', './A')]), el('Data', [tree])])]),
    ]));
    const add = m.body.commands[0];
    assert.ok(add?.kind === 'Add');
    assert.equal(add.items[0]?.data, tree);
  });

  it('decodes OPAQUE Data as text unless the item is binary or not UTF-8', () => {
    const opaque = (bytes: number[], format?: string): DmElement =>
      el('Item', [el('Target', [t('LocURI', './A')]), ...(format ? [el('Meta', [t('Format', format)])] : []), el('Data', [new Uint8Array(bytes)])]);
    const m = messageFromElement(message([
      el('Replace', [t('CmdID', '2'), opaque([0x68, 0x69]), opaque([0x68, 0x69], 'bin'), opaque([0xff, 0xfe])]),
    ]));
    const r = m.body.commands[0];
    assert.ok(r?.kind === 'Replace');
    assert.equal(r.items[0]?.data, 'hi');
    assert.deepEqual(r.items[1]?.data, new Uint8Array([0x68, 0x69]));
    assert.deepEqual(r.items[2]?.data, new Uint8Array([0xff, 0xfe]));
  });

  it('rejects a document without SyncHdr, MsgID or a known VerDTD with a CodecError naming the path', () => {
    assert.throws(() => messageFromElement(el('SyncML', [el('SyncBody')])), (e: unknown) => e instanceof CodecError && e.code === 'ERR_SYNCML_INVALID');
    assert.throws(() => messageFromElement(el('Other')), /expected <SyncML>/);
    const noMsgId = el('SyncML', [el('SyncHdr', [t('VerDTD', '1.2')]), el('SyncBody')]);
    assert.throws(() => messageFromElement(noMsgId), /missing MsgID/);
    const badVer = el('SyncML', [el('SyncHdr', [t('VerDTD', '3.0'), t('MsgID', '1')]), el('SyncBody')]);
    assert.throws(() => messageFromElement(badVer), (e: unknown) => e instanceof CodecError && e.position.path === 'SyncML/SyncHdr/VerDTD');
  });

  it('rejects a Status whose Data is not a number', () => {
    const bad = el('Status', [t('CmdID', '1'), t('MsgRef', '1'), t('CmdRef', '0'), t('Cmd', 'SyncHdr'), t('Data', 'OK')]);
    assert.throws(() => messageFromElement(message([bad])), (e: unknown) => e instanceof CodecError && /not a non-negative integer/.test(e.message));
  });
});

describe('messageFromElement blank CmdRef', () => {
  it('reads an empty CmdRef as undefined: the answer to a command that had no CmdID', () => {
    const st = el('Status', [t('CmdID', '2'), t('MsgRef', '1'), el('CmdRef'), t('Cmd', 'Get'), t('Data', '400')]);
    const m = messageFromElement(message([st]));
    const s = m.body.commands[0];
    assert.ok(s?.kind === 'Status');
    assert.equal(s.cmdRef, undefined);
  });
});
