import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNonce, encodeNonce } from '../../../src/core/auth/nonce.js';
import { computeMd5Digest } from '../../../src/core/auth/md5-digest.js';
import { FumoResult, FumoState } from '../../../src/core/constants/fumo.js';
import { readDmAccounts } from '../../../src/client/mo/dmacc-accounts.js';
import { encodeSimulatedFirmware } from '../../../src/client/mo/fumo-updater.js';
import { DeviceSimulator, describeReport } from '../../../src/client/simulator/device-simulator.js';
import { HttpTransport } from '../../../src/client/transport/http-transport.js';
import { hdrStatus, okStatuses, reply, startFakeDmServer, statusesOf } from '../../helpers/fake-dm-server.js';
import { startPackageServer } from '../fumo/package-server.js';

/** The DM server, as a caller of the tree (what its Add / Exec would run as). */
const SERVER = { serverId: 'omadm', roles: 8 };

const transport = new HttpTransport();
const dirs: string[] = [];
after(() => {
  transport.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('DeviceSimulator', () => {
  it('saves nonces in its state directory and uses them after a restart', async () => {
    const clientNonce = new Uint8Array(16).fill(8);
    let issuedServerNonce = '';
    const server = await startFakeDmServer((req, i) => {
      const msg = req.message;
      const chal = { meta: { type: 'syncml:auth-md5', format: 'b64', nextNonce: encodeNonce(clientNonce) } };
      // The server authenticates with the nonce the device issued last time (empty at first).
      const serverNonce = issuedServerNonce === '' ? new Uint8Array(0) : decodeNonce(issuedServerNonce);
      const cred = { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: computeMd5Digest({ username: 'omadm', password: 'srv', nonce: serverNonce }) };
      if (msg?.header.cred === undefined) return { message: reply(req, { msgId: i + 1, cred, commands: [hdrStatus(req, 407, { chal })] }) };
      return { message: reply(req, { msgId: i + 1, cred, commands: [hdrStatus(req, 212, { chal }), ...okStatuses(req)] }) };
    });
    const stateDir = mkdtempSync(join(tmpdir(), 'omadm-device-'));
    dirs.push(stateDir);
    try {
      const open = () => DeviceSimulator.open({ serverUrl: server.url, transport, stateDir, devId: 'IMEI:356938035643809', password: 'pw', serverPassword: 'srv', sleep: async () => undefined });
      const first = await open();
      const r1 = await first.runSession();
      assert.equal(r1.ok, true, r1.reason);
      assert.match(describeReport(r1), /: ok, 2 messages sent/);
      assert.deepEqual(readdirSync(stateDir), ['IMEI%3A356938035643809.tree.json']);
      const issued = statusesOf(server.requests.at(-1)?.message)[0]?.chal?.meta.nextNonce ?? '';
      assert.notEqual(issued, '');
      issuedServerNonce = issued;

      const second = await open();
      const account = readDmAccounts(second.tree)[0];
      assert.deepEqual(account?.client.nonce, clientNonce, 'client nonce survived the restart');
      assert.equal(encodeNonce(account?.server.nonce ?? new Uint8Array()), issued, 'issued server nonce survived the restart');
      const before = server.requests.length;
      const r2 = await second.runSession();
      assert.equal(r2.ok, true, r2.reason);
      assert.equal(server.requests.length - before, 1, 'credentials sent up front: no challenge round trip');
    } finally {
      await server.close();
    }
  });

  it('keeps an undelivered generic alert in its state and sends it after a restart', async () => {
    let up = false;
    const server = await startFakeDmServer((req, i) => (up ? { message: reply(req, { msgId: i + 1, commands: [hdrStatus(req, 212), ...okStatuses(req)] }) } : { status: 503 }));
    const stateDir = mkdtempSync(join(tmpdir(), 'omadm-device-'));
    dirs.push(stateDir);
    try {
      const open = () => DeviceSimulator.open({ serverUrl: server.url, transport, stateDir, devId: 'IMEI:1', profile: { models: [{ man: 'A', mod: 'B', firmware: ['1'] }], account: { authPref: 'NONE', connRetryFreq: 0 } }, sleep: async () => undefined });
      const first = await open();
      // Queuing starts a delivery session at once; the server is down, so it fails and the alert stays.
      first.agent.alerts.queueGenericAlert({ source: './FwUpdate/p/Update', type: 'org.openmobilealliance.dm.firmwareupdate.update', data: '200' });
      const failed = await first.runSession();
      assert.equal(failed.ok, false);
      assert.equal(first.agent.alerts.size, 1);
      up = true;
      const second = await open();
      const r = await second.runSession();
      assert.equal(r.ok, true, r.reason);
      const alert = server.requests.at(-1)?.message?.body.commands.find((c) => c.kind === 'Alert' && c.data === 1226);
      assert.ok(alert !== undefined, 'the alert queued before the restart was sent');
    } finally {
      await server.close();
    }
  });

  it('starts without a DM account when opened without a server URL', async () => {
    const sim = await DeviceSimulator.open({ transport, devId: 'IMEI:3' });
    assert.deepEqual(readDmAccounts(sim.tree), []);
  });

  it('updates firmware with the simulated updater by default: partial bytes in <stateDir>/partials, failures from the profile', async () => {
    const pkg = encodeSimulatedFirmware({ fwV: '2.0' });
    const files = await startPackageServer(pkg);
    const stateDir = mkdtempSync(join(tmpdir(), 'omadm-device-'));
    dirs.push(stateDir);
    const profile = { models: [{ man: 'A', mod: 'B', firmware: ['1.0'] }], failureProfile: { devices: { 'IMEI:5': 'wrong-device' as const } } };
    const exec = async (sim: DeviceSimulator, op: string): Promise<string | undefined> => {
      sim.tree.add({ uri: `./FwUpdate/p/${op}/PkgURL`, data: `${files.url}/pkg.bin` }, SERVER);
      assert.equal((await sim.tree.exec({ uri: `./FwUpdate/p/${op}` }, SERVER)).status, 202);
      await sim.tree.whenIdle();
      return sim.tree.readValue('./FwUpdate/p/State');
    };
    try {
      // Every transfer breaks after 10 bytes: the download fails (State 20) and its bytes are kept on disk.
      files.cutAfter(10, 100);
      const broken = await DeviceSimulator.open({ transport, stateDir, devId: 'IMEI:4', profile });
      assert.equal(await exec(broken, 'Download'), String(FumoState.DOWNLOAD_FAILED));
      assert.ok(readdirSync(join(stateDir, 'partials')).some((f) => f.endsWith('.part')), 'the partial download is in <stateDir>/partials');
      files.cutAfter(0, 0);
      // The profile's failureProfile makes IMEI:5 refuse the package at install (403, State 70).
      const failing = await DeviceSimulator.open({ transport, devId: 'IMEI:5', profile });
      assert.equal(await exec(failing, 'DownloadAndUpdate'), String(FumoState.UPDATE_FAILED_HAVE_DATA));
      assert.equal(failing.agent.alerts.pending()[0]?.items[0]?.data, String(FumoResult.DEVICE_MISMATCH));
      const fine = await DeviceSimulator.open({ transport, devId: 'IMEI:6', profile });
      await exec(fine, 'DownloadAndUpdate');
      assert.equal(fine.tree.readValue('./DevDetail/FwV'), '2.0');
    } finally {
      await files.close();
    }
  });
});
