import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeXmlDocument } from '../../../../src/core/codec/xml/encode-xml.js';
import { decodeXmlDocument } from '../../../../src/core/codec/xml/decode-xml.js';
import { CodecError, ErrorCode } from '../../../../src/core/errors.js';
import { el } from '../../../../src/core/codec/element.js';
import type { DmDocument, DmElement, DmNode } from '../../../../src/core/codec/element.js';

const METINF = 'syncml:metinf';
const enc = (root: DmElement, publicId?: string): string => encodeXmlDocument(publicId === undefined ? { root } : { root, publicId });
const syncml = (ver: string): DmElement => el('SyncML', [el('SyncHdr', [el('VerDTD', [ver])]), el('SyncBody', [el('Final')])]);

function malformed(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof CodecError && e.code === ErrorCode.ERR_XML_MALFORMED);
}

describe('encodeXmlDocument', () => {
  it('writes compact XML without declaration by default', () => {
    assert.equal(enc(el('Add', [el('CmdID', ['2']), el('Item', [el('Data')])])), '<Add><CmdID>2</CmdID><Item><Data/></Item></Add>');
  });

  it('writes the SyncML namespace on the root from VerDTD, else the public id, else 1.2', () => {
    assert.match(enc(syncml('1.1')), /^<SyncML xmlns="SYNCML:SYNCML1\.1"><SyncHdr>/);
    assert.match(enc(syncml('1.2')), /^<SyncML xmlns="SYNCML:SYNCML1\.2">/);
    assert.match(enc(el('SyncML'), '-//SYNCML//DTD SyncML 1.1//EN'), /^<SyncML xmlns="SYNCML:SYNCML1\.1"\/>$/);
    assert.equal(enc(el('SyncML')), '<SyncML xmlns="SYNCML:SYNCML1.2"/>');
    assert.equal(encodeXmlDocument({ root: syncml('1.2') }, { rootNamespace: 'SYNCML:SYNCML1.1' }).slice(0, 33), '<SyncML xmlns="SYNCML:SYNCML1.1">');
  });

  it('writes no namespace for other roots unless the tree or the options give one', () => {
    assert.equal(enc(el('wap-provisioningdoc')), '<wap-provisioningdoc/>');
    assert.equal(enc(el('MgmtTree', [el('VerDTD', ['1.2'], 'syncml:dmddf1.2')], 'syncml:dmddf1.2')),
      '<MgmtTree xmlns="syncml:dmddf1.2"><VerDTD>1.2</VerDTD></MgmtTree>');
    assert.equal(encodeXmlDocument({ root: el('Add') }, { rootNamespace: 'SYNCML:SYNCML1.2' }), '<Add xmlns="SYNCML:SYNCML1.2"/>');
  });

  it('writes xmlns on each element whose namespace differs from its parent, as DM engines do for MetInf', () => {
    const meta = el('Meta', [el('Format', ['b64'], METINF), el('Type', ['syncml:auth-md5'], METINF)]);
    assert.equal(enc(meta), '<Meta><Format xmlns="syncml:metinf">b64</Format><Type xmlns="syncml:metinf">syncml:auth-md5</Type></Meta>');
    assert.equal(enc(el('Data', [el('MgmtTree', [el('Node', [el('x', [], 'urn:d')], 'urn:d')], 'urn:d')])),
      '<Data><MgmtTree xmlns="urn:d"><Node><x/></Node></MgmtTree></Data>');
  });

  it('returns to the default namespace with xmlns="…" or xmlns="" under a namespaced parent', () => {
    assert.equal(enc(el('a', [el('b', [el('c')], 'urn:x')])), '<a><b xmlns="urn:x"><c xmlns=""/></b></a>');
    assert.equal(enc(el('SyncML', [el('b', [el('c')], 'urn:x')])), '<SyncML xmlns="SYNCML:SYNCML1.2"><b xmlns="urn:x"><c xmlns="SYNCML:SYNCML1.2"/></b></SyncML>');
  });

  it('escapes & < > in text and & < " in attributes, with CR, tab and LF as references where needed', () => {
    assert.equal(enc(el('a', ['<&>"\'\r\n\t'])), '<a>&lt;&amp;&gt;"\'&#13;\n\t</a>');
    assert.equal(enc({ name: 'a', attrs: { b: '<&>"\'\r\n\t' }, children: [] }), '<a b="&lt;&amp;>&quot;\'&#13;&#10;&#9;"/>');
    assert.deepEqual(decodeXmlDocument(enc({ name: 'a', attrs: { b: 'x\r\n\ty' }, children: ['1\r\n2'] })).root,
      { name: 'a', attrs: { b: 'x\r\n\ty' }, children: ['1\r\n2'] });
  });

  it('writes bytes as base64 text', () => {
    assert.equal(enc(el('Data', [new Uint8Array([0, 1, 2, 0xfe, 0xff])])), '<Data>AAEC/v8=</Data>');
    assert.equal(enc(el('Data', [new Uint8Array([9, 0, 1, 2]).subarray(1)])), '<Data>AAEC</Data>');
  });

  it('writes the declaration and the DOCTYPE with a known system id on request', () => {
    const doc: DmDocument = { root: syncml('1.2'), publicId: '-//SYNCML//DTD SyncML 1.2//EN' };
    assert.match(encodeXmlDocument(doc, { declaration: true, doctype: true }),
      /^<\?xml version="1\.0" encoding="UTF-8"\?><!DOCTYPE SyncML PUBLIC "-\/\/SYNCML\/\/DTD SyncML 1\.2\/\/EN" "http:\/\/www\.openmobilealliance\.org\/tech\/DTD\/OMA-TS-SyncML_RepPro_DTD-V1_2\.dtd"><SyncML /);
    assert.match(encodeXmlDocument({ root: el('x'), publicId: '-//X//"a"//EN' }, { doctype: true }), /^<!DOCTYPE x PUBLIC '-\/\/X\/\/"a"\/\/EN' ""><x\/>$/);
    assert.equal(encodeXmlDocument({ root: el('x') }, { doctype: true }), '<x/>');
    malformed(() => encodeXmlDocument({ root: el('x'), publicId: `"'` }, { doctype: true }));
  });

  it('indents element-only content and leaves text and mixed content untouched', () => {
    const tree = el('SyncBody', [el('Status', [el('CmdID', ['1']), el('Data', [' 200 '])]), el('M', ['x', el('b', [el('c')]), 'y']), el('Final')]);
    assert.equal(encodeXmlDocument({ root: tree }, { indent: '  ', declaration: true }), [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<SyncBody>',
      '  <Status>',
      '    <CmdID>1</CmdID>',
      '    <Data> 200 </Data>',
      '  </Status>',
      '  <M>x<b>',
      '      <c/>',
      '    </b>y</M>',
      '  <Final/>',
      '</SyncBody>',
    ].join('\n'));
  });

  it('refuses trees XML cannot carry: invalid or prefixed names, namespace attributes, forbidden characters', () => {
    for (const name of ['', '1a', 'a b', 'a:b', '<a', 'a\uD800']) malformed(() => enc(el(name)));
    for (const attr of ['xmlns', 'xmlns:p', '1a', 'a b', 'a:']) malformed(() => enc({ name: 'a', attrs: { [attr]: 'x' }, children: [] }));
    for (const text of ['\0', '\x1b', '\uFFFE', '\uD800', 'a\uDC00b']) {
      malformed(() => enc(el('a', [text])));
      malformed(() => enc({ name: 'a', attrs: { b: text }, children: [] }));
    }
    assert.throws(() => enc(el('a', [el('b', [el('c', ['\0'])])])), (e: unknown) => e instanceof CodecError && e.position.path === 'a/b');
  });

  it('writes a 100k-deep tree without recursion', () => {
    const depth = 100_000;
    let node = el('a');
    for (let i = 1; i < depth; i++) node = el('a', [node]);
    const xml = enc(node);
    assert.equal(xml, '<a>'.repeat(depth - 1) + '<a/>' + '</a>'.repeat(depth - 1));
    assert.equal(encodeXmlDocument(decodeXmlDocument(xml, { maxDepth: depth })), xml);
  });

  it('round-trips random trees: decode(encode(tree)) equals the tree', () => {
    fc.assert(fc.property(documentArb(), fc.constantFrom(undefined, '  ', '\t'), (doc, indent) => {
      const xml = encodeXmlDocument(doc, indent === undefined ? { doctype: true } : { doctype: true, indent, declaration: true });
      assert.deepEqual(decodeXmlDocument(xml, { strict: true, maxDepth: 100 }), doc);
    }), { numRuns: 500 });
  });
});

/** Random documents in the shape the decoder produces (no empty or adjacent texts, no indentation-only text). */
function documentArb(): fc.Arbitrary<DmDocument> {
  const chars = fc.constantFrom('a', 'Z', '0', ' ', '\n', '\t', '\r', '&', '<', '>', '"', "'", ']]>', 'é', '\u{1F600}', '\u2028', '\uFFFD');
  const text = fc.array(chars, { maxLength: 12 }).map((a) => a.join(''));
  const realText = text.filter((t) => /[^ \t\r\n]/.test(t));
  const name = fc.constantFrom('SyncML', 'Item', 'Data', 'Format', 'x-y.z', '_a', 'été', 'a\u{10000}');
  const ns = fc.constantFrom(undefined, METINF, 'syncml:dmddf1.2', 'https://schemas.microsoft.com/MobileDevice/DM');
  const attrs = fc.option(fc.dictionary(fc.constantFrom('name', 'value', 'xml:lang', 'a-b', '__proto__'), text, { minKeys: 1, maxKeys: 3 }), { nil: undefined });
  const { element } = fc.letrec<{ element: DmElement }>((tie) => ({
    element: fc.record({
      name, ns, attrs,
      children: fc.oneof(
        { weight: 2, arbitrary: fc.constant<DmNode[]>([]) },
        { weight: 3, arbitrary: text.filter((t) => t !== '').map((t): DmNode[] => [t]) },
        { weight: 2, arbitrary: fc.array(fc.oneof(tie('element'), realText), { maxLength: 5 }).map(normalizeChildren) },
      ),
    }).map(({ name: n, ns: s, attrs: a, children }): DmElement => ({
      name: n, ...(s === undefined ? {} : { ns: s }), ...(a === undefined ? {} : { attrs: fromEntries(a) }), children,
    })),
  }));
  return fc.record({ root: element as fc.Arbitrary<DmElement>, publicId: fc.option(fc.constantFrom('-//SYNCML//DTD SyncML 1.2//EN', '-//X//EN'), { nil: undefined }) })
    .map(({ root, publicId }) => (publicId === undefined ? { root } : { root, publicId }));
}

/** Merges adjacent texts and keeps at least one element, so the list reads back as mixed content. */
function normalizeChildren(kids: readonly (DmElement | string)[]): DmNode[] {
  const out: DmNode[] = [];
  for (const k of kids) {
    const last = out[out.length - 1];
    if (typeof k === 'string' && typeof last === 'string') out[out.length - 1] = last + k;
    else out.push(k);
  }
  return out.some((k) => typeof k !== 'string') ? out : [...out, el('e')];
}

/** Builds attrs like the decoder does (`__proto__` as an own data property). */
function fromEntries(a: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}
