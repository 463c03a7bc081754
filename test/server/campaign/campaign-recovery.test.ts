import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteCampaignStore } from '../../../src/server/campaign/sqlite-campaign-store.js';
import { type JobRecord, deviceId } from '../../../src/server/store/store.js';
import { type CampaignFixture, campaignFixture, reportResult, runSession } from './campaign-fixtures.js';

const execOf = (jobs: readonly JobRecord[]): JobRecord | undefined => jobs.find((x) => x.command.kind === 'Exec');

describe('CampaignService after a restart', () => {
  let fx: CampaignFixture;
  beforeEach(async () => {
    fx = await campaignFixture();
  });
  afterEach(async () => fx.dispose());

  it('continues every device from its stored position, applying what happened while it was down', async () => {
    for (const id of ['a', 'b', 'c', 'd']) await fx.addDevice(id);
    const first = await fx.service();
    const c = await first.create({ name: 'r', packageId: fx.pkg.id, rollout: { maxInFlight: 3 } });
    await first.start(c.id);
    await first.whenIdle();
    const execA = execOf(await runSession(fx, 'a'));
    await first.whenIdle();
    await first.close(); // the process is gone: nothing below is seen live

    if (execA) await reportResult(fx, 'a', execA, 200);
    const execB = execOf(await runSession(fx, 'b'));
    // Device d was marked sending by the dead process, which died before queuing its commands.
    const store = new SqliteCampaignStore(fx.fumoDb);
    const d = await store.getDevice(c.id, 'd');
    assert.equal(d?.state, 'pending');
    if (d) await store.updateDevice({ ...d, state: 'sending', attempt: 1, step: 'DownloadAndUpdate', correlator: 'fumo-lost', wakes: 0, deadlineAt: fx.clock.now() + 60_000 }, 'pending');

    const second = await fx.service();
    await second.whenIdle();
    const byId = new Map((await second.devices(c.id)).items.map((x) => [x.deviceId, x]));
    assert.equal(byId.get('a')?.state, 'verifying');
    assert.equal(byId.get('b')?.state, 'executing');
    assert.equal(byId.get('c')?.state, 'sending');
    assert.equal(byId.get('d')?.state, 'sending');
    const dJobs = await runSession(fx, 'd');
    assert.deepEqual(dJobs.map((j) => j.command.kind), ['Replace', 'Exec']);
    assert.equal(execOf(dJobs)?.correlator, 'fumo-lost');

    // Everything finishes under the new process, each exactly once.
    await runSession(fx, 'a');
    if (execB) await reportResult(fx, 'b', execB, 200);
    const execC = execOf(await runSession(fx, 'c'));
    await second.whenIdle();
    if (execC) await reportResult(fx, 'c', execC, 501);
    await reportResult(fx, 'd', execOf(dJobs) as JobRecord, 200);
    await second.whenIdle();
    for (const id of ['b', 'd']) await runSession(fx, id);
    await second.whenIdle();
    const s = await second.status(c.id);
    assert.deepEqual({ ok: s.byState.succeeded, failed: s.byState.failed }, { ok: 3, failed: 1 });
    assert.equal(s.campaign.state, 'completed');
    const verifies = (await fx.queue.list({ deviceId: deviceId('a') })).items.filter((j) => j.command.kind === 'Get');
    assert.equal(verifies.length, 1, 'the verification was queued once');
  });

  it('does not apply the same 1226 twice when it is seen live and again on recovery', async () => {
    await fx.addDevice('a');
    const svc = await fx.service();
    const c = await svc.create({ name: 'r', packageId: fx.pkg.id });
    await svc.start(c.id);
    await svc.whenIdle();
    const exec = execOf(await runSession(fx, 'a'));
    await svc.whenIdle();
    if (exec) await reportResult(fx, 'a', exec, 200);
    await svc.whenIdle();
    await svc.close();
    const again = await fx.service();
    await again.whenIdle();
    assert.equal((await fx.queue.list({ deviceId: deviceId('a') })).items.filter((j) => j.command.kind === 'Get').length, 1);
    assert.equal((await again.devices(c.id)).items[0]?.state, 'verifying');
  });
});
