/**
 * fast-check arbitraries for Client Provisioning documents: names and values drawn from the PROV
 * vocabulary (so token folding, value tokens and the string table are all exercised) mixed with
 * arbitrary text.
 */
import fc from 'fast-check';
import { PROV_ATTR_STARTS, PROV_ATTR_VALUES } from '../../src/core/codec/wbxml/prov-code-pages.js';
import { cpCharacteristic, cpParm, type CpCharacteristic, type CpDocument, type CpNode } from '../../src/core/provisioning/cp-document.js';

const TYPES = [...new Set(PROV_ATTR_STARTS.filter((a) => a.name === 'type' && a.value !== undefined).map((a) => a.value as string))];
const NAMES = [...new Set(PROV_ATTR_STARTS.filter((a) => a.name === 'name' && a.value !== undefined).map((a) => a.value as string))];
const TOKENS = PROV_ATTR_VALUES.map((v) => v.text);

/** Text as an XML attribute can carry it: no U+0000, no other C0 controls, no lone surrogates. */
export function cpText(options: { ascii?: boolean } = {}): fc.Arbitrary<string> {
  const plain = fc.string({ unit: options.ascii === true ? 'grapheme-ascii' : 'grapheme', maxLength: 12 })
    .map((s) => s.replace(/[\u0000-\u001f\u007f]/g, ''));
  const piece = fc.oneof(plain, fc.constantFrom(...TOKENS), fc.constantFrom(...NAMES), fc.constantFrom('NAP1', 'w7', 'http://', 'www.example.com'));
  return fc.array(piece, { maxLength: 4 }).map((parts) => parts.join(''));
}

/** A provisioning document: up to 3 levels, parms and characteristics interleaved. */
export function cpDocument(options: { ascii?: boolean } = {}): fc.Arbitrary<CpDocument> {
  const text = cpText(options);
  const name = fc.oneof(fc.constantFrom(...NAMES), text);
  const type = fc.oneof(fc.constantFrom(...TYPES), text);
  const parm: fc.Arbitrary<CpNode> = fc.tuple(name, fc.option(text, { nil: undefined })).map(([n, v]) => cpParm(n, v));
  const { characteristic } = fc.letrec<{ characteristic: CpCharacteristic }>((tie) => ({
    characteristic: fc.tuple(type, fc.array(fc.oneof({ depthSize: 'small', withCrossShrink: true }, parm, tie('characteristic') as fc.Arbitrary<CpNode>), { maxLength: 5, depthIdentifier: 'cp' }))
      .map(([t, children]) => cpCharacteristic(t, children)),
  }));
  return fc.tuple(fc.option(fc.oneof(fc.constantFrom('1.0', '1.1'), text), { nil: undefined }), fc.array(characteristic, { maxLength: 4 }))
    .map(([version, characteristics]) => (version === undefined ? { characteristics } : { version, characteristics }));
}
