/**
 * End to end: interrupted downloads resume. (1) The network drops half way through a device's
 * download: the device reports 503, the campaign retries it (class `network`), and the second
 * download asks the server's /firmware route for the rest with a Range request (206). (2) A device
 * restarts in the middle of a download: its tree (FUMO State 30, the running job) and the bytes
 * received are persisted; the restarted device resumes with Range, installs, and its 1226 reaches
 * the server in a new session.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { DeviceAgent } from '../../src/client/agent/device-agent.js';
import { treeAccountSource } from '../../src/client/agent/tree-accounts.js';
import { FailureProfile } from '../../src/client/fumo/failure-profile.js';
import { FilePartialDownloadStore } from '../../src/client/fumo/partial-download-store.js';
import { SimulatedFirmwareUpdater } from '../../src/client/fumo/simulated-firmware-updater.js';
import { encodeSimulatedFirmware } from '../../src/client/mo/fumo-updater.js';
import { createStandardTree, type DeviceProfile } from '../../src/client/mo/standard-tree.js';
import { HttpTransport } from '../../src/client/transport/http-transport.js';
import { fleetCredentials, FumoFleet } from '../helpers/fumo-fleet.js';
import { type FumoServer, registerFleet, startFumoServer } from '../helpers/fumo-server.js';
import { type FumoRig, startRig, waitForCampaign } from './fumo-harness.js';

const body = new Uint8Array(Buffer.concat([Buffer.from(encodeSimulatedFirmware({ fwV: '2.0', mod: 'SIM-1' })), Buffer.alloc(300_000, 0x20)]));

interface Seen { range?: string; status: number }

function recordingFetch(seen: Seen[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const headers = new Headers(init?.headers);
    if (String(input).includes('/firmware/')) seen.push({ ...(headers.get('range') ? { range: headers.get('range') as string } : {}), status: res.status });
    return res;
  };
}

describe('FUMO download resume end to end', () => {
  let rig: FumoRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('retries a device whose download broke and resumes it with a Range request', async () => {
    const seen: Seen[] = [];
    const id = 'IMEI:352000000000001';
    rig = await startRig({
      count: 1, idOf: () => id, fetch: recordingFetch(seen),
      failures: new FailureProfile({ devices: { [id]: 'network-loss' }, transient: true }),
    });
    const { fumo } = rig.srv;
    const pkg = await fumo.firmware.upload(body, { name: 'Image 2.0', version: '2.0' });
    const c = await fumo.campaigns.create({ name: 'resume', packageId: pkg.id, retry: { network: { maxAttempts: 2, delayMs: 0 } } });
    await fumo.campaigns.start(c.id);
    const s = await waitForCampaign(fumo.campaigns, c.id);
    assert.equal(s.byState.succeeded, 1, JSON.stringify(s));
    const [d] = (await fumo.campaigns.devices(c.id)).items;
    assert.equal(d?.attempt, 2);
    assert.equal(seen[0]?.status, 200);
    const resumed = seen.find((x) => x.range !== undefined);
    assert.equal(resumed?.range, `bytes=${Math.floor(body.byteLength / 2)}-`);
    assert.equal(resumed?.status, 206);
    assert.equal(rig.fleet.fwV(id), '2.0');
  });

  describe('across a device restart', () => {
    let dir: string;
    let srv: FumoServer | undefined;
    let gateway: FumoFleet | undefined;
    afterEach(async () => {
      await srv?.close();
      await gateway?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('resumes the download from the persisted bytes and reports the result in a new session', async () => {
      dir = mkdtempSync(join(tmpdir(), 'omadm-restart-'));
      gateway = new FumoFleet({ count: 0 });
      await gateway.start();
      srv = await startFumoServer({ gatewayUrl: gateway.gatewayUrl });
      const id = 'IMEI:352000000000002';
      await registerFleet(srv.server, [id]);
      const creds = fleetCredentials(id);
      const profile: DeviceProfile = {
        devId: id, man: 'Simulated', mod: 'SIM-1', dmV: '1.2', lang: 'en-US', fwV: '1.0', swV: '1.0', hwV: '1.0', oem: 'Simulated', devTyp: 'phone',
        accounts: [{ serverId: creds.serverId, addr: srv.dmUrl, layout: '1.2', authPref: 'DIGEST', clientName: id, clientSecret: creds.password, serverSecret: creds.serverPassword }],
      };
      const transport = new HttpTransport({ timeoutMs: 10_000 });
      const seen: Seen[] = [];
      // First life: the transfer stalls after 100 000 bytes (they are checkpointed), then the device dies.
      let stalled!: () => void;
      const stall = new Promise<void>((resolve) => { stalled = resolve; });
      const stallingFetch: typeof fetch = async (input, init) => {
        const res = await recordingFetch(seen)(input, init);
        if (!String(input).includes('/firmware/') || res.body === null) return res;
        const reader = res.body.getReader();
        let sent = 0;
        const stream = new ReadableStream<Uint8Array>({
          async pull(ctl) {
            if (sent >= 100_000) {
              stalled();
              return new Promise<void>(() => undefined); // never more bytes
            }
            const { done, value } = await reader.read();
            if (done) return ctl.close();
            const part = value.subarray(0, Math.min(value.byteLength, 100_000 - sent));
            sent += part.byteLength;
            ctl.enqueue(part);
          },
        });
        return new Response(stream, { status: res.status, headers: res.headers });
      };
      const first = createStandardTree(profile, { updater: new SimulatedFirmwareUpdater({ fetch: stallingFetch, partials: new FilePartialDownloadStore(dir) }) });
      const firstAgent = new DeviceAgent({ tree: first, accounts: treeAccountSource(first), transport });
      first.setAlertSink(firstAgent.alerts);
      assert.equal((await firstAgent.startSession()).ok, true);

      const pkg = await srv.fumo.firmware.upload(body, { name: 'Image 2.0', version: '2.0' });
      const c = await srv.fumo.campaigns.create({ name: 'restart', packageId: pkg.id, fumoNode: 'Pkg', selection: { deviceIds: [id] } });
      await srv.fumo.campaigns.start(c.id);
      await srv.fumo.campaigns.whenIdle();
      assert.equal((await firstAgent.startSession()).ok, true, 'the device receives PkgURL and Exec');
      await stall;
      // The fetch has handed over its bytes; wait until the updater has checkpointed them, as a
      // device that dies mid-transfer would have (on a loaded machine the write can lag the stall).
      await waitForCheckpoint(dir, 65_536);
      assert.equal(first.readValue('./FwUpdate/Pkg/State'), '30', 'Download Progressing when the device dies');
      const snapshot = first.snapshot({ blob: firstAgent.alerts.toJSON() });

      // Second life: a new tree from the snapshot, a new updater over the same partial-download directory.
      const second = createStandardTree(profile, {
        snapshot: JSON.parse(JSON.stringify(snapshot)) as typeof snapshot,
        updater: new SimulatedFirmwareUpdater({ fetch: recordingFetch(seen), partials: new FilePartialDownloadStore(dir) }),
      });
      const secondAgent = new DeviceAgent({ tree: second, accounts: treeAccountSource(second), transport });
      second.setAlertSink(secondAgent.alerts);
      second.resume();
      await second.whenIdle();
      const status = await waitForCampaign(srv.fumo.campaigns, c.id, 30_000).catch(async () => {
        // The alert's session may still be running: give it one more explicit session.
        await secondAgent.startSession();
        return waitForCampaign(srv?.fumo.campaigns as never, c.id, 10_000);
      });
      assert.equal(status.byState.succeeded, 1, JSON.stringify(status));
      assert.equal(second.readValue('./DevDetail/FwV'), '2.0');
      const resumed = seen.filter((x) => x.range !== undefined);
      assert.equal(resumed.length, 1);
      assert.match(resumed[0]?.range ?? '', /^bytes=(6553[6-9]|[7-9]\d{4}|100000)-$/);
      assert.equal(resumed[0]?.status, 206);
      transport.close();
    });
  });
});

/** Resolves once the partial-download files in `dir` hold at least `bytes` bytes (10 s at most). */
async function waitForCheckpoint(dir: string, bytes: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const held = readdirSync(dir).filter((f) => f.endsWith('.part')).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    if (held >= bytes) return;
    assert.ok(Date.now() < deadline, `only ${held} bytes checkpointed`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
