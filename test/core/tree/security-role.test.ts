import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SecurityRole, formatRoleMask, parseRoleMask, roleMaskAllows, roleNames } from '../../../src/core/tree/security-role.js';

describe('SecurityRole', () => {
  it('has the SECROLE values of the reference', () => {
    assert.deepEqual(SecurityRole, {
      NONE: 0, OEM: 2, OPERATOR: 4, MANAGER: 8, USER_AUTH: 16, ENTERPRISE: 32, OPERATOR_TPS: 128, KNOWN_PPG: 256,
    });
  });
});

describe('roleMaskAllows', () => {
  it('allows when a session role is in the node mask', () => {
    assert.equal(roleMaskAllows(SecurityRole.MANAGER | SecurityRole.OPERATOR, SecurityRole.MANAGER), true);
    assert.equal(roleMaskAllows(SecurityRole.OEM, SecurityRole.MANAGER | SecurityRole.ENTERPRISE), false);
    assert.equal(roleMaskAllows(0, 0xffffffff), false);
    assert.equal(roleMaskAllows(0x80000000, 0x80000000), true);
  });
});

describe('parseRoleMask / formatRoleMask', () => {
  it('reads decimal and hex masks and refuses junk', () => {
    assert.equal(parseRoleMask(' 64 '), 64);
    assert.equal(parseRoleMask('0x1FF'), 511);
    assert.equal(parseRoleMask('4294967295'), 0xffffffff);
    for (const bad of ['', '-1', '4294967296', '8.0', 'manager', '0x123456789']) assert.equal(parseRoleMask(bad), undefined, bad);
  });
  it('round-trips any 32-bit mask (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (m) => parseRoleMask(formatRoleMask(m)) === m));
  });
});

describe('roleNames', () => {
  it('names known bits and lists unknown bits as numbers', () => {
    assert.deepEqual(roleNames(8 | 32 | 64), ['MANAGER', 'ENTERPRISE', '64']);
    assert.deepEqual(roleNames(0), []);
  });
});
