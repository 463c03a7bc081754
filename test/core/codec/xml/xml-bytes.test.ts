import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { xmlTextFromBytes } from '../../../../src/core/codec/xml/xml-bytes.js';
import { decodeXmlBytes } from '../../../../src/core/codec/xml/decode-xml.js';
import { CodecError, ErrorCode } from '../../../../src/core/errors.js';
import { el } from '../../../../src/core/codec/element.js';

const XML = '<a>été \u{1F600}</a>';

function utf16(text: string, bigEndian: boolean, bom: boolean): Uint8Array {
  const le = Buffer.from((bom ? '\uFEFF' : '') + text, 'utf16le');
  if (bigEndian) le.swap16();
  return new Uint8Array(le);
}

function isCode(code: ErrorCode) {
  return (e: unknown): boolean => e instanceof CodecError && e.code === code;
}

describe('xmlTextFromBytes', () => {
  it('decodes UTF-8 with and without a byte-order mark', () => {
    assert.equal(xmlTextFromBytes(Buffer.from(XML)), XML);
    assert.equal(xmlTextFromBytes(Buffer.from('\uFEFF' + XML)), XML);
    assert.equal(xmlTextFromBytes(Buffer.from(`<?xml version="1.0" encoding="utf-8"?>${XML}`)), `<?xml version="1.0" encoding="utf-8"?>${XML}`);
  });

  it('decodes UTF-16 in both byte orders, with a BOM or recognised from "<?"', () => {
    const decl = `<?xml version="1.0" encoding="UTF-16"?>${XML}`;
    for (const bigEndian of [false, true]) {
      assert.equal(xmlTextFromBytes(utf16(decl, bigEndian, true)), decl);
      assert.equal(xmlTextFromBytes(utf16(decl, bigEndian, false)), decl);
    }
  });

  it('honours an ISO-8859-1 declaration (any case, common aliases, either quote)', () => {
    for (const head of ['<?xml version="1.0" encoding="ISO-8859-1"?>', "<?xml version='1.0' encoding='iso-8859-1'?>",
      '<?xml version="1.0" encoding = "latin1" standalone="yes"?>', '<?xml version="1.0" encoding="ISO_8859-1"?>']) {
      const bytes = Buffer.concat([Buffer.from(`${head}<a>`), Buffer.from([0xe9, 0xff]), Buffer.from('</a>')]);
      assert.equal(xmlTextFromBytes(bytes), `${head}<a>\u00e9\u00ff</a>`, head);
    }
  });

  it('refuses other encodings and a UTF-16 label without a BOM with ERR_UNKNOWN_ENCODING', () => {
    for (const label of ['windows-1252', 'Shift_JIS', 'UTF-16', 'EBCDIC-US']) {
      assert.throws(() => xmlTextFromBytes(Buffer.from(`<?xml version="1.0" encoding="${label}"?><a/>`)), isCode(ErrorCode.ERR_UNKNOWN_ENCODING), label);
    }
  });

  it('refuses invalid UTF-8 and odd-length UTF-16 with ERR_XML_MALFORMED', () => {
    assert.throws(() => xmlTextFromBytes(Buffer.from([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e])), isCode(ErrorCode.ERR_XML_MALFORMED));
    assert.throws(() => xmlTextFromBytes(Buffer.from([0xff, 0xfe, 0x3c, 0x00, 0x61])), isCode(ErrorCode.ERR_XML_MALFORMED));
  });

  it('enforces maxBytes on the byte length', () => {
    assert.throws(() => xmlTextFromBytes(Buffer.from(XML), { maxBytes: 4 }), isCode(ErrorCode.ERR_CODEC_LIMIT_SIZE));
  });
});

describe('decodeXmlBytes', () => {
  it('decodes the element tree from bytes in any accepted encoding', () => {
    const expected = { root: el('a', ['été \u{1F600}']) };
    assert.deepEqual(decodeXmlBytes(Buffer.from('\uFEFF' + XML)), expected);
    assert.deepEqual(decodeXmlBytes(utf16(XML, true, true)), expected);
    const latin = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>'), Buffer.from([0xe9]), Buffer.from('</a>')]);
    assert.deepEqual(decodeXmlBytes(latin), { root: el('a', ['é']) });
  });

  it('passes decode options through', () => {
    assert.throws(() => decodeXmlBytes(Buffer.from('<a>x&y</a>'), { strict: true }), isCode(ErrorCode.ERR_XML_MALFORMED));
    assert.throws(() => decodeXmlBytes(Buffer.from('<a><b/></a>'), { maxDepth: 1 }), isCode(ErrorCode.ERR_CODEC_LIMIT_DEPTH));
  });
});
