import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, verifyPassword } from '../../../src/server/registry/password-hash.js';

describe('password-hash', () => {
  it('verifies the right password and refuses others', async () => {
    const h = await hashPassword('correct horse');
    assert.match(h, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.equal(await verifyPassword('correct horse', h), true);
    assert.equal(await verifyPassword('correct horsf', h), false);
  });

  it('salts every hash', async () => {
    assert.notEqual(await hashPassword('same'), await hashPassword('same'));
  });

  it('never matches a malformed hash', async () => {
    for (const bad of ['', 'md5$x', 'scrypt$a$8$1$AAAA$AAAA', 'scrypt$16384$8$1$AAAA$AAAA', 'scrypt$16384$8$1$AAAA']) {
      assert.equal(await verifyPassword('x', bad), false);
    }
  });
});
