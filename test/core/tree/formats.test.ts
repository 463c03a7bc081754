import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Format } from '../../../src/core/constants/meta-types.js';
import { b64ToBin, binToB64, isFormat, validateValue } from '../../../src/core/tree/formats.js';

function accepts(format: Format, value: string | Uint8Array, normalized?: string | Uint8Array): void {
  const r = validateValue(format, value);
  assert.equal(r.ok, true, `${format} should accept ${String(value)}`);
  if (r.ok && normalized !== undefined) assert.deepEqual(r.normalized, normalized);
}
function refuses(format: Format, value: string | Uint8Array): void {
  const r = validateValue(format, value);
  assert.equal(r.ok, false, `${format} should refuse ${String(value)}`);
  if (!r.ok) assert.ok(r.reason.length > 0);
}

describe('isFormat', () => {
  it('knows the eleven OMA formats and nothing else', () => {
    for (const f of Object.values(Format)) assert.equal(isFormat(f), true);
    assert.equal(isFormat('mchr'), false);
    assert.equal(isFormat('CHR'), false);
  });
});

describe('validateValue', () => {
  it('accepts 32-bit signed integers and writes them canonically', () => {
    accepts('int', '42', '42');
    accepts('int', ' +007 ', '7');
    accepts('int', '-0', '0');
    accepts('int', '-2147483648', '-2147483648');
    accepts('int', '2147483647', '2147483647');
    for (const bad of ['2147483648', '-2147483649', '1.0', '0x10', '', 'ten', '1 2']) refuses('int', bad);
  });

  it('accepts true/false in any case and stores them lower-case', () => {
    accepts('bool', 'TRUE', 'true');
    accepts('bool', ' False\n', 'false');
    for (const bad of ['1', 'yes', '', 'truee']) refuses('bool', bad);
  });

  it('accepts XML Schema floats', () => {
    for (const ok of ['1', '-1.5', '.5', '5.', '1e10', '+1.2E-3', 'INF', '-INF', 'NaN']) accepts('float', ok);
    for (const bad of ['', '.', '1e', 'e5', '1.2.3', 'inf', '0x1p3']) refuses('float', bad);
  });

  it('accepts ISO 8601 calendar dates in basic and extended form', () => {
    for (const ok of ['2024-02-29', '20240229', '2001-07-11']) accepts('date', ok);
    for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-1-1', '24-01-01', '2024-01-32', '2024/01/01']) refuses('date', bad);
  });

  it('accepts ISO 8601 times with optional zone, and date-times', () => {
    for (const ok of ['16:38:17', '163817', '163817Z', '16:38', '16:38:17.25+02:00', '16:38:17-0500', '24:00:00',
      '20010711T163817Z', '2001-07-11T16:38:17Z']) accepts('time', ok);
    for (const bad of ['25:00', '16:60', '16:38:61', '24:00:01', '1638:17', '16:38:17+25:00', 'noon', '2001-02-30T10:00']) refuses('time', bad);
  });

  it('accepts any UTF-8 text for chr and xml, keeping whitespace', () => {
    accepts('chr', ' a b ', ' a b ');
    accepts('xml', '<a/>', '<a/>');
    accepts('chr', new Uint8Array([0xc3, 0xa9]), 'é');
    refuses('chr', new Uint8Array([0xff]));
  });

  it('checks base64 strictly and removes whitespace', () => {
    accepts('b64', 'aGVs\r\nbG8=', 'aGVsbG8=');
    accepts('b64', '', '');
    for (const bad of ['aGVsbG8', 'a===', 'aG!s', 'aGVsbG8=x']) refuses('b64', bad);
  });

  it('stores bin as bytes, taking text as its UTF-8 bytes', () => {
    accepts('bin', new Uint8Array([0, 255]), new Uint8Array([0, 255]));
    accepts('bin', 'é', new Uint8Array([0xc3, 0xa9]));
  });

  it('requires null and node values to be empty', () => {
    accepts('null', '', '');
    accepts('node', '  ', '');
    accepts('node', new Uint8Array(), '');
    refuses('null', 'x');
    refuses('node', 'child');
  });
});

describe('b64ToBin / binToB64', () => {
  it('converts both ways and refuses malformed base64', () => {
    assert.deepEqual(b64ToBin('AP8='), new Uint8Array([0, 255]));
    assert.equal(binToB64(new Uint8Array([0, 255])), 'AP8=');
    assert.equal(b64ToBin('AP8'), undefined);
  });
  it('round-trips arbitrary bytes (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      assert.deepEqual(b64ToBin(binToB64(bytes)), bytes);
      const r = validateValue('b64', binToB64(bytes));
      assert.ok(r.ok);
    }));
  });
  it('normalizes any int32 to a value that parses back to the same number (property)', () => {
    fc.assert(fc.property(fc.integer({ min: -2147483648, max: 2147483647 }), (n) => {
      const r = validateValue('int', String(n));
      assert.ok(r.ok && Number(r.normalized) === n && r.normalized === String(n === 0 ? 0 : n));
    }));
  });
});
