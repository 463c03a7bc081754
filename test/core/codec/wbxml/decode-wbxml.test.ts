import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodecError, ErrorCode } from '../../../../src/core/errors.js';
import { el } from '../../../../src/core/codec/element.js';
import { decodeWbxmlDocument } from '../../../../src/core/codec/wbxml/decode-wbxml.js';
import { encodeWbxmlDocument } from '../../../../src/core/codec/wbxml/encode-wbxml.js';

const SYNCML12 = [0x02, 0xa4, 0x01, 0x6a];
const str = (s: string): number[] => [0x03, ...Buffer.from(s, 'utf8'), 0x00];
const wbxml = (body: number[], header: number[] = [...SYNCML12, 0x00]): Uint8Array => Uint8Array.from([...header, ...body]);
const METINF = 'syncml:metinf';
const DDF = 'syncml:dmddf1.2';

function codecError(code: string, offset?: number): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof CodecError, `expected a CodecError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (offset !== undefined) assert.equal(err.position.offset, offset);
    return true;
  };
}

describe('decodeWbxmlDocument', () => {
  it('decodes a SyncML 1.2 document with a numeric public id', () => {
    const doc = decodeWbxmlDocument(wbxml([0x6d, 0x6c, 0x71, ...str('1.2'), 0x01, 0x01, 0x6b, 0x12, 0x01, 0x01]));
    assert.deepEqual(doc, {
      publicId: '-//SYNCML//DTD SyncML 1.2//EN',
      root: el('SyncML', [el('SyncHdr', [el('VerDTD', ['1.2'])]), el('SyncBody', [el('Final')])]),
    });
  });

  it('resolves the SyncML 1.1 and 1.0 public ids', () => {
    assert.equal(decodeWbxmlDocument(wbxml([0x2d], [0x02, 0x9f, 0x53, 0x6a, 0x00])).publicId, '-//SYNCML//DTD SyncML 1.1//EN');
    assert.equal(decodeWbxmlDocument(wbxml([0x2d], [0x02, 0x9f, 0x51, 0x6a, 0x00])).publicId, '-//SYNCML//DTD SyncML 1.0//EN');
  });

  it('accepts a literal public id from the string table', () => {
    const id = [...Buffer.from('-//SYNCML//DTD SyncML 1.2//EN'), 0];
    const doc = decodeWbxmlDocument(wbxml([0x2d], [0x03, 0x00, 0x00, 0x6a, id.length, ...id]));
    assert.equal(doc.publicId, '-//SYNCML//DTD SyncML 1.2//EN');
    assert.equal(doc.root.name, 'SyncML');
  });

  it('decodes 1.2-only tokens under a 1.1 public id, as the AOSP vectors need', () => {
    const doc = decodeWbxmlDocument(wbxml([0x6d, 0x7c, ...str('c-1'), 0x01, 0x01], [0x02, 0x9f, 0x53, 0x6a, 0x00]));
    assert.equal(doc.publicId, '-//SYNCML//DTD SyncML 1.1//EN');
    assert.deepEqual(doc.root, el('SyncML', [el('Correlator', ['c-1'])]));
  });

  it('reads an unknown public id (0x01) with the SyncML 1.2 tables and reports no public id', () => {
    const doc = decodeWbxmlDocument(wbxml([0x6d, 0x12, 0x01], [0x02, 0x01, 0x6a, 0x00]));
    assert.deepEqual(doc, { root: el('SyncML', [el('Final')]) });
  });

  it('refuses a public id it has no tables for', () => {
    assert.throws(() => decodeWbxmlDocument(wbxml([0x2d], [0x02, 0x81, 0xee, 0x77, 0x6a, 0x00])), codecError(ErrorCode.ERR_WBXML_UNSUPPORTED, 1));
  });

  it('gives page 1 elements the metinf namespace and follows SWITCH_PAGE both ways', () => {
    const doc = decodeWbxmlDocument(wbxml([0x6d, 0x5a, 0x00, 0x01, 0x47, ...str('b64'), 0x01, 0x01, 0x00, 0x00, 0x4f, ...str('x'), 0x01, 0x01]));
    assert.deepEqual(doc.root, el('SyncML', [el('Meta', [el('Format', ['b64'], METINF)]), el('Data', ['x'])]));
  });

  it('gives page 2 elements the DM DDF namespace', () => {
    const doc = decodeWbxmlDocument(wbxml([0x6d, 0x00, 0x02, 0x60, 0x64, 0x66, ...str('a'), 0x01, 0x01, 0x01, 0x01]));
    assert.deepEqual(doc.root, el('SyncML', [el('MgmtTree', [el('Node', [el('NodeName', ['a'], DDF)], DDF)], DDF)]));
  });

  it('merges STR_I, STR_T and ENTITY pieces into one text', () => {
    const table = [...Buffer.from('bc'), 0];
    const doc = decodeWbxmlDocument(wbxml([0x4f, ...str('a'), 0x83, 0x00, 0x02, 0x81, 0x00, 0x03, 0x00, 0x01], [...SYNCML12, table.length, ...table]));
    assert.deepEqual(doc.root, el('Data', ['abc\u0080']));
  });

  it('returns OPAQUE content as bytes, between text pieces', () => {
    const doc = decodeWbxmlDocument(wbxml([0x4f, ...str('a'), 0xc3, 0x02, 0xff, 0x00, ...str('b'), 0x01]));
    assert.deepEqual(doc.root, el('Data', ['a', Uint8Array.from([0xff, 0x00]), 'b']));
  });

  it('drops empty inline strings (DM clients send STR_I "" for empty Data)', () => {
    assert.deepEqual(decodeWbxmlDocument(wbxml([0x4f, 0x03, 0x00, 0x01])).root, el('Data'));
  });

  it('decodes a LITERAL tag name from the string table', () => {
    const table = [...Buffer.from('Foo'), 0];
    const doc = decodeWbxmlDocument(wbxml([0x6d, 0x44, 0x00, ...str('x'), 0x01, 0x01], [...SYNCML12, table.length, ...table]));
    assert.deepEqual(doc.root, el('SyncML', [el('Foo', ['x'])]));
  });

  it('reads attribute lists with LITERAL names and string values', () => {
    const table = [...Buffer.from('lang'), 0];
    const doc = decodeWbxmlDocument(wbxml([0xcf, 0x04, 0x00, ...str('en'), 0x01, ...str('x'), 0x01], [...SYNCML12, table.length, ...table]));
    assert.deepEqual(doc.root, { name: 'Data', attrs: { lang: 'en' }, children: ['x'] });
  });

  it('skips processing instructions', () => {
    const table = [...Buffer.from('pi'), 0];
    const doc = decodeWbxmlDocument(wbxml([0x43, 0x04, 0x00, 0x01, 0x4f, ...str('x'), 0x43, 0x04, 0x00, 0x01, 0x01], [...SYNCML12, table.length, ...table]));
    assert.deepEqual(doc.root, el('Data', ['x']));
  });

  it('turns a DM DDF document embedded in Data back into its MgmtTree and relabels its Type as +xml', () => {
    const mgmt = el('MgmtTree', [el('VerDTD', ['1.2'], DDF)], DDF);
    const tree = el('Item', [
      el('Meta', [el('Type', ['application/vnd.syncml.dmtnds+xml'], METINF)]),
      el('Data', [mgmt]),
    ]);
    const bytes = encodeWbxmlDocument({ root: el('SyncML', [tree]) });
    assert.ok(Buffer.from(bytes).includes(Buffer.from('dmtnds+wbxml')), 'the wire type is +wbxml');
    assert.deepEqual(decodeWbxmlDocument(bytes).root, el('SyncML', [tree]));
  });

  it('keeps an embedded DDF document that does not decode as bytes', () => {
    const id = [...Buffer.from('-//OMA//DTD-DM-DDF 1.2//EN'), 0];
    const broken = [0x02, 0x00, 0x00, 0x6a, id.length, ...id, 0x00, 0x02, 0x7f];
    const doc = decodeWbxmlDocument(wbxml([0x4f, 0xc3, broken.length, ...broken, 0x01]));
    assert.deepEqual(doc.root, el('Data', [Uint8Array.from(broken)]));
  });

  it('reports an unknown tag token with its offset', () => {
    assert.throws(() => decodeWbxmlDocument(wbxml([0x6d, 0x7e, 0x01])), codecError(ErrorCode.ERR_WBXML_UNKNOWN_TOKEN, 6));
    assert.throws(() => decodeWbxmlDocument(wbxml([0x6d, 0x00, 0x07, 0x45, 0x01, 0x01])), codecError(ErrorCode.ERR_WBXML_UNKNOWN_TOKEN, 8));
  });

  it('reports extension tokens, which SyncML does not use, as unknown', () => {
    assert.throws(() => decodeWbxmlDocument(wbxml([0x4f, 0xc0, 0x01])), codecError(ErrorCode.ERR_WBXML_UNKNOWN_TOKEN, 6));
  });

  it('rejects content outside the root element and a second root', () => {
    assert.throws(() => decodeWbxmlDocument(wbxml([...str('x'), 0x2d])), codecError(ErrorCode.ERR_WBXML_MALFORMED, 5));
    assert.throws(() => decodeWbxmlDocument(wbxml([0x2d, 0x12])), codecError(ErrorCode.ERR_WBXML_MALFORMED, 6));
    assert.throws(() => decodeWbxmlDocument(wbxml([0x2d, 0x01])), codecError(ErrorCode.ERR_WBXML_MALFORMED, 6));
  });

  it('reports a body that ends inside an element as truncated', () => {
    assert.throws(() => decodeWbxmlDocument(wbxml([0x6d, 0x6c])), codecError(ErrorCode.ERR_WBXML_TRUNCATED, 7));
    assert.throws(() => decodeWbxmlDocument(wbxml([])), codecError(ErrorCode.ERR_WBXML_TRUNCATED, 5));
  });

  it('rejects an ENTITY that is not a Unicode scalar value', () => {
    assert.throws(() => decodeWbxmlDocument(wbxml([0x4f, 0x02, 0x83, 0xb0, 0x00, 0x01])), codecError(ErrorCode.ERR_WBXML_MALFORMED, 6));
  });

  it('enforces maxBytes, maxDepth and maxElements', () => {
    const bytes = wbxml([0x6d, 0x6c, 0x71, ...str('1.2'), 0x01, 0x01, 0x6b, 0x12, 0x01, 0x01]);
    assert.throws(() => decodeWbxmlDocument(bytes, { maxBytes: 10 }), codecError(ErrorCode.ERR_CODEC_LIMIT_SIZE));
    assert.throws(() => decodeWbxmlDocument(bytes, { maxDepth: 2 }), codecError(ErrorCode.ERR_CODEC_LIMIT_DEPTH, 7));
    assert.throws(() => decodeWbxmlDocument(bytes, { maxElements: 4 }), codecError(ErrorCode.ERR_CODEC_LIMIT_ELEMENTS, 16));
    assert.equal(decodeWbxmlDocument(bytes, { maxDepth: 3, maxElements: 5 }).root.name, 'SyncML');
  });

  it('survives deep nesting without recursion when the caller raises maxDepth', () => {
    const depth = 100_000;
    const body = [...new Array<number>(depth).fill(0x54), ...new Array<number>(depth).fill(0x01)];
    const doc = decodeWbxmlDocument(wbxml(body), { maxDepth: depth, maxElements: depth });
    assert.equal(doc.root.name, 'Item');
  });

  it('throws only CodecError for random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tail, withHeader) => {
        const bytes = withHeader ? Uint8Array.from([...SYNCML12, ...tail]) : tail;
        try {
          decodeWbxmlDocument(bytes);
        } catch (err) {
          if (!(err instanceof CodecError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('throws only CodecError for random token streams after a valid header', () => {
    const token = fc.oneof(
      fc.constantFrom(0x00, 0x01, 0x02, 0x03, 0x04, 0x43, 0x44, 0x83, 0x84, 0xc3, 0xc4, 0x6d, 0x4f, 0x0f, 0xcf),
      fc.integer({ min: 0, max: 255 }),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 80 }), fc.uint8Array({ maxLength: 6 }), (body, table) => {
        try {
          decodeWbxmlDocument(Uint8Array.from([...SYNCML12, table.length, ...table, ...body]));
        } catch (err) {
          if (!(err instanceof CodecError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
