import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MediaType } from '../../../src/core/constants/meta-types.js';
import { Status } from '../../../src/core/constants/status.js';
import type { DmElement } from '../../../src/core/codec/element.js';
import { decodeXmlDocument } from '../../../src/core/codec/xml/decode-xml.js';
import { tndsFromElement } from '../../../src/core/tnds/tnds.js';
import { OTHER, SERVER, sampleTree } from '../../helpers/sample-tree.js';

const TNDS_META = { format: 'xml', type: MediaType.TNDS_XML };
/** The TNDS example of OMA-TS-DM_TNDS (E-Mail/POP3), as libwbxml ships it. */
const tndsVector = (): DmElement =>
  decodeXmlDocument(readFileSync(new URL('../../../../shared/vectors/libwbxml-ddf-001-tnds-mgmttree.ddf', import.meta.url), 'utf8')).root;

describe('Get ?list=Struct / StructData', () => {
  it('lists the node and every descendant, parents first, with Meta Format', () => {
    const tree = sampleTree();
    tree.add({ uri: './Test/a/b', data: 'x' }, SERVER);
    const r = tree.get('./Test?list=Struct', SERVER);
    assert.equal(r.status, Status.OK);
    assert.deepEqual(r.items?.map((i) => [i.source?.locUri, i.meta?.format, i.data]), [
      ['./Test', 'node', undefined], ['./Test/a', 'node', undefined], ['./Test/a/b', 'chr', undefined],
    ]);
  });

  it('adds leaf values for StructData, but not for nodes without Get', () => {
    const r = sampleTree().get('./Fixed?list=StructData', SERVER);
    const byUri = new Map(r.items?.map((i) => [i.source?.locUri, i.data]));
    assert.equal(byUri.get('./Fixed/Num'), '7');
    assert.ok(byUri.has('./Fixed/Secret'));
    assert.equal(byUri.get('./Fixed/Secret'), undefined);
  });

  it('leaves out nodes the caller may not Get', () => {
    const tree = sampleTree();
    tree.add({ uri: './Test/hidden/x', data: '1' }, SERVER);
    tree.replace({ uri: './Test/hidden?prop=ACL', data: 'Get=srv1&Replace=srv1' }, SERVER);
    const uris = tree.get('./Test?list=Struct', OTHER).items?.map((i) => i.source?.locUri);
    assert.deepEqual(uris, ['./Test']);
  });

  it('answers 406 for an unknown list kind', () => {
    assert.equal(sampleTree().get('./Test?list=Everything', SERVER).status, Status.OPTIONAL_FEATURE_NOT_SUPPORTED);
  });
});

describe('Get ?list=TNDS', () => {
  it('returns one Item whose Data is a MgmtTree, with Meta Type dmtnds+xml and Format xml', () => {
    const tree = sampleTree();
    tree.add({ uri: './Test/a', data: 'va' }, SERVER);
    const r = tree.get('./Test?list=TNDS+Format+Value', SERVER);
    assert.equal(r.status, Status.OK);
    const item = r.items?.[0];
    assert.deepEqual(item?.meta, TNDS_META);
    assert.equal(item?.source?.locUri, './Test?list=TNDS+Format+Value');
    const tnds = tndsFromElement(item?.data as DmElement);
    const top = tnds.nodes[0];
    assert.equal(top?.name, 'Test');
    assert.equal(top?.path, '.');
    assert.equal(top?.props.format, 'node');
    assert.equal(top?.children[0]?.name, 'a');
    assert.equal(top?.children[0]?.value, 'va');
    assert.equal(top?.children[0]?.props.type, undefined);
  });

  it('serializes every property and value for a plain ?list=TNDS and honours -Prop', () => {
    const tree = sampleTree();
    const all = tndsFromElement(tree.get('./Fixed?list=TNDS', SERVER).items?.[0]?.data as DmElement);
    const num = all.nodes[0]?.children.find((n) => n.name === 'Num');
    assert.equal(num?.value, '7');
    assert.equal(num?.props.format, 'int');
    assert.equal(num?.props.verNo, 0);
    const noValue = tndsFromElement(tree.get('./Fixed?list=TNDS-Value', SERVER).items?.[0]?.data as DmElement);
    assert.equal(noValue.nodes[0]?.children.find((n) => n.name === 'Num')?.value, undefined);
  });

  it('never serializes the value of a node without Get', () => {
    const tnds = tndsFromElement(sampleTree().get('./Fixed?list=TNDS', SERVER).items?.[0]?.data as DmElement);
    assert.equal(tnds.nodes[0]?.children.find((n) => n.name === 'Secret')?.value, undefined);
  });
});

describe('Add and Replace of a TNDS sub-tree', () => {
  it('creates every node of the OMA TNDS example below the target', () => {
    const tree = sampleTree();
    const r = tree.add({ uri: './Test', meta: TNDS_META, data: tndsVector() }, SERVER);
    assert.equal(r.status, Status.OK);
    assert.equal(tree.readValue('./Test/E-Mail/POP3/POPServer'), 'mail.Operatorx.com');
    assert.equal(tree.readValue('./Test/E-Mail/POP3/PWD'), '4571F7C34A9876B3');
    assert.equal(tree.get('./Test/E-Mail?prop=Type', SERVER).items?.[0]?.data, 'com.operatorX.dm/1.0/EMail');
  });

  it('accepts the TNDS as XML text and a Meta Type with surrounding whitespace', () => {
    const tree = sampleTree();
    const text = readFileSync(new URL('../../../../shared/vectors/libwbxml-ddf-001-tnds-mgmttree.ddf', import.meta.url), 'utf8');
    const meta = { format: 'xml', type: `\n   ${MediaType.TNDS_XML}\n  ` };
    assert.equal(tree.add({ uri: './Test', meta, data: text }, SERVER).status, Status.OK);
    assert.equal(tree.readValue('./Test/E-Mail/POP3/UserID'), 'UserName');
  });

  it('round-trips a sub-tree through Get ?list=TNDS and Add', () => {
    const source = sampleTree();
    source.add({ uri: './Test/cfg/a', data: '1' }, SERVER);
    source.add({ uri: './Test/cfg/b', data: '42', meta: { format: 'int' } }, SERVER);
    const element = source.get('./Test/cfg?list=TNDS+Format+Type+Value', SERVER).items?.[0]?.data as DmElement;
    const target = sampleTree();
    target.add({ uri: './Test/other', meta: { format: 'node' } }, SERVER);
    assert.equal(target.add({ uri: './Test/other', meta: TNDS_META, data: element }, SERVER).status, Status.OK);
    // The top node carries Path "./Test", so it lands at ./Test/cfg whatever the Add target.
    assert.equal(target.readValue('./Test/cfg/b'), '42');
    assert.equal(target.get('./Test/cfg/b?prop=Format', SERVER).items?.[0]?.data, 'int');
  });

  it('is all or nothing: a node that already exists makes the whole Add fail with 418', () => {
    const tree = sampleTree();
    tree.add({ uri: './Test/E-Mail/POP3/UserID', data: 'taken' }, SERVER);
    assert.equal(tree.add({ uri: './Test', meta: TNDS_META, data: tndsVector() }, SERVER).status, Status.ALREADY_EXISTS);
    assert.equal(tree.exists('./Test/E-Mail/POP3/POPServer'), false);
  });

  it('replaces the values of existing nodes with Replace', () => {
    const tree = sampleTree();
    tree.add({ uri: './Test', meta: TNDS_META, data: tndsVector() }, SERVER);
    tree.replace({ uri: './Test/E-Mail/POP3/PWD', data: 'changed' }, SERVER);
    assert.equal(tree.replace({ uri: './Test', meta: TNDS_META, data: tndsVector() }, SERVER).status, Status.OK);
    assert.equal(tree.readValue('./Test/E-Mail/POP3/PWD'), '4571F7C34A9876B3');
  });

  it('answers 400 for a document that is not a MgmtTree and 415 for bytes', () => {
    const tree = sampleTree();
    assert.equal(tree.add({ uri: './Test', meta: TNDS_META, data: { name: 'Other', children: [] } }, SERVER).status, Status.BAD_REQUEST);
    assert.equal(tree.add({ uri: './Test', meta: TNDS_META, data: new Uint8Array([1]) }, SERVER).status, Status.UNSUPPORTED_MEDIA_TYPE);
  });
});
