import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodecError, ErrorCode } from '../../../../src/core/errors.js';
import { el, isElement, type DmDocument, type DmElement, type DmNode } from '../../../../src/core/codec/element.js';
import { DMDDF_12, SYNCML_12 } from '../../../../src/core/codec/wbxml/code-pages.js';
import { decodeWbxmlDocument } from '../../../../src/core/codec/wbxml/decode-wbxml.js';
import { encodeWbxmlDocument, type WbxmlEncodeOptions } from '../../../../src/core/codec/wbxml/encode-wbxml.js';
import { libwbxmlOpaqueData } from '../../../../src/core/codec/wbxml/opaque-data.js';

const METINF = 'syncml:metinf';
const DDF = 'syncml:dmddf1.2';
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const str = (s: string): string => `03${Buffer.from(s, 'utf8').toString('hex')}00`;

function codecError(code: string): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof CodecError, `expected a CodecError, got ${String(err)}`);
    assert.equal(err.code, code);
    return true;
  };
}

describe('encodeWbxmlDocument', () => {
  it('writes WBXML 1.2, the numeric public id, UTF-8 and an empty string table by default', () => {
    const out = encodeWbxmlDocument({ root: el('SyncML', [el('SyncHdr', [el('VerDTD', ['1.2'])]), el('SyncBody', [el('Final')])]) });
    assert.equal(hex(out), `02a4016a00` + `6d6c71${str('1.2')}01016b120101`);
  });

  it('writes version 0x03 when asked', () => {
    assert.equal(encodeWbxmlDocument({ root: el('SyncML') }, { version: 0x03 })[0], 0x03);
  });

  it('chooses SyncML 1.1 from the public id or from VerDTD', () => {
    const hdr11 = el('SyncML', [el('SyncHdr', [el('VerDTD', ['1.1'])])]);
    assert.equal(hex(encodeWbxmlDocument({ root: hdr11 }).subarray(0, 3)), '029f53');
    assert.equal(hex(encodeWbxmlDocument({ root: el('SyncML'), publicId: '-//SYNCML//DTD SyncML 1.1//EN' }).subarray(0, 3)), '029f53');
    assert.equal(hex(encodeWbxmlDocument({ root: el('SyncML', [el('SyncHdr', [el('VerDTD', ['1.0'])])]) }).subarray(0, 3)), '029f51');
  });

  it('refuses a 1.2-only element in a SyncML 1.1 document unless the string table can carry it', () => {
    const doc: DmDocument = { root: el('SyncML', [el('SyncHdr', [el('VerDTD', ['1.1'])]), el('Correlator', ['x'])]) };
    assert.throws(() => encodeWbxmlDocument(doc), codecError(ErrorCode.ERR_WBXML_UNSUPPORTED));
    const out = encodeWbxmlDocument(doc, { stringTable: true });
    assert.ok(hex(out).includes('4400'), 'LITERAL with content, table index 0');
    assert.deepEqual(decodeWbxmlDocument(out).root, doc.root);
  });

  it('refuses an unknown public id and an unknown root', () => {
    assert.throws(() => encodeWbxmlDocument({ root: el('SyncML'), publicId: '-//X//DTD Nothing//EN' }), codecError(ErrorCode.ERR_WBXML_UNSUPPORTED));
    assert.throws(() => encodeWbxmlDocument({ root: el('Nothing') }), codecError(ErrorCode.ERR_WBXML_UNSUPPORTED));
  });

  it('writes the public id as a string-table literal when asked', () => {
    const out = encodeWbxmlDocument({ root: el('SyncML') }, { publicIdAsLiteral: true });
    const id = Buffer.from('-//SYNCML//DTD SyncML 1.2//EN\0');
    assert.equal(hex(out), `0200006a${id.length.toString(16)}${id.toString('hex')}2d`);
    assert.equal(decodeWbxmlDocument(out).publicId, '-//SYNCML//DTD SyncML 1.2//EN');
  });

  it('writes a DM DDF document with its literal public id and page 2, as libwbxml does', () => {
    const out = encodeWbxmlDocument({ root: el('MgmtTree', [el('VerDTD', ['1.2'], DDF)], DDF) });
    const id = Buffer.from('-//OMA//DTD-DM-DDF 1.2//EN\0');
    assert.equal(hex(out), `0200006a1b${id.toString('hex')}00026077${str('1.2')}0101`);
  });

  it('switches code pages only when the page changes', () => {
    const root = el('Meta', [el('Format', ['b64'], METINF), el('Type', ['x'], METINF)]);
    const out = encodeWbxmlDocument({ root, publicId: SYNCML_12.xmlPublicId });
    assert.equal(hex(out.subarray(5)), `5a000147${str('b64')}0153${str('x')}0101`);
  });

  it('finds MetInf elements that arrive without their namespace on their own page', () => {
    const out = encodeWbxmlDocument({ root: el('Meta', [el('Type', ['x'])]), publicId: SYNCML_12.xmlPublicId });
    assert.deepEqual(decodeWbxmlDocument(out).root, el('Meta', [el('Type', ['x'], METINF)]));
  });

  it('writes repeated strings and unknown names through the string table when enabled', () => {
    const root = el('SyncML', [el('LocURI', ['./a/b']), el('LocURI', ['./a/b']), el('Extra', ['./a/b'])]);
    const out = encodeWbxmlDocument({ root }, { stringTable: true });
    const table = Buffer.from('Extra\0./a/b\0');
    assert.equal(hex(out), `02a4016a${table.length.toString(16).padStart(2, '0')}${table.toString('hex')}6d5783060157830601440083060101`);
    assert.deepEqual(decodeWbxmlDocument(out).root, root);
  });

  it('writes Uint8Array children as OPAQUE wherever they are', () => {
    const out = encodeWbxmlDocument({ root: el('LocURI', [Uint8Array.from([0, 1])]), publicId: SYNCML_12.xmlPublicId });
    assert.equal(hex(out.subarray(5)), '57c302000101');
  });

  it('writes the text of Data in Add/Replace items as OPAQUE and elsewhere as STR_I by default', () => {
    const item = (): DmElement => el('Item', [el('Data', ['v'])]);
    const root = el('SyncBody', [el('Add', [item()]), el('Get', [item()]), el('Replace', [item()]), el('Results', [item()])]);
    const out = encodeWbxmlDocument({ root, publicId: SYNCML_12.xmlPublicId });
    const opaque = '544fc301760101';
    const inline = `544f${str('v')}0101`;
    assert.equal(hex(out.subarray(5)), `6b45${opaque}0153${inline}0160${opaque}0162${inline}0101`);
  });

  it('lets a predicate decide which Data texts are OPAQUE, with the element path', () => {
    const paths: string[] = [];
    const root = el('SyncBody', [el('Status', [el('Data', ['200'])]), el('Add', [el('Item', [el('Data', ['v'])])])]);
    const out = encodeWbxmlDocument({ root, publicId: SYNCML_12.xmlPublicId }, {
      opaqueData: (path) => {
        paths.push(path.join('/'));
        return path[1] === 'Status';
      },
    });
    assert.deepEqual(paths, ['SyncBody/Status/Data', 'SyncBody/Add/Item/Data']);
    assert.deepEqual(decodeWbxmlDocument(out).root, el('SyncBody', [el('Status', [el('Data', [new Uint8Array(Buffer.from('200'))])]), el('Add', [el('Item', [el('Data', ['v'])])])]));
  });

  it('embeds a MgmtTree inside Data as a DM DDF WBXML document and labels its Type +wbxml', () => {
    const mgmt = el('MgmtTree', [el('VerDTD', ['1.2'], DDF)], DDF);
    const root = el('Add', [el('Item', [el('Meta', [el('Type', [' application/vnd.syncml.dmtnds+xml '], METINF)]), el('Data', [mgmt])])]);
    const out = encodeWbxmlDocument({ root, publicId: SYNCML_12.xmlPublicId });
    const inner = encodeWbxmlDocument({ root: mgmt, publicId: DMDDF_12.xmlPublicId });
    assert.ok(Buffer.from(out).includes(Buffer.from([0xc3, inner.length, ...inner])), 'OPAQUE holds the DDF document');
    assert.ok(Buffer.from(out).includes(Buffer.from('application/vnd.syncml.dmtnds+wbxml\0')));
  });

  it('leaves a TNDS Type alone when no Data of its own embeds a tree', () => {
    const root = el('Add', [el('Item', [el('Meta', [el('Type', ['application/vnd.syncml.dmtnds+xml'], METINF)]), el('Data', ['<MgmtTree/>'])])]);
    const out = encodeWbxmlDocument({ root, publicId: SYNCML_12.xmlPublicId });
    assert.ok(Buffer.from(out).includes(Buffer.from('application/vnd.syncml.dmtnds+xml\0')));
  });

  it('drops attributes, which SyncML has no tokens for (as libwbxml does)', () => {
    const out = encodeWbxmlDocument({ root: { name: 'SyncML', attrs: { id: '1' }, children: [] } });
    assert.equal(hex(out.subarray(5)), '2d');
  });

  it('writes empty strings as nothing and an element with only empty strings without content', () => {
    const out = encodeWbxmlDocument({ root: el('Data', ['', '']), publicId: SYNCML_12.xmlPublicId });
    assert.equal(hex(out.subarray(5)), '0f');
  });

  it('refuses absurdly deep trees with a CodecError instead of exhausting the stack', () => {
    let root = el('Item');
    for (let i = 0; i < 5000; i++) root = el('Item', [root]);
    assert.throws(() => encodeWbxmlDocument({ root, publicId: SYNCML_12.xmlPublicId }), codecError(ErrorCode.ERR_CODEC_LIMIT_DEPTH));
  });

  it('round-trips U+0000 in text through ENTITY 0', () => {
    const root = el('LocURI', ['a\0b\0']);
    assert.deepEqual(decodeWbxmlDocument(encodeWbxmlDocument({ root, publicId: SYNCML_12.xmlPublicId })).root, root);
  });

  it('decodes what it encodes, for random trees over the SyncML 1.2 / MetInf / DDF tag set', () => {
    fc.assert(
      fc.property(treeArb, optionsArb, (root, options) => {
        const doc = { root, publicId: SYNCML_12.xmlPublicId };
        const back = decodeWbxmlDocument(encodeWbxmlDocument(doc, { ...options, opaqueData: () => false }));
        assert.deepEqual(back, doc);
      }),
      { numRuns: 400 },
    );
  });

  it('decodes what it encodes with the libwbxml OPAQUE rule, opaque Data text coming back as bytes', () => {
    fc.assert(
      fc.property(treeArb, (root) => {
        const doc = { root, publicId: SYNCML_12.xmlPublicId };
        assert.deepEqual(decodeWbxmlDocument(encodeWbxmlDocument(doc)), { ...doc, root: opaqueAsBytes(root, []) });
      }),
      { numRuns: 300 },
    );
  });
});

/** Names per namespace, from the SyncML 1.2 tables. */
const NAMES = SYNCML_12.pages.map((p) => ({ ns: p.namespace, names: Object.values(p.tags) }));
const syncmlName = fc.oneof(
  ...NAMES.filter((p) => p.ns !== DDF).map((p) => fc.constantFrom(...p.names).map((name) => ({ name, ns: p.ns }))),
);
const ddfName = fc.constantFrom(...(NAMES.find((p) => p.ns === DDF)?.names ?? []));
const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 10 });
const bytes = fc.uint8Array({ maxLength: 6 });

function make(name: string, ns: string | undefined, children: DmNode[]): DmElement {
  const merged: DmNode[] = [];
  for (const c of children) {
    const prev = merged[merged.length - 1];
    if (typeof c === 'string' && typeof prev === 'string') merged[merged.length - 1] = prev + c;
    else merged.push(c);
  }
  return ns === undefined ? { name, children: merged } : { name, ns, children: merged };
}

/** DDF subtrees contain only DDF elements (they may be embedded as their own document). */
const ddfTree: fc.Arbitrary<DmElement> = fc.letrec<{ node: DmElement }>((tie) => ({
  node: fc.tuple(ddfName, fc.array(fc.oneof({ depthSize: 'small' }, text, bytes, tie('node')), { maxLength: 3 }))
    .map(([name, children]) => make(name, DDF, children)),
})).node;

const treeArb: fc.Arbitrary<DmElement> = fc.letrec<{ node: DmElement }>((tie) => ({
  node: fc.tuple(syncmlName, fc.array(fc.oneof({ depthSize: 'small' }, text, bytes, ddfTree, tie('node')), { maxLength: 4 }))
    .map(([{ name, ns }, children]) => make(name, ns, children)),
})).node;

const optionsArb: fc.Arbitrary<WbxmlEncodeOptions> = fc.record(
  { version: fc.constantFrom(0x02 as const, 0x03 as const), publicIdAsLiteral: fc.boolean(), stringTable: fc.boolean() },
  { requiredKeys: [] },
);

/** The tree as decoding returns it when Data text was written as OPAQUE. */
function opaqueAsBytes(e: DmElement, ancestors: DmElement[]): DmElement {
  const opaque = e.name === 'Data' && e.ns === undefined && e.children.some((c) => typeof c === 'string') &&
    libwbxmlOpaqueData([], { element: e, ancestors });
  const next = [...ancestors, e];
  const children = e.children.map((c): DmNode =>
    typeof c === 'string' ? (opaque ? new Uint8Array(Buffer.from(c, 'utf8')) : c) : isElement(c) && e.ns === undefined ? opaqueAsBytes(c, next) : c);
  return { ...e, children };
}
