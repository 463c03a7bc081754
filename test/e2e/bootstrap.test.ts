/**
 * End to end: the real DM server bootstraps a simulated device that has no DM account. The
 * server (createServer's own BootstrapService, also reached over REST) creates the device's
 * credentials and pushes a signed w7 document over its UDP push transport to the port the device
 * agent listens on; the agent tells it from a Package 0, checks the MAC with the PIN its user
 * types, installs the account and, because of INIT, opens its first session, which both sides
 * authenticate with MD5.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import type { SessionReport } from '../../src/client/agent/device-agent.js';
import { DeviceAgent } from '../../src/client/agent/device-agent.js';
import type { PushListener } from '../../src/client/agent/push-listener.js';
import { readDmAccounts } from '../../src/client/mo/dmacc-accounts.js';
import type { CpPushVerdict } from '../../src/client/provisioning/cp-receiver.js';
import type { UiHandler } from '../../src/client/session/ui-handler.js';
import { ErrorCode } from '../../src/core/errors.js';
import { decodeCpPush, encodeCpPush } from '../../src/core/provisioning/cp-push.js';
import { HttpTransport } from '../../src/client/transport/http-transport.js';
import type { ManagementTree } from '../../src/client/tree/management-tree.js';
import type { BootstrapDto } from '../../src/server/bootstrap/bootstrap-routes.js';
import type { BootstrapService } from '../../src/server/bootstrap/bootstrap-service.js';
import { deviceId } from '../../src/server/store/store.js';
import { bareTree } from '../helpers/cp-device.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SERVER_ID = 'dm.example.com';

/** A simulated handset: tree, agent, a UDP push port, and a user who types `pin`. */
interface Handset {
  readonly devId: string;
  readonly tree: ManagementTree;
  readonly agent: DeviceAgent;
  readonly listener: PushListener;
  /** Resolves with the verdict of the next provisioning push. */
  nextVerdict(): Promise<CpPushVerdict>;
  /** Resolves with the report of the session INIT started. */
  firstSession(): Promise<SessionReport>;
}

async function handset(devId: string, pin: string, transport: HttpTransport): Promise<Handset> {
  const tree = bareTree({ devId });
  const ui: UiHandler = { prompt: (r) => (r.code === 1102 ? { outcome: 'ok', input: pin } : { outcome: 'ok' }) };
  let verdict!: (v: CpPushVerdict) => void;
  let session!: (r: SessionReport) => void;
  const verdicts = new Promise<CpPushVerdict>((resolve) => { verdict = resolve; });
  const sessions = new Promise<SessionReport>((resolve) => { session = resolve; });
  // Provisioning is on by default; the observer only lets the test see the verdict.
  const agent = new DeviceAgent({ tree, transport, ui, provisioning: { onProvisioning: verdict } });
  // The push port carries both Package 0 and provisioning documents; the agent tells them apart.
  const listener = await agent.listen({ udpPort: 0, onSession: session });
  return { devId, tree, agent, listener, nextVerdict: () => verdicts, firstSession: () => sessions };
}

/** Sends one datagram to a handset's push port. */
async function sendUdp(bytes: Uint8Array, port: number): Promise<void> {
  const sock = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => sock.send(bytes, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  } finally {
    sock.close();
  }
}

describe('Client Provisioning bootstrap, server to device', () => {
  let ts: TestServer;
  let bootstrap: BootstrapService;
  const http = new HttpTransport({ timeoutMs: 10_000 });

  before(async () => {
    ts = await startTestServer({ serverId: SERVER_ID });
    bootstrap = ts.server.bootstrap;
  });
  after(async () => {
    http.close();
    await ts.close();
  });

  it('bootstraps a device with no account, which then completes its first authenticated session', async () => {
    const h = await handset('IMEI:490154203237518', '4321', http);
    try {
      assert.deepEqual(readDmAccounts(h.tree), [], 'the device starts without a DM account');
      const r = await bootstrap.bootstrap(deviceId(h.devId), {
        sec: 'USERPIN', pin: '4321', description: 'Enter the PIN from your welcome letter',
        pushAddress: { type: 'udp', host: '127.0.0.1', port: h.listener.port },
        app: { name: 'Example DM', role: 8 },
      });
      assert.equal(r.transport, 'udp');

      const verdict = await h.nextVerdict();
      assert.equal(verdict.accepted, true, verdict.accepted ? '' : verdict.reason);
      const [account] = readDmAccounts(h.tree);
      assert.equal(account?.serverId, SERVER_ID);
      assert.equal(account?.addr, ts.dmUrl);
      assert.equal(account?.client.name, r.username);

      const report = await h.firstSession();
      assert.equal(report.ok, true, report.reason);
      assert.equal(report.end, 'completed');
      assert.equal(report.serverId, SERVER_ID);

      const device = await ts.server.registry.get(deviceId(h.devId));
      assert.equal(device?.devInfo.devId, h.devId, 'the server recorded Package 1 of an authenticated session');
      assert.ok(device?.lastSessionAt !== undefined);
      const events = (await ts.server.events.list({ deviceId: deviceId(h.devId) })).items.map((e) => e.type);
      assert.ok(events.includes('session.end'), events.join(', '));
      assert.ok(!events.includes('auth.failure'), 'the bootstrap credentials were accepted at the first attempt');
      assert.ok(events.includes('bootstrap.sent'), events.join(', '));
      // Both sides moved on to fresh nonces: the ones from the bootstrap were spent.
      const ctx = await ts.server.registry.getAuthContext(deviceId(h.devId));
      const bootNonce = account?.client.nonce;
      assert.ok(bootNonce !== undefined && ctx?.clientNonce !== undefined);
      assert.notDeepEqual([...ctx.clientNonce], [...bootNonce]);
    } finally {
      await h.listener.close();
    }
  });

  it('changes nothing on the device when its user types the wrong PIN', async () => {
    const h = await handset('IMEI:356938035643809', '0000', http);
    try {
      // Over the REST route this time, behind the admin token.
      const res = await fetch(`${ts.url}/api/devices/${encodeURIComponent(h.devId)}/bootstrap`, {
        method: 'POST', headers: { authorization: `Bearer ${ts.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sec: 'USERPIN', pin: '4321', pushAddress: { type: 'udp', host: '127.0.0.1', port: h.listener.port } }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(((await res.json()) as BootstrapDto).serverUrl, ts.dmUrl);
      const verdict = await h.nextVerdict();
      assert.equal(verdict.accepted, false);
      assert.deepEqual(readDmAccounts(h.tree), []);
    } finally {
      await h.listener.close();
    }
  });

  it('changes nothing on the device, and starts no session, when the pushed MAC is bad', async () => {
    const h = await handset('IMEI:352099001761481', '4321', http);
    try {
      const before = JSON.stringify(h.tree.snapshot());
      // The server's document, signed with the PIN the user types, with its MAC altered in transit.
      const r = await bootstrap.bootstrap(deviceId(h.devId), { sec: 'USERPIN', pin: '4321', deliver: false });
      const sent = decodeCpPush(r.push);
      const mac = sent.mac ?? '';
      assert.match(mac, /^[0-9A-Fa-f]{40}$/);
      const badMac = `${mac[0] === '0' ? '1' : '0'}${mac.slice(1)}`;
      await sendUdp(encodeCpPush({ body: sent.body, format: sent.format, sec: 'USERPIN', mac: badMac }), h.listener.port);
      const verdict = await h.nextVerdict();
      assert.equal(verdict.accepted, false);
      assert.equal(verdict.accepted ? '' : verdict.code, ErrorCode.ERR_CP_MAC_INVALID);
      assert.deepEqual(readDmAccounts(h.tree), []);
      assert.equal(JSON.stringify(h.tree.snapshot()), before, 'the tree is exactly as it was');
      const device = await ts.server.registry.get(deviceId(h.devId));
      assert.equal(device?.lastSessionAt, undefined, 'no session reached the server');
    } finally {
      await h.listener.close();
    }
  });
});
