import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProtocolError } from '../../../src/core/errors.js';
import {
  ROOT_URI, escapeSegment, isAncestor, joinUri, nodeName, normalizeUri, parentUri, parseNodeUri, toNodeUri,
  unescapeSegment, uriSegments, type NodeUri,
} from '../../../src/core/tree/uri.js';

function rejects(status: number, fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof ProtocolError && e.status === status && e.code === 'ERR_TREE_URI_INVALID');
}

describe('parseNodeUri', () => {
  it('parses an absolute URI into unescaped segments', () => {
    const p = parseNodeUri('./DevInfo/DevId');
    assert.deepEqual(p.segments, ['DevInfo', 'DevId']);
    assert.equal(p.uri, './DevInfo/DevId');
    assert.equal(p.query, undefined);
  });

  it('resolves a relative URI against the root', () => {
    assert.equal(parseNodeUri('SyncML/DMAcc/xyzInc').uri, './SyncML/DMAcc/xyzInc');
  });

  it('treats "." and "./" as the root', () => {
    assert.deepEqual(parseNodeUri('.').segments, []);
    assert.equal(parseNodeUri('.').uri, ROOT_URI);
    assert.equal(parseNodeUri('./').uri, ROOT_URI);
  });

  it('strips one trailing slash and surrounding whitespace', () => {
    assert.equal(parseNodeUri('./A/B/').uri, './A/B');
    assert.equal(parseNodeUri('\n   ./SyncML/DMAcc  \n').uri, './SyncML/DMAcc');
  });

  it('rejects a leading slash, empty segments, "." and ".." inside with 400', () => {
    for (const bad of ['/OperatorX', '', './A//B', './A/../B', './A/./B', '../A', 'A/..', './A//', './/']) {
      rejects(400, () => parseNodeUri(bad));
    }
  });

  it('rejects escaped "/" and escaped dot segments', () => {
    rejects(400, () => parseNodeUri('./A%2FB'));
    rejects(400, () => parseNodeUri('./A/%2E%2E/B'));
  });

  it('rejects a bare "*" segment unless wildcards are allowed', () => {
    rejects(400, () => parseNodeUri('./A/*/B'));
    rejects(400, () => parseNodeUri('./A/%2A'));
    const p = parseNodeUri('./A/*/B', { allowWildcard: true });
    assert.deepEqual(p.segments, ['A', '*', 'B']);
    assert.equal(p.uri, './A/*/B');
  });

  it('decodes percent escapes as UTF-8 and re-escapes canonically', () => {
    const p = parseNodeUri('./Vendor/caf%C3%A9/My%20Node');
    assert.deepEqual(p.segments, ['Vendor', 'café', 'My Node']);
    assert.equal(p.uri, './Vendor/caf%C3%A9/My%20Node');
    assert.equal(parseNodeUri('./Vendor/café').uri, './Vendor/caf%C3%A9');
    assert.equal(parseNodeUri('./Vendor/{GUID}').uri, './Vendor/%7BGUID%7D');
  });

  it('rejects malformed escapes and invalid UTF-8 with 400', () => {
    for (const bad of ['./A%4', './A%G1', './A%', './A%C3', './A%FF%FE']) rejects(400, () => parseNodeUri(bad));
  });

  it('answers 414 when MaxDepth, MaxTotLen or MaxSegLen is exceeded', () => {
    rejects(414, () => parseNodeUri('./A/B/C', { maxDepth: 2 }));
    assert.equal(parseNodeUri('./A/B', { maxDepth: 2 }).uri, './A/B');
    rejects(414, () => parseNodeUri('./AB/CD', { maxTotLen: 6 }));
    assert.equal(parseNodeUri('./AB/CD', { maxTotLen: 7 }).uri, './AB/CD');
    rejects(414, () => parseNodeUri('./ABCD', { maxSegLen: 3 }));
    rejects(414, () => parseNodeUri('./A%20B', { maxSegLen: 4 }));
    assert.equal(parseNodeUri('./A/B/C/D/E', { maxDepth: 0, maxTotLen: 0, maxSegLen: 0 }).segments.length, 5);
  });

  it('parses ?prop= and decodes msft%3AAccessRole', () => {
    assert.deepEqual(parseNodeUri('./DMAcc/xyzInc?prop=ACL').query, { prop: 'ACL' });
    const p = parseNodeUri('./Vendor/MSFT/Registry?prop=msft%3AAccessRole');
    assert.deepEqual(p.query, { prop: 'msft:AccessRole' });
    assert.equal(p.uri, './Vendor/MSFT/Registry');
  });

  it('parses ?list= kinds and TNDS property selections', () => {
    assert.deepEqual(parseNodeUri('./A?list=Struct').query, { list: 'Struct' });
    assert.deepEqual(parseNodeUri('./A?list=StructData').query, { list: 'StructData' });
    assert.deepEqual(parseNodeUri('./A?list=TNDS').query, { list: 'TNDS' });
    assert.deepEqual(parseNodeUri('./A?list=TNDS+ACL+Format+Value').query, {
      list: 'TNDS', listProps: { include: ['ACL', 'Format', 'Value'] },
    });
    assert.deepEqual(parseNodeUri('./A?list=TNDS-Value-ACL').query, { list: 'TNDS', listProps: { exclude: ['Value', 'ACL'] } });
    assert.deepEqual(parseNodeUri('./A?list=TNDS%2BType').query, { list: 'TNDS', listProps: { include: ['Type'] } });
  });

  it('answers 406 for unsupported queries and 400 for malformed ones', () => {
    rejects(406, () => parseNodeUri('./A?list=Tree'));
    rejects(406, () => parseNodeUri('./A?list=TNDS+Colour'));
    rejects(406, () => parseNodeUri('./A?list=Struct+ACL'));
    rejects(406, () => parseNodeUri('./A?foo=bar'));
    rejects(400, () => parseNodeUri('./A?'));
    rejects(400, () => parseNodeUri('./A?prop='));
    rejects(400, () => parseNodeUri('./A?list='));
    rejects(400, () => parseNodeUri('./A?list=TNDS++ACL'));
    rejects(400, () => parseNodeUri('./A?prop=ACL&list=TNDS'));
  });
});

describe('escapeSegment / unescapeSegment', () => {
  it('escapes everything but RFC 3986 unreserved characters, UTF-8 byte by byte', () => {
    assert.equal(escapeSegment('Az09-_.~'), 'Az09-_.~');
    assert.equal(escapeSegment('a b/c?d%e'), 'a%20b%2Fc%3Fd%25e');
    assert.equal(escapeSegment('msft:AccessRole'), 'msft%3AAccessRole');
    assert.equal(escapeSegment('é€😀'), '%C3%A9%E2%82%AC%F0%9F%98%80');
  });

  it('accepts lower-case hex and literal non-ASCII characters', () => {
    assert.equal(unescapeSegment('%c3%a9'), 'é');
    assert.equal(unescapeSegment('é%20x'), 'é x');
  });

  it('round-trips any string (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => unescapeSegment(escapeSegment(s)) === s));
  });
});

describe('toNodeUri / uriSegments', () => {
  const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
    .filter((s) => !s.includes('/') && s !== '.' && s !== '..' && s !== '*');

  it('round-trips segment lists through the canonical form and the parser (property)', () => {
    fc.assert(fc.property(fc.array(name, { maxLength: 6 }), (segs) => {
      const uri = toNodeUri(segs);
      assert.deepEqual(uriSegments(uri), segs);
      assert.equal(parseNodeUri(uri).uri, uri);
      assert.deepEqual(parseNodeUri(uri).segments, segs);
    }));
  });

  it('rejects an invalid node name', () => {
    rejects(400, () => toNodeUri(['A', '']));
    rejects(400, () => toNodeUri(['a/b']));
  });
});

describe('joinUri / parentUri / nodeName / isAncestor / normalizeUri', () => {
  const a = normalizeUri('A');
  const ab = normalizeUri('./A/B');

  it('joins a child name onto a parent, escaping it', () => {
    assert.equal(joinUri(ROOT_URI, 'A'), './A');
    assert.equal(joinUri(a, 'B'), ab);
    assert.equal(joinUri(a, 'x y'), './A/x%20y');
    rejects(400, () => joinUri(a, '..'));
  });

  it('finds the parent, and none for the root', () => {
    assert.equal(parentUri(ab), a);
    assert.equal(parentUri(a), ROOT_URI);
    assert.equal(parentUri(ROOT_URI), undefined);
  });

  it('gives the unescaped last name', () => {
    assert.equal(nodeName(normalizeUri('./A/x%20y')), 'x y');
    assert.equal(nodeName(ROOT_URI), '.');
  });

  it('tells proper ancestors, not prefixes', () => {
    assert.equal(isAncestor(ROOT_URI, a), true);
    assert.equal(isAncestor(a, ab), true);
    assert.equal(isAncestor(a, a), false);
    assert.equal(isAncestor(a, normalizeUri('./AB')), false);
    assert.equal(isAncestor(ab, a), false);
  });

  it('refuses a query in normalizeUri', () => {
    rejects(400, () => normalizeUri('./A?prop=ACL'));
    const u: NodeUri = normalizeUri('A/B');
    assert.equal(u, './A/B');
  });
});
