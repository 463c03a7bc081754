import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { computeMd5Digest, md5Secret, verifyMd5Digest } from '../../../src/core/auth/md5-digest.js';
import { encodeNonce } from '../../../src/core/auth/nonce.js';
import { AlertCode } from '../../../src/core/constants/alert.js';
import { encodeNotification, sessionIdToHex } from '../../../src/core/notification/package0.js';
import { FumoResult, FumoState } from '../../../src/core/constants/fumo.js';
import type { Command, StatusCommand } from '../../../src/core/syncml/message.js';
import { encodeSimulatedFirmware } from '../../../src/client/mo/fumo-updater.js';
import { defaultFleetProfile, deviceProfileFor, type FleetProfile } from '../../../src/client/simulator/fleet-profile.js';
import { FleetSimulator } from '../../../src/client/simulator/fleet-simulator.js';
import { formatSummary, percentile, summarize } from '../../../src/client/simulator/fleet-summary.js';
import { HttpTransport } from '../../../src/client/transport/http-transport.js';
import type { SessionReport } from '../../../src/client/agent/device-agent.js';
import { hdrStatus, okStatuses, reply, startFakeDmServer, statusesOf, type FakeReply, type ReceivedRequest } from '../../helpers/fake-dm-server.js';
import { startPackageServer } from '../fumo/package-server.js';

const transport = new HttpTransport();
after(() => transport.close());
const noWait = async (): Promise<void> => undefined;

/**
 * A DM server that knows the fleet's passwords: it challenges each device (407 + MD5 nonce),
 * authenticates itself with MD5 using the account's server secret, then reads DevDetail/FwV.
 */
function md5Server(profile: FleetProfile, count: number, url: () => string): (req: ReceivedRequest) => FakeReply {
  const byId = new Map<string, number>();
  for (let n = 0; n < count; n++) byId.set(deviceProfileFor(profile, n, url()).devId, n);
  const nonce = new Uint8Array(16).fill(5);
  return (req) => {
    const msg = req.message;
    if (msg === undefined) return { status: 400 };
    const n = byId.get(msg.header.source.locUri);
    if (n === undefined) return { status: 403 };
    const acc = deviceProfileFor(profile, n, url()).accounts[0];
    const serverCred = { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: computeMd5Digest({ username: acc?.serverId ?? '', password: acc?.serverSecret ?? '', nonce: new Uint8Array(0) }) };
    const chal = { meta: { type: 'syncml:auth-md5', format: 'b64', nextNonce: encodeNonce(nonce) } };
    const cred = msg.header.cred;
    const authed = cred !== undefined && verifyMd5Digest({ digest: cred.data, secret: md5Secret(acc?.clientName ?? '', acc?.clientSecret ?? ''), nonce });
    const isPackage1 = msg.body.commands.some((c) => c.kind === 'Alert' && c.data === 1201);
    if (!authed && isPackage1) return { message: reply(req, { msgId: msg.header.msgId, cred: serverCred, commands: [hdrStatus(req, 407, { chal })] }) };
    const get: Command = { kind: 'Get', cmdId: 9, items: [{ target: { locUri: './DevDetail/FwV' } }] };
    return { message: reply(req, { msgId: msg.header.msgId, commands: [hdrStatus(req, isPackage1 ? 212 : 200), ...okStatuses(req), ...(isPackage1 ? [get] : [])] }) };
  };
}

describe('FleetSimulator', () => {
  it('runs one MD5-authenticated session per device with distinct devices, sharing a few templates', async () => {
    const profile = defaultFleetProfile();
    let url = '';
    const server = await startFakeDmServer(md5Server(profile, 24, () => url));
    url = server.url;
    try {
      const sim = new FleetSimulator({ serverUrl: url, count: 24, concurrency: 6, profile, transport, sleep: noWait });
      const seen: number[] = [];
      const summary = await sim.runRound({ onProgress: (p) => seen.push(p.done) });
      assert.equal(summary.failed, 0, JSON.stringify(summary.failures));
      assert.equal(summary.ok, 24);
      assert.deepEqual(seen, Array.from({ length: 24 }, (_, i) => i + 1));
      assert.ok(summary.p99Ms >= summary.p50Ms);
      const devices = new Set(server.requests.map((r) => r.message?.header.source.locUri));
      assert.equal(devices.size, 24);
      // Server authenticated: each device answered the server's SyncHdr with 212 and a fresh nonce.
      const second = server.requests.filter((r) => r.message?.header.msgId === 2);
      assert.ok(second.every((r) => statusesOf(r.message)[0]?.data === 212 && (statusesOf(r.message)[0] as StatusCommand).chal !== undefined));
      // Get FwV answered from each device's own firmware version.
      const fw = server.requests.filter((r) => r.message?.header.msgId === 3).map((r) => r.message?.body.commands.find((c) => c.kind === 'Results'));
      assert.equal(fw.length, 24);
      assert.ok(sim.templates <= 9, `templates: ${sim.templates}`);
    } finally {
      await server.close();
    }
  });

  it('counts failures by cause and keeps going', async () => {
    const server = await startFakeDmServer(() => ({ status: 503 }));
    try {
      const profile: FleetProfile = { ...defaultFleetProfile(), account: { authPref: 'NONE', connRetryFreq: 1 } };
      const sim = new FleetSimulator({ serverUrl: server.url, count: 5, concurrency: 2, profile, transport, sleep: noWait });
      const summary = await sim.runRound();
      assert.equal(summary.failed, 5);
      assert.equal(summary.failures.length, 1);
      assert.equal(summary.failures[0]?.count, 5);
      assert.match(summary.failures[0]?.reason ?? '', /HTTP 503 \(gave up after 2 attempts\)/);
      assert.equal(server.requests.length, 10);
    } finally {
      await server.close();
    }
  });

  it('checks the whole fleet in periodically with one timer and stops cleanly', async () => {
    const server = await startFakeDmServer((req) => ({ message: reply(req, { msgId: 1, commands: [hdrStatus(req, 212), ...okStatuses(req)] }) }));
    try {
      const profile: FleetProfile = { ...defaultFleetProfile(), account: { authPref: 'NONE' } };
      const sim = new FleetSimulator({ serverUrl: server.url, count: 3, profile, transport, sleep: noWait });
      const rounds: number[] = [];
      let twice!: () => void;
      const done = new Promise<void>((resolve) => { twice = resolve; });
      const stop = sim.startCheckIns({ intervalMs: 5, onRound: (s) => { rounds.push(s.ok); if (rounds.length === 2) twice(); } });
      await done;
      await stop();
      const after = server.requests.length;
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(server.requests.length, after, 'no sessions after stop');
      assert.deepEqual(rounds.slice(0, 2), [3, 3]);
    } finally {
      await server.close();
    }
  });

  it('updates firmware through one shared simulated updater that fails exactly the devices of the profile\'s failureProfile, and delivers the results after settling', async () => {
    const files = await startPackageServer(encodeSimulatedFirmware({ fwV: '9.0' }));
    const results = new Map<string, unknown>();
    const server = await startFakeDmServer((req) => {
      const alert = req.message?.body.commands.find((c) => c.kind === 'Alert' && c.data === 1226);
      if (alert?.kind === 'Alert') results.set(req.message?.header.source.locUri ?? '', alert.items[0]?.data);
      return { message: reply(req, { msgId: req.message?.header.msgId ?? 1, commands: [hdrStatus(req, 212), ...okStatuses(req)] }) };
    });
    try {
      const base: FleetProfile = { models: [{ man: 'A', mod: 'B', firmware: ['1.0'] }], account: { authPref: 'NONE' } };
      const ids = [0, 1, 2].map((n) => deviceProfileFor(base, n, server.url).devId);
      const profile: FleetProfile = { ...base, failureProfile: { devices: { [ids[1] ?? '']: 'update-failed' } } };
      const fleet = new FleetSimulator({ serverUrl: server.url, count: 3, profile, transport });
      const caller = { serverId: 'omadm', roles: 8 };
      // What the server's Exec does in a session; the jobs run on in the background.
      for (let n = 0; n < 3; n++) {
        const tree = fleet.device(n);
        tree.add({ uri: './FwUpdate/p/DownloadAndUpdate/PkgURL', data: `${files.url}/pkg.bin` }, caller);
        assert.equal((await tree.exec({ uri: './FwUpdate/p/DownloadAndUpdate' }, caller)).status, 202);
      }
      assert.deepEqual(await fleet.settle(), [0, 1, 2], 'every device holds its result once its job is done');
      const states = [0, 1, 2].map((n) => fleet.device(n).readValue('./FwUpdate/p/State'));
      assert.deepEqual(states, [String(FumoState.UPDATE_SUCCESSFUL_NO_DATA), String(FumoState.UPDATE_FAILED_HAVE_DATA), String(FumoState.UPDATE_SUCCESSFUL_NO_DATA)]);
      assert.equal(fleet.device(0).readValue('./DevDetail/FwV'), '9.0');
      const delivery = await fleet.runRound({ devices: [0, 1, 2] });
      assert.equal(delivery.ok, 3);
      assert.deepEqual(ids.map((id) => results.get(id)), [String(FumoResult.SUCCESSFUL), String(FumoResult.UPDATE_FAILED), String(FumoResult.SUCCESSFUL)]);
      assert.deepEqual(await fleet.settle(), [], 'delivered results are gone');
    } finally {
      await files.close();
      await server.close();
    }
  });

  it('refuses a device count that is not a positive integer', () => {
    assert.throws(() => new FleetSimulator({ serverUrl: 'http://x/', count: 0, profile: defaultFleetProfile(), transport }), /positive integer/);
  });
});

/** Sends one datagram to a loopback port, as the server's UDP push transport does. */
async function sendDatagram(port: number, bytes: Uint8Array): Promise<void> {
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => socket.send(bytes, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  } finally {
    socket.close();
  }
}

/** Binds a UDP socket to a loopback port (rejects if it is taken) and closes it. */
async function bindAndClose(port: number): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve());
  });
  const bound = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return bound;
}

/** The first of `count` consecutive UDP ports that were free just now. */
async function consecutiveFreePorts(count: number): Promise<number> {
  for (;;) {
    const base = await bindAndClose(0);
    if (base + count - 1 > 65_535) continue;
    try {
      for (let i = 1; i < count; i++) await bindAndClose(base + i);
      return base;
    } catch {
      // A neighbour is taken: try another start.
    }
  }
}

/** A Package 0 for fleet device `n` of `profile`, signed as the server does with the device's (still empty) server nonce. */
function package0For(profile: FleetProfile, n: number, opts: { sessionId: number; serverPassword?: string }): Uint8Array {
  const account = deviceProfileFor(profile, n, '').accounts[0];
  return encodeNotification({
    serverId: account?.serverId ?? '', serverPassword: opts.serverPassword ?? account?.serverSecret ?? '', serverNonce: new Uint8Array(0), sessionId: opts.sessionId,
  });
}

/** The Alert code of a Package 1 (1200 server-initiated, 1201 client-initiated), if any. */
function sessionAlertOf(req: ReceivedRequest): number | undefined {
  const alert = req.message?.body.commands.find((c) => c.kind === 'Alert' && (c.data === AlertCode.SERVER_INITIATED_MGMT || c.data === AlertCode.CLIENT_INITIATED_MGMT));
  return alert?.kind === 'Alert' ? Number(alert.data) : undefined;
}

describe('FleetSimulator.listen', () => {
  const profile: FleetProfile = { ...defaultFleetProfile(), account: { authPref: 'NONE' } };
  const answerOk = (req: ReceivedRequest): FakeReply => ({ message: reply(req, { msgId: req.message?.header.msgId ?? 1, commands: [hdrStatus(req, 212), ...okStatuses(req)] }) });

  it('binds one UDP port per device; a Package 0 sent to a device\'s port starts that device\'s server-initiated session, a forged one nothing', { timeout: 20_000 }, async () => {
    const server = await startFakeDmServer(answerOk);
    const fleet = new FleetSimulator({ serverUrl: server.url, count: 3, profile, transport, sleep: noWait });
    let woken!: (r: { n: number; report: SessionReport }) => void;
    const session = new Promise<{ n: number; report: SessionReport }>((resolve) => { woken = resolve; });
    const listener = await fleet.listen({ onSession: (n, report) => woken({ n, report }) });
    try {
      assert.equal(listener.host, '127.0.0.1');
      assert.equal(listener.ports.length, 3);
      assert.equal(new Set(listener.ports).size, 3, 'a port per device');
      // A digest made with the wrong server password is dropped; the genuine one that follows is answered.
      await sendDatagram(listener.ports[1] as number, package0For(profile, 1, { sessionId: 0x41, serverPassword: 'forged' }));
      await sendDatagram(listener.ports[1] as number, package0For(profile, 1, { sessionId: 0x42 }));
      const { n, report } = await session;
      assert.equal(n, 1);
      assert.equal(report.ok, true, report.reason);
      assert.equal(report.sessionId, sessionIdToHex(0x42));
      const devId = deviceProfileFor(profile, 1, server.url).devId;
      assert.deepEqual(server.requests.map((r) => r.message?.header.source.locUri), [devId], 'only the woken device connected, once');
      const first = server.requests[0] as ReceivedRequest;
      assert.equal(sessionAlertOf(first), AlertCode.SERVER_INITIATED_MGMT);
      assert.equal(first.message?.header.sessionId, sessionIdToHex(0x42));
    } finally {
      await listener.close();
      await server.close();
    }
  });

  it('runs a session a Package 0 asks for after the device\'s running session, never beside it', { timeout: 20_000 }, async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let arrived!: () => void;
    const firstArrived = new Promise<void>((resolve) => { arrived = resolve; });
    const server = await startFakeDmServer(async (req, index) => {
      if (index === 0) {
        arrived();
        await held;
      }
      return answerOk(req);
    });
    const fleet = new FleetSimulator({ serverUrl: server.url, count: 1, profile, transport, sleep: noWait });
    try {
      const checkIn = fleet.session(0);
      await firstArrived;
      const verdict = await fleet.acceptPush(0, package0For(profile, 0, { sessionId: 7 }));
      assert.equal(verdict.accepted, true);
      assert.equal(verdict.sessions.length, 1);
      // Give a concurrent session every chance to reach the server while the check-in is held.
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(server.requests.length, 1, 'the woken session waits for the running one');
      release();
      assert.equal((await checkIn).ok, true);
      const woken = await verdict.sessions[0];
      assert.equal(woken?.ok, true, woken?.reason);
      assert.deepEqual(server.requests.map(sessionAlertOf), [AlertCode.CLIENT_INITIATED_MGMT, AlertCode.SERVER_INITIATED_MGMT]);
    } finally {
      release();
      await server.close();
    }
  });

  it('listens on basePort + n and closes every socket it bound', { timeout: 20_000 }, async () => {
    const fleet = new FleetSimulator({ serverUrl: 'http://127.0.0.1:9/dm', count: 2, profile, transport });
    const base = await consecutiveFreePorts(2);
    const listener = await fleet.listen({ basePort: base });
    assert.deepEqual(listener.ports, [base, base + 1]);
    await listener.close();
    // Bindable again only if the fleet let go of them.
    for (const port of listener.ports) await bindAndClose(port);
  });

  it('refuses a base port that leaves no room for every device', async () => {
    const fleet = new FleetSimulator({ serverUrl: 'http://127.0.0.1:9/dm', count: 3, profile, transport });
    await assert.rejects(fleet.listen({ basePort: 65_534 }), /base port 65534/);
  });
});

describe('fleet summary', () => {
  const report = (ms: number, ok = true, reason?: string): SessionReport => ({
    ok, end: ok ? 'completed' : 'unreachable', ...(reason !== undefined ? { reason } : {}), serverId: 's', sessionId: '1', verDtd: '1.2', messagesSent: 2, commandsExecuted: 1, durationMs: ms,
  });

  it('computes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(xs, 50), 50);
    assert.equal(percentile(xs, 99), 99);
    assert.equal(percentile([], 50), 0);
    assert.equal(percentile([7], 99), 7);
  });

  it('groups failure reasons that differ only by port and prints a short summary', () => {
    const s = summarize([report(10), report(30), report(5, false, 'cannot reach http://h:4001/dm: refused'), report(5, false, 'cannot reach http://h:4002/dm: refused')], 1500);
    assert.deepEqual(s.failures, [{ reason: 'cannot reach http://h:*/dm: refused', count: 2 }]);
    const text = formatSummary(s);
    assert.match(text, /^sessions: 2 ok, 2 failed \(4 total\) in 1\.5 s\nlatency: p50 \d+ ms, p99 30 ms, max 30 ms\nfailed: 2 × cannot reach/);
  });
});
