import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstInvalidChar, isQName, isSyncMLNamespace, METINF_NAMES } from '../../../../src/core/codec/xml/xml-chars.js';

describe('isSyncMLNamespace', () => {
  it('recognises the SyncML namespaces in any case and with the space of Microsoft documentation', () => {
    for (const ns of ['SYNCML:SYNCML1.1', 'SYNCML:SYNCML1.2', 'syncml:syncml1.2', 'SyncML:SyncML1.0', 'SYNCML:SYNCML 1.1']) assert.ok(isSyncMLNamespace(ns), ns);
  });

  it('rejects other namespaces', () => {
    for (const ns of ['', 'syncml:metinf', 'SYNCML:SYNCML', 'SYNCML:SYNCML1.1x', 'SYNCML:SYNCML  1.1', 'SYNCML:SYNCMLa.b', 'syncml:dmddf1.2']) {
      assert.ok(!isSyncMLNamespace(ns), ns);
    }
  });
});

describe('isQName', () => {
  it('accepts NCNames and one prefix, including non-ASCII and supplementary characters', () => {
    for (const n of ['a', 'A:Format', '_x-1.2', 'été', 'a\u{10000}', '\u{10000}:b', 'xml:lang']) assert.ok(isQName(n), n);
  });

  it('rejects empty names, bad first characters, extra colons and unpaired surrogates', () => {
    for (const n of ['', '1a', '-a', ':a', 'a:', 'a:b:c', 'a b', 'a\uD800', '\uDC00', 'a:1']) assert.ok(!isQName(n), n);
  });
});

describe('firstInvalidChar', () => {
  it('finds controls, U+FFFE/U+FFFF and unpaired surrogates and accepts the rest', () => {
    assert.equal(firstInvalidChar('ok\t\n\r é\u{1F600}\uFFFD', 0, 12), -1);
    assert.equal(firstInvalidChar('ab\0', 0, 3), 2);
    assert.equal(firstInvalidChar('a\uFFFF', 0, 2), 1);
    assert.equal(firstInvalidChar('a\uD83D', 0, 2), 1);
    assert.equal(firstInvalidChar('\uD83D\uDE00', 0, 1), 0, 'a pair cut by the range end is unpaired');
    assert.equal(firstInvalidChar('\uDE00', 0, 1), 0);
  });
});

describe('METINF_NAMES', () => {
  it('lists the MetInf elements used for unbound prefixes', () => {
    assert.equal(METINF_NAMES.size, 18);
    for (const n of ['Format', 'Type', 'Mark', 'NextNonce', 'MaxMsgSize', 'MaxObjSize', 'EMI', 'FieldLevel']) assert.ok(METINF_NAMES.has(n), n);
  });
});
