import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DmError } from '../../../src/core/errors.js';
import { parseAcl } from '../../../src/core/tree/acl.js';
import { ROOT_URI, normalizeUri, parseNodeUri } from '../../../src/core/tree/uri.js';
import { type TreeNodeRecord, buildStructList, buildTnds, resolveListProps } from '../../../src/core/tnds/build-tnds.js';
import { flattenTnds } from '../../../src/core/tnds/flatten-tnds.js';
import { tndsFromElement, tndsToElement } from '../../../src/core/tnds/tnds.js';

const u = normalizeUri;
const NODES: TreeNodeRecord[] = [
  { uri: u('./SyncML/DMAcc/x1/Addr'), interior: false, format: 'chr', type: 'text/plain', value: 'https://dm.example', size: 18 },
  { uri: u('./SyncML/DMAcc'), interior: true, type: 'urn:oma:mo:oma-dm-dmacc:1.0', acl: parseAcl('Get=*&Replace=srv') },
  { uri: u('./SyncML/DMAcc/x1'), interior: true, tstamp: '20010711T163817Z', verNo: 3 },
  { uri: u('./SyncML/DMAcc/x1/Port'), interior: false, format: 'int', value: '443', title: 'Port' },
];

describe('resolveListProps', () => {
  it('defaults to every property plus Value', () => {
    assert.deepEqual([...resolveListProps(undefined)], ['ACL', 'Format', 'Name', 'Size', 'Title', 'TStamp', 'Type', 'VerNo', 'Value']);
  });
  it('applies + and - selections from the parsed URI', () => {
    const q = parseNodeUri('./A?list=TNDS+ACL+Format+Value').query;
    assert.deepEqual([...resolveListProps(q?.listProps)], ['ACL', 'Format', 'Value']);
    const q2 = parseNodeUri('./A?list=TNDS-Value-Size').query;
    assert.deepEqual([...resolveListProps(q2?.listProps)], ['ACL', 'Format', 'Name', 'Title', 'TStamp', 'Type', 'VerNo']);
  });
  it('only offers what the device supports', () => {
    assert.deepEqual([...resolveListProps({ include: ['ACL', 'TStamp'] }, ['ACL', 'Format', 'Type', 'Value'])], ['ACL']);
  });
});

describe('buildTnds', () => {
  it('nests the sub-tree under the addressed node with its parent as Path', () => {
    const t = buildTnds(NODES, { baseUri: u('./SyncML/DMAcc'), properties: new Set(['Format', 'Type', 'ACL', 'Value']), man: 'Acme' });
    assert.equal(t.verDtd, '1.2');
    assert.equal(t.man, 'Acme');
    assert.deepEqual(t.nodes, [{
      name: 'DMAcc', path: './SyncML',
      props: { acl: 'Get=*&Replace=srv', format: 'node', type: { kind: 'DDFName', value: 'urn:oma:mo:oma-dm-dmacc:1.0' } },
      children: [{
        name: 'x1', props: { format: 'node', type: { kind: 'DDFName', value: '' } },
        children: [
          { name: 'Addr', props: { format: 'chr', type: { kind: 'MIME', value: 'text/plain' } }, value: 'https://dm.example', children: [] },
          { name: 'Port', props: { format: 'int', type: { kind: 'MIME', value: 'text/plain' } }, value: '443', children: [] },
        ],
      }],
    }]);
  });

  it('leaves values out without Value and writes device-owned properties when asked', () => {
    const below = NODES.filter((n) => n.uri !== './SyncML/DMAcc');
    const t = buildTnds(below, { baseUri: u('./SyncML/DMAcc/x1'), properties: new Set(['Name', 'Size', 'TStamp', 'VerNo', 'Title']) });
    assert.deepEqual(t.nodes[0], {
      name: 'x1', path: './SyncML/DMAcc', props: { name: 'x1', tstamp: '20010711T163817Z', verNo: 3 },
      children: [
        { name: 'Addr', props: { name: 'Addr', size: 18 }, children: [] },
        { name: 'Port', props: { name: 'Port', title: 'Port' }, children: [] },
      ],
    });
  });

  it('makes a node whose parent is missing a top-level Node with a Path', () => {
    const t = buildTnds(NODES.filter((n) => n.uri !== './SyncML/DMAcc/x1'), { baseUri: u('./SyncML/DMAcc'), properties: new Set() });
    assert.deepEqual(t.nodes.map((n) => [n.name, n.path]), [['Addr', './SyncML/DMAcc/x1'], ['DMAcc', './SyncML'], ['Port', './SyncML/DMAcc/x1']]);
  });

  it('lists the children of the root as top-level Nodes with Path "."', () => {
    const t = buildTnds([{ uri: ROOT_URI, interior: true }, { uri: u('./DevInfo'), interior: true }, { uri: u('./DevInfo/Man'), interior: false, value: 'Acme' }],
      { baseUri: ROOT_URI, properties: new Set(['Value']) });
    assert.deepEqual(t.nodes, [{ name: 'DevInfo', path: '.', props: {}, children: [{ name: 'Man', props: {}, value: 'Acme', children: [] }] }]);
  });

  it('refuses nodes outside the addressed sub-tree', () => {
    assert.throws(() => buildTnds(NODES, { baseUri: u('./SyncML/DMAcc/x1') }), (e: unknown) => e instanceof DmError && e.code === 'ERR_PROTOCOL');
  });

  it('round-trips through the element tree and flattenTnds back to the same nodes', () => {
    const t = buildTnds(NODES, { baseUri: u('./SyncML/DMAcc') });
    const back = flattenTnds(tndsFromElement(tndsToElement(t)), '.');
    assert.deepEqual(back.map((e) => [e.uri, e.interior, e.value]), [
      ['./SyncML/DMAcc', true, undefined],
      ['./SyncML/DMAcc/x1', true, undefined],
      ['./SyncML/DMAcc/x1/Addr', false, 'https://dm.example'],
      ['./SyncML/DMAcc/x1/Port', false, '443'],
    ]);
  });
});

describe('buildStructList', () => {
  it('lists Struct items parents first with Meta Format and Type, no data', () => {
    assert.deepEqual(buildStructList(NODES, { baseUri: u('./SyncML/DMAcc'), includeValues: false }), [
      { uri: './SyncML/DMAcc', format: 'node', type: 'urn:oma:mo:oma-dm-dmacc:1.0' },
      { uri: './SyncML/DMAcc/x1', format: 'node' },
      { uri: './SyncML/DMAcc/x1/Addr', format: 'chr', type: 'text/plain' },
      { uri: './SyncML/DMAcc/x1/Port', format: 'int' },
    ]);
  });
  it('adds leaf data for StructData', () => {
    const items = buildStructList(NODES, { baseUri: u('./SyncML/DMAcc'), includeValues: true });
    assert.deepEqual(items.map((i) => i.value), [undefined, undefined, 'https://dm.example', '443']);
  });
});
