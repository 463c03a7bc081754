/**
 * DM server benchmark (never asserted): N complete DM sessions over real HTTP on loopback against
 * a server with a durable SQLite file. Each device authenticates with MD5 (pre-provisioned nonce,
 * so no challenge round) and receives one queued Get and one queued Replace:
 * Package 1 → Package 2 (Get + Replace) → Package 3 (Statuses + Results) → Package 4 (Final).
 * Also measures a bare node:http server answering a fixed 1.5 KB body, in the same run (before and
 * after), as a ceiling for this machine, and prints what a DM round trip costs relative to it (the
 * target's yardstick), the same in server-thread CPU alone, how busy the server thread was, and
 * two floors: the simulated devices alone, and decode + encode alone (see protocolFloor).
 *
 * The device side (encoding, decoding, undici HTTP client) runs in a worker_thread so that server and
 * client each get a core, as they would on separate machines; the bare-HTTP ceiling is measured
 * the same way (server in the main thread, client in the worker).
 *
 *   node --import tsx bench/server-bench.ts [--sessions 3000] [--concurrency 64] [--expose-gc for memory]
 */
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { Pool } from 'undici';
import { computeMd5Digest } from '../src/core/auth/md5-digest.js';
import { decodeNonce, encodeNonce, generateNonce } from '../src/core/auth/nonce.js';
import { decodeMessage, encodeMessage } from '../src/core/codec/message-codec.js';
import type { Command, StatusCommand, SyncHdr, SyncMLMessage } from '../src/core/syncml/message.js';
import { resolveConfig } from '../src/server/config.js';
import { createServer } from '../src/server/create-server.js';
import { deviceId } from '../src/server/store/store.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]?.replace(/^--/, '') ?? '', process.argv[i + 1] ?? '');
const SESSIONS = Number(args.get('sessions') ?? 3000);
const CONCURRENCY = Number(args.get('concurrency') ?? 64);

// undici's pooled client: the device side should cost as little CPU as possible, since it shares
// the machine with the server being measured.
const pools = new Map<string, Pool>();
async function postXml(url: string, body: Uint8Array): Promise<Buffer> {
  const u = new URL(url);
  let pool = pools.get(u.origin);
  if (!pool) pools.set(u.origin, (pool = new Pool(u.origin, { connections: CONCURRENCY })));
  const res = await pool.request({ method: 'POST', path: u.pathname, body, headers: { 'content-type': 'application/vnd.syncml.dm+xml' } });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
  return bytes;
}

async function closePools(): Promise<void> {
  await Promise.all([...pools.values()].map((p) => p.close()));
  pools.clear();
}

interface BenchDevice {
  readonly id: string;
  nonce: Uint8Array;
}

/** One complete session; returns the server messages received. */
async function runSession(dmUrl: string, dev: BenchDevice, sessionNo: number): Promise<number> {
  let msgId = 0;
  let url = dmUrl;
  const header = (cred: boolean): SyncHdr => ({
    verDtd: '1.2', verProto: 'DM/1.2', sessionId: String(sessionNo), msgId: ++msgId,
    target: { locUri: dmUrl }, source: { locUri: dev.id, locName: dev.id },
    ...(cred ? { cred: { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: computeMd5Digest({ username: dev.id, password: 'pw', nonce: dev.nonce }) } } : {}),
    ...(msgId === 1 ? { meta: { maxMsgSize: 16384 } } : {}),
  });
  let msg: SyncMLMessage = {
    header: header(true),
    body: {
      commands: [
        { kind: 'Alert', cmdId: 1, data: 1201, items: [] },
        { kind: 'Replace', cmdId: 2, items: [['DevId', dev.id], ['Man', 'Acme'], ['Mod', 'Bench'], ['DmV', '1.2'], ['Lang', 'en']].map(([k, v]) => ({ source: { locUri: `./DevInfo/${k}` }, data: v as string })) },
      ],
      final: true,
    },
  };
  let messages = 0;
  for (;;) {
    const reply = decodeMessage(new Uint8Array(await postXml(url, encodeMessage(msg, 'xml')))).message;
    messages++;
    if (reply.header.respUri) url = reply.header.respUri;
    const hdr = reply.body.commands.find((c): c is StatusCommand => c.kind === 'Status' && c.cmdRef === 0);
    if (hdr?.chal?.meta.nextNonce) dev.nonce = decodeNonce(hdr.chal.meta.nextNonce);
    if (hdr && hdr.data !== 212 && hdr.data !== 200) throw new Error(`auth failed: ${hdr.data}`);
    const commands = reply.body.commands.filter((c) => c.kind !== 'Status');
    if (commands.length === 0) return messages;
    const out: Command[] = [{ kind: 'Status', cmdId: 1, msgRef: reply.header.msgId, cmdRef: 0, cmd: 'SyncHdr', data: 212 }];
    let cmdId = 1;
    for (const c of commands) {
      out.push({ kind: 'Status', cmdId: ++cmdId, msgRef: reply.header.msgId, cmdRef: c.cmdId ?? 0, cmd: c.kind, data: 200 });
      if (c.kind === 'Get') {
        out.push({ kind: 'Results', cmdId: ++cmdId, msgRef: reply.header.msgId, cmdRef: c.cmdId ?? 0, items: [{ source: { locUri: c.items[0]?.target?.locUri ?? '' }, data: '1.0.0' }] });
      }
    }
    msg = { header: header(false), body: { commands: out, final: true } };
  }
}

/** CPU time (user + system, ms) of the main thread so far, from /proc (Linux); undefined elsewhere. */
function mainThreadCpuMs(): number | undefined {
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th, in clock ticks (100/s).
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function pool<T>(items: readonly T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  }));
}

/** Messages between the main thread and the device worker. */
type WorkerJob =
  | { readonly kind: 'sessions'; readonly dmUrl: string; readonly devices: readonly BenchDevice[] }
  | { readonly kind: 'bare'; readonly url: string; readonly requests: number };
interface WorkerDone { readonly latencies: number[]; readonly messages: number; readonly elapsed: number }

/** Runs one job in a fresh device worker. */
function inWorker(job: WorkerJob): Promise<WorkerDone> {
  return new Promise((resolve, reject) => {
    // Register tsx inside the worker first: loader hooks from --import do not reach a worker's entry.
    const boot = `import('tsx/esm/api').then((t) => t.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;
    const w = new Worker(boot, { eval: true, workerData: { job }, argv: process.argv.slice(2) });
    w.once('message', (m: WorkerDone) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

/** The device side, inside the worker. */
async function workerMain(job: WorkerJob): Promise<WorkerDone> {
  const latencies: number[] = [];
  let messages = 0;
  const t0 = performance.now();
  if (job.kind === 'bare') {
    const payload = Buffer.alloc(700, 0x62);
    await pool(Array.from({ length: job.requests }), CONCURRENCY, async () => {
      await postXml(job.url, payload);
    });
  } else {
    await pool(job.devices, CONCURRENCY, async (d, i) => {
      const s0 = performance.now();
      const n = await runSession(job.dmUrl, { ...d }, i + 1);
      messages += n;
      latencies.push(performance.now() - s0);
    });
  }
  await closePools();
  return { latencies, messages, elapsed: (performance.now() - t0) / 1000 };
}

/** Runs `job` against `handler` served by node:http on a loopback port, then closes the server. */
async function withLocalServer<T>(handler: http.RequestListener, path: string, job: (url: string) => Promise<T>): Promise<T> {
  const srv = http.createServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const addr = srv.address();
  try {
    return await job(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}${path}`);
  } finally {
    await new Promise<void>((r) => srv.close(() => r()));
  }
}

/** A bare-HTTP run: requests/s, and the server thread's CPU per request (µs; undefined off Linux). */
interface BareRun {
  readonly perSecond: number;
  readonly serverCpuUs: number | undefined;
}

async function bareHttp(requests: number): Promise<BareRun> {
  const body = Buffer.alloc(1536, 0x61);
  const handler: http.RequestListener = (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/vnd.syncml.dm+xml', 'content-length': body.byteLength }).end(body));
  };
  return withLocalServer(handler, '/', async (url) => {
    const cpu0 = mainThreadCpuMs();
    const { elapsed } = await inWorker({ kind: 'bare', url, requests });
    const cpu1 = mainThreadCpuMs();
    return { perSecond: requests / elapsed, serverCpuUs: cpu0 !== undefined && cpu1 !== undefined ? ((cpu1 - cpu0) * 1000) / requests : undefined };
  });
}

/**
 * Floors under the 3x budget, on the same machine and load generator: a node:http server with no
 * session, authentication or store that either decodes each DM message and encodes a reply of
 * the shape a real server sends (SyncHdr and a Status per command), or — `devices-only` — answers
 * every message with the same prebuilt reply, leaving only the simulated devices' own work
 * (encode, MD5 digest, decode) on top of a bare round trip.
 */
async function protocolFloor(devices: readonly BenchDevice[], mode: 'codec' | 'devices-only'): Promise<number> {
  const replyTo = (header: SyncHdr, commands: readonly Command[]): Uint8Array => {
    const statuses: Command[] = [{ kind: 'Status', cmdId: 1, msgRef: header.msgId, cmdRef: 0, cmd: 'SyncHdr', data: 212 }];
    for (const c of commands) {
      if (c.kind !== 'Status') statuses.push({ kind: 'Status', cmdId: statuses.length + 1, msgRef: header.msgId, cmdRef: c.cmdId ?? 0, cmd: c.kind, data: 200 });
    }
    return encodeMessage({
      header: { verDtd: header.verDtd, verProto: header.verProto, sessionId: header.sessionId, msgId: header.msgId, target: header.source, source: header.target },
      body: { commands: statuses, final: true },
    }, 'xml');
  };
  const prebuilt = replyTo(
    { verDtd: '1.2', verProto: 'DM/1.2', sessionId: '1', msgId: 1, target: { locUri: 'bench-0' }, source: { locUri: 'http://127.0.0.1/dm' } },
    [{ kind: 'Alert', cmdId: 1, data: 1201, items: [] }, { kind: 'Replace', cmdId: 2, items: [] }],
  );
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let reply = prebuilt;
      if (mode === 'codec') {
        const { header, body } = decodeMessage(new Uint8Array(Buffer.concat(chunks))).message;
        reply = replyTo(header, body.commands);
      }
      res.writeHead(200, { 'content-type': 'application/vnd.syncml.dm+xml', 'content-length': reply.byteLength }).end(reply);
    });
  };
  const { messages, elapsed } = await withLocalServer(handler, '/dm', (url) => inWorker({ kind: 'sessions', dmUrl: url, devices }));
  return messages / elapsed;
}

async function main(): Promise<void> {
  // The ceiling is measured before and after the DM run (on a shared machine it drifts), after a
  // warm-up pass so that neither measurement includes the JIT compiling node:http.
  await bareHttp(2000);
  const bareBefore = await bareHttp(Math.max(5000, SESSIONS * 4));
  const dir = mkdtempSync(join(tmpdir(), 'omadm-bench-'));
  const config = resolveConfig({ port: 0, db: join(dir, 'bench.db'), logLevel: 'silent', auth: { defaultServerPassword: 'spw' } });
  const server = await createServer({ config, logger: pino({ level: 'silent' }) });
  const base = await server.listen();
  const dmUrl = `${base}/dm`;
  const devices: BenchDevice[] = [];
  const setupStart = performance.now();
  for (let i = 0; i < SESSIONS; i++) {
    const id = deviceId(`bench-${i}`);
    await server.registry.register({ id, client: { username: id, password: 'pw', authType: 'md5' } });
    const nonce = generateNonce();
    await server.store.devices.setClientNonce(id, nonce, Date.now());
    await server.queue.enqueue(id, { kind: 'Get', uris: ['./DevDetail/FwV'] });
    await server.queue.enqueue(id, { kind: 'Replace', items: [{ uri: './Vendor/Bench/Setting', data: String(i), format: 'int' }] });
    devices.push({ id, nonce: decodeNonce(encodeNonce(nonce)) });
  }
  const setupMs = performance.now() - setupStart;

  // Memory per active session: open sessions (Package 1 only), measure, then let them expire.
  const gc = (globalThis as { gc?: () => void }).gc;
  const memProbe = Math.min(500, SESSIONS);
  let perSession: number | undefined;
  if (gc) {
    const probeDevices = devices.slice(0, memProbe).map((d) => ({ ...d }));
    gc();
    const before = process.memoryUsage().heapUsed;
    await pool(probeDevices, CONCURRENCY, async (d, i) => {
      const hdr: SyncHdr = { verDtd: '1.2', verProto: 'DM/1.2', sessionId: String(90000 + i), msgId: 1, target: { locUri: dmUrl }, source: { locUri: d.id, locName: d.id }, cred: { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: computeMd5Digest({ username: d.id, password: 'pw', nonce: d.nonce }) } };
      await postXml(dmUrl, encodeMessage({ header: hdr, body: { commands: [{ kind: 'Alert', cmdId: 1, data: 1201, items: [] }], final: true } }, 'xml'));
    });
    gc();
    perSession = (process.memoryUsage().heapUsed - before) / server.sessions.size;
    for (const s of server.sessions.list()) await server.sessions.close(s, 'aborted');
    // Their jobs went back to the queue and their nonces rotated: re-provision them.
    for (const d of devices.slice(0, memProbe)) {
      const n = generateNonce();
      await server.store.devices.setClientNonce(deviceId(d.id), n, Date.now());
      d.nonce = n;
    }
  }

  const profile = process.env['BENCH_PROFILE'];
  const inspector = profile ? new (await import('node:inspector')).Session() : undefined;
  if (inspector) {
    inspector.connect();
    await new Promise<void>((r) => inspector.post('Profiler.enable', () => inspector.post('Profiler.start', () => r())));
  }
  // How busy the server's thread was, and how much CPU the whole process (server + device worker) took.
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const thread0 = mainThreadCpuMs();
  const { latencies, messages, elapsed } = await inWorker({ kind: 'sessions', dmUrl, devices });
  const serverBusy = performance.eventLoopUtilization(elu0).utilization;
  const cpu = process.cpuUsage(cpu0);
  const cores = (cpu.user + cpu.system) / 1e6 / elapsed;
  const thread1 = mainThreadCpuMs();
  const serverCpuPerSession = thread0 !== undefined && thread1 !== undefined ? ((thread1 - thread0) * 1000) / SESSIONS : undefined;
  if (inspector && profile) {
    await new Promise<void>((r) => inspector.post('Profiler.stop', (_err, res) => {
      void import('node:fs').then((fs) => fs.writeFileSync(profile, JSON.stringify(res.profile))).then(() => r());
    }));
  }
  const done = (await server.queue.list({ state: 'done', limit: 1000 })).items.length;
  latencies.sort((a, b) => a - b);
  await server.close();
  const bareAfter = await bareHttp(Math.max(5000, SESSIONS * 4));
  const bare = (bareBefore.perSecond + bareAfter.perSecond) / 2;
  const bareCpus = [bareBefore.serverCpuUs, bareAfter.serverCpuUs].filter((c): c is number => c !== undefined);
  const bareCpu = bareCpus.length > 0 ? bareCpus.reduce((a, b) => a + b, 0) / bareCpus.length : undefined;
  const codecFloor = await protocolFloor(devices, 'codec');
  const devicesFloor = await protocolFloor(devices, 'devices-only');
  rmSync(dir, { recursive: true, force: true });

  const line = (k: string, v: string): void => void process.stdout.write(`${k.padEnd(34)} ${v}\n`);
  process.stdout.write(`omadm server benchmark — ${SESSIONS} sessions, concurrency ${CONCURRENCY}, durable SQLite (WAL), Node ${process.version}\n`);
  process.stdout.write('(server in the main thread, devices in a worker_thread; bare HTTP measured the same way)\n');
  line('setup (register + enqueue)', `${setupMs.toFixed(0)} ms`);
  line('complete sessions/s', (SESSIONS / elapsed).toFixed(0));
  line('DM messages/s (both directions)', ((messages * 2) / elapsed).toFixed(0));
  line('session latency p50 / p99', `${percentile(latencies, 50).toFixed(1)} ms / ${percentile(latencies, 99).toFixed(1)} ms`);
  line('memory per active session', perSession === undefined ? 'run with node --expose-gc to measure' : `${(perSession / 1024).toFixed(1)} KiB (heap, ${memProbe} open)`);
  line('jobs done (first page)', `${done}${done === 1000 ? '+' : ''}`);
  line('bare node:http 1.5 KB req/s', `${bare.toFixed(0)} (before ${bareBefore.perSecond.toFixed(0)}, after ${bareAfter.perSecond.toFixed(0)})`);
  // The yardstick, independent of how fast this machine is today: a DM round trip may cost
  // at most 3x a bare HTTP round trip (3,000 sessions/s on the reference machine).
  line('DM round trip vs bare HTTP', `${(bare / (messages / elapsed)).toFixed(1)}x the cost (target <= 3x)`);
  line('floor: devices only vs bare HTTP', `${(bare / devicesFloor).toFixed(1)}x (server answers one prebuilt reply)`);
  line('floor: codec only vs bare HTTP', `${(bare / codecFloor).toFixed(1)}x (server decodes + encodes; no session, auth, store)`);
  // CPU time: less disturbed than wall time when a neighbour on a shared machine takes the core.
  if (serverCpuPerSession !== undefined) {
    line('server thread CPU per session', `${serverCpuPerSession.toFixed(0)} µs`);
    // The same yardstick in server CPU alone, free of the load generator sharing the cores.
    const perRoundTrip = (serverCpuPerSession * SESSIONS) / messages;
    if (bareCpu !== undefined && bareCpu > 0) line('server CPU per round trip vs bare', `${perRoundTrip.toFixed(0)} µs vs ${bareCpu.toFixed(0)} µs: ${(perRoundTrip / bareCpu).toFixed(1)}x`);
  }
  line('server thread busy / process CPU', `${(serverBusy * 100).toFixed(0)} % / ${cores.toFixed(2)} cores of ${availableParallelism()}`);
  await closePools();
}

if (isMainThread) {
  await main();
} else {
  const { job } = workerData as { job: WorkerJob };
  parentPort?.postMessage(await workerMain(job));
}
