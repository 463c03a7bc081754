import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodecError, ErrorCode } from '../../../src/core/errors.js';
import type { DmElement } from '../../../src/core/codec/element.js';
import {
  childCharacteristics, cpCharacteristic, cpDocumentOf, cpFromElement, cpParm, cpToElement, findParm, parmValues,
} from '../../../src/core/provisioning/cp-document.js';

const parm = (attrs: Record<string, string>): DmElement => ({ name: 'parm', attrs, children: [] });
const invalidAt = (path: string) => (e: unknown): boolean =>
  e instanceof CodecError && e.code === ErrorCode.ERR_CP_INVALID && e.position.path === path;

describe('cpFromElement', () => {
  it('keeps parms and nested characteristics in document order, and tells an absent value from an empty one', () => {
    const root: DmElement = {
      name: 'wap-provisioningdoc', attrs: { version: '1.1' }, children: ['\n ', {
        name: 'characteristic', attrs: { type: 'APPLICATION' }, children: [
          parm({ name: 'APPID', value: 'w7' }), { name: 'characteristic', attrs: { type: 'APPAUTH' }, children: [] },
          parm({ name: 'INIT' }), parm({ name: 'NAME', value: '' }),
        ],
      }],
    };
    assert.deepEqual(cpFromElement({ root }), cpDocumentOf([cpCharacteristic('APPLICATION', [
      cpParm('APPID', 'w7'), cpCharacteristic('APPAUTH'), cpParm('INIT'), cpParm('NAME', ''),
    ])], '1.1'));
  });

  it('names the element path of a structural error', () => {
    const doc = (children: DmElement['children']): { root: DmElement } => ({ root: { name: 'wap-provisioningdoc', children } });
    assert.throws(() => cpFromElement({ root: { name: 'SyncML', children: [] } }), invalidAt('SyncML'));
    assert.throws(() => cpFromElement(doc([{ name: 'characteristic', children: [] }])), invalidAt('wap-provisioningdoc/characteristic'));
    assert.throws(() => cpFromElement(doc([{ name: 'characteristic', attrs: { type: 'A' }, children: [parm({ value: 'x' })] }])),
      invalidAt('wap-provisioningdoc/characteristic[A]/parm'));
    assert.throws(() => cpFromElement(doc([{ name: 'nocharacteristic', children: [] }])), invalidAt('wap-provisioningdoc/nocharacteristic'));
    assert.throws(() => cpFromElement(doc(['text'])), invalidAt('wap-provisioningdoc'));
  });
});

describe('cpToElement', () => {
  it('is the inverse of cpFromElement and carries the PROV public id', () => {
    const doc = cpDocumentOf([cpCharacteristic('NAPDEF', [cpParm('NAPID', 'N'), cpParm('INTERNET')])], '1.0');
    const el = cpToElement(doc);
    assert.equal(el.publicId, '-//WAPFORUM//DTD PROV 1.0//EN');
    assert.deepEqual(cpFromElement(el), doc);
  });
});

describe('characteristic helpers', () => {
  it('find parms and nested characteristics by name and type', () => {
    const c = cpCharacteristic('APPLICATION', [cpParm('TO-NAPID', 'A'), cpParm('TO-NAPID', 'B'), cpParm('INIT'), cpCharacteristic('APPAUTH')]);
    assert.deepEqual(parmValues(c, 'TO-NAPID'), ['A', 'B']);
    assert.deepEqual(parmValues(c, 'INIT'), ['']);
    assert.equal(findParm(c, 'TO-NAPID')?.value, 'A');
    assert.equal(childCharacteristics(c, 'APPAUTH').length, 1);
    assert.equal(childCharacteristics(cpDocumentOf([c]), 'APPLICATION')[0], c);
  });
});
