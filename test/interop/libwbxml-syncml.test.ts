/**
 * The WBXML codec against libwbxml 0.11.8 (Debian libwbxml2-utils): decoding the shared WBXML
 * vectors and xml2wbxml output, encoding for wbxml2xml, and byte identity with `xml2wbxml -n -v 1.2`.
 * See docs/reference/wbxml.md for what libwbxml changes in a document and how the helper models it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isElement, type DmDocument, type DmElement } from '../../src/core/codec/element.js';
import { decodeXmlDocument } from '../../src/core/codec/xml/decode-xml.js';
import { DMDDF_12 } from '../../src/core/codec/wbxml/code-pages.js';
import { decodeWbxmlDocument } from '../../src/core/codec/wbxml/decode-wbxml.js';
import { encodeWbxmlDocument } from '../../src/core/codec/wbxml/encode-wbxml.js';
import {
  canonical, findElement, fixtureDir, libwbxmlView, readVector, vectorNames, vectorsDir, wbxml2xml, xml2wbxml,
} from '../helpers/wbxml-interop.js';

/** libwbxml embeds this vector's MgmtTree as a WBXML document and adds white space around it: tested on its own below. */
const TNDS_VECTOR = 'libwbxml-syncml-with-ddf-001-tnds-add.xml';

/** SyncML XML documents: our fixture corpus and every well-formed SyncML vector. */
function corpus(): { name: string; xml: string; doc: DmDocument }[] {
  const out: { name: string; xml: string; doc: DmDocument }[] = [];
  const fixtures = readdirSync(fixtureDir()).filter((f) => f.endsWith('.xml')).sort();
  assert.ok(fixtures.length >= 10, 'the SyncML fixture corpus is missing');
  for (const f of fixtures) {
    const xml = readFileSync(join(fixtureDir(), f), 'utf8');
    out.push({ name: `fixtures/${f}`, xml, doc: decodeXmlDocument(xml, { strict: true }) });
  }
  for (const f of vectorNames('.xml')) {
    if (f === TNDS_VECTOR) continue;
    const xml = readVector(f).toString('utf8');
    let doc: DmDocument;
    try {
      doc = decodeXmlDocument(xml, { strict: true });
    } catch {
      continue; // not well-formed on purpose (SOURCES.md): the XML codec's tolerance tests use these
    }
    if (doc.root.name === 'SyncML') out.push({ name: `vectors/${f}`, xml, doc });
  }
  return out;
}

const CORPUS = corpus();
const SYNCML_WBXML_VECTORS = vectorNames('.wbxml').filter((f) => !f.includes('-cp-prov-'));

describe('WBXML decoding of the shared SyncML vectors', () => {
  it('finds the vectors', () => {
    assert.ok(vectorsDir());
    assert.ok(SYNCML_WBXML_VECTORS.length >= 17, `only ${SYNCML_WBXML_VECTORS.length} SyncML .wbxml vectors`);
  });

  for (const name of SYNCML_WBXML_VECTORS) {
    it(`decodes ${name} to the document wbxml2xml reads from it`, () => {
      const bytes = readVector(name);
      const ours = decodeWbxmlDocument(bytes);
      const theirs = decodeXmlDocument(wbxml2xml(bytes));
      assert.equal(ours.publicId, theirs.publicId);
      assert.deepEqual(canonical(ours.root), canonical(theirs.root));
    });
  }

  it('decodes the benchmark message to the document wbxml2xml reads from it', () => {
    const bytes = readFileSync(join(vectorsDir(), '../bench/typical-dm-message.wbxml'));
    assert.deepEqual(canonical(decodeWbxmlDocument(bytes).root), canonical(decodeXmlDocument(wbxml2xml(bytes)).root));
  });
});

const XML2WBXML_FLAGS: readonly (readonly string[])[] = [['-n', '-v', '1.2'], ['-v', '1.2'], ['-n', '-v', '1.3'], ['-v', '1.3']];

describe('WBXML decoding of xml2wbxml output', () => {
  for (const { name, xml, doc } of CORPUS) {
    for (const flags of XML2WBXML_FLAGS) {
      it(`reads xml2wbxml ${flags.join(' ')} of ${name} as the same document`, () => {
        const ours = decodeWbxmlDocument(xml2wbxml(xml, flags));
        assert.equal(ours.publicId, doc.publicId ?? ours.publicId);
        assert.deepEqual(canonical(ours.root), canonical(libwbxmlView(doc).root));
      });
    }
  }
});

describe('WBXML encoding read back by wbxml2xml', () => {
  for (const { name, doc } of CORPUS) {
    it(`writes ${name} so that wbxml2xml reads the same document`, () => {
      const theirs = decodeXmlDocument(wbxml2xml(encodeWbxmlDocument(doc)));
      assert.deepEqual(canonical(theirs.root), canonical(doc.root));
    });
  }

  it('writes a string table and a literal public id that wbxml2xml reads', () => {
    for (const { doc } of CORPUS) {
      for (const version of [0x02, 0x03] as const) {
        const bytes = encodeWbxmlDocument(doc, { stringTable: true, publicIdAsLiteral: true, version });
        assert.deepEqual(canonical(decodeXmlDocument(wbxml2xml(bytes)).root), canonical(doc.root));
      }
    }
  });
});

describe('WBXML encoding byte for byte as xml2wbxml -n -v 1.2', () => {
  for (const { name, xml, doc } of CORPUS) {
    it(`writes ${name} with the bytes of xml2wbxml -n -v 1.2`, () => {
      const ours = Buffer.from(encodeWbxmlDocument(libwbxmlView(doc)));
      const theirs = Buffer.from(xml2wbxml(xml, ['-n', '-v', '1.2']));
      assert.equal(ours.toString('hex'), theirs.toString('hex'));
    });
  }
});

describe('WBXML and TNDS trees embedded in Data (libwbxml vector syncml_with_ddf-001)', () => {
  const xml = readVector(TNDS_VECTOR).toString('utf8');
  const doc = decodeXmlDocument(xml);
  const view = libwbxmlView(doc);
  const mgmt = findElement(view.root, 'MgmtTree');

  it('reads the MgmtTree libwbxml embeds as a DM DDF WBXML document inside Data', () => {
    assert.ok(mgmt);
    const data = dataHolding(decodeWbxmlDocument(xml2wbxml(xml, ['-n', '-v', '1.2'])).root);
    assert.ok(data, 'a Data element holds the decoded MgmtTree');
    const tree = data.children.find((c): c is DmElement => typeof c !== 'string' && isElement(c));
    assert.ok(tree);
    assert.deepEqual(canonical(tree), canonical(mgmt));
  });

  it('embeds the MgmtTree with the same bytes as libwbxml', () => {
    assert.ok(mgmt);
    const inner = Buffer.from(encodeWbxmlDocument({ root: mgmt, publicId: DMDDF_12.xmlPublicId }));
    const theirs = Buffer.from(xml2wbxml(xml, ['-n', '-v', '1.2']));
    assert.ok(theirs.includes(inner), 'libwbxml output contains our DDF document');
    const ours = Buffer.from(encodeWbxmlDocument(view));
    assert.ok(ours.includes(inner));
    // libwbxml also writes the white space after </MgmtTree> as a second OPAQUE; everything before it matches.
    const cut = theirs.indexOf(inner) + inner.length;
    assert.equal(ours.subarray(0, cut).toString('hex'), theirs.subarray(0, cut).toString('hex'));
  });

  it('writes the TNDS tree so that wbxml2xml expands it again', () => {
    const theirs = decodeXmlDocument(wbxml2xml(encodeWbxmlDocument(view)));
    const expected = libwbxmlView(doc, { rewriteTypes: false });
    assert.deepEqual(canonical(theirs.root), canonical(expected.root));
  });
});

function dataHolding(e: DmElement): DmElement | undefined {
  if (e.name === 'Data' && e.children.some((c) => typeof c !== 'string' && isElement(c))) return e;
  for (const c of e.children) {
    if (typeof c !== 'string' && isElement(c)) {
      const hit = dataHolding(c);
      if (hit) return hit;
    }
  }
  return undefined;
}
