import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodecError, DmError, ErrorCode } from '../../../src/core/errors.js';
import {
  decodeWapPush,
  encodeWapPush,
  encodeWdpSmsUdh,
  PushApplicationId,
  reassembleSms,
  SecMethod,
  segmentForSms,
  WspContentType,
} from '../../../src/core/notification/wap-push.js';

const isMalformed = (e: unknown): boolean => e instanceof CodecError && e.code === ErrorCode.ERR_WAP_PUSH_MALFORMED;
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const BODY = Uint8Array.from({ length: 30 }, (_, i) => (i * 37) & 0xff);
const MAC = '0123456789ABCDEF0123456789ABCDEF01234567'; // 40 hex digits, as an HMAC-SHA1 in hex

// Package 0 push, built from WAP-230-WSP rules:
const DM_PUSH_HEAD = [
  0x01, //       TID
  0x06, //       PDU type: Push
  0x03, //       HeadersLen (uintvar) = 3 octets of Content-Type + headers
  0xc4, //       Content-Type: Short-integer 0x80 | 0x44 (application/vnd.syncml.notification)
  0xaf, //       well-known field 0x80 | 0x2F: X-WAP-Application-ID
  0x87, //       App-assigned-code: Short-integer 0x80 | 0x07 (x-wap-application:syncml.dm)
];

// CP push with SEC/MAC parameters and an X-MS-DESC application header:
const CP_PUSH_HEAD = [
  0x00, //       TID
  0x06, //       PDU type: Push
  0x3f, //       HeadersLen = 47 (Content-Type) + 10 + 6 (X-MS-DESC) = 63
  0x1f, 0x2d, // Content-general-form: Length-quote, uintvar 45 = 1 + 2 + 1 + 41
  0xb6, //       Well-known-media 0x80 | 0x36 (application/vnd.wap.connectivity-wbxml)
  0x91, 0x81, // parameter 0x80 | 0x11 SEC = Short-integer 0x80 | 1 (USERPIN)
  0x92, //       parameter 0x80 | 0x12 MAC = Token-text…
  ...ascii(MAC), 0x00, //               …40 hex characters + End-of-string
  ...ascii('X-MS-DESC'), 0x00, //       Application-header: Token-text name
  ...ascii('Hello'), 0x00, //           Application-specific-value: Text-string
];

describe('encodeWapPush', () => {
  it('frames a Package 0 as TID 06 03 C4 AF 87 + body', () => {
    const bytes = encodeWapPush({ transactionId: 1, contentType: WspContentType.SYNCML_NOTIFICATION, applicationId: PushApplicationId.SYNCML_DM, body: BODY });
    assert.deepEqual(bytes, Uint8Array.from([...DM_PUSH_HEAD, ...BODY]));
    assert.ok(bytes.length - BODY.length + 7 <= 48, 'WDP + WSP headers stay within 48 octets');
  });

  it('encodes SEC and MAC in the general content-type form, with textual headers', () => {
    const bytes = encodeWapPush({
      contentType: 0x36,
      contentTypeParams: { SEC: SecMethod.USERPIN, MAC },
      headers: [{ name: 'X-MS-DESC', value: 'Hello' }],
      body: BODY,
    });
    assert.deepEqual(bytes, Uint8Array.from([...CP_PUSH_HEAD, ...BODY]));
  });

  it('accepts the SEC method by name', () => {
    const a = encodeWapPush({ contentType: 0x36, contentTypeParams: { SEC: 'USERPIN', MAC }, headers: [{ name: 'X-MS-DESC', value: 'Hello' }], body: BODY });
    assert.deepEqual(a, Uint8Array.from([...CP_PUSH_HEAD, ...BODY]));
  });

  it('writes a media type string as Extension-media and a URI application id as text', () => {
    const bytes = encodeWapPush({ contentType: 'text/x-foo', applicationId: 'x-wap-microsoft:cfgmgr.ua', body: new Uint8Array(0) });
    const headers = [...ascii('text/x-foo'), 0x00, 0xaf, ...ascii('x-wap-microsoft:cfgmgr.ua'), 0x00];
    assert.deepEqual(bytes, Uint8Array.from([0x00, 0x06, headers.length, ...headers]));
  });

  it('writes large codes as Long-integer: a 0x9001 application id and a 0x0201 content type', () => {
    const bytes = encodeWapPush({ contentType: 0x0201, applicationId: 0x9001, body: new Uint8Array(0) });
    // 03 = Value-length, 02 02 01 = Long-integer 0x0201; AF 02 90 01 = X-WAP-Application-ID Long-integer 0x9001
    assert.deepEqual(bytes, Uint8Array.of(0x00, 0x06, 0x08, 0x03, 0x02, 0x02, 0x01, 0xaf, 0x02, 0x90, 0x01));
  });

  it('uses a two-octet uintvar HeadersLen when the headers exceed 127 octets', () => {
    const bytes = encodeWapPush({ contentType: 0x44, headers: [{ name: 'X-MS-DESC', value: 'x'.repeat(189) }], body: new Uint8Array(0) });
    // 1 (C4) + 10 (name) + 190 (value) = 201 = 1·128 + 73 → 81 49
    assert.deepEqual([...bytes.subarray(0, 5)], [0x00, 0x06, 0x81, 0x49, 0xc4]);
  });

  for (const [label, opts] of [
    ['a header name with a space', { contentType: 0x44, headers: [{ name: 'X MS', value: 'v' }], body: BODY }],
    ['a NUL in a header value', { contentType: 0x44, headers: [{ name: 'X', value: 'a\u0000' }], body: BODY }],
    ['a transaction id above 255', { contentType: 0x44, transactionId: 256, body: BODY }],
    ['a non-ASCII media type', { contentType: 'text/é', body: BODY }],
  ] as const) {
    it(`throws ERR_WAP_PUSH_MALFORMED for ${label}`, () => {
      assert.throws(() => encodeWapPush(opts), isMalformed);
    });
  }
});

describe('decodeWapPush', () => {
  it('decodes the hand-built Package 0 push', () => {
    const p = decodeWapPush(Uint8Array.from([...DM_PUSH_HEAD, ...BODY]));
    assert.equal(p.transactionId, 1);
    assert.equal(p.contentType, 0x44);
    assert.deepEqual(p.contentTypeParams, {});
    assert.equal(p.applicationId, 0x07);
    assert.deepEqual(p.headers, []);
    assert.deepEqual(p.body, BODY);
  });

  it('decodes SEC, MAC and X-MS-DESC of the hand-built CP push', () => {
    const p = decodeWapPush(Uint8Array.from([...CP_PUSH_HEAD, ...BODY]));
    assert.equal(p.contentType, 0x36);
    assert.deepEqual(p.contentTypeParams, { SEC: 1, MAC });
    assert.equal(p.applicationId, undefined);
    assert.deepEqual(p.headers, [{ name: 'X-MS-DESC', value: 'Hello' }]);
    assert.deepEqual(p.body, BODY);
  });

  it('keeps other well-known headers raw, delimited by the generic value rules', () => {
    // 0xB4 (Push-Flag-like short value), 0x8E + Value-length 2 + 2 octets, 0x83 + text
    const headers = [0xc4, 0xb4, 0x81, 0x8e, 0x02, 0x12, 0x34, 0x83, ...ascii('ab'), 0x00];
    const p = decodeWapPush(Uint8Array.from([0x05, 0x06, headers.length, ...headers]));
    assert.deepEqual(p.wellKnownHeaders, [
      { code: 0x34, value: Uint8Array.of(0x81) },
      { code: 0x0e, value: Uint8Array.of(0x12, 0x34) },
      { code: 0x03, value: Uint8Array.from(ascii('ab')) },
    ]);
  });

  it('decodes quoted-string and untyped parameters', () => {
    // Value-length 12: media C4, untyped "lvl" = Short-integer 2, charset (0x81) = 0xEA (106, UTF-8)
    const ct = [0x0c, 0xc4, ...ascii('lvl'), 0x00, 0x82, 0x81, 0xea, 0x92, 0x22, ...ascii('q'), 0x00];
    const p = decodeWapPush(Uint8Array.from([0x00, 0x06, ct.length, ...ct]));
    assert.deepEqual(p.contentTypeParams, { lvl: 2, charset: 106, MAC: 'q' });
  });

  for (const [label, bytes, offset] of [
    ['a PDU type other than Push', [0x01, 0x07, 0x01, 0xc4], 1],
    ['HeadersLen past the end', [0x01, 0x06, 0x05, 0xc4], 3],
    ['a code-page shift', [0x01, 0x06, 0x03, 0xc4, 0x7f, 0x01], 4],
    ['a Content-Type length past its headers', [0x01, 0x06, 0x02, 0x05, 0xc4], 4],
  ] as const) {
    it(`throws ERR_WAP_PUSH_MALFORMED at byte ${offset} for ${label}`, () => {
      assert.throws(() => decodeWapPush(Uint8Array.from(bytes)), (e) => isMalformed(e) && (e as CodecError).position.offset === offset);
    });
  }

  it('throws for every truncation inside the headers, and keeps a shorter body otherwise', () => {
    const full = Uint8Array.from([...CP_PUSH_HEAD, ...BODY]);
    for (let n = 0; n < full.length; n++) {
      const cut = full.subarray(0, n);
      if (n < CP_PUSH_HEAD.length) assert.throws(() => decodeWapPush(cut), isMalformed, `cut at ${n}`);
      else assert.deepEqual(decodeWapPush(cut).body, BODY.subarray(0, n - CP_PUSH_HEAD.length));
    }
  });

  it('never throws anything but a DmError on random bytes', () => {
    const start = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.constant(0x06)).map((t) => Uint8Array.from(t));
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 60 }), fc.tuple(start, fc.uint8Array({ maxLength: 60 })).map(([a, b]) => Uint8Array.from([...a, ...b]))), (b) => {
      try {
        decodeWapPush(b);
      } catch (e) {
        assert.ok(e instanceof DmError, String(e));
      }
    }), { numRuns: 3000 });
  });

  it('round-trips what encodeWapPush writes', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:/+-]{0,20}$/);
    fc.assert(fc.property(
      fc.oneof(fc.integer({ min: 0, max: 0xffff }), token.map((t) => `a/${t}`)),
      fc.option(fc.oneof(fc.integer({ min: 0, max: 0xffff }), token), { nil: undefined }),
      fc.array(fc.tuple(fc.stringMatching(/^X-[A-Za-z0-9-]{1,10}$/), fc.string({ unit: 'binary' }).filter((s) => !s.includes('\u0000')))
        .map(([name, value]) => ({ name, value })), { maxLength: 3 }),
      fc.option(fc.integer({ min: 0, max: 127 }), { nil: undefined }),
      fc.option(fc.stringMatching(/^[0-9A-F]{40}$/), { nil: undefined }),
      fc.integer({ min: 0, max: 255 }),
      fc.uint8Array({ maxLength: 50 }),
      (contentType, applicationId, headers, sec, mac, transactionId, body) => {
        const params = { ...(sec === undefined ? {} : { SEC: sec }), ...(mac === undefined ? {} : { MAC: mac }) };
        const bytes = encodeWapPush({ contentType, headers, contentTypeParams: params, transactionId, body, ...(applicationId === undefined ? {} : { applicationId }) });
        const p = decodeWapPush(bytes);
        assert.equal(p.contentType, contentType);
        assert.equal(p.applicationId, applicationId);
        assert.deepEqual(p.headers, headers);
        assert.deepEqual(p.contentTypeParams, params);
        assert.equal(p.transactionId, transactionId);
        assert.deepEqual(p.body, body);
      },
    ));
  });
});

describe('encodeWdpSmsUdh', () => {
  it('writes UDHL 6, IEI 05, length 4, destination 0B84, source 23F0 by default', () => {
    assert.deepEqual(encodeWdpSmsUdh(), Uint8Array.of(0x06, 0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0));
  });

  it('takes other ports', () => {
    assert.deepEqual(encodeWdpSmsUdh({ destinationPort: 2949, sourcePort: 0 }), Uint8Array.of(0x06, 0x05, 0x04, 0x0b, 0x85, 0x00, 0x00));
    assert.throws(() => encodeWdpSmsUdh({ destinationPort: 70000 }), isMalformed);
  });
});

describe('segmentForSms / reassembleSms', () => {
  const payload = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);

  it('sends a payload that fits after the port UDH as one SMS without a concatenation IE', () => {
    const fits = payload.subarray(0, 133); // 7 + 133 = 140
    const segs = segmentForSms(fits, { reference: 9 });
    assert.equal(segs.length, 1);
    assert.deepEqual(segs[0], Uint8Array.from([0x06, 0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0, ...fits]));
    assert.deepEqual(reassembleSms(segs), { payload: fits, destinationPort: 2948, sourcePort: 9200 });
  });

  it('splits a longer payload into 140-octet SMS with port and concatenation IEs', () => {
    const segs = segmentForSms(payload, { reference: 0x42 });
    assert.deepEqual(segs.map((s) => s.length), [140, 140, 12 + 44]);
    segs.forEach((s, i) => {
      // UDHL 11 | 05 04 0B84 23F0 | 00 03 ref total seq
      assert.deepEqual([...s.subarray(0, 12)], [0x0b, 0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0, 0x00, 0x03, 0x42, 0x03, i + 1]);
    });
    assert.equal(segmentForSms(payload.subarray(0, 134), { reference: 1 }).length, 2);
  });

  it('reassembles segments given in any order', () => {
    const segs = segmentForSms(payload, { reference: 7, maxUserData: 60 });
    const shuffled = [...segs].reverse();
    assert.deepEqual(reassembleSms(shuffled), { payload, destinationPort: 2948, sourcePort: 9200, reference: 7 });
  });

  it('accepts a 16-bit reference and 8-bit ports from other senders', () => {
    // UDHL 10 | 04 02 dst=05 src=06 | 08 04 ref=0102 total=2 seq
    const seg = (seq: number, data: number[]): Uint8Array => Uint8Array.from([0x0a, 0x04, 0x02, 0x05, 0x06, 0x08, 0x04, 0x01, 0x02, 0x02, seq, ...data]);
    assert.deepEqual(reassembleSms([seg(2, [3, 4]), seg(1, [1, 2])]), { payload: Uint8Array.of(1, 2, 3, 4), destinationPort: 5, sourcePort: 6, reference: 0x0102 });
  });

  it('round-trips any payload and segment size', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1000 }), fc.integer({ min: 13, max: 140 }), fc.integer({ min: 0, max: 255 }), (p, max, ref) => {
      const segs = segmentForSms(p, { reference: ref, maxUserData: max });
      assert.ok(segs.every((s) => s.length <= max));
      assert.deepEqual(reassembleSms(segs).payload, p);
    }));
  });

  it('refuses missing, repeated and foreign parts', () => {
    const segs = segmentForSms(payload, { reference: 1 });
    const other = segmentForSms(payload, { reference: 2 });
    const [s1, s2, s3] = segs as [Uint8Array, Uint8Array, Uint8Array];
    assert.throws(() => reassembleSms([s1, s2]), isMalformed);
    assert.throws(() => reassembleSms([s1, s2, s2]), isMalformed);
    assert.throws(() => reassembleSms([s1, s2, other[2] as Uint8Array]), isMalformed);
    assert.throws(() => reassembleSms([]), isMalformed);
    assert.deepEqual(reassembleSms([s3, s1, s2]).payload, payload);
  });

  it('throws a typed error for every truncation of a segment header and for random segments', () => {
    const [s1] = segmentForSms(payload, { reference: 1 }) as [Uint8Array];
    for (let n = 0; n < 12; n++) assert.throws(() => reassembleSms([s1.subarray(0, n)]), isMalformed, `cut at ${n}`);
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 20 }), { minLength: 1, maxLength: 4 }), (segs) => {
      try {
        reassembleSms(segs);
      } catch (e) {
        assert.ok(e instanceof DmError, String(e));
      }
    }));
  });

  it('refuses bad options', () => {
    assert.throws(() => segmentForSms(payload, { reference: 256 }), isMalformed);
    assert.throws(() => segmentForSms(payload, { reference: 1, maxUserData: 12 }), isMalformed);
    assert.throws(() => segmentForSms(new Uint8Array(255 * 128 + 1), { reference: 1 }), isMalformed);
  });
});
