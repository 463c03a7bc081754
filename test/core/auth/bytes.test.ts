import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { concatBytes, constantTimeEqual, fromBase64Strict, md5, toBase64, utf8DecodeStrict } from '../../../src/core/auth/bytes.js';

describe('fromBase64Strict', () => {
  it('decodes canonical base64 with or without padding', () => {
    assert.deepEqual(fromBase64Strict('TmM='), Uint8Array.of(0x4e, 0x63));
    assert.deepEqual(fromBase64Strict('TmM'), Uint8Array.of(0x4e, 0x63));
    assert.deepEqual(fromBase64Strict('TQ=='), Uint8Array.of(0x4d));
  });

  it('rejects the URL-safe alphabet, interior spaces, extra padding and non-zero pad bits', () => {
    for (const bad of ['-_8=', 'Tm M', 'TQ===', 'TR==', 'TmN=', 'T', '=']) assert.equal(fromBase64Strict(bad), undefined, bad);
  });

  it('agrees with toBase64 on every byte string', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 50 }), (b) => {
      assert.deepEqual(fromBase64Strict(toBase64(b)), b);
    }));
  });

  it('accepts a random string only if it is canonical base64', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'AQgw+/=x '.split('')), maxLength: 12 }), (s) => {
      const got = fromBase64Strict(s);
      if (got !== undefined) assert.equal(toBase64(got).replace(/=+$/, ''), s.trim().replace(/=+$/, ''));
    }));
  });
});

describe('constantTimeEqual', () => {
  it('compares content and length', () => {
    assert.equal(constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2)), true);
    assert.equal(constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3)), false);
    assert.equal(constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0)), false);
    assert.equal(constantTimeEqual(new Uint8Array(0), new Uint8Array(0)), true);
  });
});

describe('md5 / utf8DecodeStrict / concatBytes', () => {
  it('hashes the concatenation of string and byte parts', () => {
    // printf 'Bruce2:OhBehave' | openssl dgst -md5 -binary | openssl base64 -A
    assert.equal(toBase64(md5('Bruce2', Uint8Array.of(0x3a), 'OhBehave')), 'PtEdr8lBQ45IbT1bZIkrOQ==');
  });

  it('refuses ill-formed UTF-8 instead of substituting U+FFFD', () => {
    assert.equal(utf8DecodeStrict(Uint8Array.of(0xc3, 0x28)), undefined);
    assert.equal(utf8DecodeStrict(Uint8Array.of(0xc3, 0xa9)), 'é');
  });

  it('concatenates byte arrays', () => {
    assert.deepEqual(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3)), Uint8Array.of(1, 2, 3));
  });
});
