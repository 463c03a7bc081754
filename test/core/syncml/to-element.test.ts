import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messageToDocument } from '../../../src/core/syncml/to-element.js';
import { messageFromElement } from '../../../src/core/syncml/from-element.js';
import { isElement, type DmElement } from '../../../src/core/codec/element.js';
import { clientPackage, serverPackage } from '../../helpers/sample-messages.js';

function child(e: DmElement, name: string): DmElement {
  const c = e.children.find((n): n is DmElement => isElement(n) && n.name === name);
  assert.ok(c, `<${e.name}> has no <${name}>`);
  return c;
}

describe('messageToDocument', () => {
  for (const v of ['1.1', '1.2'] as const) {
    it(`round-trips every command of a DM ${v} server package through the element tree`, () => {
      const msg = serverPackage(v);
      assert.deepEqual(messageFromElement(messageToDocument(msg, { binary: 'bytes' }).root), msg);
    });
    it(`round-trips a DM ${v} client package with Status, Results and alerts`, () => {
      const msg = clientPackage(v);
      assert.deepEqual(messageFromElement(messageToDocument(msg, { binary: 'bytes' }).root), msg);
    });
  }

  it('names the public id of the protocol version', () => {
    assert.equal(messageToDocument(serverPackage('1.1'), { binary: 'bytes' }).publicId, '-//SYNCML//DTD SyncML 1.1//EN');
    assert.equal(messageToDocument(serverPackage('1.2'), { binary: 'bytes' }).publicId, '-//SYNCML//DTD SyncML 1.2//EN');
  });

  it('writes SyncHdr children in DTD order and Meta children in the MetInf namespace', () => {
    const doc = messageToDocument(serverPackage('1.2'), { binary: 'bytes' });
    const hdr = child(doc.root, 'SyncHdr');
    assert.deepEqual(hdr.children.map((c) => (isElement(c) ? c.name : '#text')),
      ['VerDTD', 'VerProto', 'SessionID', 'MsgID', 'Target', 'Source', 'RespURI', 'Cred', 'Meta']);
    const meta = child(hdr, 'Meta');
    for (const m of meta.children) assert.ok(isElement(m) && m.ns === 'syncml:metinf');
  });

  it('writes a Status in the order MsgRef, CmdRef, Cmd, TargetRef, SourceRef, Chal, Data', () => {
    const doc = messageToDocument(serverPackage('1.2'), { binary: 'bytes' });
    const status = child(child(doc.root, 'SyncBody'), 'Status');
    assert.deepEqual(status.children.map((c) => (isElement(c) ? c.name : '#text')),
      ['CmdID', 'MsgRef', 'CmdRef', 'Cmd', 'TargetRef', 'SourceRef', 'Chal', 'Data']);
  });

  it('carries binary Data as bytes for WBXML and as base64 with Format b64 for XML', () => {
    const bytes = new Uint8Array([0, 1, 2, 0xff]);
    const msg = {
      ...clientPackage('1.2'),
      body: {
        final: true,
        commands: [{ kind: 'Results' as const, cmdId: 1, msgRef: 1, cmdRef: 3, items: [{ source: { locUri: './A' }, meta: { format: 'bin' }, data: bytes }] }],
      },
    };
    const asBytes = messageFromElement(messageToDocument(msg, { binary: 'bytes' }).root);
    assert.deepEqual(asBytes, msg);
    const asText = messageFromElement(messageToDocument(msg, { binary: 'base64' }).root);
    const cmd = asText.body.commands[0];
    assert.ok(cmd?.kind === 'Results');
    assert.equal(cmd.items[0]?.meta?.format, 'b64');
    assert.equal(cmd.items[0]?.data, Buffer.from(bytes).toString('base64'));
  });
});
