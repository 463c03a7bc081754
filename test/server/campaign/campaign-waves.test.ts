import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ErrorCode } from '../../../src/core/errors.js';
import type { CampaignService } from '../../../src/server/campaign/campaign-service.js';
import type { JobRecord } from '../../../src/server/store/store.js';
import { type CampaignFixture, campaignFixture, reportResult, runSession } from './campaign-fixtures.js';

const execOf = (jobs: readonly JobRecord[]): JobRecord | undefined => jobs.find((x) => x.command.kind === 'Exec');

describe('CampaignService rollout', () => {
  let fx: CampaignFixture;
  let svc: CampaignService;
  beforeEach(async () => {
    fx = await campaignFixture();
    svc = await fx.service();
  });
  afterEach(async () => fx.dispose());

  const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `dev-${String(i).padStart(3, '0')}`);
  async function addFleet(n: number): Promise<string[]> {
    for (const id of ids(n)) await fx.addDevice(id);
    return ids(n);
  }
  /** One full round for every device with commands: session, result, verification session. */
  async function answerAll(devs: readonly string[], result: (id: string) => number = () => 200): Promise<void> {
    for (const id of devs) {
      const exec = execOf(await runSession(fx, id));
      await svc.whenIdle();
      if (exec) await reportResult(fx, id, exec, result(id));
      await svc.whenIdle();
      await runSession(fx, id);
      await svc.whenIdle();
    }
  }

  it('assigns waves by size and keeps at most maxInFlight devices in flight', async () => {
    const devs = await addFleet(10);
    const c = await svc.create({ name: 'w', packageId: fx.pkg.id, rollout: { waveSize: 4, maxInFlight: 2 } });
    assert.equal(c.waveCount, 3);
    assert.deepEqual((await svc.devices(c.id)).items.map((d) => d.wave), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
    await svc.start(c.id);
    await svc.whenIdle();
    let s = await svc.status(c.id);
    assert.equal(s.inFlight, 2);
    assert.equal(s.byState.pending, 8);
    await answerAll(devs.slice(0, 2));
    s = await svc.status(c.id);
    assert.equal(s.byState.succeeded, 2);
    assert.equal(s.inFlight, 2);
    assert.equal(s.campaign.currentWave, 0);
    await answerAll(devs.slice(2, 4));
    s = await svc.status(c.id);
    assert.equal(s.campaign.currentWave, 1, 'the second wave starts once the first is done');
    assert.deepEqual((await svc.devices(c.id, { state: 'sending' })).items.map((d) => d.deviceId), ['dev-004', 'dev-005']);
    await answerAll(devs.slice(4));
    s = await svc.status(c.id);
    assert.equal(s.byState.succeeded, 10);
    assert.equal(s.campaign.state, 'completed');
    assert.equal(s.percentComplete, 100);
  });

  it('sizes waves by percentage', async () => {
    await addFleet(10);
    const c = await svc.create({ name: 'p', packageId: fx.pkg.id, rollout: { wavePercent: 25, maxInFlight: 100 } });
    assert.equal(c.waveCount, 4);
  });

  it('pauses when a wave is certain to pass the failure threshold, and goes on after resume', async () => {
    const devs = await addFleet(8);
    const c = await svc.create({ name: 't', packageId: fx.pkg.id, rollout: { waveSize: 4, maxInFlight: 4, failureThreshold: 0.25 } });
    await svc.start(c.id);
    await svc.whenIdle();
    await answerAll(devs.slice(0, 2), () => 402);
    let s = await svc.status(c.id);
    assert.equal(s.campaign.state, 'paused');
    assert.match(s.campaign.pauseReason ?? '', /wave 1: 2 of 4 devices failed \(50%\), above the 25% threshold/);
    await answerAll(devs.slice(2, 4));
    s = await svc.status(c.id);
    assert.equal(s.campaign.currentWave, 0, 'a paused campaign does not move to the next wave');
    assert.equal(s.byState.pending, 4);
    await assert.rejects(svc.pause(c.id), { code: ErrorCode.ERR_CAMPAIGN_ILLEGAL_STATE });
    await svc.resume(c.id);
    await svc.whenIdle();
    s = await svc.status(c.id);
    assert.equal(s.campaign.state, 'running');
    assert.equal(s.campaign.currentWave, 1);
    assert.equal(s.inFlight, 4);
    await answerAll(devs.slice(4));
    s = await svc.status(c.id);
    assert.equal(s.campaign.state, 'completed');
    assert.equal(s.byState.succeeded, 6);
    assert.equal(s.byState.failed, 2);
  });

  it('times out a device that never answers and cancels its queued commands', async () => {
    const [dev] = await addFleet(1);
    const c = await svc.create({ name: 'to', packageId: fx.pkg.id, deviceTimeoutMs: 60_000, retry: { timeout: { maxAttempts: 1, delayMs: 0 } } });
    await svc.start(c.id);
    await svc.whenIdle();
    fx.clock.advance(59_999);
    await svc.tick();
    assert.equal((await svc.status(c.id)).inFlight, 1);
    fx.clock.advance(1);
    await svc.tick();
    await svc.whenIdle();
    const s = await svc.status(c.id);
    assert.equal(s.byState.timed_out, 1);
    assert.equal(s.campaign.state, 'completed');
    assert.deepEqual((await fx.queue.list({ state: 'queued' })).items, []);
    assert.equal((await runSession(fx, dev ?? '')).length, 0, 'nothing is sent after the time-out');
  });

  it('cancels pending devices and devices whose commands were not sent, and lets running ones finish', async () => {
    const devs = await addFleet(4);
    const c = await svc.create({ name: 'x', packageId: fx.pkg.id, rollout: { maxInFlight: 2 } });
    await svc.start(c.id);
    await svc.whenIdle();
    const exec = execOf(await runSession(fx, devs[0] ?? ''));
    await svc.whenIdle();
    await svc.cancel(c.id);
    await svc.whenIdle();
    let s = await svc.status(c.id);
    assert.equal(s.campaign.state, 'cancelled');
    assert.equal(s.byState.cancelled, 3);
    assert.equal(s.byState.executing, 1);
    if (exec) await reportResult(fx, devs[0] ?? '', exec, 200);
    await svc.whenIdle();
    await runSession(fx, devs[0] ?? '');
    await svc.whenIdle();
    s = await svc.status(c.id);
    assert.equal(s.byState.succeeded, 1);
    await assert.rejects(svc.start(c.id), { code: ErrorCode.ERR_CAMPAIGN_ILLEGAL_STATE });
  });

  it('refuses to delete a package a live campaign uses', async () => {
    await addFleet(1);
    await svc.create({ name: 'x', packageId: fx.pkg.id });
    await assert.rejects(fx.firmware.remove(fx.pkg.id), { code: ErrorCode.ERR_FIRMWARE_IN_USE });
  });
});
