// The campaign service drops DM events of devices with no attempt in flight without a store
// lookup, and still sees every event of a device that has one (also after a restart).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CampaignStore } from '../../../src/server/campaign/campaign-store.js';
import { SqliteCampaignStore } from '../../../src/server/campaign/sqlite-campaign-store.js';
import { type JobRecord, deviceId, sessionId } from '../../../src/server/store/store.js';
import { type CampaignFixture, campaignFixture, reportResult, runSession } from './campaign-fixtures.js';

/** Store reads the event handlers make to find a device's campaign rows. */
const LOOKUPS = new Set(['findJob', 'findActiveByDevice', 'findByCorrelator', 'getDevice', 'listJobs']);

/** `store` with every lookup call recorded in `calls`. */
function counting(store: CampaignStore, calls: string[]): CampaignStore {
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (LOOKUPS.has(String(prop))) calls.push(String(prop));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const execOf = (jobs: readonly JobRecord[]): JobRecord => {
  const j = jobs.find((x) => x.command.kind === 'Exec');
  if (!j) throw new Error('no Exec in the batch');
  return j;
};

describe('CampaignService event filter', () => {
  let fx: CampaignFixture;
  let calls: string[];
  beforeEach(async () => {
    fx = await campaignFixture();
    calls = [];
  });
  afterEach(async () => fx.dispose());

  /** A plain DM session (a queued Get answered), a 1226 with and one without Correlator. */
  async function ordinaryTraffic(id: string): Promise<void> {
    await fx.queue.enqueue(deviceId(id), { kind: 'Get', uris: ['./DevInfo/Mod'] }, { correlator: 'not-a-campaign' });
    const jobs = await runSession(fx, id);
    assert.equal(jobs.length, 1);
    await fx.events.append({ type: 'alert', deviceId: deviceId(id), code: 1226, correlator: 'not-a-campaign', items: [{ source: './FwUpdate/X', data: '200' }] });
    await fx.events.append({ type: 'alert', deviceId: deviceId(id), code: 1226, items: [{ source: './FwUpdate/X', data: '200' }] });
    await fx.events.append({ type: 'session.end', deviceId: deviceId(id), sessionId: sessionId('s-x'), outcome: 'completed' });
  }

  it('makes no campaign lookup for DM events when no campaign is active', async () => {
    await fx.addDevice('a');
    const svc = await fx.service({ campaigns: counting(new SqliteCampaignStore(fx.fumoDb), calls) });
    // A draft campaign has nothing in flight.
    await svc.create({ name: 'draft', packageId: fx.pkg.id });
    await ordinaryTraffic('a');
    await svc.whenIdle();
    assert.deepEqual(calls.slice(), []);
  });

  it('looks up only devices in flight, runs their campaign to the end, then stops looking', async () => {
    await fx.addDevice('a');
    await fx.addDevice('b');
    const svc = await fx.service({ campaigns: counting(new SqliteCampaignStore(fx.fumoDb), calls) });
    const c = await svc.create({ name: 'c', packageId: fx.pkg.id, selection: { deviceIds: ['a'] } });
    await svc.start(c.id);
    await svc.whenIdle();
    calls.length = 0;
    await ordinaryTraffic('b');
    await svc.whenIdle();
    assert.deepEqual(calls.slice(), [], 'a device outside the campaign costs no lookup');

    await reportResult(fx, 'a', execOf(await runSession(fx, 'a')), 200);
    await svc.whenIdle();
    await runSession(fx, 'a');
    await svc.whenIdle();
    assert.ok(calls.includes('findJob') && calls.includes('findByCorrelator'));
    const status = await svc.status(c.id);
    assert.equal(status.byState.succeeded, 1);
    assert.equal(status.campaign.state, 'completed');

    calls.length = 0;
    await ordinaryTraffic('a');
    await svc.whenIdle();
    assert.deepEqual(calls.slice(), [], 'a device whose attempt ended costs no lookup');
  });

  it('knows the devices in flight after a restart', async () => {
    await fx.addDevice('a');
    const first = await fx.service();
    const c = await first.create({ name: 'c', packageId: fx.pkg.id });
    await first.start(c.id);
    await first.whenIdle();
    await first.close();

    const second = await fx.service({ campaigns: counting(new SqliteCampaignStore(fx.fumoDb), calls) });
    await second.whenIdle();
    calls.length = 0;
    const exec = execOf(await runSession(fx, 'a'));
    await second.whenIdle();
    assert.ok(calls.includes('findJob'));
    assert.equal((await second.devices(c.id)).items[0]?.state, 'executing');
    await reportResult(fx, 'a', exec, 200);
    await second.whenIdle();
    assert.equal((await second.devices(c.id)).items[0]?.state, 'verifying');
  });
});
