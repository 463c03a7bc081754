import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/server/config.js';

describe('resolveConfig', () => {
  it('merges layers over the defaults, nested objects field by field', () => {
    const c = resolveConfig({ port: 9000, auth: { allowBasicWithoutTls: true } }, { port: 9001, session: { idleTimeoutMs: 1000 } });
    assert.equal(c.port, 9001);
    assert.equal(c.auth.allowBasicWithoutTls, true);
    assert.equal(c.auth.defaultClientAuth, DEFAULT_CONFIG.auth.defaultClientAuth);
    assert.equal(c.session.idleTimeoutMs, 1000);
    assert.equal(c.session.maxMsgSize, DEFAULT_CONFIG.session.maxMsgSize);
  });

  it('refuses invalid values with ERR_CONFIG_INVALID', () => {
    assert.throws(() => resolveConfig({ port: 70000 }), { code: 'ERR_CONFIG_INVALID' });
    assert.throws(() => resolveConfig({ nodeId: 'a/b' }), /nodeId/);
    assert.throws(() => resolveConfig({ auth: { unknownDevices: 'auto-register' } }), /bootstrapSecret/);
    assert.throws(() => resolveConfig({ api: { dashboard: 'yes' as unknown as boolean } }), /api.dashboard/);
    assert.equal(resolveConfig({ api: { dashboard: false } }).api.enabled, true);
    assert.throws(() => resolveConfig({ session: { maxMsgSize: 100 } }), /maxMsgSize/);
    assert.throws(() => resolveConfig({ webhooks: [{ url: 'ftp://x' }] }), /webhook/);
  });
});
