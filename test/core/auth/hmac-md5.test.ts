import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  computeHmacMd5,
  formatHmacHeader,
  parseHmacHeader,
  verifyHmacMd5,
} from '../../../src/core/auth/hmac-md5.js';
import { md5Secret } from '../../../src/core/auth/md5-digest.js';
import { AuthError, ErrorCode } from '../../../src/core/errors.js';

const BODY = new TextEncoder().encode('<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr/></SyncML>');
// Includes 0x00, 0x3A and bytes ≥ 0x80.
const NONCE = Uint8Array.from([0x9a, 0x00, 0x3a, 0xff, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0]);
// Computed with openssl (and cross-checked with Python hashlib):
//   S=$(printf 'Bruce2:OhBehave' | openssl dgst -md5 -binary | openssl base64 -A)
//   B=$(printf '%s' '<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr/></SyncML>' | openssl dgst -md5 -binary | openssl base64 -A)
//   { printf '%s:' "$S"; printf '\x9a\x00\x3a\xff\x10\x20\x30\x40\x50\x60\x70\x80\x90\xa0\xb0\xc0'; printf ':%s' "$B"; } \
//     | openssl dgst -md5 -binary | openssl base64 -A
const MAC = 'NHine0BXuJw0Zfwsvop+bQ==';

describe('computeHmacMd5', () => {
  it('matches an openssl-computed MAC over a body and a binary nonce', () => {
    assert.equal(computeHmacMd5({ username: 'Bruce2', password: 'OhBehave', nonce: NONCE, body: BODY }), MAC);
  });

  it('gives the same MAC from the stored secret', () => {
    assert.equal(computeHmacMd5({ username: 'Bruce2', secret: md5Secret('Bruce2', 'OhBehave'), nonce: NONCE, body: BODY }), MAC);
  });

  it('equals a literal step-by-step computation', () => {
    const b64md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('base64');
    const secret = b64md5(new TextEncoder().encode('Bruce2:OhBehave'));
    const enc = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
    const msg = Uint8Array.from([...enc(secret), 0x3a, ...NONCE, 0x3a, ...enc(b64md5(BODY))]);
    assert.equal(computeHmacMd5({ username: 'Bruce2', password: 'OhBehave', nonce: NONCE, body: BODY }), b64md5(msg));
  });

  it('throws ERR_AUTH_MISSING without password or secret', () => {
    assert.throws(() => computeHmacMd5({ username: 'u', nonce: NONCE, body: BODY }), (e) => e instanceof AuthError && e.code === ErrorCode.ERR_AUTH_MISSING);
  });
});

describe('formatHmacHeader', () => {
  it('writes algorithm, quoted username and mac in the spec order', () => {
    assert.equal(formatHmacHeader({ username: 'Bruce2', mac: MAC }), `algorithm=MD5, username="Bruce2", mac=${MAC}`);
  });

  it('escapes quotes in the user name so it parses back', () => {
    const h = formatHmacHeader({ username: 'a"b\\c', mac: MAC });
    assert.equal(parseHmacHeader(h).username, 'a"b\\c');
  });
});

describe('parseHmacHeader', () => {
  it('parses the canonical form', () => {
    assert.deepEqual(parseHmacHeader(`algorithm=MD5, username="Bruce2", mac=${MAC}`), { algorithm: 'MD5', username: 'Bruce2', mac: MAC });
  });

  it('tolerates other order, case of names, extra spaces, quoted mac, unquoted username and no commas', () => {
    for (const v of [
      `mac="${MAC}",USERNAME = Bruce2 , Algorithm=MD5`,
      `  username="Bruce2"   mac=${MAC}   algorithm=MD5  `,
      `username=Bruce2,mac=${MAC}`,
    ]) {
      const h = parseHmacHeader(v);
      assert.equal(h.username, 'Bruce2', v);
      assert.equal(h.mac, MAC, v);
      assert.equal(h.algorithm, 'MD5', v);
    }
  });

  it('defaults the algorithm to MD5 and ignores unknown parameters', () => {
    assert.equal(parseHmacHeader(`username="x", mac=${MAC}, foo=bar`).algorithm, 'MD5');
  });

  for (const [label, v] of [
    ['no mac', 'algorithm=MD5, username="Bruce2"'],
    ['no username', `algorithm=MD5, mac=${MAC}`],
    ['an empty value', `username="", mac=${MAC}`],
    ['an unterminated quote', `username="Bruce2, mac=${MAC}`],
    ['a parameter without "="', `username "Bruce2", mac=${MAC}`],
    ['a repeated parameter', `username=a, username=b, mac=${MAC}`],
    ['an empty string', ''],
  ] as const) {
    it(`throws ERR_AUTH_HMAC_HEADER for ${label}`, () => {
      assert.throws(() => parseHmacHeader(v), (e) => e instanceof AuthError && e.code === ErrorCode.ERR_AUTH_HMAC_HEADER);
    });
  }

  it('throws only AuthError for arbitrary header text', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), (v) => {
      try {
        parseHmacHeader(v);
      } catch (e) {
        assert.ok(e instanceof AuthError, String(e));
      }
    }));
  });
});

describe('verifyHmacMd5', () => {
  const secret = md5Secret('Bruce2', 'OhBehave');
  const header = formatHmacHeader({ username: 'Bruce2', mac: MAC });

  it('accepts the right MAC and user name', () => {
    assert.equal(verifyHmacMd5({ header, secret, nonce: NONCE, body: BODY, expectedUsername: 'Bruce2' }), true);
  });

  it('rejects a body changed by one byte', () => {
    const body = Uint8Array.from(BODY);
    body[5] = (body[5] ?? 0) ^ 1;
    assert.equal(verifyHmacMd5({ header, secret, nonce: NONCE, body }), false);
  });

  it('rejects a stale nonce and an unexpected user name', () => {
    assert.equal(verifyHmacMd5({ header, secret, nonce: NONCE.subarray(1), body: BODY }), false);
    assert.equal(verifyHmacMd5({ header, secret, nonce: NONCE, body: BODY, expectedUsername: 'Bruce3' }), false);
  });

  it('throws ERR_AUTH_UNSUPPORTED for another algorithm', () => {
    assert.throws(
      () => verifyHmacMd5({ header: `algorithm=SHA1, username="Bruce2", mac=${MAC}`, secret, nonce: NONCE, body: BODY }),
      (e) => e instanceof AuthError && e.code === ErrorCode.ERR_AUTH_UNSUPPORTED,
    );
  });

  it('accepts the algorithm name in any case', () => {
    assert.equal(verifyHmacMd5({ header: `algorithm=md5, username="Bruce2", mac=${MAC}`, secret, nonce: NONCE, body: BODY }), true);
  });
});
