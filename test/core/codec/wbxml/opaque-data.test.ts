import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { el, type DmElement } from '../../../../src/core/codec/element.js';
import { dataMetaType, libwbxmlOpaqueData } from '../../../../src/core/codec/wbxml/opaque-data.js';

const METINF = 'syncml:metinf';
const meta = (type: string): DmElement => el('Meta', [el('Type', [type], METINF)]);

/** Asks the rule about the (first) Data of `item`, inside `command`. */
function opaque(command: string, itemChildren: DmElement[], commandMeta?: DmElement): boolean {
  const data = itemChildren.find((c) => c.name === 'Data') ?? el('Data', ['x']);
  const item = el('Item', itemChildren.includes(data) ? itemChildren : [...itemChildren, data]);
  const cmd = el(command, commandMeta ? [commandMeta, item] : [item]);
  return libwbxmlOpaqueData(['SyncML', 'SyncBody', command, 'Item', 'Data'], { element: data, ancestors: [el('SyncML'), el('SyncBody'), cmd, item] });
}

describe('libwbxmlOpaqueData', () => {
  it('makes the Data of Add and Replace items opaque', () => {
    assert.equal(opaque('Add', []), true);
    assert.equal(opaque('Replace', []), true);
  });

  it('keeps the Data of other commands inline', () => {
    for (const cmd of ['Get', 'Delete', 'Copy', 'Exec', 'Alert', 'Results', 'Status', 'Put']) assert.equal(opaque(cmd, []), false, cmd);
  });

  it('makes vCard, vCalendar and text/clear Data opaque in any command', () => {
    for (const type of ['text/clear', 'text/x-vcard', 'text/x-vcalendar', 'text/directory;profile=vCard']) {
      assert.equal(opaque('Results', [meta(type)]), true, type);
    }
  });

  it('keeps DevInf and TNDS Data inline even in Add and Replace', () => {
    for (const type of ['application/vnd.syncml-devinf+xml', 'application/vnd.syncml.dmtnds+xml', 'application/vnd.syncml.dmtnds+wbxml']) {
      assert.equal(opaque('Add', [meta(type)]), false, type);
      assert.equal(opaque('Replace', [], meta(type)), false, `${type} on the command`);
    }
  });

  it('falls back to the Add/Replace rule for other types and compares the type exactly', () => {
    assert.equal(opaque('Add', [meta('text/plain')]), true);
    assert.equal(opaque('Add', [meta(' application/vnd.syncml.dmtnds+xml')]), true);
    assert.equal(opaque('Get', [meta('text/plain')]), false);
  });

  it('only sees a Meta that comes before the Data, as libwbxml decides while parsing', () => {
    const data = el('Data', ['x']);
    assert.equal(opaque('Add', [data, meta('application/vnd.syncml.dmtnds+xml')]), true);
    assert.equal(opaque('Add', [meta('application/vnd.syncml.dmtnds+xml'), data]), false);
  });

  it('ignores elements other than Data', () => {
    const loc = el('LocURI', ['x']);
    assert.equal(libwbxmlOpaqueData([], { element: loc, ancestors: [el('Add'), el('Item', [loc])] }), false);
  });
});

describe('dataMetaType', () => {
  it('prefers the Item Meta over the command Meta', () => {
    const itemType = el('Type', ['a'], METINF);
    const cmdType = el('Type', ['b'], METINF);
    const data = el('Data');
    const item = el('Item', [el('Meta', [itemType]), data]);
    const cmd = el('Add', [el('Meta', [cmdType]), item]);
    assert.equal(dataMetaType(data, item, cmd), itemType);
    const bare = el('Item', [data]);
    assert.equal(dataMetaType(data, bare, el('Add', [el('Meta', [cmdType]), bare])), cmdType);
  });
});
