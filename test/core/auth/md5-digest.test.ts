import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  computeMd5Digest,
  computeMd5DigestFromSecret,
  md5Secret,
  verifyMd5Digest,
} from '../../../src/core/auth/md5-digest.js';

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

// A 16-byte nonce chosen to break string-based implementations: NUL, bytes ≥ 0x80, an invalid
// UTF-8 sequence (C3 28), a newline and an embedded ':' (0x3A).
const NASTY_NONCE = Uint8Array.from([0x00, 0xff, 0x80, 0x7f, 0x41, 0xc3, 0x28, 0x0a, 0x3a, 0xde, 0xad, 0xbe, 0xef, 0x10, 0x20, 0xef]);

describe('md5Secret', () => {
  it('is B64(MD5("Bruce2:OhBehave")) for the spec credentials', () => {
    // printf 'Bruce2:OhBehave' | openssl dgst -md5 -binary | openssl base64 -A
    assert.equal(md5Secret('Bruce2', 'OhBehave'), 'PtEdr8lBQ45IbT1bZIkrOQ==');
  });

  it('hashes the UTF-8 bytes of user:pass', () => {
    // printf 'J\xc3\xbcrgen:p\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xac' | openssl dgst -md5 -binary | openssl base64 -A
    assert.equal(md5Secret('Jürgen', 'pässwörd€'), 'V5lFGqu1Iq0zsUhBDcExkw==');
  });
});

describe('computeMd5Digest', () => {
  it('matches the OMA DM spec vector Bruce2 / OhBehave / "Nonce"', () => {
    const nonce = Uint8Array.from(ascii('Nonce'));
    assert.equal(computeMd5Digest({ username: 'Bruce2', password: 'OhBehave', nonce }), 'Zz6EivR3yeaaENcRN6lpAQ==');
  });

  it('concatenates the raw nonce bytes, not a string (vector computed with openssl)', () => {
    // S=$(printf 'dmclient:s3cr3t' | openssl dgst -md5 -binary | openssl base64 -A)
    // { printf '%s:' "$S"; printf '\x00\xff\x80\x7f\x41\xc3\x28\x0a\x3a\xde\xad\xbe\xef\x10\x20\xef'; } \
    //   | openssl dgst -md5 -binary | openssl base64 -A
    // (also reproduced with Python hashlib before being written here)
    assert.equal(computeMd5Digest({ username: 'dmclient', password: 's3cr3t', nonce: NASTY_NONCE }), 'MPw2FkGBjnQYlCvkDY53lA==');
  });

  it('uses the decoded bytes of a base64 NextNonce (the spec example nonce LG3iZQhhdmKNHg==)', () => {
    // nonce bytes = base64 -d of LG3iZQhhdmKNHg== = 2c 6d e2 65 08 61 76 62 8d 1e; openssl as above
    const nonce = Uint8Array.from([0x2c, 0x6d, 0xe2, 0x65, 0x08, 0x61, 0x76, 0x62, 0x8d, 0x1e]);
    assert.equal(computeMd5Digest({ username: 'Jürgen', password: 'pässwörd€', nonce }), 'kRZZWFVs8oA3yYNCwrDh3Q==');
  });

  it('equals a literal step-by-step computation over hand-written bytes', () => {
    // Step 1: MD5 over the ASCII codes of "dmclient:s3cr3t", written out, then base64.
    const userPass = [0x64, 0x6d, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x3a, 0x73, 0x33, 0x63, 0x72, 0x33, 0x74];
    const secret = createHash('md5').update(Uint8Array.from(userPass)).digest('base64');
    // Step 2: the message is secret's ASCII codes, one 0x3A, then the nonce octets verbatim.
    const message = Uint8Array.from([...ascii(secret), 0x3a, ...NASTY_NONCE]);
    assert.equal(message.length, 24 + 1 + 16);
    const expected = createHash('md5').update(message).digest('base64');
    assert.equal(computeMd5Digest({ username: 'dmclient', password: 's3cr3t', nonce: NASTY_NONCE }), expected);
  });

  it('gives the same result from the password or from the stored secret', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.uint8Array({ maxLength: 40 }), (u, p, nonce) => {
      assert.equal(
        computeMd5Digest({ username: u, password: p, nonce }),
        computeMd5DigestFromSecret({ secret: md5Secret(u, p), nonce }),
      );
    }));
  });
});

describe('verifyMd5Digest', () => {
  const secret = md5Secret('Bruce2', 'OhBehave');
  const nonce = Uint8Array.from(ascii('Nonce'));

  it('accepts the right digest', () => {
    assert.equal(verifyMd5Digest({ digest: 'Zz6EivR3yeaaENcRN6lpAQ==', secret, nonce }), true);
  });

  it('rejects a digest made with another nonce', () => {
    assert.equal(verifyMd5Digest({ digest: 'Zz6EivR3yeaaENcRN6lpAQ==', secret, nonce: Uint8Array.from(ascii('Nonc3')) }), false);
  });

  it('rejects a digest that differs in one bit', () => {
    assert.equal(verifyMd5Digest({ digest: 'Zz6EivR3yeaaENcRN6lpAA==', secret, nonce }), false);
  });

  it('returns false for data that is not base64 or is truncated', () => {
    assert.equal(verifyMd5Digest({ digest: 'Zz6E*vR3', secret, nonce }), false);
    assert.equal(verifyMd5Digest({ digest: 'Zz6EivR3yeaaENcR', secret, nonce }), false);
    assert.equal(verifyMd5Digest({ digest: '', secret, nonce }), false);
  });
});
