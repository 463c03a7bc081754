import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodecError, ErrorCode } from '../../../../src/core/errors.js';
import { probeLiteralPublicId, WbxmlReader } from '../../../../src/core/codec/wbxml/wbxml-reader.js';

const reader = (...bytes: number[]): WbxmlReader => new WbxmlReader(Uint8Array.from(bytes));
const ascii = (s: string): number[] => [...Buffer.from(s, 'utf8')];

function codecError(code: string, offset?: number): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof CodecError, `expected a CodecError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (offset !== undefined) assert.equal(err.position.offset, offset);
    return true;
  };
}

describe('WbxmlReader', () => {
  it('reads mb_u_int32 values of one to five bytes', () => {
    assert.equal(reader(0x00).mbUint32(), 0);
    assert.equal(reader(0x7f).mbUint32(), 0x7f);
    assert.equal(reader(0x81, 0x00).mbUint32(), 0x80);
    assert.equal(reader(0xa4, 0x01).mbUint32(), 0x1201);
    assert.equal(reader(0x9f, 0x53).mbUint32(), 0x0fd3);
    assert.equal(reader(0x8f, 0xff, 0xff, 0xff, 0x7f).mbUint32(), 0xffffffff);
  });

  it('rejects an mb_u_int32 above 2^32 - 1 as malformed, with its offset', () => {
    const r = reader(0x00, 0x90, 0x80, 0x80, 0x80, 0x00);
    r.u8();
    assert.throws(() => r.mbUint32(), codecError(ErrorCode.ERR_WBXML_MALFORMED, 1));
  });

  it('rejects an mb_u_int32 longer than five bytes', () => {
    assert.throws(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x01).mbUint32(), codecError(ErrorCode.ERR_WBXML_MALFORMED, 0));
  });

  it('reports an mb_u_int32 cut short as truncated', () => {
    assert.throws(() => reader(0x81).mbUint32(), codecError(ErrorCode.ERR_WBXML_TRUNCATED, 0));
  });

  it('reads NUL-terminated inline strings as UTF-8', () => {
    const r = new WbxmlReader(Uint8Array.from([...ascii('ab'), 0, ...ascii('é€😀'), 0]));
    assert.equal(r.inlineString(), 'ab');
    assert.equal(r.inlineString(), 'é€😀');
    assert.ok(r.atEnd);
  });

  it('reports an inline string without NUL as truncated at its start', () => {
    const r = reader(0x41, ...ascii('xyz'));
    r.u8();
    assert.throws(() => r.inlineString(), codecError(ErrorCode.ERR_WBXML_TRUNCATED, 1));
  });

  it('reads the header with a numeric public id and skips the string table', () => {
    const r = reader(0x02, 0xa4, 0x01, 0x6a, 0x03, 0x61, 0x62, 0x00, 0x6d);
    assert.deepEqual(r.header(), { version: 2, publicId: 0x1201, publicIdLiteral: undefined, charset: 106 });
    assert.equal(r.offset, 8);
    assert.equal(r.tableString(0, 8), 'ab');
  });

  it('resolves a literal public id through the string table', () => {
    const id = ascii('-//SYNCML//DTD SyncML 1.2//EN');
    const r = reader(0x03, 0x00, 0x00, 0x6a, id.length + 1, ...id, 0x00);
    assert.equal(r.header().publicIdLiteral, '-//SYNCML//DTD SyncML 1.2//EN');
  });

  it('accepts a table string that ends at the end of the table without NUL (AOSP public id quirk)', () => {
    const id = ascii('-//SYNCML//DTD SyncML 1.1//EN');
    const r = reader(0x02, 0x00, 0x00, 0x6a, id.length, ...id, 0x6d);
    assert.equal(r.header().publicIdLiteral, '-//SYNCML//DTD SyncML 1.1//EN');
  });

  it('rejects a string-table reference past the table as malformed', () => {
    const r = reader(0x02, 0x6a, 0x6a, 0x02, 0x61, 0x00);
    r.header();
    assert.throws(() => r.tableString(2, 6), codecError(ErrorCode.ERR_WBXML_MALFORMED, 6));
  });

  it('rejects a string table longer than the input as truncated', () => {
    assert.throws(() => reader(0x02, 0x6a, 0x6a, 0x10, 0x61).header(), codecError(ErrorCode.ERR_WBXML_TRUNCATED, 3));
  });

  it('refuses charsets other than UTF-8 as unsupported', () => {
    assert.throws(() => reader(0x02, 0x6a, 0x04, 0x00).header(), codecError(ErrorCode.ERR_WBXML_UNSUPPORTED, 2));
  });

  it('refuses WBXML 1.0 and unknown version bytes as unsupported', () => {
    assert.throws(() => reader(0x00, 0x6a, 0x6a, 0x00).header(), codecError(ErrorCode.ERR_WBXML_UNSUPPORTED, 0));
    assert.throws(() => reader(0x14, 0x6a, 0x6a, 0x00).header(), codecError(ErrorCode.ERR_WBXML_UNSUPPORTED, 0));
  });

  it('copies OPAQUE bytes out of the input', () => {
    const input = Uint8Array.from([1, 2, 3]);
    const out = new WbxmlReader(input).bytes(2, 'OPAQUE data');
    input[0] = 9;
    assert.deepEqual(out, Uint8Array.from([1, 2]));
  });

  it('reports OPAQUE data longer than the rest of the input as truncated', () => {
    assert.throws(() => reader(1, 2).bytes(3, 'OPAQUE data'), codecError(ErrorCode.ERR_WBXML_TRUNCATED, 0));
  });
});

describe('probeLiteralPublicId', () => {
  it('returns the literal public id of a WBXML header without throwing', () => {
    const id = ascii('-//OMA//DTD-DM-DDF 1.2//EN');
    assert.equal(probeLiteralPublicId(Uint8Array.from([0x02, 0x00, 0x00, 0x6a, id.length + 1, ...id, 0, 0x00, 0x02])), '-//OMA//DTD-DM-DDF 1.2//EN');
  });

  it('returns undefined for text, numeric public ids and cut headers', () => {
    assert.equal(probeLiteralPublicId(Buffer.from('IMEI:1234')), undefined);
    assert.equal(probeLiteralPublicId(Uint8Array.from([0x02, 0xa4, 0x01, 0x6a, 0x00])), undefined);
    assert.equal(probeLiteralPublicId(Uint8Array.from([0x02, 0x00, 0x00, 0x6a, 0x09, 0x41])), undefined);
    assert.equal(probeLiteralPublicId(new Uint8Array(0)), undefined);
  });
});
