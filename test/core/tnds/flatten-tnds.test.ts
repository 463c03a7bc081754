import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { el, isElement, type DmElement } from '../../../src/core/codec/element.js';
import { decodeXmlDocument } from '../../../src/core/codec/xml/decode-xml.js';
import { CodecError, ProtocolError } from '../../../src/core/errors.js';
import { formatAcl } from '../../../src/core/tree/acl.js';
import { parseNodeUri } from '../../../src/core/tree/uri.js';
import { flattenTnds } from '../../../src/core/tnds/flatten-tnds.js';
import { type TndsTree, tndsFromElement } from '../../../src/core/tnds/tnds.js';

const vector = (name: string): string => readFileSync(new URL(`../../../../shared/vectors/${name}`, import.meta.url), 'utf8');

function find(root: DmElement, name: string): DmElement | undefined {
  if (root.name === name) return root;
  for (const c of root.children) if (isElement(c)) { const h = find(c, name); if (h) return h; }
  return undefined;
}

const tree = (nodes: TndsTree['nodes']): TndsTree => ({ verDtd: '1.2', nodes });

describe('flattenTnds', () => {
  it('turns the Add of the TNDS vector into parent-first node operations', () => {
    const doc = decodeXmlDocument(vector('libwbxml-syncml-with-ddf-001-tnds-add.xml'));
    const mgmt = find(doc.root, 'MgmtTree');
    assert.ok(mgmt);
    // The specification example targets "/OperatorX", which TND §5 forbids (URIs are relative).
    assert.throws(() => parseNodeUri('/OperatorX'), (e: unknown) => e instanceof ProtocolError && e.status === 400);
    const entries = flattenTnds(tndsFromElement(mgmt), './OperatorX');
    assert.deepEqual(entries.map((e) => [e.uri, e.interior, e.format, e.type, e.value]), [
      ['./OperatorX/E-Mail', true, 'node', 'com.operatorX.dm/1.0/EMail', undefined],
      ['./OperatorX/E-Mail/POP3', true, undefined, undefined, undefined],
      ['./OperatorX/E-Mail/POP3/POPServer', false, 'chr', 'text/plain', 'mail.Operatorx.com'],
      ['./OperatorX/E-Mail/POP3/UserID', false, 'chr', 'text/plain', 'UserName'],
      ['./OperatorX/E-Mail/POP3/PWD', false, 'chr', 'text/plain', '4571F7C34A9876B3'],
    ]);
  });

  it('resolves a relative base against the root and escapes node names', () => {
    const entries = flattenTnds(tree([{ name: 'my node', props: {}, value: 'x', children: [] }]), 'Vendor');
    assert.equal(entries[0]?.uri, './Vendor/my%20node');
    assert.equal(entries[0]?.interior, false);
  });

  it('places a node with a Path under that path instead of the base', () => {
    const entries = flattenTnds(tree([
      { name: 'A', path: './Vendor/Acme', props: {}, children: [{ name: 'B', props: {}, value: '1', children: [] }] },
      { name: 'C', props: {}, value: '2', children: [] },
    ]), '.');
    assert.deepEqual(entries.map((e) => e.uri), ['./Vendor/Acme/A', './Vendor/Acme/A/B', './C']);
  });

  it('treats a node without Value and children as interior (continued elsewhere)', () => {
    assert.equal(flattenTnds(tree([{ name: 'X', props: {}, children: [] }]), '.')[0]?.interior, true);
    assert.equal(flattenTnds(tree([{ name: 'X', props: { format: 'chr' }, children: [] }]), '.')[0]?.interior, false);
  });

  it('parses ACLs and drops empty ones', () => {
    const [a, b] = flattenTnds(tree([
      { name: 'A', props: { acl: 'Replace=s1&Get=*' }, value: 'x', children: [] },
      { name: 'B', props: { acl: '' }, value: 'y', children: [] },
    ]), '.');
    assert.equal(a?.acl && formatAcl(a.acl), 'Get=*&Replace=s1');
    assert.equal(b?.acl, undefined);
  });

  it('fails with ERR_ACL_INVALID for a bad ACL and ERR_TREE_URI_INVALID for a bad name or path', () => {
    assert.throws(() => flattenTnds(tree([{ name: 'A', props: { acl: 'Get' }, children: [] }]), '.'),
      (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_ACL_INVALID');
    assert.throws(() => flattenTnds(tree([{ name: '..', props: {}, children: [] }]), '.'),
      (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_TREE_URI_INVALID');
    assert.throws(() => flattenTnds(tree([{ name: 'A', path: '/abs', props: {}, children: [] }]), '.'),
      (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_TREE_URI_INVALID');
  });

  it('fails with ERR_TNDS_INVALID for a Format node with a Value or a leaf with children', () => {
    assert.throws(() => flattenTnds(tree([{ name: 'A', props: { format: 'node' }, value: 'x', children: [] }]), '.'),
      (e: unknown) => e instanceof CodecError && e.code === 'ERR_TNDS_INVALID' && e.position.path === './A');
    assert.throws(() => flattenTnds(tree([{ name: 'A', props: { format: 'int' }, children: [{ name: 'B', props: {}, children: [] }] }]), '.'),
      (e: unknown) => e instanceof CodecError && e.code === 'ERR_TNDS_INVALID');
    assert.equal(flattenTnds(tree([{ name: 'A', props: { format: 'node' }, value: '', children: [] }]), '.')[0]?.interior, true);
  });

  it('keeps opaque bytes of a leaf', () => {
    const t = tndsFromElement(el('MgmtTree', [el('VerDTD', ['1.2']), el('Node', [el('NodeName', ['K']),
      el('RTProperties', [el('Format', [el('bin')])]), el('Value', [new Uint8Array([1, 2])])])]));
    assert.deepEqual(flattenTnds(t, '.')[0]?.value, new Uint8Array([1, 2]));
  });
});
