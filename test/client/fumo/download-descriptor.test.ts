import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../../src/core/errors.js';
import { installStatusReport, isDownloadDescriptorType, parseDownloadDescriptor } from '../../../src/client/fumo/download-descriptor.js';

const DD = `<?xml version="1.0" encoding="UTF-8"?>
<media xmlns="http://www.openmobilealliance.org/xmlns/dd">
  <DDVersion>1.0</DDVersion>
  <name>Firmware 2.0</name>
  <vendor>Contoso</vendor>
  <type>application/octet-stream</type>
  <type>application/x-fw</type>
  <size>123456</size>
  <objectURI>pkg/fw.bin</objectURI>
  <installNotifyURI>/notify?id=1</installNotifyURI>
  <description>Security fixes &amp; more</description>
</media>`;

describe('parseDownloadDescriptor', () => {
  it('reads the DD 1.0 fields and resolves relative URIs against the descriptor URL', () => {
    const dd = parseDownloadDescriptor(DD, 'https://dl.example/fw/desc.dd');
    assert.equal(dd.objectUri, 'https://dl.example/fw/pkg/fw.bin');
    assert.equal(dd.size, 123456);
    assert.deepEqual(dd.types, ['application/octet-stream', 'application/x-fw']);
    assert.equal(dd.ddVersion, '1.0');
    assert.equal(dd.name, 'Firmware 2.0');
    assert.equal(dd.vendor, 'Contoso');
    assert.equal(dd.description, 'Security fixes & more');
    assert.equal(dd.installNotifyUri, 'https://dl.example/notify?id=1');
    assert.equal(dd.sha256, undefined);
  });

  it('reads the SHA-256 extension element from bytes (the form the DM server generates)', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<media xmlns="http://www.openmobilealliance.org/xmlns/dd">
  <DDVersion>1.0</DDVersion>
  <type>application/octet-stream</type>
  <size>9</size>
  <objectURI>http://s/firmware/fw-1</objectURI>
  <installNotifyURI>http://s/n</installNotifyURI>
  <sha256 xmlns="urn:omadm:dd-ext:1">${'AB'.repeat(32)}</sha256>
</media>`;
    const dd = parseDownloadDescriptor(new Uint8Array(Buffer.from(xml)));
    assert.equal(dd.objectUri, 'http://s/firmware/fw-1');
    assert.equal(dd.sha256, 'ab'.repeat(32));
  });

  it('refuses a document without media, objectURI, size or type', () => {
    const cases = [
      '<x/>',
      '<media><size>1</size><type>a/b</type></media>',
      '<media><objectURI>http://a/b</objectURI><type>a/b</type></media>',
      '<media><objectURI>http://a/b</objectURI><size>-1</size><type>a/b</type></media>',
      '<media><objectURI>http://a/b</objectURI><size>1</size></media>',
      '<media><objectURI>http://a/b</objectURI><size>1</size><type>a/b</type><sha256>zz</sha256></media>',
    ];
    for (const c of cases) assert.throws(() => parseDownloadDescriptor(c), { code: ErrorCode.ERR_DOWNLOAD_DESCRIPTOR_INVALID }, c);
  });

  it('lets the XML decoder reject malformed XML and DTDs', () => {
    assert.throws(() => parseDownloadDescriptor('<media><size>'), (err: { code?: string }) => err.code === ErrorCode.ERR_XML_MALFORMED);
    assert.throws(() => parseDownloadDescriptor('<!DOCTYPE media [<!ENTITY x "y">]><media/>'), (err: { code?: string }) => typeof err.code === 'string');
  });
});

describe('download descriptor helpers', () => {
  it('recognizes the DD content type with parameters', () => {
    assert.equal(isDownloadDescriptorType('application/vnd.oma.dd+xml; charset=utf-8'), true);
    assert.equal(isDownloadDescriptorType('application/octet-stream'), false);
    assert.equal(isDownloadDescriptorType(null), false);
  });

  it('formats install status reports', () => {
    assert.equal(installStatusReport(900), '900 Success');
    assert.equal(installStatusReport(902), '902 User Cancelled');
  });
});
