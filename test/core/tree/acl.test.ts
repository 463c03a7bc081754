import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProtocolError } from '../../../src/core/errors.js';
import {
  ACL_COMMANDS, DEFAULT_ROOT_ACL, aclAllows, aclFromEntries, effectiveAcl, formatAcl, grantAcl, isValidServerId,
  parseAcl, removeServerFromAcl, type Acl, type AclCommand,
} from '../../../src/core/tree/acl.js';

function invalid(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof ProtocolError && e.code === 'ERR_ACL_INVALID' && e.status === 400);
}

const SPEC_EXAMPLE = 'Add=www.sonera.fi-8765&Delete=www.sonera.fi-8765&Replace=www.sonera.fi-8765+321_ibm.com&Get=*';

describe('parseAcl', () => {
  it('parses the spec example', () => {
    const acl = parseAcl(SPEC_EXAMPLE);
    assert.deepEqual([...acl.keys()], ['Add', 'Delete', 'Replace', 'Get']);
    assert.deepEqual([...(acl.get('Replace') ?? [])], ['www.sonera.fi-8765', '321_ibm.com']);
    assert.deepEqual([...(acl.get('Get') ?? [])], ['*']);
    assert.equal(acl.has('Exec'), false);
  });

  it('gives an empty map for an empty value', () => {
    assert.equal(parseAcl('').size, 0);
    assert.equal(parseAcl('  ').size, 0);
  });

  it('merges a command listed twice', () => {
    assert.deepEqual([...(parseAcl('Get=a&Get=b+a').get('Get') ?? [])], ['a', 'b']);
  });

  it('rejects grammar violations with ERR_ACL_INVALID and status 400', () => {
    for (const bad of ['Get', 'Get=', 'get=*', 'Copy=*', 'Get=*&', '&Get=*', 'Get=a b', 'Get=a++b', 'Get=a=b',
      'Get=a*', 'Get=a\tb', 'Add=*&Get=x\u0001']) {
      invalid(() => parseAcl(bad));
    }
  });
});

describe('formatAcl', () => {
  it('writes entries in canonical order Add, Delete, Exec, Get, Replace', () => {
    assert.equal(formatAcl(parseAcl(SPEC_EXAMPLE)),
      'Add=www.sonera.fi-8765&Delete=www.sonera.fi-8765&Get=*&Replace=www.sonera.fi-8765+321_ibm.com');
    assert.equal(formatAcl(DEFAULT_ROOT_ACL), 'Add=*&Get=*');
    assert.equal(formatAcl(new Map()), '');
  });

  const id = fc.stringMatching(/^[A-Za-z0-9._:\-/@]{1,12}$/);
  const acl: fc.Arbitrary<Acl> = fc.dictionary(
    fc.constantFrom(...ACL_COMMANDS),
    fc.uniqueArray(fc.oneof(id, fc.constant('*')), { minLength: 1, maxLength: 4 }),
  ).map((rec) => aclFromEntries(rec as Partial<Record<AclCommand, string[]>>));

  it('round-trips: parseAcl(formatAcl(x)) equals x (property)', () => {
    fc.assert(fc.property(acl, (a) => {
      assert.deepStrictEqual(parseAcl(formatAcl(a)), a);
    }));
  });

  it('is idempotent on text: formatAcl(parseAcl(t)) is stable (property)', () => {
    fc.assert(fc.property(acl, (a) => {
      const t = formatAcl(a);
      assert.equal(formatAcl(parseAcl(t)), t);
    }));
  });
});

describe('aclAllows', () => {
  const acl = parseAcl(SPEC_EXAMPLE);
  it('grants listed servers and everyone for "*"', () => {
    assert.equal(aclAllows(acl, 'Replace', '321_ibm.com'), true);
    assert.equal(aclAllows(acl, 'Get', 'anyone'), true);
    assert.equal(aclAllows(acl, 'Add', '321_ibm.com'), false);
    assert.equal(aclAllows(acl, 'Exec', 'www.sonera.fi-8765'), false);
  });
});

describe('removeServerFromAcl', () => {
  it('scrubs the server from every entry and drops emptied entries', () => {
    const out = removeServerFromAcl(parseAcl(SPEC_EXAMPLE), 'www.sonera.fi-8765');
    assert.equal(formatAcl(out), 'Get=*&Replace=321_ibm.com');
  });
  it('leaves an ACL empty when it only named that server (caller restores the root)', () => {
    assert.equal(removeServerFromAcl(parseAcl('Add=s1&Get=s1'), 's1').size, 0);
  });
});

describe('grantAcl', () => {
  it('adds the creator to the given commands, keeping canonical order', () => {
    const out = grantAcl(parseAcl('Get=*'), ['Add', 'Delete', 'Replace'], 'srv');
    assert.equal(formatAcl(out), 'Add=srv&Delete=srv&Get=*&Replace=srv');
    assert.deepEqual([...out.keys()], ['Add', 'Delete', 'Get', 'Replace']);
  });
  it('rejects an invalid server id', () => {
    invalid(() => grantAcl(new Map(), ['Add'], 'a b'));
  });
});

describe('effectiveAcl', () => {
  it('takes the nearest value, skipping undefined and empty ACLs', () => {
    const root = parseAcl('Add=*&Get=*');
    const mid = parseAcl('Get=s1');
    assert.equal(effectiveAcl([undefined, new Map(), mid, root]), mid);
    assert.equal(effectiveAcl([undefined, root]), root);
    assert.equal(effectiveAcl([undefined, undefined]), undefined);
  });
});

describe('isValidServerId', () => {
  it('accepts printable ids and refuses reserved characters and whitespace', () => {
    assert.equal(isValidServerId('www.sonera.fi-8765'), true);
    assert.equal(isValidServerId('serveur-é'), true);
    for (const bad of ['', '*', 'a=b', 'a&b', 'a+b', 'a b', 'a\nb']) assert.equal(isValidServerId(bad), false, bad);
  });
});
