import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  NodeProperty, PROPERTY_RULES, checkPropertyCommand, formatTStamp, isValidTitle, nextVerNo, parsePropertyName, parseTStamp,
} from '../../../src/core/tree/properties.js';

describe('PROPERTY_RULES', () => {
  it('allows Replace only on ACL, Name, Title and msft:AccessRole, Get on all', () => {
    const replaceable = Object.entries(PROPERTY_RULES).filter(([, r]) => r.commands.includes('Replace')).map(([n]) => n);
    assert.deepEqual(replaceable.sort(), ['ACL', 'Name', 'Title', 'msft:AccessRole'].sort());
    for (const r of Object.values(PROPERTY_RULES)) assert.ok(r.commands.includes('Get'));
  });
  it('marks ACL, Format, Name and Type mandatory', () => {
    const mandatory = Object.entries(PROPERTY_RULES).filter(([, r]) => r.mandatory).map(([n]) => n);
    assert.deepEqual(mandatory.sort(), ['ACL', 'Format', 'Name', 'Type']);
  });
});

describe('parsePropertyName', () => {
  it('matches standard names exactly and the msft prefix in any case', () => {
    assert.equal(parsePropertyName('ACL'), NodeProperty.ACL);
    assert.equal(parsePropertyName('acl'), undefined);
    assert.equal(parsePropertyName('msft:AccessRole'), NodeProperty.MSFT_ACCESS_ROLE);
    assert.equal(parsePropertyName('MSFT:AccessRole'), NodeProperty.MSFT_ACCESS_ROLE);
    assert.equal(parsePropertyName('msft:accessrole'), undefined);
    assert.equal(parsePropertyName('toString'), undefined);
  });
});

describe('checkPropertyCommand', () => {
  it('answers 406 for an unknown or unsupported property', () => {
    assert.deepEqual(pick(checkPropertyCommand({ property: 'Colour', command: 'Get', interior: false })), [false, 406]);
    const supported = new Set([NodeProperty.ACL, NodeProperty.FORMAT, NodeProperty.NAME, NodeProperty.TYPE]);
    assert.deepEqual(pick(checkPropertyCommand({ property: 'TStamp', command: 'Get', interior: false, supported })), [false, 406]);
  });
  it('answers 406 for Size on an interior node', () => {
    assert.deepEqual(pick(checkPropertyCommand({ property: 'Size', command: 'Get', interior: true })), [false, 406]);
    assert.deepEqual(pick(checkPropertyCommand({ property: 'Size', command: 'Get', interior: false })), [true, 200]);
  });
  it('answers 405 for commands a property does not allow', () => {
    for (const command of ['Add', 'Delete', 'Exec', 'Copy']) {
      assert.deepEqual(pick(checkPropertyCommand({ property: 'ACL', command, interior: false })), [false, 405]);
    }
    for (const property of ['Format', 'Size', 'TStamp', 'Type', 'VerNo']) {
      assert.deepEqual(pick(checkPropertyCommand({ property, command: 'Replace', interior: false })), [false, 405]);
    }
  });
  it('refuses renaming a permanent node but allows a dynamic one', () => {
    assert.deepEqual(pick(checkPropertyCommand({ property: 'Name', command: 'Replace', interior: true, permanent: true })), [false, 405]);
    assert.deepEqual(pick(checkPropertyCommand({ property: 'Name', command: 'Replace', interior: true })), [true, 200]);
  });
  it('allows Get and Replace of msft:AccessRole', () => {
    assert.deepEqual(pick(checkPropertyCommand({ property: 'msft:AccessRole', command: 'Replace', interior: true })), [true, 200]);
  });
});

function pick(r: ReturnType<typeof checkPropertyCommand>): [boolean, number] {
  return r.ok ? [true, 200] : [false, r.status];
}

describe('Title', () => {
  it('is limited to 255 bytes of UTF-8', () => {
    assert.equal(isValidTitle('a'.repeat(255)), true);
    assert.equal(isValidTitle('a'.repeat(256)), false);
    assert.equal(isValidTitle('é'.repeat(128)), false);
  });
});

describe('formatTStamp / parseTStamp', () => {
  it('writes ISO 8601 basic UTC', () => {
    assert.equal(formatTStamp(new Date(Date.UTC(2001, 6, 11, 16, 38, 17))), '20010711T163817Z');
  });
  it('reads basic and extended forms and refuses impossible dates', () => {
    assert.equal(parseTStamp('20010711T163817Z')?.toISOString(), '2001-07-11T16:38:17.000Z');
    assert.equal(parseTStamp('2001-07-11T16:38:17Z')?.toISOString(), '2001-07-11T16:38:17.000Z');
    assert.equal(parseTStamp('20010230T000000Z'), undefined);
    assert.equal(parseTStamp('20010711T163817'), undefined);
    assert.equal(parseTStamp('00500101T000000Z')?.getUTCFullYear(), 50);
  });
  it('round-trips whole seconds (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 253402300799 }), (s) => {
      const d = new Date(s * 1000);
      assert.equal(parseTStamp(formatTStamp(d))?.getTime(), d.getTime());
    }));
  });
});

describe('nextVerNo', () => {
  it('increments and wraps 0xFFFF to 0', () => {
    assert.equal(nextVerNo(0), 1);
    assert.equal(nextVerNo(0xfffe), 0xffff);
    assert.equal(nextVerNo(0xffff), 0);
  });
});
