import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DMDDF_12, SYNCML_11, SYNCML_12, WBXML_LANGUAGES } from '../../../../src/core/codec/wbxml/code-pages.js';
import { compiled, compileLanguage, languageByPublicId, languageByXmlPublicId } from '../../../../src/core/codec/wbxml/wbxml-language.js';

describe('compileLanguage', () => {
  it('derives the token → name arrays and the name → token maps from the same tables', () => {
    for (const lang of WBXML_LANGUAGES) {
      const c = compileLanguage(lang);
      for (const p of lang.pages) {
        for (const [key, name] of Object.entries(p.tags)) {
          const token = Number(key);
          assert.equal(c.tagNames[p.page]?.[token], name);
          const packed = c.tagsByNamespace.get(p.namespace)?.get(name);
          assert.ok(packed !== undefined, `${lang.name}: ${name}`);
          // A name repeated on several pages of one namespace (PROV 1.1) is written with the lowest page.
          assert.equal(c.tagNames[packed >> 8]?.[packed & 0xff], name);
          assert.ok(packed >> 8 <= p.page);
        }
      }
    }
  });

  it('maps the default namespace to page 0 and metinf to page 1', () => {
    const c = compiled(SYNCML_12);
    assert.equal(c.defaultTags?.get('Correlator'), 0x3c);
    assert.equal(c.tagsByNamespace.get('syncml:metinf')?.get('NextNonce'), 0x110);
    assert.equal(c.tagsByNamespace.get('syncml:dmddf1.2')?.get('Format'), 0x21c);
    assert.equal(c.pageNamespaces[0], undefined);
    assert.equal(c.pageNamespaces[2], 'syncml:dmddf1.2');
  });

  it('looks a name up on the lowest page that defines it when its namespace does not', () => {
    const c = compiled(SYNCML_12);
    assert.equal(c.tagsByName.get('Format'), 0x107);
    assert.equal(c.tagsByName.get('Add'), 0x05);
    assert.equal(c.hasAttributes, false);
  });
});

describe('language lookup', () => {
  it('finds a language by numeric public id', () => {
    assert.equal(languageByPublicId(0x1201), SYNCML_12);
    assert.equal(languageByPublicId(0x0fd3), SYNCML_11);
    assert.equal(languageByPublicId(0x01), undefined);
  });

  it('finds a language by formal public id, ignoring case and surrounding white space', () => {
    assert.equal(languageByXmlPublicId('-//SYNCML//DTD SyncML 1.2//EN'), SYNCML_12);
    assert.equal(languageByXmlPublicId(' -//syncml//dtd syncml 1.1//en\n'), SYNCML_11);
    assert.equal(languageByXmlPublicId('-//OMA//DTD-DM-DDF 1.2//EN'), DMDDF_12);
    assert.equal(languageByXmlPublicId('-//SYNCML//DTD DevInf 1.2//EN'), undefined);
  });
});
