/**
 * Every valid WBXML input cut at every byte offset must fail with a CodecError: never decode,
 * never throw anything else, never hang (house style §6).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CodecError } from '../../src/core/errors.js';
import { decodeXmlDocument } from '../../src/core/codec/xml/decode-xml.js';
import { decodeWbxmlDocument } from '../../src/core/codec/wbxml/decode-wbxml.js';
import { encodeWbxmlDocument } from '../../src/core/codec/wbxml/encode-wbxml.js';
import { fixtureDir, readVector, vectorNames, vectorsDir } from '../helpers/wbxml-interop.js';

function inputs(): { name: string; bytes: Uint8Array }[] {
  const out: { name: string; bytes: Uint8Array }[] = vectorNames('.wbxml')
    .filter((f) => !f.includes('-cp-prov-'))
    .map((f) => ({ name: f, bytes: new Uint8Array(readVector(f)) }));
  out.push({ name: 'bench/typical-dm-message.wbxml', bytes: new Uint8Array(readFileSync(join(vectorsDir(), '../bench/typical-dm-message.wbxml'))) });
  for (const f of readdirSync(fixtureDir()).filter((x) => x.endsWith('.xml')).sort()) {
    const doc = decodeXmlDocument(readFileSync(join(fixtureDir(), f), 'utf8'));
    out.push({ name: `fixtures/${f} (default options)`, bytes: encodeWbxmlDocument(doc) });
    out.push({ name: `fixtures/${f} (string table, literal id, 1.3)`, bytes: encodeWbxmlDocument(doc, { stringTable: true, publicIdAsLiteral: true, version: 0x03 }) });
  }
  const tnds = decodeXmlDocument(readVector('libwbxml-syncml-with-ddf-001-tnds-add.xml').toString('utf8'));
  out.push({ name: 'TNDS embedded in Data', bytes: encodeWbxmlDocument(tnds) });
  return out;
}

describe('decodeWbxmlDocument on truncated input', () => {
  for (const { name, bytes } of inputs()) {
    it(`rejects ${name} cut at each of its ${bytes.length} offsets with a CodecError`, () => {
      decodeWbxmlDocument(bytes);
      for (let cut = 0; cut < bytes.length; cut++) {
        try {
          decodeWbxmlDocument(bytes.subarray(0, cut));
        } catch (err) {
          if (err instanceof CodecError) continue;
          throw new Error(`cut at ${cut}: ${String(err)}`, { cause: err });
        }
        assert.fail(`cut at ${cut} of ${bytes.length} decoded without error`);
      }
    });
  }
});
