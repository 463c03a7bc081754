import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isAscii, WbxmlWriter } from '../../../../src/core/codec/wbxml/wbxml-writer.js';

function written(fn: (w: WbxmlWriter) => void, capacity?: number): number[] {
  const w = new WbxmlWriter(capacity);
  fn(w);
  return [...w.finish()];
}

describe('WbxmlWriter', () => {
  it('writes mb_u_int32 in 7-bit groups, most significant first', () => {
    assert.deepEqual(written((w) => w.mbUint32(0)), [0x00]);
    assert.deepEqual(written((w) => w.mbUint32(0x7f)), [0x7f]);
    assert.deepEqual(written((w) => w.mbUint32(0x80)), [0x81, 0x00]);
    assert.deepEqual(written((w) => w.mbUint32(0x0fd3)), [0x9f, 0x53]);
    assert.deepEqual(written((w) => w.mbUint32(0x1201)), [0xa4, 0x01]);
    assert.deepEqual(written((w) => w.mbUint32(0xffffffff)), [0x8f, 0xff, 0xff, 0xff, 0x7f]);
  });

  it('writes STR_I text as UTF-8 with a NUL terminator', () => {
    assert.deepEqual(written((w) => w.inlineText('Aé')), [0x03, 0x41, 0xc3, 0xa9, 0x00]);
  });

  it('writes U+0000 inside text as ENTITY 0 between inline strings', () => {
    assert.deepEqual(written((w) => w.inlineText('a\0b')), [0x03, 0x61, 0x00, 0x02, 0x00, 0x03, 0x62, 0x00]);
    assert.deepEqual(written((w) => w.inlineText('\0')), [0x03, 0x00, 0x02, 0x00]);
  });

  it('writes text as OPAQUE with its UTF-8 byte length', () => {
    assert.deepEqual(written((w) => w.opaqueText('ab')), [0xc3, 0x02, 0x61, 0x62]);
    assert.deepEqual(written((w) => w.opaqueText('€')), [0xc3, 0x03, 0xe2, 0x82, 0xac]);
  });

  it('grows its buffer and returns an exact-length independent copy', () => {
    const long = 'x'.repeat(5000);
    const out = written((w) => {
      w.inlineText(long);
      w.opaque(new Uint8Array(3000).fill(7));
    }, 16);
    assert.equal(out.length, 1 + 5000 + 1 + 1 + 2 + 3000);
    const w = new WbxmlWriter(16);
    w.u8(1);
    const a = w.finish();
    assert.equal(a.byteLength, 1);
    assert.equal(a.buffer.byteLength, 1);
  });
});

describe('isAscii', () => {
  it('tells ASCII-only strings from others', () => {
    assert.equal(isAscii('SyncML 1.2'), true);
    assert.equal(isAscii('é'), false);
  });
});
