import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DMDDF_12, SYNCML_10, SYNCML_11, SYNCML_12, WBXML_LANGUAGES } from '../../../../src/core/codec/wbxml/code-pages.js';

const page = (lang: typeof SYNCML_12, n: number): Readonly<Record<number, string>> => {
  const p = lang.pages.find((x) => x.page === n);
  assert.ok(p, `${lang.name} has page ${n}`);
  return p.tags;
};

describe('WBXML code pages', () => {
  it('gives SyncML the public ids of the SyncML RepPro DTDs', () => {
    assert.deepEqual(SYNCML_10.publicIds, [0x0fd1]);
    assert.deepEqual(SYNCML_11.publicIds, [0x0fd3]);
    assert.deepEqual(SYNCML_12.publicIds, [0x1201]);
    assert.equal(SYNCML_12.xmlPublicId, '-//SYNCML//DTD SyncML 1.2//EN');
    assert.equal(SYNCML_11.xmlPublicId, '-//SYNCML//DTD SyncML 1.1//EN');
  });

  it('puts the SyncML commands on page 0 with the RepPro token values', () => {
    const p0 = page(SYNCML_12, 0);
    assert.equal(p0[0x05], 'Add');
    assert.equal(p0[0x0f], 'Data');
    assert.equal(p0[0x11], 'Exec');
    assert.equal(p0[0x29], 'Status');
    assert.equal(p0[0x2d], 'SyncML');
    assert.equal(p0[0x31], 'VerDTD');
    assert.equal(p0[0x34], 'MoreData');
    assert.equal(p0[0x30], undefined, '0x30 is reserved');
  });

  it('has Correlator (0x3C) only in the SyncML 1.2 table', () => {
    assert.equal(page(SYNCML_12, 0)[0x3c], 'Correlator');
    assert.equal(page(SYNCML_11, 0)[0x3c], undefined);
  });

  it('keeps SourceParent (0x39) in 1.1, as libwbxml does for Nokia clients', () => {
    assert.equal(page(SYNCML_11, 0)[0x39], 'SourceParent');
  });

  it('puts MetInf on page 1 and adds FieldLevel (0x16) in 1.2', () => {
    assert.equal(page(SYNCML_11, 1)[0x07], 'Format');
    assert.equal(page(SYNCML_11, 1)[0x13], 'Type');
    assert.equal(page(SYNCML_11, 1)[0x16], undefined);
    assert.equal(page(SYNCML_12, 1)[0x16], 'FieldLevel');
    assert.equal(SYNCML_12.pages.find((p) => p.page === 1)?.namespace, 'syncml:metinf');
  });

  it('puts the DM DDF 1.2 elements on page 2 in namespace syncml:dmddf1.2', () => {
    const p2 = page(DMDDF_12, 2);
    assert.equal(p2[0x20], 'MgmtTree');
    assert.equal(p2[0x24], 'Node');
    assert.equal(p2[0x25], 'node');
    assert.equal(p2[0x3c], 'ZeroOrOne');
    assert.equal(DMDDF_12.pages[0]?.namespace, 'syncml:dmddf1.2');
    assert.deepEqual(DMDDF_12.publicIds, []);
  });

  it('uses tag identities 0x05–0x3F only, with unique names per page', () => {
    for (const lang of WBXML_LANGUAGES) {
      for (const p of lang.pages) {
        const names = Object.values(p.tags);
        assert.equal(new Set(names).size, names.length, `${lang.name} page ${p.page} repeats a name`);
        for (const key of Object.keys(p.tags)) {
          const token = Number(key);
          assert.ok(token >= 0x05 && token <= 0x3f, `${lang.name} page ${p.page} token ${token}`);
        }
      }
    }
  });

  it('reads SyncML 1.0 and 1.1 with the 1.2 tables, a superset with the same token values', () => {
    for (const lang of [SYNCML_10, SYNCML_11]) {
      assert.equal(lang.decodeWith, SYNCML_12);
      for (const p of lang.pages) {
        const sup = page(SYNCML_12, p.page);
        for (const [token, name] of Object.entries(p.tags)) assert.equal(sup[Number(token)], name);
      }
    }
  });
});
