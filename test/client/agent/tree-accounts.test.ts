import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeNonce, encodeNonce } from '../../../src/core/auth/nonce.js';
import { createStandardTree } from '../../../src/client/mo/standard-tree.js';
import { readDmAccounts } from '../../../src/client/mo/dmacc-accounts.js';
import { toAgentAccount, treeAccountSource } from '../../../src/client/agent/tree-accounts.js';
import { PendingAlertQueue } from '../../../src/client/agent/pending-alerts.js';
import type { DmAccountProfile } from '../../../src/client/mo/dmacc-accounts.js';

const device = (account: Partial<DmAccountProfile>) => createStandardTree({
  devId: 'IMEI:1', man: 'A', mod: 'B', dmV: '1.2', lang: 'en', fwV: '1', swV: '1', hwV: '1', oem: 'A', devTyp: 'phone',
  accounts: [{ serverId: 'srv', addr: 'https://dm.example/dm', clientName: 'dev', clientSecret: 'pw', serverSecret: 'spw', ...account }],
});

describe('treeAccountSource', () => {
  it('maps a DM 1.2 account: MD5 both ways, retry knobs, encoding, version', () => {
    const tree = device({ authPref: 'DIGEST', encoding: 'wbxml', protoVer: '1.1', retry: { connRetryFreq: 6, initialBackOffMs: 30000, maxBackOffMs: 120000 }, backCompatRetryDisabled: true });
    const [a] = treeAccountSource(tree).list();
    assert.equal(a?.serverUrl, 'https://dm.example/dm');
    assert.equal(a?.clientAuth, 'md5');
    assert.equal(a?.serverAuth, 'md5');
    assert.deepEqual(a?.clientCredentials, { username: 'dev', password: 'pw' });
    assert.deepEqual(a?.serverCredentials, { username: 'srv', password: 'spw' });
    assert.deepEqual(a?.retry, { retries: 6, initialBackOffMs: 30000, maxBackOffMs: 120000 });
    assert.equal(a?.encoding, 'wbxml');
    assert.equal(a?.protoVer, '1.1');
    assert.equal(a?.backCompatRetryDisabled, true);
  });

  it('maps a DM 1.1.2 account and BASIC / NONE preferences', () => {
    assert.equal(treeAccountSource(device({ layout: '1.1', authPref: 'BASIC' })).list()[0]?.clientAuth, 'basic');
    const none = toAgentAccount(readDmAccounts(device({ authPref: 'NONE' }))[0]!);
    assert.equal(none.clientAuth, 'none');
    assert.equal(none.serverAuth, 'none');
  });

  it('stores nonces back into the tree for both layouts', () => {
    for (const layout of ['1.1', '1.2'] as const) {
      const tree = device({ layout });
      const src = treeAccountSource(tree);
      const n1 = encodeNonce(new Uint8Array(16).fill(1));
      const n2 = encodeNonce(new Uint8Array(16).fill(2));
      src.updateNonce('srv', 'client', n1);
      src.updateNonce('srv', 'server', n2);
      const [a] = src.list();
      assert.equal(a?.clientCredentials?.nonce, n1, layout);
      assert.equal(a?.serverCredentials?.nonce, n2, layout);
      assert.deepEqual(readDmAccounts(tree)[0]?.client.nonce, decodeNonce(n1));
    }
  });
});

describe('PendingAlertQueue', () => {
  const alert = { source: './FwUpdate/p/Update', type: 'org.openmobilealliance.dm.firmwareupdate.update', data: '200', correlator: 'c1' };

  it('turns generic alerts into 1226 Package 1 content and survives a round trip through its stored form', () => {
    const changes: unknown[] = [];
    const q = new PendingAlertQueue({ onChange: () => changes.push(1) });
    q.queueGenericAlert(alert);
    q.queueGenericAlert({ ...alert, correlator: 'c2', mark: 'critical' });
    const [first, second] = q.pending();
    assert.equal(first?.code, 1226);
    assert.equal(first?.correlator, 'c1');
    assert.deepEqual(first?.items[0], { source: { locUri: './FwUpdate/p/Update' }, meta: { type: alert.type, format: 'chr' }, data: '200' });
    assert.equal(second?.items[0]?.meta?.mark, 'critical');
    const restored = new PendingAlertQueue({ initial: JSON.parse(JSON.stringify(q.toJSON())) });
    assert.deepEqual(restored.pending(), q.pending());
    restored.queueGenericAlert(alert);
    assert.equal(new Set(restored.pending().map((p) => p.id)).size, 3, 'ids stay unique after a restore');
    q.remove([first?.id ?? '']);
    assert.equal(q.size, 1);
    assert.equal(changes.length, 3);
  });

  it('ignores a damaged stored queue instead of failing', () => {
    assert.equal(new PendingAlertQueue({ initial: 'garbage' }).size, 0);
    assert.equal(new PendingAlertQueue({ initial: [{ id: 1 }, null, { id: 'ga-1', alert }] }).size, 1);
  });

  it('asks for a delivery session on each alert and never lets that request throw', () => {
    let asked = 0;
    const q = new PendingAlertQueue({ onQueued: () => { asked++; throw new Error('boom'); } });
    q.queueGenericAlert(alert);
    assert.equal(asked, 1);
    assert.equal(q.size, 1);
  });
});
