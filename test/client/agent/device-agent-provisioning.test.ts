/**
 * DeviceAgent's push port also takes Client Provisioning bootstrap documents (reference §1.12):
 * they are told from Package 0, installed on the tree, and INIT starts the first session.
 * (Split from device-agent.test.ts, which covers sessions and Package 0.)
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceAgent } from '../../../src/client/agent/device-agent.js';
import { memoryAccountSource } from '../../../src/client/agent/agent-account.js';
import { readDmAccounts } from '../../../src/client/mo/dmacc-accounts.js';
import { HttpTransport } from '../../../src/client/transport/http-transport.js';
import type { ManagementTree } from '../../../src/client/tree/management-tree.js';
import type { AlertCommand } from '../../../src/core/syncml/message.js';
import { ErrorCode } from '../../../src/core/errors.js';
import { encodeWapPush } from '../../../src/core/notification/wap-push.js';
import { decodeCpPush, encodeCpPush, WM_CFGMGR_APP_ID } from '../../../src/core/provisioning/cp-push.js';
import { bareTree, bootstrapPushFor, sampleW7ServerCred } from '../../helpers/cp-device.js';
import { hdrStatus, okStatuses, reply, startFakeDmServer, type FakeDmServer } from '../../helpers/fake-dm-server.js';
import { DEVINFO, MemoryTree } from '../../helpers/memory-tree.js';

const transport = new HttpTransport({ timeoutMs: 5000 });
after(() => transport.close());

const PIN = '2468';
const user = { prompt: () => ({ outcome: 'ok' as const, input: PIN }) };

/** The server of the bootstrapped account: accepts the client (212) and proves itself with MD5. */
function okServer(): Promise<FakeDmServer> {
  const cred = sampleW7ServerCred();
  return startFakeDmServer((req, i) => ({ message: reply(req, { msgId: i + 1, cred, commands: [hdrStatus(req, 212), ...okStatuses(req)] }) }));
}

const bootstrapPush = (url: string, init: boolean): Uint8Array => bootstrapPushFor(url, { init, pin: PIN });

function agentOn(tree: ManagementTree, over: Partial<ConstructorParameters<typeof DeviceAgent>[0]> = {}): DeviceAgent {
  return new DeviceAgent({ tree, transport, ui: user, ...over });
}

describe('DeviceAgent provisioning pushes', () => {
  it('installs a bootstrap document on its tree and opens the session INIT asks for, with the new server', async () => {
    const server = await okServer();
    try {
      const tree = bareTree();
      const v = await agentOn(tree).handlePush(bootstrapPush(server.url, true));
      assert.equal(v.via, 'provisioning');
      assert.equal(v.accepted, true, v.accepted ? '' : v.reason);
      assert.deepEqual(readDmAccounts(tree).map((a) => a.serverId), ['dm.example.com']);
      assert.equal(v.report?.ok, true, v.report?.reason);
      assert.equal(v.report?.serverId, 'dm.example.com');
      const alert = server.requests[0]?.message?.body.commands.find((c): c is AlertCommand => c.kind === 'Alert');
      assert.equal(alert?.data, 1201, 'a client-initiated session');
    } finally {
      await server.close();
    }
  });

  it('refuses a document whose MAC is bad and leaves the tree exactly as it was', async () => {
    const server = await okServer();
    try {
      const tree = bareTree();
      const before = JSON.stringify(tree.snapshot());
      const sent = decodeCpPush(bootstrapPush(server.url, true));
      const mac = sent.mac ?? '';
      const tampered = encodeCpPush({ body: sent.body, format: sent.format, sec: 'USERPIN', mac: `${mac[0] === '0' ? '1' : '0'}${mac.slice(1)}` });
      const seen: string[] = [];
      const v = await agentOn(tree, { provisioning: { onProvisioning: (x) => seen.push(x.accepted ? 'ok' : x.code) } }).handlePush(tampered);
      assert.equal(v.via, 'provisioning');
      assert.equal(v.accepted ? '' : v.code, ErrorCode.ERR_CP_MAC_INVALID);
      assert.deepEqual(seen, [ErrorCode.ERR_CP_MAC_INVALID]);
      assert.equal(JSON.stringify(tree.snapshot()), before);
      assert.equal(server.requests.length, 0, 'no session was started');
    } finally {
      await server.close();
    }
  });

  it('treats a provisioning push like any other non-Package 0 push when provisioning is off', async () => {
    const tree = bareTree();
    const v = await agentOn(tree, { provisioning: false }).handlePush(bootstrapPush('http://127.0.0.1:9/dm', true));
    assert.equal(v.via, 'package0');
    assert.match(v.accepted ? '' : v.reason, /not a DM notification/);
    assert.deepEqual(readDmAccounts(tree), []);
  });

  it('sends a push for the Windows Mobile configuration manager to the provisioning receiver, whatever its content type', async () => {
    const pushed = encodeWapPush({ contentType: 0x44, applicationId: WM_CFGMGR_APP_ID, body: new Uint8Array(30) });
    const v = await agentOn(bareTree()).handlePush(pushed);
    assert.equal(v.via, 'provisioning');
    assert.equal(v.accepted, false);
  });

  it('refuses provisioning options when its tree cannot hold accounts', () => {
    const tree = new MemoryTree({ leaves: DEVINFO });
    assert.throws(() => new DeviceAgent({ tree, accounts: memoryAccountSource([]), transport, provisioning: {} }), /needs a ManagementTree/);
    // Without the option a MemoryTree agent simply has no provisioning.
    assert.doesNotThrow(() => new DeviceAgent({ tree, accounts: memoryAccountSource([]), transport }));
  });

  it('skips check-ins while it has no account, and checks in once a bootstrap without INIT gave it one', async () => {
    const server = await okServer();
    const warnings: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: (m: string) => void warnings.push(m) };
    const tree = bareTree();
    const a = agentOn(tree, { logger });
    let checkedIn!: (serverId: string) => void;
    const session = new Promise<string>((resolve) => { checkedIn = resolve; });
    const listener = await a.listen({ httpPort: 0, checkInIntervalMs: 10, onSession: (r) => checkedIn(r.serverId) });
    try {
      await new Promise((resolve) => setTimeout(resolve, 60));
      assert.equal(server.requests.length, 0);
      assert.deepEqual(warnings, [], 'a device waiting for its bootstrap is not an error');
      const res = await fetch(`http://127.0.0.1:${listener.port}/`, { method: 'POST', body: bootstrapPush(server.url, false) });
      assert.equal(res.status, 202);
      assert.equal(await session, 'dm.example.com');
    } finally {
      await listener.close();
      await server.close();
    }
  });
});
