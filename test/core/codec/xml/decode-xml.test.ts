import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeXmlDocument } from '../../../../src/core/codec/xml/decode-xml.js';
import type { XmlDecodeOptions } from '../../../../src/core/codec/xml/decode-xml.js';
import { CodecError, ErrorCode } from '../../../../src/core/errors.js';
import { el } from '../../../../src/core/codec/element.js';
import type { DmElement } from '../../../../src/core/codec/element.js';

const root = (xml: string, options?: XmlDecodeOptions): DmElement => decodeXmlDocument(xml, options).root;

function rejects(xml: string, code: ErrorCode, options?: XmlDecodeOptions): CodecError {
  let caught: unknown;
  try {
    decodeXmlDocument(xml, options);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof CodecError, `expected CodecError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

describe('decodeXmlDocument', () => {
  describe('accepted input', () => {
    it('reads elements, keeps leaf text exactly and drops indentation between elements', () => {
      const r = root('<SyncML>\n  <SyncHdr>\n    <LocURI>  ./a b </LocURI>\n    <Data>  </Data>\n  </SyncHdr>\n</SyncML>\n');
      assert.deepEqual(r, el('SyncML', [el('SyncHdr', [el('LocURI', ['  ./a b ']), el('Data', ['  '])])]));
    });

    it('reads empty and self-closing elements as elements without children', () => {
      assert.deepEqual(root('<a><b/><c></c><d /></a>'), el('a', [el('b'), el('c'), el('d')]));
    });

    it('keeps the text pieces of mixed content as strings', () => {
      assert.deepEqual(root('<a>x <b/> y<c/>\n</a>'), el('a', ['x ', el('b'), ' y', el('c')]));
      assert.deepEqual(root('<a><b/> <!--c--> x <?p?> <c/> </a>'), el('a', [el('b'), '  x  ', el('c')]));
      assert.deepEqual(root('<a> <![CDATA[ ]]> </a>').children, ['   ']);
    });

    it('maps the SyncML namespaces in any spelling and "no namespace" to ns undefined', () => {
      for (const ns of ['SYNCML:SYNCML1.1', 'SYNCML:SYNCML1.2', 'syncml:syncml1.2', 'SYNCML:SYNCML 1.1', '']) {
        assert.deepEqual(root(`<SyncML xmlns="${ns}"><A/></SyncML>`), el('SyncML', [el('A')]), ns);
      }
      assert.deepEqual(root("<SyncML xmlns='SYNCML:SYNCML1.2'/>"), el('SyncML'));
    });

    it('records other namespaces as declared, per element and inherited by children', () => {
      const r = root('<Meta><Format xmlns="syncml:metinf">b64</Format><MgmtTree xmlns="syncml:dmddf1.2"><Node/></MgmtTree></Meta>');
      assert.deepEqual(r, el('Meta', [el('Format', ['b64'], 'syncml:metinf'), el('MgmtTree', [el('Node', [], 'syncml:dmddf1.2')], 'syncml:dmddf1.2')]));
    });

    it('resolves prefixes declared on an ancestor, including a prefix bound to the SyncML namespace', () => {
      const xml = '<SyncML xmlns="SYNCML:SYNCML1.2" xmlns:A="syncml:metinf" xmlns:msft="https://schemas.microsoft.com/MobileDevice/DM">' +
        '<Meta><A:Format>int</A:Format><msft:Role>x</msft:Role></Meta></SyncML>';
      assert.deepEqual(root(xml), el('SyncML', [el('Meta', [el('Format', ['int'], 'syncml:metinf'), el('Role', ['x'], 'https://schemas.microsoft.com/MobileDevice/DM')])]));
      assert.deepEqual(root('<s:SyncML xmlns:s="SYNCML:SYNCML1.1"><s:Final/></s:SyncML>'), el('SyncML', [el('Final')]));
    });

    it('tolerates an unbound prefix: MetInf names get syncml:metinf, other names no namespace', () => {
      assert.deepEqual(root('<Meta><A:Format>int</A:Format><A:Foo/></Meta>'), el('Meta', [el('Format', ['int'], 'syncml:metinf'), el('Foo')]));
      rejects('<Meta><A:Format>int</A:Format></Meta>', ErrorCode.ERR_XML_MALFORMED, { strict: true });
    });

    it('puts attributes other than namespace declarations into attrs, with single or double quotes', () => {
      const r = root(`<parm xmlns:x="urn:x" name="PROXY-ID" value='a"b' x:y="1"/>`);
      assert.deepEqual(r, { name: 'parm', attrs: { name: 'PROXY-ID', value: 'a"b', 'x:y': '1' }, children: [] });
    });

    it('normalizes attribute white space per XML 1.0 §3.3.3 but keeps character references', () => {
      assert.deepEqual(root('<a b="x\ty\r\nz&#10;&#9;"/>').attrs, { b: 'x y z\n\t' });
    });

    it('stores an attribute named __proto__ as data, not as the prototype', () => {
      const attrs = root('<a __proto__="x"/>').attrs ?? {};
      assert.equal(Object.getPrototypeOf(attrs), Object.prototype);
      assert.deepEqual(Object.entries(attrs), [['__proto__', 'x']]);
    });

    it('expands the five predefined entities and decimal/hex character references', () => {
      assert.deepEqual(root('<a>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F600;&#xd;</a>').children, ['<>&\'"AB\u{1F600}\r']);
      assert.deepEqual(root('<a b="&lt;&amp;&#x41;"/>').attrs, { b: '<&A' });
    });

    it('accepts a bare & literally by default and refuses it in strict mode', () => {
      assert.deepEqual(root('<Data>MAXDT=15&DR=1&amp &#x; &#12a;</Data>').children, ['MAXDT=15&DR=1&amp &#x; &#12a;']);
      const err = rejects('<Data>MAXDT=15&DR=1</Data>', ErrorCode.ERR_XML_MALFORMED, { strict: true });
      assert.equal(err.position.offset, 14);
    });

    it('reads CDATA sections as text, merged with neighbouring text and split around ]]>', () => {
      assert.deepEqual(root('<a><![CDATA[a]]]]><![CDATA[>b]]></a>').children, ['a]]>b']);
      assert.deepEqual(root('<a>x<![CDATA[<&>]]>y</a>').children, ['x<&>y']);
      assert.deepEqual(root('<a><![CDATA[]]></a>').children, []);
    });

    it('skips comments and processing instructions, joining the text around them', () => {
      const r = root('<?xml version="1.0"?><!-- c --><?pi x?><a>x<!-- - -->y<?t d?>z<b/><!--c--></a><!--after--><?end?>');
      assert.deepEqual(r, el('a', ['xyz', el('b')]));
    });

    it('normalizes CRLF and lone CR line ends to LF (XML 1.0 §2.11)', () => {
      assert.deepEqual(root('<a>\r\n<b>1\r\n2\r3</b>\r\n<c><![CDATA[x\r\ny]]></c></a>\r\n'), el('a', [el('b', ['1\n2\n3']), el('c', ['x\ny'])]));
    });

    it('accepts a declaration with any encoding label, a byte-order mark and standalone', () => {
      assert.deepEqual(root('\uFEFF<?xml version="1.0" encoding="ISO-8859-1" standalone="yes"?>\n<a/>'), el('a'));
    });

    it('records the public id of a DOCTYPE without an internal subset and fetches nothing', () => {
      const doc = decodeXmlDocument('<!DOCTYPE SyncML PUBLIC "-//SYNCML//DTD SyncML 1.2//EN" "http://www.openmobilealliance.org/tech/DTD/OMA-TS-SyncML_RepPro_DTD-V1_2.dtd"><SyncML/>');
      assert.deepEqual(doc, { root: el('SyncML'), publicId: '-//SYNCML//DTD SyncML 1.2//EN' });
      assert.deepEqual(decodeXmlDocument("<!DOCTYPE a SYSTEM 'http://example.invalid/a.dtd'><a/>"), { root: el('a') });
      assert.deepEqual(decodeXmlDocument('<!DOCTYPE a PUBLIC "-//X//EN"><a/>'), { root: el('a'), publicId: '-//X//EN' });
      rejects('<!DOCTYPE a PUBLIC "-//X//EN"><a/>', ErrorCode.ERR_XML_MALFORMED, { strict: true });
    });

    it('yields element children for Data that carries markup (TNDS, DevInf)', () => {
      const r = root('<Item><Data><MgmtTree xmlns="syncml:dmddf1.2"><VerDTD>1.2</VerDTD></MgmtTree></Data></Item>');
      assert.deepEqual(r, el('Item', [el('Data', [el('MgmtTree', [el('VerDTD', ['1.2'], 'syncml:dmddf1.2')], 'syncml:dmddf1.2')])]));
    });

    it('accepts non-ASCII names and text, including surrogate pairs', () => {
      assert.deepEqual(root('<été a\u{10000}="ü"><\u{10000}>\u{1F600}</\u{10000}><p:\u{10000} xmlns:p="urn:p"/></été>'),
        { name: 'été', attrs: { 'a\u{10000}': 'ü' }, children: [el('\u{10000}', ['\u{1F600}']), el('\u{10000}', [], 'urn:p')] });
    });
  });

  describe('refusals', () => {
    it('refuses mismatched and unclosed tags with line, column, offset and path', () => {
      const err = rejects('<a>\n  <b>\n</a>', ErrorCode.ERR_XML_MALFORMED);
      assert.deepEqual(err.position, { offset: 10, line: 3, column: 1, path: 'a/b' });
      assert.match(err.message, /<\/a> does not match <b>.*line 3:1/);
      rejects('<a><b></a>', ErrorCode.ERR_XML_MALFORMED);
      rejects('<a><b></bc></a>', ErrorCode.ERR_XML_MALFORMED);
      rejects('<a><bc></b></a>', ErrorCode.ERR_XML_MALFORMED);
      rejects('<a><b>text', ErrorCode.ERR_XML_MALFORMED);
      rejects('<a', ErrorCode.ERR_XML_MALFORMED);
      rejects('<a></a', ErrorCode.ERR_XML_MALFORMED);
    });

    it('refuses text outside the root, several roots and a missing root', () => {
      rejects('REPLACE example\n<a/>', ErrorCode.ERR_XML_MALFORMED);
      rejects('<a/>x', ErrorCode.ERR_XML_MALFORMED);
      rejects('<a/><b/>', ErrorCode.ERR_XML_MALFORMED);
      rejects('<a/></a>', ErrorCode.ERR_XML_MALFORMED);
      rejects('', ErrorCode.ERR_XML_MALFORMED);
      rejects('  \n<!-- only a comment -->', ErrorCode.ERR_XML_MALFORMED);
    });

    it('refuses invalid element and attribute names', () => {
      for (const xml of ['<1a/>', '<a:b:c/>', '<:a/>', '<a:/>', '<-a/>', '<a 1b="x"/>', '< a/>', '<a><</a>', '<a b:="1"/>']) {
        rejects(xml, ErrorCode.ERR_XML_MALFORMED);
      }
    });

    it('refuses malformed attributes', () => {
      for (const xml of ['<a b/>', '<a b=c/>', '<a b="1" b="2"/>', '<a b="<"/>', '<a b="1"c="2"/>', '<a b="x/>', '<a xmlns="x" xmlns="y"/>',
        '<a xmlns:p=""/>', '<a xmlns:xmlns="urn:x"/>', '<a xmlns:xml="urn:x"/>', '<a xmlns:p="urn:x" xmlns:p="urn:y"/>']) {
        rejects(xml, ErrorCode.ERR_XML_MALFORMED);
      }
    });

    it('refuses unterminated comments, CDATA sections, processing instructions and DOCTYPEs', () => {
      for (const xml of ['<a><!-- x</a>', '<a><![CDATA[x</a>', '<a><?pi x</a>', '<!DOCTYPE a', '<!DOCTYPE a PUBLIC "x', '<!-- x', '<?xml version="1.0"']) {
        rejects(xml, ErrorCode.ERR_XML_MALFORMED);
      }
    });

    it('refuses misplaced markup: declarations inside the document, CDATA outside the root, a second DOCTYPE', () => {
      for (const xml of ['<a><?xml version="1.0"?></a>', '<a/><?xml version="1.0"?>', '<![CDATA[x]]><a/>', '<a/><![CDATA[x]]>',
        '<!DOCTYPE a><!DOCTYPE a><a/>', '<a><!DOCTYPE a></a>', '<a><!foo></a>', '<!doctype a><a/>']) {
        rejects(xml, ErrorCode.ERR_XML_MALFORMED);
      }
      assert.deepEqual(root(' <?xml version="1.0"?><a/>'), el('a'));
      rejects(' <?xml version="1.0"?><a/>', ErrorCode.ERR_XML_MALFORMED, { strict: true });
    });

    it('refuses internal DTD subsets and any markup declaration (no DTD processing)', () => {
      const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
        Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') + ']><lolz>&lol9;</lolz>';
      rejects(bomb, ErrorCode.ERR_XML_DTD_FORBIDDEN);
      rejects('<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>', ErrorCode.ERR_XML_DTD_FORBIDDEN);
      rejects('<!DOCTYPE foo SYSTEM "x.dtd" [ ]><foo/>', ErrorCode.ERR_XML_DTD_FORBIDDEN);
      for (const decl of ['<!ENTITY x "y">', '<!ELEMENT a ANY>', '<!ATTLIST a b CDATA #IMPLIED>', '<!NOTATION n SYSTEM "x">']) {
        rejects(`${decl}<a/>`, ErrorCode.ERR_XML_DTD_FORBIDDEN);
        rejects(`<a>${decl}</a>`, ErrorCode.ERR_XML_DTD_FORBIDDEN);
      }
    });

    it('refuses unknown entities, with or without an external DTD, in both modes', () => {
      rejects('<!DOCTYPE foo SYSTEM "http://example.invalid/evil.dtd"><foo>&xxe;</foo>', ErrorCode.ERR_XML_ENTITY_UNKNOWN);
      rejects('<a b="&nbsp;"/>', ErrorCode.ERR_XML_ENTITY_UNKNOWN);
      rejects('<a>&nbsp;</a>', ErrorCode.ERR_XML_ENTITY_UNKNOWN, { strict: true });
    });

    it('refuses character references to characters XML does not allow', () => {
      for (const ref of ['&#0;', '&#x1;', '&#xD800;', '&#xFFFE;', '&#x110000;', '&#99999999999999999999999;']) {
        rejects(`<a>${ref}</a>`, ErrorCode.ERR_XML_MALFORMED);
      }
    });

    it('refuses NUL, other C0 controls, U+FFFF and unpaired surrogates anywhere', () => {
      for (const bad of ['\0', '\x01', '\x1f', '\uFFFF', '\uD800', '\uDC00', '\uDBFFx']) {
        for (const xml of [`<a>${bad}</a>`, `<a b="${bad}"/>`, `<a><!--${bad}--></a>`, `<a><![CDATA[${bad}]]></a>`, `<a><?p ${bad}?></a>`,
          `<a${bad}/>`, `<!DOCTYPE a PUBLIC "${bad}" ""><a/>`, `<a/>${bad}`]) {
          rejects(xml, ErrorCode.ERR_XML_MALFORMED);
        }
      }
    });

    it('refuses in strict mode what it tolerates by default: ]]> in text and -- in comments', () => {
      assert.deepEqual(root('<a>x]]>y<!-- a--b --></a>').children, ['x]]>y']);
      rejects('<a>x]]>y</a>', ErrorCode.ERR_XML_MALFORMED, { strict: true });
      rejects('<a><!-- a--b --></a>', ErrorCode.ERR_XML_MALFORMED, { strict: true });
      rejects('<a><!-- a ---></a>', ErrorCode.ERR_XML_MALFORMED, { strict: true });
      rejects('<a p:b="1"/>', ErrorCode.ERR_XML_MALFORMED, { strict: true });
      assert.deepEqual(root('<a xml:lang="en"/>', { strict: true }).attrs, { 'xml:lang': 'en' });
    });
  });

  describe('limits and hostile input', () => {
    it('enforces maxBytes, maxDepth and maxElements', () => {
      rejects('<a>xxxxxxxx</a>', ErrorCode.ERR_CODEC_LIMIT_SIZE, { maxBytes: 10 });
      rejects('<a><b><c/></b></a>', ErrorCode.ERR_CODEC_LIMIT_DEPTH, { maxDepth: 2 });
      assert.ok(root('<a><b><c/></b></a>', { maxDepth: 3 }));
      rejects('<a><b/><b/><b/></a>', ErrorCode.ERR_CODEC_LIMIT_ELEMENTS, { maxElements: 3 });
      assert.ok(root('<a><b/><b/><b/></a>', { maxElements: 4 }));
    });

    it('stops 100k-deep nesting at the default depth limit and decodes it without recursion when allowed', () => {
      const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
      const err = rejects(deep, ErrorCode.ERR_CODEC_LIMIT_DEPTH);
      assert.equal(err.position.offset, 64 * 3);
      let node = root(deep, { maxDepth: Infinity });
      let depth = 1;
      while (node.children.length > 0) { node = node.children[0] as DmElement; depth++; }
      assert.equal(depth, 100_000);
    });

    it('handles a 10 MB attribute in linear time and refuses it when unterminated or over maxBytes', () => {
      const big = 'x'.repeat(10 * 1024 * 1024);
      const t = Date.now();
      assert.equal(root(`<a b="${big}"/>`).attrs?.['b']?.length, big.length);
      rejects(`<a b="${big}/>`, ErrorCode.ERR_XML_MALFORMED);
      rejects(`<a b="${big}"/>`, ErrorCode.ERR_CODEC_LIMIT_SIZE, { maxBytes: 1024 * 1024 });
      assert.ok(Date.now() - t < 5000, 'took too long');
    });

    it('stays linear on long runs of ampersands, references and markup openers', () => {
      const t = Date.now();
      root(`<a>${'&'.repeat(500_000)}${'&#'.repeat(200_000)}${'&a'.repeat(200_000)}</a>`);
      rejects(`<a>${'<!--'.repeat(200_000)}</a>`, ErrorCode.ERR_XML_MALFORMED);
      rejects(`<a>${'<![CDATA['.repeat(100_000)}</a>`, ErrorCode.ERR_XML_MALFORMED);
      root(`<a ${Array.from({ length: 20_000 }, (_, i) => `a${i}="${i}"`).join(' ')}/>`);
      root(`<a>${'<b>x</b>'.repeat(100_000)}</a>`, { strict: true, maxElements: 1_000_000 });
      assert.ok(Date.now() - t < 5000, 'took too long');
    });

    it('throws only CodecError for random strings', () => {
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => onlyCodecErrors(s)), { numRuns: 2000 });
    });

    it('throws only CodecError for random sequences of XML tokens, in both modes', () => {
      const token = fc.constantFrom('<', '>', '</', '/>', 'a', 'b:c', ' ', '\n', '=', '"', "'", '&', '&amp;', '&#x41;', '&x;', '<![CDATA[', ']]>',
        '<!--', '-->', '<?', '?>', '<!DOCTYPE a', '[', ']', 'PUBLIC', 'xmlns', 'xmlns:p', '"urn:x"', '<a>', '</a>', '<b/>', '\0', '\uD800');
      const doc = fc.array(token, { maxLength: 40 }).map((t) => t.join(''));
      fc.assert(fc.property(doc, fc.boolean(), (s, strict) => onlyCodecErrors(s, { strict })), { numRuns: 5000 });
    });
  });
});

function onlyCodecErrors(s: string, options?: XmlDecodeOptions): boolean {
  try {
    decodeXmlDocument(s, options);
  } catch (err) {
    if (!(err instanceof CodecError)) throw err;
  }
  return true;
}
