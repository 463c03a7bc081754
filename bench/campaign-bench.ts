/**
 * Campaign benchmark (`npm run bench:campaign`): a firmware campaign to 10 000 simulated devices
 * (small packages) against a DM server in a child process, over real HTTP — DM sessions, Package 0
 * through an HTTP SMS gateway, package downloads. Reports devices updated per minute and the
 * server's peak memory. Target: 10 000 devices in under 5 minutes, server under 300 MB. Not a test.
 *
 *   node --import tsx bench/campaign-bench.ts [--devices 10000] [--in-flight 200] [--package-bytes 4096]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSimulatedFirmware } from '../src/client/mo/fumo-updater.js';
import type { CampaignDto, CampaignStatusDto } from '../src/server/campaign/campaign-dto.js';
import type { FirmwareDto } from '../src/server/firmware/firmware-dto.js';
import { FumoFleet, fleetCredentials } from '../test/helpers/fumo-fleet.js';
import { freePort, startFumoServerProcess } from '../test/helpers/fumo-server-process.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i < 0 ? undefined : Number(process.argv[i + 1]);
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : fallback;
}

const DEVICES = arg('devices', 10_000);
const IN_FLIGHT = arg('in-flight', 200);
const PACKAGE_BYTES = arg('package-bytes', 4096);
const MB = 1024 * 1024;

async function api<T>(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const binary = body instanceof Uint8Array;
  const res = await fetch(`${base}${path}`, {
    method, headers: { ...(body !== undefined && !binary ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: binary ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

const dir = mkdtempSync(join(tmpdir(), 'omadm-campaign-bench-'));
const db = join(dir, 'omadm.db');
const fleet = new FumoFleet({ count: DEVICES, connRetryFreq: 10, initialBackOffMs: 500 });
await fleet.start();
const port = await freePort();
const server = await startFumoServerProcess({ db, port, gatewayUrl: fleet.gatewayUrl, tickMs: 250 });
const base = server.url;
fleet.connect(`${base}/dm`);
const token = (JSON.parse(readFileSync(`${db}.server.json`, 'utf8')) as { token: string }).token;
let peak = 0;
let peakHeap = 0;
const sample = async (): Promise<void> => {
  try {
    const m = await api<{ rss: number; peakRss: number; heapUsed: number }>(base, 'GET', '/__test/memory');
    peak = Math.max(peak, m.peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  } catch {
    // between samples the server may be busy; the next one counts
  }
};

try {
  process.stdout.write(`registering ${DEVICES} devices…\n`);
  const t0 = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < fleet.ids.length) {
      const id = fleet.ids[next++] as string;
      const c = fleetCredentials(id);
      await api(base, 'POST', '/api/devices', {
        id, pushAddress: { type: 'sms', msisdn: id },
        client: { username: c.username, password: c.password, authType: 'md5' }, server: { serverId: c.serverId, serverPassword: c.serverPassword },
      }, { authorization: `Bearer ${token}` });
    }
  }));
  process.stdout.write(`  ${((Date.now() - t0) / 1000).toFixed(1)} s\nfirst check-in of every device (DevInfo, nonces)…\n`);
  const t1 = Date.now();
  const checkins = await fleet.checkIn(fleet.ids, 64);
  process.stdout.write(`  ${((Date.now() - t1) / 1000).toFixed(1)} s, ${checkins.filter((r) => !r.ok).length} failed\n`);

  const image = new Uint8Array(Buffer.concat([Buffer.from(encodeSimulatedFirmware({ fwV: '2.0', mod: 'SIM-1' })), Buffer.alloc(Math.max(0, PACKAGE_BYTES - 64), 0x20)]));
  const pkg = await api<FirmwareDto>(base, 'POST', '/api/firmware?name=Bench&version=2.0', image, { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` });
  const started = Date.now();
  const c = await api<CampaignDto>(base, 'POST', '/api/campaigns', {
    name: 'bench', packageId: pkg.id, fumoNode: 'Pkg', start: true, deviceTimeoutMs: 120_000, rollout: { maxInFlight: IN_FLIGHT },
  }, { authorization: `Bearer ${token}` });
  process.stdout.write(`campaign ${c.id}: ${DEVICES} devices, ${IN_FLIGHT} in flight, ${image.byteLength}-byte package\n`);
  let s: CampaignStatusDto;
  let lastLine = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    await sample();
    s = await api<CampaignStatusDto>(base, 'GET', `/api/campaigns/${c.id}/status`, undefined, { authorization: `Bearer ${token}` });
    if (Date.now() - lastLine > 10_000) {
      lastLine = Date.now();
      process.stdout.write(`  ${((Date.now() - started) / 1000).toFixed(0)} s: ${s.byState.succeeded} updated, ${s.inFlight} in flight, ${s.byState.failed + s.byState.timed_out} failed, server RSS peak ${(peak / MB).toFixed(0)} MB\n`);
    }
    if (s.campaign.state === 'completed' || s.campaign.state === 'cancelled') break;
  }
  const seconds = (Date.now() - started) / 1000;
  await sample();
  const rows = [
    ['devices', String(s.total)],
    ['updated', String(s.byState.succeeded)],
    ['failed / timed out', `${s.byState.failed} / ${s.byState.timed_out}`],
    ['campaign time', `${seconds.toFixed(1)} s`],
    ['throughput', `${Math.round((s.byState.succeeded / seconds) * 60)} devices/min`],
    ['server peak RSS', `${(peak / MB).toFixed(0)} MB (JS heap used at most ${(peakHeap / MB).toFixed(0)} MB)`],
    ['target', `${DEVICES} in < 300 s, < 300 MB: ${seconds < 300 && peak < 300 * MB && s.byState.succeeded === DEVICES ? 'met' : 'NOT met'}`],
  ];
  process.stdout.write(`\n${rows.map(([k, v]) => `${(k ?? '').padEnd(20)} ${v}`).join('\n')}\n`);
} finally {
  await server.stop();
  await fleet.close();
  rmSync(dir, { recursive: true, force: true });
}
