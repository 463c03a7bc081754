/**
 * Device-side benchmark (`npm run bench`), not a test:
 *  1. engine cost of one Get+Replace session (Package 1, server Get+Replace, client reply, server
 *     close) in-process — encoding and decoding included, no network — in XML and WBXML;
 *  2. memory per idle simulated device for a fleet of 20 000, right after the trees are built and
 *     again after every device has run one session (through an in-process server).
 * Targets: ≤ 50 µs per session, < 2 KB per idle device.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { decodeMessage, encodeMessage, type Encoding } from '../src/core/codec/message-codec.js';
import type { Command, StatusCommand, SyncMLMessage } from '../src/core/syncml/message.js';
import { DmClientSession } from '../src/client/session/dm-session.js';
import type { SessionAccount } from '../src/client/session/session-types.js';
import { FleetSimulator } from '../src/client/simulator/fleet-simulator.js';
import type { FleetProfile } from '../src/client/simulator/fleet-profile.js';
import { createStandardTree } from '../src/client/mo/standard-tree.js';
import type { DmTransport, TransportRequest, TransportResponse } from '../src/client/transport/transport.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ACCOUNT: SessionAccount = { serverId: 'omadm', serverUrl: 'http://127.0.0.1:8080/dm', clientAuth: 'none', serverAuth: 'none', roles: 0xffffffff };
const PROFILE = {
  devId: 'IMEI:356938035643809', man: 'Contoso', mod: 'Phone 6', dmV: '1.2', lang: 'en-US', fwV: '6.5.1', swV: '6.5', hwV: '2.1', oem: 'Contoso', devTyp: 'phone',
  accounts: [{ serverId: 'omadm', addr: ACCOUNT.serverUrl, clientName: 'dev', clientSecret: 'pw', serverSecret: 'srv', authPref: 'NONE' }],
} as const;

function serverMessage(msgId: number, commands: readonly Command[]): SyncMLMessage {
  return {
    header: { verDtd: '1.2', verProto: 'DM/1.2', sessionId: '1', msgId, target: { locUri: PROFILE.devId }, source: { locUri: ACCOUNT.serverUrl } },
    body: { commands, final: true },
  };
}
const hdr = (msgRef: number, data: number): StatusCommand => ({ kind: 'Status', cmdId: 1, msgRef, cmdRef: 0, cmd: 'SyncHdr', data });

/** Package 2 (Get + Replace) and Package 4 (statuses only), pre-encoded like bytes off the wire. */
function serverPackages(encoding: Encoding): [Uint8Array, Uint8Array] {
  const pkg2 = serverMessage(1, [
    hdr(1, 212),
    { kind: 'Get', cmdId: 2, items: [{ target: { locUri: './DevDetail/FwV' } }] },
    { kind: 'Replace', cmdId: 3, meta: { format: 'chr' }, items: [{ target: { locUri: './DevInfo/Lang' }, data: 'en-US' }] },
  ]);
  const pkg4 = serverMessage(2, [hdr(2, 200), { kind: 'Status', cmdId: 2, msgRef: 2, cmdRef: 2, cmd: 'Status', data: 200 }]);
  return [encodeMessage(pkg2, encoding), encodeMessage(pkg4, encoding)];
}

interface SessionCost {
  /** Whole session, µs: engine + codec + tree. */
  readonly totalUs: number;
  /** Encoding Packages 1 and 3 and decoding Packages 2 and 4, µs. */
  readonly codecUs: number;
  /** The tree calls of the session (DevInfo reads, Get, Replace), µs. */
  readonly treeUs: number;
}

/** Mean µs per call of `fn` over `n` calls, after a warm-up. */
async function perCall(fn: () => unknown, n: number): Promise<number> {
  for (let i = 0; i < 2000; i++) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / n;
}

async function sessionCost(encoding: Encoding, sessions: number): Promise<SessionCost> {
  const tree = createStandardTree(PROFILE);
  const [pkg2, pkg4] = serverPackages(encoding);
  const contentType = encoding === 'xml' ? 'application/vnd.syncml.dm+xml' : 'application/vnd.syncml.dm+wbxml';
  const sent: SyncMLMessage[] = [];
  const one = async (): Promise<void> => {
    const s = new DmClientSession({ tree, account: ACCOUNT, sessionId: '1', encoding, deviceId: PROFILE.devId });
    const p1 = s.start();
    const reply = await s.receive({ body: pkg2, contentType });
    if (reply === undefined) throw new Error(`session ended early: ${s.outcome?.reason ?? ''}`);
    if (await s.receive({ body: pkg4, contentType }) !== undefined || s.outcome?.end !== 'completed') throw new Error('session did not complete');
    if (sent.length === 0) sent.push(p1.message, reply.message);
  };
  const codec = (): void => {
    const [m1, m3] = sent as [SyncMLMessage, SyncMLMessage];
    encodeMessage(m1, encoding);
    decodeMessage(pkg2, { encoding });
    encodeMessage(m3, encoding);
    decodeMessage(pkg4, { encoding });
  };
  const caller = { serverId: ACCOUNT.serverId, roles: ACCOUNT.roles };
  const treeCalls = (): void => {
    for (const leaf of ['DevId', 'Man', 'Mod', 'DmV', 'Lang']) tree.readValue(`./DevInfo/${leaf}`);
    tree.get('./DevDetail/FwV', caller);
    tree.replace({ uri: './DevInfo/Lang', data: 'en-US', meta: { format: 'chr' } }, caller);
  };
  // Interleaved rounds, best of each: other processes on the machine only ever add time.
  let totalUs = Infinity;
  let codecUs = Infinity;
  let treeUs = Infinity;
  for (let round = 0; round < 7; round++) {
    totalUs = Math.min(totalUs, await perCall(one, sessions));
    codecUs = Math.min(codecUs, await perCall(codec, sessions));
    treeUs = Math.min(treeUs, await perCall(treeCalls, sessions));
  }
  return { totalUs, codecUs, treeUs };
}

/** A DM server in the same process: acknowledges Package 1 and closes the session. */
class InProcessServer implements DmTransport {
  async send(req: TransportRequest): Promise<TransportResponse> {
    const { message, encoding } = decodeMessage(req.body);
    const h = message.header;
    const reply: SyncMLMessage = {
      header: { ...h, target: h.source, source: h.target },
      body: {
        commands: [hdr(h.msgId, 212), ...message.body.commands.filter((c) => c.kind !== 'Status').map((c, i): StatusCommand => ({ kind: 'Status', cmdId: i + 2, msgRef: h.msgId, cmdRef: c.cmdId ?? 0, cmd: c.kind, data: 200 }))],
        final: true,
      },
    };
    return { status: 200, body: encodeMessage(reply, encoding), contentType: req.contentType, headers: {} };
  }
  close(): void {}
}

async function fleetMemory(count: number): Promise<{ built: number; afterSessions: number; templates: number; sessionsOk: number }> {
  const profile: FleetProfile = {
    account: { authPref: 'NONE' },
    models: [
      { weight: 2, man: 'Contoso', mod: 'Phone 6', firmware: ['6.5.0', '6.5.1'] },
      { man: 'Fabrikam', mod: 'Pocket 2', firmware: ['5.2.21', '5.2.23'] },
    ],
  };
  gc();
  const before = process.memoryUsage().heapUsed;
  const sim = new FleetSimulator({ serverUrl: ACCOUNT.serverUrl, count, concurrency: 64, profile, transport: new InProcessServer() });
  sim.populate();
  gc();
  const built = (process.memoryUsage().heapUsed - before) / count;
  const summary = await sim.runRound();
  gc();
  const afterSessions = (process.memoryUsage().heapUsed - before) / count;
  return { built, afterSessions, templates: sim.templates, sessionsOk: summary.ok };
}


console.log(`client benchmark — node ${process.version}`);
for (const encoding of ['xml', 'wbxml'] as const) {
  const c = await sessionCost(encoding, 4000);
  const engine = c.totalUs - c.codecUs - c.treeUs;
  console.log(`Get+Replace session, ${encoding.padEnd(5)}: ${c.totalUs.toFixed(1).padStart(6)} µs total = engine ${engine.toFixed(1)} µs (target ≤ 50) + codec ${c.codecUs.toFixed(1)} µs + tree ${c.treeUs.toFixed(1)} µs`);
}
const COUNT = 20_000;
const mem = await fleetMemory(COUNT);
console.log(`fleet of ${COUNT} devices (${mem.templates} templates): ${Math.round(mem.built)} B/device idle after build, ${Math.round(mem.afterSessions)} B/device idle after ${mem.sessionsOk} sessions  (target < 2048)`);
