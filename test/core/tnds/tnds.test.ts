import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { type DmElement, el, isElement } from '../../../src/core/codec/element.js';
import { decodeXmlDocument } from '../../../src/core/codec/xml/decode-xml.js';
import { encodeXmlDocument } from '../../../src/core/codec/xml/encode-xml.js';
import { CodecError } from '../../../src/core/errors.js';
import { type TndsNode, type TndsTree, tndsFromElement, tndsToElement } from '../../../src/core/tnds/tnds.js';

const vector = (name: string): string => readFileSync(new URL(`../../../../shared/vectors/${name}`, import.meta.url), 'utf8');

/** Depth-first search for the first element with this local name. */
function findElement(root: DmElement, name: string): DmElement | undefined {
  if (root.name === name) return root;
  for (const c of root.children) {
    if (isElement(c)) {
      const hit = findElement(c, name);
      if (hit) return hit;
    }
  }
  return undefined;
}

const chr = (name: string, value: string): TndsNode => ({
  name, props: { format: 'chr', type: { kind: 'MIME', value: 'text/plain' } }, value, children: [],
});

/** The E-Mail object of the TNDS specification example, as the model should read it. */
const EMAIL_TREE: TndsTree = {
  verDtd: '1.2',
  nodes: [{
    name: 'E-Mail',
    props: { format: 'node', type: { kind: 'DDFName', value: 'com.operatorX.dm/1.0/EMail' } },
    children: [{
      name: 'POP3',
      props: {},
      children: [chr('POPServer', 'mail.Operatorx.com'), chr('UserID', 'UserName'), chr('PWD', '4571F7C34A9876B3')],
    }],
  }],
};

function invalidAt(path: string | RegExp, fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => {
    if (!(e instanceof CodecError) || e.code !== 'ERR_TNDS_INVALID') return false;
    return typeof path === 'string' ? e.position.path === path : path.test(e.position.path ?? '');
  });
}

describe('tndsFromElement', () => {
  it('reads the libwbxml TNDS MgmtTree vector', () => {
    const doc = decodeXmlDocument(vector('libwbxml-ddf-001-tnds-mgmttree.ddf'));
    assert.deepEqual(tndsFromElement(doc.root), EMAIL_TREE);
  });

  it('reads the TNDS carried in the Data of an Add (libwbxml syncml-with-ddf vector)', () => {
    const doc = decodeXmlDocument(vector('libwbxml-syncml-with-ddf-001-tnds-add.xml'));
    const mgmt = findElement(doc.root, 'MgmtTree');
    assert.ok(mgmt, 'MgmtTree inside Add/Item/Data');
    assert.deepEqual(tndsFromElement(mgmt), EMAIL_TREE);
  });

  it('reads every RTProperty, Man, Mod and Path', () => {
    const text = `<MgmtTree xmlns="syncml:dmddf1.2"><VerDTD>1.2</VerDTD><Man>Acme</Man><Mod>X1</Mod>
      <Node><NodeName>Leaf</NodeName><Path>./Vendor/Acme</Path><RTProperties>
        <ACL>Get=*&amp;Replace=srv</ACL><Format><int/></Format><Name>Leaf</Name><Size>2</Size><Title>A leaf</Title>
        <TStamp>20010711T163817Z</TStamp><Type><MIME>text/plain</MIME></Type><VerNo>65535</VerNo>
      </RTProperties><Value>42</Value></Node></MgmtTree>`;
    assert.deepEqual(tndsFromElement(decodeXmlDocument(text).root), {
      verDtd: '1.2', man: 'Acme', mod: 'X1',
      nodes: [{
        name: 'Leaf', path: './Vendor/Acme', value: '42', children: [],
        props: {
          acl: 'Get=*&Replace=srv', format: 'int', name: 'Leaf', size: 2, title: 'A leaf', tstamp: '20010711T163817Z',
          type: { kind: 'MIME', value: 'text/plain' }, verNo: 65535,
        },
      }],
    });
  });

  it('keeps Value text as is and WBXML opaque values as bytes', () => {
    const bytes = new Uint8Array([0, 1, 255]);
    const root = el('MgmtTree', [el('VerDTD', ['1.2']), el('Node', [el('NodeName', ['B']), el('Value', [bytes])]),
      el('Node', [el('NodeName', ['T']), el('Value', ['  spaced  '])])]);
    const t = tndsFromElement(root);
    assert.deepEqual(t.nodes[0]?.value, bytes);
    assert.equal(t.nodes[1]?.value, '  spaced  ');
  });

  it('skips DDF DFProperties and elements of foreign namespaces', () => {
    const root = el('MgmtTree', [el('VerDTD', ['1.2']), el('Diagnostics', [], 'http://schemas.microsoft.com/MobileDevice/DM'),
      el('Node', [el('NodeName', ['N']), el('DFProperties', [el('AccessType', [el('Get')])]), el('Value', ['v'])])]);
    assert.deepEqual(tndsFromElement(root).nodes, [{ name: 'N', props: {}, value: 'v', children: [] }]);
  });

  it('tolerates a Format written as text', () => {
    const root = el('MgmtTree', [el('VerDTD', ['1.2']), el('Node', [el('NodeName', ['N']), el('RTProperties', [el('Format', ['chr'])])])]);
    assert.equal(tndsFromElement(root).nodes[0]?.props.format, 'chr');
  });

  it('rejects structural errors with ERR_TNDS_INVALID naming the element path', () => {
    const v = el('VerDTD', ['1.2']);
    invalidAt('SyncML', () => tndsFromElement(el('SyncML')));
    invalidAt('MgmtTree', () => tndsFromElement(el('MgmtTree', [el('Node', [el('NodeName', ['a'])])])));
    invalidAt('MgmtTree/Node', () => tndsFromElement(el('MgmtTree', [v, el('Node', [el('Value', ['x'])])])));
    invalidAt('MgmtTree/Node[2]', () => tndsFromElement(el('MgmtTree', [v, el('Node', [el('NodeName', ['a'])]),
      el('Node', [el('NodeName', ['b']), el('Value', ['x']), el('Node', [el('NodeName', ['c'])])])])));
    invalidAt('MgmtTree/Node/RTProperties/Size', () => tndsFromElement(el('MgmtTree', [v, el('Node', [el('NodeName', ['a']),
      el('RTProperties', [el('Size', ['-1'])])])])));
    invalidAt('MgmtTree/Node/RTProperties/VerNo', () => tndsFromElement(el('MgmtTree', [v, el('Node', [el('NodeName', ['a']),
      el('RTProperties', [el('VerNo', ['65536'])])])])));
    invalidAt('MgmtTree/Node/RTProperties/Format', () => tndsFromElement(el('MgmtTree', [v, el('Node', [el('NodeName', ['a']),
      el('RTProperties', [el('Format', [el('chr'), el('int')])])])])));
    invalidAt('MgmtTree/Node/RTProperties/Type/Bogus', () => tndsFromElement(el('MgmtTree', [v, el('Node', [el('NodeName', ['a']),
      el('RTProperties', [el('Type', [el('Bogus', ['x'])])])])])));
    invalidAt('MgmtTree/Node/Colour', () => tndsFromElement(el('MgmtTree', [v, el('Node', [el('NodeName', ['a']), el('Colour')])])));
    invalidAt('MgmtTree/Node[2]/NodeName[2]', () => tndsFromElement(el('MgmtTree', [v, el('Node', [el('NodeName', ['a'])]),
      el('Node', [el('NodeName', ['b']), el('NodeName', ['c'])])])));
    invalidAt('MgmtTree/Node/Value', () => tndsFromElement(el('MgmtTree', [v, el('Node', [el('NodeName', ['a']),
      el('Value', [el('x')])])])));
    invalidAt('MgmtTree', () => tndsFromElement(el('MgmtTree', [v, 'stray text'])));
  });
});

describe('tndsToElement', () => {
  it('writes every element in namespace syncml:dmddf1.2 in DTD order', () => {
    const e = tndsToElement(EMAIL_TREE);
    const names: string[] = [];
    const walk = (x: DmElement): void => {
      assert.equal(x.ns, 'syncml:dmddf1.2');
      names.push(x.name);
      for (const c of x.children) if (isElement(c)) walk(c);
    };
    walk(e);
    assert.deepEqual(names.slice(0, 9), ['MgmtTree', 'VerDTD', 'Node', 'NodeName', 'RTProperties', 'Format', 'node', 'Type', 'DDFName']);
  });

  it('round-trips the vector model', () => {
    assert.deepEqual(tndsFromElement(tndsToElement(EMAIL_TREE)), EMAIL_TREE);
  });

  it('round-trips through XML text, standalone and inside a SyncML Data element', () => {
    const tree: TndsTree = { ...EMAIL_TREE, man: 'Acme', nodes: [...EMAIL_TREE.nodes,
      { name: 'A&B', props: { acl: 'Get=*&Add=x', format: 'xml' }, value: '<x a="1"/>', children: [] }] };
    const xml = encodeXmlDocument({ root: tndsToElement(tree) });
    assert.match(xml, /^<MgmtTree xmlns="syncml:dmddf1.2"><VerDTD>1.2<\/VerDTD><Man>Acme<\/Man>/);
    assert.deepEqual(tndsFromElement(decodeXmlDocument(xml).root), tree);
    const msg = el('SyncML', [el('SyncBody', [el('Add', [el('Item', [el('Data', [tndsToElement(tree)])])])])]);
    const back = findElement(decodeXmlDocument(encodeXmlDocument({ root: msg })).root, 'MgmtTree');
    assert.ok(back);
    assert.deepEqual(tndsFromElement(back), tree);
  });

  const text = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._*=&+-]{0,10}$/).map((s) => s.trim()).filter((s) => s !== '');
  const props = fc.record({
    acl: text, format: fc.constantFrom('chr', 'int', 'node', 'b64', 'mchr'), name: text, size: fc.nat(),
    title: text, tstamp: text, type: fc.record({ kind: fc.constantFrom('MIME' as const, 'DDFName' as const), value: text }, { noNullPrototype: true }),
    verNo: fc.integer({ min: 0, max: 0xffff }),
  }, { requiredKeys: [], noNullPrototype: true });
  const value = fc.oneof(fc.string(), fc.uint8Array({ maxLength: 8 }));
  const node: fc.Memo<TndsNode> = fc.memo((depth) => fc.record({
    name: text,
    path: fc.option(text, { nil: undefined }),
    props,
    leaf: depth <= 1 ? fc.constant(true) : fc.boolean(),
    value,
    children: depth <= 1 ? fc.constant([]) : fc.array(node(depth - 1), { maxLength: 3 }),
  }, { noNullPrototype: true }).map(({ name, path, props: p, leaf, value: v, children }) => ({
    name, ...(path !== undefined ? { path } : {}), props: p,
    ...(leaf ? { value: v, children: [] } : { children }),
  })));
  const tree: fc.Arbitrary<TndsTree> = fc.record({
    verDtd: fc.constant('1.2'), man: text, mod: text, nodes: fc.array(node(3), { maxLength: 3 }),
  }, { requiredKeys: ['verDtd', 'nodes'], noNullPrototype: true });

  it('round-trips any model: tndsFromElement(tndsToElement(t)) equals t (property)', () => {
    fc.assert(fc.property(tree, (t) => {
      assert.deepStrictEqual(tndsFromElement(tndsToElement(t)), t);
    }));
  });
});
