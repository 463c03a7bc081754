import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { md5Secret } from '../../../src/core/auth/md5-digest.js';
import { CodecError, DmError, ErrorCode } from '../../../src/core/errors.js';
import {
  decodeNotification,
  encodeNotification,
  sessionIdToHex,
  UiMode,
  verifyNotification,
} from '../../../src/core/notification/package0.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const SERVER_NONCE = Uint8Array.from({ length: 16 }, (_, i) => i + 1); // 01 02 … 10

// Trigger header built by hand from OMA-TS-DM_Notification §6.2.1 for version 11, ui-mode 2
// (informative), initiator 1 (server), session id 0x1A2B, server id "com.example.dm" (14 bytes):
//   bits: 0000001011 | 10 | 1 | 000 …   → first 16 bits 0000 0010 1110 1000 = 02 E8
//   remaining 24 future-use bits         → 00 00 00
//   session id                           → 1A 2B
//   length-identifier                    → 0E
const TRIGGER = hex('02 E8 00 00 00 1A 2B 0E' + Buffer.from('com.example.dm').toString('hex'));
// Digest computed with openssl (and cross-checked with Python hashlib):
//   S=$(printf 'com.example.dm:serverpw' | openssl dgst -md5 -binary | openssl base64 -A)   # h+eyOPLbNh5XUZa7NofxOQ==
//   T=$(printf '\x02\xe8\x00\x00\x00\x1a\x2b\x0ecom.example.dm' | openssl dgst -md5 -binary | openssl base64 -A)
//   { printf '%s:' "$S"; printf '\x01\x02…\x10'; printf ':%s' "$T"; } | openssl dgst -md5 -binary | xxd -p
const DIGEST = hex('5eb94d663237adccc5e691e1a6fbb971');
// The same trigger signed with the resync nonce: four zero bytes, and the ASCII text "0x00000000".
const DIGEST_RESYNC_ZERO = hex('a82a15ad2e8be02a60f97b3ceb27010b');
const DIGEST_RESYNC_ASCII = hex('03363ca8fc6060d6e5abc3f686c7dc5a');
const MESSAGE = Uint8Array.from([...DIGEST, ...TRIGGER]);

const CREDS = { serverId: 'com.example.dm', serverPassword: 'serverpw', serverNonce: SERVER_NONCE };
const isMalformed = (e: unknown): boolean => e instanceof CodecError && e.code === ErrorCode.ERR_NOTIFICATION_MALFORMED;

describe('encodeNotification', () => {
  it('produces the hand-built message byte for byte', () => {
    const bytes = encodeNotification({ ...CREDS, sessionId: 0x1a2b, uiMode: UiMode.INFORMATIVE, initiator: 'server' });
    assert.deepEqual(bytes, MESSAGE);
  });

  it('gives the same bytes from the stored secret as from the password', () => {
    const a = encodeNotification({ ...CREDS, sessionId: 7 });
    const b = encodeNotification({ serverId: CREDS.serverId, serverSecret: md5Secret('com.example.dm', 'serverpw'), serverNonce: SERVER_NONCE, sessionId: 7 });
    assert.deepEqual(a, b);
  });

  it('defaults to version 11, ui-mode not-specified, initiator server', () => {
    const m = decodeNotification(encodeNotification({ ...CREDS, sessionId: 1 }));
    assert.equal(m.version, 11);
    assert.equal(m.uiMode, UiMode.NOT_SPECIFIED);
    assert.equal(m.initiator, 'server');
  });

  for (const [label, extra] of [
    ['a session id above 0xFFFF', { sessionId: 0x10000 }],
    ['a negative session id', { sessionId: -1 }],
    ['a server id longer than 255 bytes', { sessionId: 1, serverId: 'x'.repeat(256) }],
    ['a version above 10 bits', { sessionId: 1, version: 1024 }],
  ] as const) {
    it(`throws ERR_NOTIFICATION_MALFORMED for ${label}`, () => {
      assert.throws(() => encodeNotification({ ...CREDS, ...extra }), isMalformed);
    });
  }

  it('throws without a password or secret', () => {
    assert.throws(() => encodeNotification({ serverId: 'a', serverNonce: SERVER_NONCE, sessionId: 1 }), isMalformed);
  });
});

describe('decodeNotification', () => {
  it('reads every field of the hand-built message', () => {
    const m = decodeNotification(MESSAGE);
    assert.deepEqual(m.digest, DIGEST);
    assert.equal(m.version, 11);
    assert.equal(m.uiMode, UiMode.INFORMATIVE);
    assert.equal(m.initiator, 'server');
    assert.equal(m.sessionId, 0x1a2b);
    assert.equal(m.serverId, 'com.example.dm');
    assert.equal(m.vendorSpecific, undefined);
    assert.deepEqual(m.trigger, TRIGGER);
    assert.equal(m.futureUse, 0);
  });

  it('reads the client initiator bit and the user-interaction ui-mode', () => {
    // 0000001011 | 11 | 0 | 000 → 0000 0010 1111 0000 = 02 F0
    const m = decodeNotification(Uint8Array.from([...new Uint8Array(16), ...hex('02 F0 00 00 00 00 01 01 41')]));
    assert.equal(m.uiMode, UiMode.USER_INTERACTION);
    assert.equal(m.initiator, 'client');
    assert.equal(m.sessionId, 1);
    assert.equal(m.serverId, 'A');
  });

  it('returns the bytes after the server id as vendor-specific data', () => {
    const m = decodeNotification(Uint8Array.from([...MESSAGE, 0xde, 0xad]));
    assert.deepEqual(m.vendorSpecific, Uint8Array.from([0xde, 0xad]));
  });

  it('accepts version 12 and rejects 10 and 13 at the header offset', () => {
    // version 12 = 0000001100 → first 16 bits with ui 0, initiator 1: 0000 0011 0000 1000 = 03 08
    assert.equal(decodeNotification(Uint8Array.from([...new Uint8Array(16), ...hex('03 08 00 00 00 00 01 00')])).version, 12);
    for (const first of ['02 88', '03 48']) { // versions 10 and 13
      assert.throws(() => decodeNotification(Uint8Array.from([...new Uint8Array(16), ...hex(`${first} 00 00 00 00 01 00`)])),
        (e) => isMalformed(e) && (e as CodecError).position.offset === 16);
    }
  });

  it('accepts non-zero reserved bits and reports them in futureUse', () => {
    const bytes = Uint8Array.from(MESSAGE);
    bytes[16 + 1] = (bytes[16 + 1] ?? 0) | 0x07; // top three future-use bits
    bytes[16 + 4] = 0x01; // lowest future-use bit
    assert.equal(decodeNotification(bytes).futureUse, 0x7000001);
  });

  it('throws with the byte offset when the server id runs past the end', () => {
    const bytes = Uint8Array.from(MESSAGE);
    bytes[16 + 7] = 15; // one more than present
    assert.throws(() => decodeNotification(bytes), (e) => isMalformed(e) && (e as CodecError).position.offset === 23);
  });

  it('throws when the server id is not UTF-8', () => {
    const bytes = Uint8Array.from([...new Uint8Array(16), ...hex('02 E8 00 00 00 00 01 02 C3 28')]);
    assert.throws(() => decodeNotification(bytes), (e) => isMalformed(e) && (e as CodecError).position.offset === 24);
  });

  it('throws ERR_NOTIFICATION_MALFORMED for every truncation of a valid message', () => {
    for (let n = 0; n < MESSAGE.length; n++) {
      assert.throws(() => decodeNotification(MESSAGE.subarray(0, n)), isMalformed, `cut at ${n}`);
    }
  });

  it('never throws anything but a DmError on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
      try {
        decodeNotification(b);
      } catch (e) {
        assert.ok(e instanceof DmError, String(e));
      }
    }), { numRuns: 2000 });
  });

  it('round-trips every encodable message', () => {
    fc.assert(fc.property(
      fc.string({ unit: 'binary', maxLength: 60 }), fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<UiMode>,
      fc.constantFrom('client', 'server') as fc.Arbitrary<'client' | 'server'>, fc.uint8Array({ maxLength: 20 }), fc.uint8Array({ maxLength: 20 }),
      (serverId, sessionId, uiMode, initiator, vendor, nonce) => {
        const bytes = encodeNotification({ serverId, serverPassword: 'pw', serverNonce: nonce, sessionId, uiMode, initiator, vendorSpecific: vendor });
        const m = decodeNotification(bytes);
        assert.equal(m.serverId, serverId);
        assert.equal(m.sessionId, sessionId);
        assert.equal(m.uiMode, uiMode);
        assert.equal(m.initiator, initiator);
        assert.deepEqual(m.vendorSpecific ?? new Uint8Array(0), vendor);
        assert.deepEqual(verifyNotification(m, { serverPassword: 'pw', serverNonce: nonce }), { ok: true, nonceResync: false });
      },
    ));
  });
});

describe('verifyNotification', () => {
  const msg = decodeNotification(MESSAGE);

  it('accepts the right credentials and nonce', () => {
    assert.deepEqual(verifyNotification(msg, CREDS), { ok: true, nonceResync: false });
  });

  it('accepts the stored secret in place of the password', () => {
    assert.equal(verifyNotification(msg, { serverSecret: 'h+eyOPLbNh5XUZa7NofxOQ==', serverNonce: SERVER_NONCE }).ok, true);
  });

  it('says digest-mismatch for a wrong password or a stale nonce', () => {
    const v = verifyNotification(msg, { ...CREDS, serverPassword: 'wrong' });
    assert.equal(v.ok, false);
    assert.equal(!v.ok && v.reason, 'digest-mismatch');
    const w = verifyNotification(msg, { ...CREDS, serverNonce: new Uint8Array(16) });
    assert.equal(!w.ok && w.reason, 'digest-mismatch');
  });

  it('says server-id-mismatch when the message names another server', () => {
    const v = verifyNotification(msg, { ...CREDS, serverId: 'other' });
    assert.equal(!v.ok && v.reason, 'server-id-mismatch');
    assert.match(!v.ok ? v.message : '', /com\.example\.dm/);
  });

  it('says missing-credentials without a password or secret', () => {
    const v = verifyNotification(msg, { serverNonce: SERVER_NONCE });
    assert.equal(!v.ok && v.reason, 'missing-credentials');
  });

  it('says unsupported-version for a hand-made model with another version', () => {
    const v = verifyNotification({ ...msg, version: 13 }, CREDS);
    assert.equal(!v.ok && v.reason, 'unsupported-version');
  });

  it('detects any change to the trigger, reserved bits included', () => {
    for (let i = 16; i < MESSAGE.length; i++) {
      const bytes = Uint8Array.from(MESSAGE);
      bytes[i] = (bytes[i] ?? 0) ^ 0x01;
      let decoded;
      try {
        decoded = decodeNotification(bytes);
      } catch {
        continue; // the change made it undecodable, which is also a refusal
      }
      assert.equal(verifyNotification(decoded, CREDS).ok, false, `byte ${i}`);
    }
  });

  it('verifies a model that did not come from the decoder by rebuilding its trigger', () => {
    const { trigger: _t, futureUse: _f, ...model } = msg;
    assert.deepEqual(verifyNotification(model, CREDS), { ok: true, nonceResync: false });
  });

  for (const [form, digest] of [['four zero bytes', DIGEST_RESYNC_ZERO], ['ASCII "0x00000000"', DIGEST_RESYNC_ASCII]] as const) {
    it(`accepts a digest made with the resync nonce as ${form} only when allowed`, () => {
      const resynced = decodeNotification(Uint8Array.from([...digest, ...TRIGGER]));
      const refused = verifyNotification(resynced, CREDS);
      assert.equal(!refused.ok && refused.reason, 'digest-mismatch');
      assert.deepEqual(verifyNotification(resynced, { ...CREDS, allowNonceResync: true }), { ok: true, nonceResync: true });
    });
  }

  it('still refuses a bad digest when resync is allowed', () => {
    const v = verifyNotification(msg, { ...CREDS, serverPassword: 'wrong', allowNonceResync: true });
    assert.equal(!v.ok && v.reason, 'digest-mismatch');
  });
});

describe('sessionIdToHex', () => {
  it('renders upper-case hex with no leading zeros, 1 to 4 digits', () => {
    assert.equal(sessionIdToHex(0x1a2b), '1A2B');
    assert.equal(sessionIdToHex(0x00ff), 'FF');
    assert.equal(sessionIdToHex(1), '1');
    assert.equal(sessionIdToHex(0xffff), 'FFFF');
    assert.equal(sessionIdToHex(0x0a0), 'A0');
  });

  it('throws for values that are not 16-bit', () => {
    for (const v of [-1, 0x10000, 1.5, Number.NaN]) assert.throws(() => sessionIdToHex(v), isMalformed);
  });
});
