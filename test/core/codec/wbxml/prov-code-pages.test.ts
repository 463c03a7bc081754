import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WBXML_LANGUAGES } from '../../../../src/core/codec/wbxml/code-pages.js';
import { PROV_10, PROV_ATTR_STARTS, PROV_ATTR_VALUES } from '../../../../src/core/codec/wbxml/prov-code-pages.js';
import { languageByPublicId } from '../../../../src/core/codec/wbxml/wbxml-language.js';

const GLOBAL_ATTR_START = new Set([0x00, 0x01, 0x02, 0x03, 0x04, 0x40, 0x41, 0x42, 0x43, 0x44]);
const GLOBAL_ATTR_VALUE = new Set([0x80, 0x81, 0x82, 0x83, 0x84, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4]);

describe('PROV code pages', () => {
  it('is registered for public id 0x0B', () => {
    assert.equal(languageByPublicId(0x0b), PROV_10);
    assert.ok(WBXML_LANGUAGES.includes(PROV_10));
  });

  it('uses each attribute token once per page and never a global token', () => {
    for (const list of [PROV_ATTR_STARTS, PROV_ATTR_VALUES]) {
      const keys = list.map((t) => `${t.page}:${t.token}`);
      assert.equal(new Set(keys).size, keys.length);
    }
    for (const a of PROV_ATTR_STARTS) assert.ok(a.token >= 0x05 && a.token < 0x80 && !GLOBAL_ATTR_START.has(a.token), `start 0x${a.token.toString(16)}`);
    for (const v of PROV_ATTR_VALUES) assert.ok(v.token >= 0x85 && !GLOBAL_ATTR_VALUE.has(v.token), `value 0x${v.token.toString(16)}`);
  });

  it('derives the decoder maps from the ordered lists', () => {
    for (const page of PROV_10.pages) {
      for (const a of PROV_ATTR_STARTS.filter((x) => x.page === page.page)) {
        assert.deepEqual(page.attrStarts?.[a.token], a.value === undefined ? { name: a.name } : { name: a.name, value: a.value });
      }
      for (const v of PROV_ATTR_VALUES.filter((x) => x.page === page.page)) assert.equal(page.attrValues?.[v.token], v.text);
    }
  });

  it('lists a longer value token before every shorter token it contains', () => {
    PROV_ATTR_VALUES.forEach((long, i) => {
      PROV_ATTR_VALUES.forEach((short, j) => {
        if (short.text !== long.text && long.text.includes(short.text)) assert.ok(i < j, `${long.text} before ${short.text}`);
      });
    });
  });
});
