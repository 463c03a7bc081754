import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { decodeBasicCredential, encodeBasicCredential, verifyBasicCredential } from '../../../src/core/auth/basic.js';
import { AuthError, ErrorCode } from '../../../src/core/errors.js';

const vectors = new URL('../../../../shared/vectors/', import.meta.url);

describe('encodeBasicCredential', () => {
  it('matches the OMA DM spec vector for Bruce2 / OhBehave', () => {
    assert.equal(encodeBasicCredential('Bruce2', 'OhBehave'), 'QnJ1Y2UyOk9oQmVoYXZl');
  });

  it('encodes non-ASCII names as UTF-8 (checked against `printf ... | openssl base64`)', () => {
    // printf 'J\xc3\xbcrgen:p\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xac' | openssl base64 -A
    assert.equal(encodeBasicCredential('Jürgen', 'pässwörd€'), 'SsO8cmdlbjpww6Rzc3fDtnJk4oKs');
  });

  it('refuses a user name containing a colon, which could not be split back', () => {
    assert.throws(() => encodeBasicCredential('a:b', 'c'), (e) => e instanceof AuthError && e.code === ErrorCode.ERR_AUTH_INVALID);
  });
});

describe('decodeBasicCredential', () => {
  it('decodes the Basic Cred of the AOSP DM 1.2 conformance script (Scts:SampleClient)', () => {
    const xml = readFileSync(new URL('aosp-omadm-dm12-testnewdatatype.xml', vectors), 'utf8');
    const data = /<Cred>[\s\S]*?<Data>([^<]+)<\/Data>/.exec(xml)?.[1];
    assert.ok(data, 'vector has a Cred Data');
    assert.deepEqual(decodeBasicCredential(data), { username: 'Scts', password: 'SampleClient' });
  });

  it('splits at the first colon so passwords may contain colons', () => {
    assert.deepEqual(decodeBasicCredential(Buffer.from('u:p:q').toString('base64')), { username: 'u', password: 'p:q' });
  });

  it('tolerates whitespace around the data, as XML content often has it', () => {
    assert.deepEqual(decodeBasicCredential('\n  QnJ1Y2UyOk9oQmVoYXZl \n'), { username: 'Bruce2', password: 'OhBehave' });
  });

  for (const [label, data] of [
    ['text that is not base64', 'not base64!'],
    ['base64 without a colon', Buffer.from('nocolon').toString('base64')],
    ['bytes that are not UTF-8', Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString('base64')],
    ['base64 with a character missing', 'QnJ1Y2UyOk9oQmVoYXZ'],
  ] as const) {
    it(`throws ERR_AUTH_INVALID for ${label}`, () => {
      assert.throws(() => decodeBasicCredential(data), (e) => e instanceof AuthError && e.code === ErrorCode.ERR_AUTH_INVALID);
    });
  }

  it('round-trips any colon-free user name and any password', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }).filter((s) => !s.includes(':')), fc.string({ unit: 'binary' }), (u, p) => {
      assert.deepEqual(decodeBasicCredential(encodeBasicCredential(u, p)), { username: u, password: p });
    }));
  });
});

describe('verifyBasicCredential', () => {
  it('accepts the matching pair', () => {
    assert.equal(verifyBasicCredential('QnJ1Y2UyOk9oQmVoYXZl', { username: 'Bruce2', password: 'OhBehave' }), true);
  });

  it('rejects a wrong password, a wrong user name and a prefix of the password', () => {
    const data = encodeBasicCredential('Bruce2', 'OhBehave');
    assert.equal(verifyBasicCredential(data, { username: 'Bruce2', password: 'OhBehave!' }), false);
    assert.equal(verifyBasicCredential(data, { username: 'Bruce3', password: 'OhBehave' }), false);
    assert.equal(verifyBasicCredential(encodeBasicCredential('Bruce2', 'OhBe'), { username: 'Bruce2', password: 'OhBehave' }), false);
  });

  it('returns false rather than throwing for malformed data', () => {
    assert.equal(verifyBasicCredential('%%%', { username: 'a', password: 'b' }), false);
  });
});
