/**
 * End to end at fleet scale: a campaign over 200 simulated devices, 10 % of them failing through
 * a seeded failure profile, finishes with exactly the counts the profile predicts — also when the
 * server process is killed with SIGKILL in the middle of the campaign and restarted on the same
 * database: every device's position is durable. Everything goes over real HTTP: the REST API
 * (firmware upload, campaign create and status), the DM endpoint, Package 0 through an HTTP SMS
 * gateway, and the package download with Range.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FailureProfile } from '../../src/client/fumo/failure-profile.js';
import { encodeSimulatedFirmware } from '../../src/client/mo/fumo-updater.js';
import type { CampaignDto, CampaignStatusDto } from '../../src/server/campaign/campaign-dto.js';
import type { FirmwareDto } from '../../src/server/firmware/firmware-dto.js';
import { FumoFleet, fleetCredentials } from '../helpers/fumo-fleet.js';
import { type FumoServerProcess, freePort, startFumoServerProcess } from '../helpers/fumo-server-process.js';

const COUNT = 200;
const failures = new FailureProfile({ seed: 'campaign-e2e', rate: 0.1 });
const fast = { maxAttempts: 3, delayMs: 200 };
const RETRY = { network: fast, 'download-server': fast, package: fast, user: fast, memory: fast, update: fast, exec: { maxAttempts: 5, delayMs: 500 }, timeout: { maxAttempts: 5, delayMs: 0 }, verify: fast };

async function api<T>(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: body instanceof Uint8Array ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

async function registerOverRest(base: string, token: string, ids: readonly string[]): Promise<void> {
  const auth = { authorization: `Bearer ${token}` };
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      const c = fleetCredentials(id);
      await api(base, 'POST', '/api/devices', {
        id, pushAddress: { type: 'sms', msisdn: id },
        client: { username: c.username, password: c.password, authType: 'md5' }, server: { serverId: c.serverId, serverPassword: c.serverPassword },
      }, auth);
    }
  }));
}

async function statusOf(base: string, token: string, id: string): Promise<CampaignStatusDto> {
  return api<CampaignStatusDto>(base, 'GET', `/api/campaigns/${id}/status`, undefined, { authorization: `Bearer ${token}` });
}

async function until(base: string, token: string, id: string, done: (s: CampaignStatusDto) => boolean, ms: number): Promise<CampaignStatusDto> {
  const end = Date.now() + ms;
  for (;;) {
    const s = await statusOf(base, token, id);
    if (done(s)) return s;
    if (Date.now() > end) throw new Error(`campaign ${id}: condition not reached in ${ms} ms: ${JSON.stringify({ state: s.campaign.state, byState: s.byState })}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe(`a FUMO campaign over ${COUNT} devices with a 10 % failure profile`, () => {
  let dir: string;
  let fleet: FumoFleet;
  let proc: FumoServerProcess | undefined;
  let port: number;
  let db: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'omadm-campaign-e2e-'));
    db = join(dir, 'omadm.db');
    fleet = new FumoFleet({ count: COUNT, failures, connRetryFreq: 20, initialBackOffMs: 250 });
    await fleet.start();
  });
  after(async () => {
    await proc?.stop();
    await fleet.idle();
    await fleet.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes with exactly the predicted counts after a SIGKILL and restart mid-campaign', { timeout: 240_000 }, async () => {
    port = await freePort();
    proc = await startFumoServerProcess({ db, port, gatewayUrl: fleet.gatewayUrl });
    const base = proc.url;
    fleet.connect(`${base}/dm`);
    const token = (JSON.parse((await import('node:fs')).readFileSync(`${db}.server.json`, 'utf8')) as { token: string }).token;
    const auth = { authorization: `Bearer ${token}` };
    await registerOverRest(base, token, fleet.ids);
    const checkins = await fleet.checkIn();
    assert.ok(checkins.every((r) => r.ok), 'every device checks in');

    const image = new Uint8Array(Buffer.concat([Buffer.from(encodeSimulatedFirmware({ fwV: '2.0', mod: 'SIM-1' })), Buffer.alloc(20_000, 0x20)]));
    const pkg = await api<FirmwareDto>(base, 'POST', '/api/firmware?name=Image%202.0&version=2.0&models=SIM-1', image, { 'content-type': 'application/octet-stream', ...auth });
    const c = await api<CampaignDto>(base, 'POST', '/api/campaigns', {
      name: 'fleet', packageId: pkg.id, fumoNode: 'Pkg', start: true, retry: RETRY, deviceTimeoutMs: 20_000,
      selection: { models: ['SIM-1'] }, rollout: { wavePercent: 25, maxInFlight: 40, failureThreshold: 0.5 },
    }, auth);
    assert.equal(c.waveCount, 4);

    // Kill the server once about a third of the devices are done, then restart it on the same database.
    await until(base, token, c.id, (s) => s.finished >= COUNT / 3, 120_000);
    await proc.kill();
    proc = await startFumoServerProcess({ db, port, gatewayUrl: fleet.gatewayUrl });
    const s = await until(base, token, c.id, (x) => x.campaign.state === 'completed', 200_000);

    const expected = failures.expectedCounts(fleet.ids);
    const ok = expected.get('ok') ?? 0;
    assert.ok(ok > 150 && ok < 195, `the profile fails about 10 % (${COUNT - ok})`);
    assert.equal(s.total, COUNT);
    assert.equal(s.byState.succeeded, ok, JSON.stringify(s.byState));
    assert.equal(s.byState.failed, COUNT - ok);
    assert.equal(s.byState.timed_out, 0);
    const byCode = new Map(s.byResult.map((r) => [r.code, r.count]));
    assert.equal(byCode.get(200), ok);
    for (const [code, n] of expected) if (code !== 'ok') assert.equal(byCode.get(code), n, `devices with result ${code}`);
    await fleet.idle();
    const updated = fleet.ids.filter((id) => fleet.fwV(id) === '2.0').length;
    assert.equal(updated, ok, 'exactly the healthy devices run the new firmware');
  });
});
