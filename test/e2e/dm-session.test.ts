/**
 * The real device agent against the real DM server over loopback HTTP: authenticated sessions in
 * both encodings, queued Get / Replace / Atomic delivered and recorded, and a Package 0 over UDP
 * that wakes a listening device.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceAgent } from '../../src/client/agent/device-agent.js';
import { treeAccountSource } from '../../src/client/agent/tree-accounts.js';
import { createStandardTree, type DeviceProfile } from '../../src/client/mo/standard-tree.js';
import { HttpTransport } from '../../src/client/transport/http-transport.js';
import { deviceId, type JobRecord } from '../../src/server/store/store.js';
import { addDevice, startTestServer, type TestServer } from '../helpers/test-server.js';

function deviceProfile(id: string, dmUrl: string, o: { authPref: 'DIGEST' | 'HMAC'; encoding: 'xml' | 'wbxml' }): DeviceProfile {
  return {
    devId: id, man: 'Acme', mod: 'AX200', dmV: '1.2', lang: 'en-US', fwV: '4.2', swV: '4.2', hwV: '1', oem: 'Acme', devTyp: 'phone',
    accounts: [{
      serverId: 'omadm', addr: dmUrl, layout: '1.2', authPref: o.authPref, encoding: o.encoding,
      clientName: id, clientSecret: 'device-secret', serverSecret: 'server-secret',
    }],
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('device agent ↔ DM server', () => {
  let ts: TestServer | undefined;
  const transport = new HttpTransport({ timeoutMs: 10_000 });
  afterEach(async () => {
    await ts?.close();
    ts = undefined;
  });

  for (const authPref of ['DIGEST', 'HMAC'] as const) {
    for (const encoding of ['xml', 'wbxml'] as const) {
      it(`delivers queued Get, Replace and Atomic and records statuses and results (${authPref}, ${encoding})`, async () => {
        ts = await startTestServer();
        const id = `IMEI:35000000000${authPref === 'HMAC' ? 1 : 2}${encoding === 'xml' ? 1 : 2}`;
        await addDevice(ts.server, { id, authType: authPref === 'HMAC' ? 'hmac' : 'md5' });
        // Nothing was provisioned as ServerNonce on the device: both sides start from the empty nonce.
        await ts.server.registry.storeServerNonce(deviceId(id), new Uint8Array(0));
        const tree = createStandardTree(deviceProfile(id, ts.dmUrl, { authPref, encoding }));
        const agent = new DeviceAgent({ tree, accounts: treeAccountSource(tree), transport });

        assert.equal((await agent.startSession()).ok, true, 'first session (DevInfo)');
        const q = ts.server.queue;
        const get = await q.enqueue(deviceId(id), { kind: 'Get', uris: ['./DevDetail/FwV'] });
        const rep = await q.enqueue(deviceId(id), { kind: 'Replace', items: [{ uri: './Vendor/MSFT/Registry/HKLM/Acme/Timeout', data: '30', format: 'int' }] });
        const atomic = await q.enqueue(deviceId(id), { kind: 'Atomic', commands: [
          { kind: 'Add', items: [{ uri: './Vendor/MSFT/Registry/HKLM/Acme/A', data: 'a' }] },
          { kind: 'Replace', items: [{ uri: './DevInfo/Mod', data: 'forbidden' }] },
        ] });
        const report = await agent.startSession();
        assert.equal(report.ok, true, JSON.stringify(report));

        const done = async (j: JobRecord): Promise<JobRecord> => (await q.get(j.id)) as JobRecord;
        const g = await done(get);
        assert.equal(g.state, 'done');
        assert.equal(g.status, 200);
        assert.equal(g.results?.[0]?.data, '4.2');
        assert.equal((await done(rep)).status, 404, 'Replace never creates a node');
        const a = await done(atomic);
        assert.equal(a.state, 'failed');
        assert.equal(a.status, 507, 'DevInfo is read-only, so the whole Atomic fails');
        assert.equal(tree.readValue('./Vendor/MSFT/Registry/HKLM/Acme/A'), undefined, 'the Add was rolled back');
        const dev = await ts.server.registry.get(deviceId(id));
        assert.equal(dev?.devInfo?.mod, 'AX200');
      });
    }
  }

  it('wakes a device listening on UDP with a Package 0 and runs the queued job', async () => {
    ts = await startTestServer();
    const id = 'IMEI:350000000000099';
    await addDevice(ts.server, { id });
    await ts.server.registry.storeServerNonce(deviceId(id), new Uint8Array(0));
    const tree = createStandardTree(deviceProfile(id, ts.dmUrl, { authPref: 'DIGEST', encoding: 'xml' }));
    const agent = new DeviceAgent({ tree, accounts: treeAccountSource(tree), transport });
    assert.equal((await agent.startSession()).ok, true, 'first session: the device issues the server nonce Package 0 is signed with');
    const listener = await agent.listen({ udpPort: 0 });
    try {
      await ts.server.registry.update(deviceId(id), { pushAddress: { type: 'udp', host: '127.0.0.1', port: listener.port } });
      const job = await ts.server.queue.enqueue(deviceId(id), { kind: 'Get', uris: ['./DevInfo/Lang'] });
      await ts.server.notifications.wake(deviceId(id), {});
      const done = await waitFor('the woken session', async () => {
        const j = await ts?.server.queue.get(job.id);
        return j?.state === 'done' ? j : undefined;
      });
      assert.equal(done.results?.[0]?.data, 'en-US');
    } finally {
      await listener.close();
    }
  });
});
