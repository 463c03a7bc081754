import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodecError, ErrorCode } from '../../../src/core/errors.js';
import {
  encodeIntegerValue,
  encodeLongInteger,
  encodeShortInteger,
  encodeTextString,
  encodeUintvar,
  encodeValueLength,
  WspReader,
} from '../../../src/core/notification/wsp.js';

const isMalformed = (e: unknown): boolean => e instanceof CodecError && e.code === ErrorCode.ERR_WAP_PUSH_MALFORMED;

describe('encodeUintvar', () => {
  // WAP-230-WSP §8.1.2: 7 data bits per octet, most significant group first, continuation bit 0x80.
  for (const [value, bytes] of [
    [0, [0x00]],
    [0x7f, [0x7f]],
    [0x80, [0x81, 0x00]], // 1·128 + 0
    [200, [0x81, 0x48]], // 1·128 + 72
    [0x3fff, [0xff, 0x7f]],
    [0x4000, [0x81, 0x80, 0x00]],
    [0xffffffff, [0x8f, 0xff, 0xff, 0xff, 0x7f]], // 4 + 7·4 = 32 bits
  ] as const) {
    it(`encodes ${value} as ${bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')}`, () => {
      assert.deepEqual(encodeUintvar(value), Uint8Array.from(bytes));
      assert.equal(new WspReader(Uint8Array.from(bytes)).uintvar('x'), value);
    });
  }

  it('round-trips every 32-bit value', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => {
      assert.equal(new WspReader(encodeUintvar(v)).uintvar('x'), v);
    }));
  });

  it('rejects a uintvar of six octets, one over 32 bits, and a truncated one', () => {
    assert.throws(() => new WspReader(Uint8Array.from([0x81, 0x81, 0x81, 0x81, 0x81, 0x00])).uintvar('x'), isMalformed);
    assert.throws(() => new WspReader(Uint8Array.from([0x90, 0x80, 0x80, 0x80, 0x00])).uintvar('x'), isMalformed);
    assert.throws(() => new WspReader(Uint8Array.from([0x81])).uintvar('x'), isMalformed);
  });
});

describe('integer encodings', () => {
  it('writes Short-integer as 0x80 | value', () => {
    assert.deepEqual(encodeShortInteger(0x44), Uint8Array.of(0xc4));
    assert.deepEqual(encodeShortInteger(0x07), Uint8Array.of(0x87));
    assert.throws(() => encodeShortInteger(128), isMalformed);
  });

  it('writes Long-integer as Short-length then big-endian octets', () => {
    assert.deepEqual(encodeLongInteger(0x9001), Uint8Array.of(0x02, 0x90, 0x01));
    assert.deepEqual(encodeLongInteger(0), Uint8Array.of(0x01, 0x00));
  });

  it('chooses Short-integer up to 127 and Long-integer above', () => {
    assert.deepEqual(encodeIntegerValue(127), Uint8Array.of(0xff));
    assert.deepEqual(encodeIntegerValue(128), Uint8Array.of(0x01, 0x80));
    assert.equal(new WspReader(Uint8Array.of(0x01, 0x80)).integerValue('x'), 128);
    assert.equal(new WspReader(Uint8Array.of(0xff)).integerValue('x'), 127);
  });
});

describe('text and length encodings', () => {
  it('NUL-terminates text and quotes a first octet ≥ 0x7F', () => {
    assert.deepEqual(encodeTextString('Hi'), Uint8Array.of(0x48, 0x69, 0x00));
    assert.deepEqual(encodeTextString('é'), Uint8Array.of(0x7f, 0xc3, 0xa9, 0x00));
    assert.deepEqual(encodeTextString('\u007f'), Uint8Array.of(0x7f, 0x7f, 0x00));
    assert.equal(new WspReader(encodeTextString('\u007fx')).textString('x'), '\u007fx');
    assert.throws(() => encodeTextString('a\u0000b'), isMalformed);
  });

  it('writes Value-length as a Short-length up to 30, else 0x1F + uintvar', () => {
    assert.deepEqual(encodeValueLength(30), Uint8Array.of(30));
    assert.deepEqual(encodeValueLength(31), Uint8Array.of(0x1f, 31));
    assert.deepEqual(encodeValueLength(200), Uint8Array.of(0x1f, 0x81, 0x48));
  });

  it('reports the offset of a missing NUL terminator', () => {
    assert.throws(() => new WspReader(Uint8Array.of(0x00, 0x41, 0x42), 1).textString('x'),
      (e) => isMalformed(e) && (e as CodecError).position.offset === 1);
  });
});
