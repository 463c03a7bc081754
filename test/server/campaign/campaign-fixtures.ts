// A campaign service over a real SQLite core store, a firmware repository and a fake clock, plus
// `FakeFleet`: devices that answer queued jobs the way the session engine records them (markSent,
// recordStatus, recordResults) and report FUMO results as 1226 alert events.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventLog } from '../../../src/server/events/event-log.js';
import { CampaignService, type CampaignServiceOptions } from '../../../src/server/campaign/campaign-service.js';
import { SqliteCampaignStore } from '../../../src/server/campaign/sqlite-campaign-store.js';
import { FirmwareRepository } from '../../../src/server/firmware/firmware-repository.js';
import type { FirmwarePackageRecord } from '../../../src/server/firmware/firmware-store.js';
import { SqliteFirmwareStore } from '../../../src/server/firmware/sqlite-firmware-store.js';
import { CommandQueue } from '../../../src/server/queue/command-queue.js';
import { SqliteStore } from '../../../src/server/store/sqlite/sqlite-store.js';
import { type DeviceId, type JobRecord, type ServerStore, deviceId, sessionId } from '../../../src/server/store/store.js';
import { counterRandom, fakeClock } from '../store/store-factories.js';

export type FakeClock = ReturnType<typeof fakeClock>;

export interface CampaignFixture {
  readonly dir: string;
  readonly clock: FakeClock;
  readonly store: ServerStore;
  readonly fumoDb: Database.Database;
  readonly events: EventLog;
  readonly queue: CommandQueue;
  readonly firmware: FirmwareRepository;
  readonly wakes: string[];
  readonly pkg: FirmwarePackageRecord;
  /** Builds (and opens) a campaign service over the fixture; call it again to simulate a restart. */
  service(overrides?: Partial<CampaignServiceOptions>): Promise<CampaignService>;
  addDevice(id: string, opts?: { mod?: string; fwV?: string; groups?: string[] }): Promise<DeviceId>;
  dispose(): Promise<void>;
}

export async function campaignFixture(): Promise<CampaignFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'omadm-campaign-'));
  const clock = fakeClock();
  const store = SqliteStore.open({ path: join(dir, 'core.db') });
  // A file of its own: a second connection to the core file would contend for its write lock.
  const fumoDb = new Database(join(dir, 'fumo.db'));
  const events = new EventLog({ store, clock });
  const queue = new CommandQueue({ store, clock, events, random: counterRandom() });
  const firmware = new FirmwareRepository({ store: new SqliteFirmwareStore(fumoDb), dataDir: dir, clock, random: counterRandom() });
  const pkg = await firmware.upload(new Uint8Array(Buffer.from('{"fw":"2.0"}')), { name: 'Image 2.0', version: '2.0', models: ['SIM'], fromVersions: ['1.0'] });
  const wakes: string[] = [];
  const services: CampaignService[] = [];
  const campaigns = new SqliteCampaignStore(fumoDb);
  return {
    dir, clock, store, fumoDb, events, queue, firmware, wakes, pkg,
    async service(overrides = {}) {
      const s = new CampaignService({
        campaigns, firmware, devices: store.devices, store, queue, events, clock, random: counterRandom(),
        publicUrl: 'http://dm.test', tickIntervalMs: 0,
        notifier: { wake: async (id) => { wakes.push(id); return {}; } },
        ...overrides,
      });
      services.push(s);
      await s.open();
      return s;
    },
    async addDevice(id, opts = {}) {
      const d = deviceId(id);
      await store.devices.insert({
        id: d, createdAt: clock.now(), devInfo: { devId: id, mod: opts.mod ?? 'SIM' }, devDetail: { FwV: opts.fwV ?? '1.0' }, groups: opts.groups ?? [],
      });
      return d;
    },
    async dispose() {
      for (const s of services) await s.close();
      await store.close();
      fumoDb.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** How a fake device answers one job: its Status, and for a Get the value of FwV. */
export type JobAnswer = (job: JobRecord) => { status: number; fwV?: string };

let sessionCounter = 0;

/** Runs one "session" for a device: everything queued is sent and answered; returns the jobs. */
export async function runSession(fx: CampaignFixture, id: string, answer: JobAnswer = defaultAnswer): Promise<JobRecord[]> {
  const dev = deviceId(id);
  const sid = sessionId(`sess-${++sessionCounter}`);
  await fx.events.append({ type: 'session.start', deviceId: dev, sessionId: sid, dmSessionId: '1', initiator: 'server' });
  const batch = await fx.queue.nextBatch(dev);
  if (batch.length > 0) {
    await fx.queue.markSent(batch.map((j) => j.id), { sessionId: sid, msgId: 2, cmdIds: batch.map((_, i) => i + 1) });
    for (const [i, job] of batch.entries()) {
      const a = answer(job);
      await fx.queue.recordStatus(dev, { sessionId: sid, msgRef: 2, cmdRef: i + 1, status: a.status });
      if (job.command.kind === 'Get' && a.status === 200) {
        await fx.queue.recordResults(dev, { sessionId: sid, msgRef: 2, cmdRef: i + 1, items: [{ uri: './DevDetail/FwV', format: 'chr', data: a.fwV ?? '2.0' }] });
      }
    }
  }
  await fx.events.append({ type: 'session.end', deviceId: dev, sessionId: sid, outcome: 'completed' });
  return batch;
}

/** Replace 200, Exec 202, Get 200 with FwV 2.0. */
export const defaultAnswer: JobAnswer = (job) => ({ status: job.command.kind === 'Exec' ? 202 : 200, fwV: '2.0' });

/** Reports a FUMO result for the device's Exec with this correlator (a new session's Generic Alert). */
export async function reportResult(fx: CampaignFixture, id: string, exec: JobRecord, code: number, opts: { withCorrelator?: boolean } = {}): Promise<void> {
  const dev = deviceId(id);
  const uri = exec.command.kind === 'Exec' ? exec.command.item.uri : '';
  await fx.events.append({
    type: 'alert', deviceId: dev, code: 1226, items: [{ source: uri, type: 'org.openmobilealliance.dm.firmwareupdate.downloadandupdate', format: 'int', data: String(code) }],
    ...(opts.withCorrelator === false ? {} : { correlator: exec.correlator ?? '' }),
  });
}
