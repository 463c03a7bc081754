import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeXmlDocument } from '../../../src/core/codec/xml/decode-xml.js';
import { isElement, textOf } from '../../../src/core/codec/element.js';
import { DD_EXTENSION_NAMESPACE, DD_NAMESPACE, buildDownloadDescriptor } from '../../../src/server/firmware/download-descriptor-xml.js';

describe('buildDownloadDescriptor', () => {
  it('renders a DD 1.0 media element with the object fields and the SHA-256 extension', () => {
    const xml = buildDownloadDescriptor({
      objectUri: 'http://h/firmware/fw-1?a=1&b=2', size: 42, type: 'application/octet-stream', name: 'R&D <1>',
      installNotifyUri: 'http://h/firmware/fw-1/notify', sha256: 'ab'.repeat(32),
    });
    const doc = decodeXmlDocument(xml);
    assert.equal(doc.root.name, 'media');
    assert.equal(doc.root.ns, DD_NAMESPACE);
    const fields = new Map(doc.root.children.filter(isElement).map((e) => [e.name, { text: textOf(e), ns: e.ns }]));
    assert.equal(fields.get('DDVersion')?.text, '1.0');
    assert.equal(fields.get('objectURI')?.text, 'http://h/firmware/fw-1?a=1&b=2');
    assert.equal(fields.get('size')?.text, '42');
    assert.equal(fields.get('name')?.text, 'R&D <1>');
    assert.equal(fields.get('installNotifyURI')?.text, 'http://h/firmware/fw-1/notify');
    assert.equal(fields.get('sha256')?.ns, DD_EXTENSION_NAMESPACE);
  });

  it('leaves out the fields it was not given', () => {
    const xml = buildDownloadDescriptor({ objectUri: 'http://h/x', size: 1, type: 'a/b' });
    assert.ok(!xml.includes('installNotifyURI'));
    assert.ok(!xml.includes('sha256'));
  });
});
