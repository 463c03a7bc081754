import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  buildChallengeMeta,
  decodeNonce,
  encodeNonce,
  generateNonce,
  NONCE_LENGTH,
  NonceTracker,
  parseAuthType,
  RESYNC_NONCE,
  resyncNonceCandidates,
} from '../../../src/core/auth/nonce.js';
import { AuthType } from '../../../src/core/constants/meta-types.js';
import type { Meta } from '../../../src/core/syncml/message.js';
import { AuthError, ErrorCode } from '../../../src/core/errors.js';

const isAuth = (code: string) => (e: unknown): boolean => e instanceof AuthError && e.code === code;

describe('generateNonce', () => {
  it('returns 16 random bytes by default, different each time', () => {
    const a = generateNonce();
    const b = generateNonce();
    assert.equal(a.length, 16);
    assert.equal(NONCE_LENGTH, 16);
    assert.notDeepEqual(a, b);
  });

  it('uses the injected random source', () => {
    const n = generateNonce((k) => new Uint8Array(k).fill(7));
    assert.deepEqual(n, new Uint8Array(16).fill(7));
  });

  it('encodes to 24 base64 characters with "==" padding, a length clients decode correctly', () => {
    // 16 ≡ 1 (mod 3): avoids the decoded-length ≡ 2 (mod 3) bug of some clients.
    assert.equal(16 % 3, 1);
    assert.match(encodeNonce(generateNonce()), /^[A-Za-z0-9+/]{22}==$/);
  });

  it('refuses a random source that returns the wrong length', () => {
    assert.throws(() => generateNonce(() => new Uint8Array(3)), isAuth(ErrorCode.ERR_AUTH_INVALID));
  });
});

describe('encodeNonce / decodeNonce', () => {
  it('decodes the spec NextNonce LG3iZQhhdmKNHg== to its 10 bytes', () => {
    assert.deepEqual(decodeNonce('LG3iZQhhdmKNHg=='), Uint8Array.from([0x2c, 0x6d, 0xe2, 0x65, 0x08, 0x61, 0x76, 0x62, 0x8d, 0x1e]));
  });

  it('decodes the AOSP sample ServerNonce MTIzNDEyMzQxMjM0MTIzNA== to "1234123412341234"', () => {
    assert.equal(new TextDecoder().decode(decodeNonce('MTIzNDEyMzQxMjM0MTIzNA==')), '1234123412341234');
  });

  it('round-trips any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      assert.deepEqual(decodeNonce(encodeNonce(b)), b);
    }));
  });

  it('accepts surrounding whitespace and missing padding, and an empty nonce', () => {
    assert.deepEqual(decodeNonce('  TmM=\n'), Uint8Array.from([0x4e, 0x63]));
    assert.deepEqual(decodeNonce('TmM'), Uint8Array.from([0x4e, 0x63]));
    assert.deepEqual(decodeNonce(''), new Uint8Array(0));
  });

  for (const bad of ['Tm M=', 'TmM*', 'T', 'TmM==', 'Tm=M', '====', 'TmN=', 'TQ==x', 'TR==', '-_8=']) {
    it(`throws ERR_AUTH_INVALID for ${JSON.stringify(bad)}`, () => {
      assert.throws(() => decodeNonce(bad), isAuth(ErrorCode.ERR_AUTH_INVALID));
    });
  }
});

describe('RESYNC_NONCE and resyncNonceCandidates', () => {
  it('uses four zero bytes as this project\'s resync nonce', () => {
    assert.deepEqual(RESYNC_NONCE, new Uint8Array(4));
  });

  it('offers the zero bytes first, then the ASCII text libdmclient hashes', () => {
    const [a, b, ...rest] = resyncNonceCandidates();
    assert.deepEqual(a, new Uint8Array(4));
    assert.deepEqual(b, new TextEncoder().encode('0x00000000'));
    assert.equal(rest.length, 0);
  });

  it('returns fresh copies, so a caller cannot corrupt the candidates', () => {
    const first = resyncNonceCandidates();
    first[0]?.fill(9);
    assert.deepEqual(resyncNonceCandidates()[0], new Uint8Array(4));
  });
});

describe('NonceTracker', () => {
  function tracker(opts: { windowMs?: number; maxEntries?: number } = {}): { t: NonceTracker; advance: (ms: number) => void } {
    let now = 1_000_000;
    const t = new NonceTracker({ ...opts, clock: () => now });
    return { t, advance: (ms) => { now += ms; } };
  }

  it('reports the first use as fresh and a repeat as replayed', () => {
    const { t } = tracker();
    assert.equal(t.check('dev1', 'TmM=', 'Zz6EivR3yeaaENcRN6lpAQ=='), 'fresh');
    assert.equal(t.check('dev1', 'TmM=', 'Zz6EivR3yeaaENcRN6lpAQ=='), 'replayed');
  });

  it('keeps credentials, nonces and digests apart', () => {
    const { t } = tracker();
    t.check('dev1', 'TmM=', 'd1');
    assert.equal(t.check('dev2', 'TmM=', 'd1'), 'fresh');
    assert.equal(t.check('dev1', 'TmQ=', 'd1'), 'fresh');
    assert.equal(t.check('dev1', 'TmM=', 'd2'), 'fresh');
  });

  it('forgets a pair once the window has passed', () => {
    const { t, advance } = tracker({ windowMs: 1000 });
    t.check('k', 'n', 'd');
    advance(999);
    assert.equal(t.check('k', 'n', 'd'), 'replayed');
    advance(1);
    assert.equal(t.check('k', 'n', 'd'), 'fresh');
  });

  it('stays within maxEntries, dropping the oldest pair first', () => {
    const { t } = tracker({ maxEntries: 3 });
    for (const n of ['a', 'b', 'c', 'd']) t.check('k', n, 'x');
    assert.equal(t.size, 3);
    assert.equal(t.check('k', 'd', 'x'), 'replayed');
    assert.equal(t.check('k', 'a', 'x'), 'fresh');
  });

  it('expires old pairs so memory does not grow with time', () => {
    const { t, advance } = tracker({ windowMs: 10 });
    for (let i = 0; i < 100; i++) {
      t.check('k', String(i), 'x');
      advance(5);
    }
    assert.ok(t.size <= 2);
  });

  it('rejects nonsensical options', () => {
    assert.throws(() => new NonceTracker({ maxEntries: 0 }), isAuth(ErrorCode.ERR_AUTH_INVALID));
    assert.throws(() => new NonceTracker({ windowMs: 0 }), isAuth(ErrorCode.ERR_AUTH_INVALID));
  });
});

describe('buildChallengeMeta', () => {
  it('builds an md5 challenge with a base64 NextNonce, assignable to the message Meta', () => {
    const meta: Meta = buildChallengeMeta(AuthType.MD5, Uint8Array.from([0x2c, 0x6d, 0xe2, 0x65, 0x08, 0x61, 0x76, 0x62, 0x8d, 0x1e]));
    assert.deepEqual(meta, { type: 'syncml:auth-md5', format: 'b64', nextNonce: 'LG3iZQhhdmKNHg==' });
  });

  it('builds a basic challenge without a nonce', () => {
    assert.deepEqual(buildChallengeMeta(AuthType.BASIC), { type: 'syncml:auth-basic', format: 'b64' });
  });

  it('requires a nonce for md5 and MAC challenges', () => {
    assert.throws(() => buildChallengeMeta(AuthType.MD5), isAuth(ErrorCode.ERR_AUTH_MISSING));
    assert.throws(() => buildChallengeMeta(AuthType.HMAC), isAuth(ErrorCode.ERR_AUTH_MISSING));
  });

  it('refuses to challenge for auth-none', () => {
    assert.throws(() => buildChallengeMeta(AuthType.NONE), isAuth(ErrorCode.ERR_AUTH_UNSUPPORTED));
  });
});

describe('parseAuthType', () => {
  it('maps Meta Types case-insensitively, including syncml:auth-mac', () => {
    assert.equal(parseAuthType('syncml:auth-md5'), AuthType.MD5);
    assert.equal(parseAuthType('SYNCML:AUTH-BASIC'), AuthType.BASIC);
    assert.equal(parseAuthType('syncml:auth-mac'), AuthType.HMAC);
    assert.equal(parseAuthType(' syncml:auth-MAC\n'), AuthType.HMAC);
    assert.equal(parseAuthType('syncml:auth-none'), AuthType.NONE);
  });

  it('returns undefined for absent or unknown types', () => {
    assert.equal(parseAuthType(undefined), undefined);
    assert.equal(parseAuthType('syncml:auth-X509'), undefined);
    assert.equal(parseAuthType(''), undefined);
  });
});
