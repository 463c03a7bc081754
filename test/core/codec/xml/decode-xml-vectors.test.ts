// The shared corpus of real DM messages (../shared/vectors, see SOURCES.md there) through the XML
// codec: every file decodes or fails as documented, facts hold at element-tree level, every prefix
// of every file fails only with CodecError, and encode→decode gives back the same tree.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { decodeXmlDocument, decodeXmlBytes } from '../../../../src/core/codec/xml/decode-xml.js';
import { encodeXmlDocument } from '../../../../src/core/codec/xml/encode-xml.js';
import { CodecError, ErrorCode } from '../../../../src/core/errors.js';
import { el, isElement, textOf } from '../../../../src/core/codec/element.js';
import type { DmDocument, DmElement } from '../../../../src/core/codec/element.js';

const VECTORS = new URL('../../../../../shared/vectors/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, VECTORS), 'utf8');
/** Every XML file of the corpus (the .ddf is XML too); reading fails loudly if the folder is missing. */
const XML_FILES = readdirSync(VECTORS).filter((f) => f.endsWith('.xml') || f.endsWith('.ddf')).sort();
/** AOSP vectors with a raw `&` in alert option data (not well-formed XML; SOURCES.md). */
const RAW_AMPERSAND = XML_FILES.filter((f) => /^aosp-omadm-dm1[12]-testalert(confirm|multiplechoice|singlechoice|textinput)\.xml$/.test(f));
/** Fleet fragments that use the `A:` prefix without declaring it. */
const UNBOUND_PREFIX = ['fleet-poc-fragment-add-defender-policy-prefixed-metinf.xml', 'fleet-poc-fragment-atomic-add-exec-msi-install.xml'];

function child(e: DmElement, ...path: (string | number)[]): DmElement {
  let cur = e;
  for (const step of path) {
    const kids = cur.children.filter(isElement);
    const next = typeof step === 'number' ? kids[step] : kids.find((k) => k.name === step);
    assert.ok(next, `no ${String(step)} under ${cur.name}`);
    cur = next;
  }
  return cur;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    assert.ok(err instanceof CodecError, `not a CodecError: ${String(err)}`);
    return err.code;
  }
}

describe('decodeXmlDocument on the shared vectors', () => {
  it('finds the corpus', () => {
    assert.ok(XML_FILES.length >= 60, `only ${XML_FILES.length} XML vectors in ${VECTORS.pathname}`);
    assert.equal(RAW_AMPERSAND.length, 8);
  });

  it('decodes every well-formed vector in strict mode as well as by default', () => {
    for (const f of XML_FILES.filter((x) => !RAW_AMPERSAND.includes(x) && !UNBOUND_PREFIX.includes(x))) {
      const text = read(f);
      assert.deepEqual(decodeXmlDocument(text, { strict: true }), decodeXmlDocument(text), f);
    }
  });

  it('accepts the raw & of the AOSP alert vectors literally, and refuses it in strict mode', () => {
    for (const f of RAW_AMPERSAND) {
      const text = read(f);
      const data = child(decodeXmlDocument(text).root, 'SyncBody', 'Alert', 'Item', 'Data');
      assert.match(textOf(data), /^MAXDT=\d+&DR=/, f);
      assert.ok([ErrorCode.ERR_XML_MALFORMED, ErrorCode.ERR_XML_ENTITY_UNKNOWN].includes(codeOf(() => decodeXmlDocument(text, { strict: true })) as never), f);
    }
    const textInput = child(decodeXmlDocument(read('aosp-omadm-dm12-testalerttextinput.xml')).root, 'SyncBody', 'Alert', 'Item', 'Data');
    assert.deepEqual(textInput.children, ['MAXDT=20&DR=hello+andy!&MAXLEN=30&IT=I&ET=P']);
  });

  it('decodes the fleet fragments with their command as root and the undeclared A: prefix as MetInf', () => {
    const add = decodeXmlDocument(read('fleet-poc-fragment-add-defender-policy-prefixed-metinf.xml')).root;
    assert.equal(add.name, 'Add');
    assert.deepEqual(child(add, 'Item', 'Meta'), el('Meta', [el('Format', ['int'], 'syncml:metinf'), el('Type', ['text/plain'], 'syncml:metinf')]));
    assert.deepEqual(child(add, 'Item', 'Target', 'LocURI').children, ['./Device/Vendor/MSFT/Policy/Config/Defender/AllowRealtimeMonitoring']);
    const atomic = decodeXmlDocument(read('fleet-poc-fragment-atomic-add-exec-msi-install.xml')).root;
    assert.match(textOf(child(atomic, 'Exec', 'Item', 'Data')), /^<MsiInstallJob id="\{90413BF7-7D99-482E-A7FB-C6616CC871FC\}"><Product Version="1.4.0">/);
    for (const f of UNBOUND_PREFIX) assert.equal(codeOf(() => decodeXmlDocument(read(f), { strict: true })), ErrorCode.ERR_XML_MALFORMED, f);
    assert.equal(decodeXmlDocument(read('fleet-poc-fragment-get-device-name.xml'), { strict: true }).root.name, 'Get');
  });

  it('refuses syncmlviewer-examples.txt (a heading line before the markup) and decodes its markup', () => {
    const text = read('syncmlviewer-examples.txt');
    assert.throws(() => decodeXmlDocument(text), (e: unknown) =>
      e instanceof CodecError && e.code === ErrorCode.ERR_XML_MALFORMED && e.position.line === 1 && e.position.column === 1);
    const body = decodeXmlDocument(text.slice(text.indexOf('<'))).root;
    assert.deepEqual(body.children.filter(isElement).map((c) => c.name), ['Replace', 'Replace', 'Final']);
    assert.match(textOf(child(body, 'Replace', 'Item', 'Target', 'LocURI')), /^\n\s+\.\/Vendor\/MSFT\/Personalization\/LockScreenImageUrl\n\s+$/);
    assert.deepEqual(child(body, 'Replace', 'Item', 'Meta'), el('Meta', [el('Format', ['chr'], 'syncml:metinf'), el('Type', ['text/plain'])]));
  });

  it('reads the Win10 enrollment package 1 at element-tree level', () => {
    const r = decodeXmlDocument(read('fleet-win10-19043-session1-pkg1-client-init.xml')).root;
    assert.equal(r.name, 'SyncML');
    assert.equal(r.ns, undefined);
    assert.deepEqual(child(r, 'SyncHdr', 'VerDTD').children, ['1.2']);
    assert.deepEqual(child(r, 'SyncBody', 0), el('Alert', [el('CmdID', ['2']), el('Data', ['1201'])]));
    assert.deepEqual(child(r, 'SyncBody', 1, 'Item', 'Meta', 'Type'), el('Type', ['com.microsoft/MDM/LoginStatus'], 'syncml:metinf'));
    const replace = child(r, 'SyncBody', 'Replace');
    assert.deepEqual(replace.children.filter(isElement).filter((c) => c.name === 'Item').map((i) => textOf(child(i, 'Source', 'LocURI'))),
      ['./DevInfo/DevId', './DevInfo/Man', './DevInfo/Mod', './DevInfo/DmV', './DevInfo/Lang']);
    assert.equal(child(r, 'SyncBody', 'Final').children.length, 0);
  });

  it('reads DOCTYPE public ids, attributes, CDATA and embedded TNDS from the libwbxml and AOSP vectors', () => {
    const ddf = decodeXmlDocument(read('libwbxml-ddf-001-tnds-mgmttree.ddf'));
    assert.equal(ddf.publicId, '-//OMA//DTD-DM-DDF 1.2//EN');
    assert.equal(ddf.root.ns, 'syncml:dmddf1.2');
    assert.deepEqual(child(ddf.root, 'Node', 'RTProperties', 'Format'), el('Format', [el('node', [], 'syncml:dmddf1.2')], 'syncml:dmddf1.2'));

    const prov = decodeXmlDocument(read('libwbxml-cp-prov-001.xml'));
    assert.equal(prov.publicId, '-//WAPFORUM//DTD PROV 1.0//EN');
    assert.deepEqual(prov.root.attrs, { version: '1.0' });
    assert.deepEqual(child(prov.root, 0, 0).attrs, { name: 'PROXY-ID', value: '170.187.51.4' });

    const replace = decodeXmlDocument(read('derived-libwbxml0118-decoded-aosp-omadm-dm12-testreplace.xml')).root;
    assert.deepEqual(child(replace, 'SyncBody', 'Replace', 'Item', 'Data').children, ['000000011234564']);

    const tnds = decodeXmlDocument(read('libwbxml-syncml-with-ddf-001-tnds-add.xml')).root;
    const add = child(tnds, 'SyncBody', 'Sync', 5);
    assert.equal(add.name, 'Add');
    assert.match(textOf(child(add, 'Item', 'Meta', 'Type')), /^\n\s+application\/vnd\.syncml\.dmtnds\+xml\n\s+$/);
    assert.equal(child(add, 'Item', 'Data', 'MgmtTree').ns, 'syncml:dmddf1.2');

    const msdocs = decodeXmlDocument(read('msdocs-structure-of-oma-dm-provisioning-files-server-get-swv.xml')).root;
    assert.deepEqual(child(msdocs, 'SyncBody').children.filter(isElement).map((c) => c.name), ['Get', 'Final']);
  });

  it('decodes the same trees from the vector bytes', () => {
    for (const f of XML_FILES) {
      assert.deepEqual(decodeXmlBytes(readFileSync(new URL(f, VECTORS))), decodeXmlDocument(read(f)), f);
    }
  });

  it('fails only with CodecError when any vector is cut at any character offset', () => {
    for (const f of XML_FILES) {
      const text = read(f);
      const complete = text.trimEnd().length;
      for (let k = 0; k < text.length; k++) {
        const code = codeOf(() => decodeXmlDocument(text.slice(0, k)));
        if (k < complete) assert.notEqual(code, undefined, `${f} cut at ${k} decoded`);
      }
    }
  });

  it('round-trips every vector: decode(encode(tree)) equals the tree, compact and indented', () => {
    for (const f of XML_FILES) {
      const doc = decodeXmlDocument(read(f));
      const again = (xml: string): DmDocument => decodeXmlDocument(xml, { strict: true });
      assert.deepEqual(again(encodeXmlDocument(doc, { doctype: true })), doc, f);
      assert.deepEqual(again(encodeXmlDocument(doc, { indent: '  ', declaration: true })).root, doc.root, f);
    }
  });
});
