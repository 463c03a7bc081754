import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ErrorCode } from '../../../src/core/errors.js';
import type { CampaignService } from '../../../src/server/campaign/campaign-service.js';
import type { CampaignEventRecord } from '../../../src/server/campaign/campaign-types.js';
import { type JobRecord, deviceId } from '../../../src/server/store/store.js';
import { type CampaignFixture, campaignFixture, reportResult, runSession } from './campaign-fixtures.js';

const execOf = (jobs: readonly JobRecord[]): JobRecord => {
  const j = jobs.find((x) => x.command.kind === 'Exec');
  if (!j) throw new Error('no Exec in the batch');
  return j;
};

describe('CampaignService', () => {
  let fx: CampaignFixture;
  let svc: CampaignService;
  let events: CampaignEventRecord[];
  beforeEach(async () => {
    fx = await campaignFixture();
    svc = await fx.service();
    events = [];
    svc.subscribe((e) => events.push(e));
  });
  afterEach(async () => fx.dispose());

  const state = async (cid: string, dev: string) => (await svc.devices(cid)).items.find((d) => d.deviceId === dev)?.state;

  it('selects devices by model, firmware, group and explicit id, leaving out misfits', async () => {
    await fx.addDevice('a', { groups: ['g1'] });
    await fx.addDevice('b', { groups: ['g1'] });
    await fx.addDevice('c', { mod: 'OTHER', groups: ['g1'] });
    await fx.addDevice('d', { fwV: '2.0' });
    await fx.addDevice('e', { fwV: '0.9' });
    const all = await svc.create({ name: 'all', packageId: fx.pkg.id });
    assert.deepEqual((await svc.devices(all.id)).items.map((d) => d.deviceId), ['a', 'b']);
    assert.deepEqual(all.excluded, { incompatible: 2, alreadyCurrent: 1 });
    const group = await svc.create({ name: 'g', packageId: fx.pkg.id, selection: { groups: ['g1'], models: ['SIM'] } });
    assert.equal((await svc.status(group.id)).total, 2);
    const one = await svc.create({ name: 'one', packageId: fx.pkg.id, selection: { deviceIds: ['b'] } });
    assert.deepEqual((await svc.devices(one.id)).items.map((d) => d.deviceId), ['b']);
    await assert.rejects(svc.create({ name: 'x', packageId: fx.pkg.id, selection: { deviceIds: ['nope'] } }), { code: ErrorCode.ERR_CAMPAIGN_INVALID });
    await assert.rejects(svc.create({ name: 'x', packageId: fx.pkg.id, selection: { firmwareVersions: ['7'] } }), { code: ErrorCode.ERR_CAMPAIGN_INVALID });
    await assert.rejects(svc.create({ name: 'x', packageId: 'fw-none' }), { code: ErrorCode.ERR_CAMPAIGN_INVALID });
  });

  it('updates a device end to end: Replace PkgURL, Exec with Correlator, 1226, Get FwV', async () => {
    await fx.addDevice('a');
    const c = await svc.create({ name: 'c', packageId: fx.pkg.id, fumoNode: 'Pkg1' });
    await svc.start(c.id);
    await svc.whenIdle();
    assert.deepEqual(fx.wakes, ['a']);
    const batch = await runSession(fx, 'a');
    assert.deepEqual(batch.map((j) => j.command), [
      { kind: 'Replace', items: [{ uri: './FwUpdate/Pkg1/DownloadAndUpdate/PkgURL', data: `http://dm.test/firmware/${fx.pkg.id}#size=${fx.pkg.size}&sha256=${fx.pkg.sha256}`, format: 'chr' }] },
      { kind: 'Exec', item: { uri: './FwUpdate/Pkg1/DownloadAndUpdate' } },
    ]);
    const exec = execOf(batch);
    assert.match(exec.correlator ?? '', /^fumo-/);
    await svc.whenIdle();
    assert.equal(await state(c.id, 'a'), 'executing');
    await reportResult(fx, 'a', exec, 200);
    await svc.whenIdle();
    assert.equal(await state(c.id, 'a'), 'verifying');
    const verify = await runSession(fx, 'a');
    assert.deepEqual(verify.map((j) => j.command), [{ kind: 'Get', uris: ['./DevDetail/FwV'] }]);
    await svc.whenIdle();
    const status = await svc.status(c.id);
    assert.equal(status.byState.succeeded, 1);
    assert.deepEqual(status.byResult, [{ code: 200, meaning: 'Successful', count: 1 }]);
    assert.equal(status.campaign.state, 'completed');
    const dev = (await svc.devices(c.id)).items[0];
    assert.equal(dev?.fwBefore, '1.0');
    assert.equal(dev?.fwAfter, '2.0');
    assert.deepEqual(events.filter((e) => e.type === 'device.state').map((e) => e.type === 'device.state' && e.to), ['sending', 'executing', 'verifying', 'succeeded']);
    assert.ok(events.some((e) => e.type === 'campaign.state' && e.to === 'completed'));
  });

  it('records a failure result with its meaning and does not retry a package failure', async () => {
    await fx.addDevice('a');
    const c = await svc.create({ name: 'c', packageId: fx.pkg.id });
    await svc.start(c.id);
    await svc.whenIdle();
    await reportResult(fx, 'a', execOf(await runSession(fx, 'a')), 402);
    await svc.whenIdle();
    const d = (await svc.devices(c.id)).items[0];
    assert.equal(d?.state, 'failed');
    assert.equal(d?.failureClass, 'package');
    assert.equal(d?.detail, 'Corrupted firmware update package');
    assert.deepEqual((await svc.status(c.id)).byResult, [{ code: 402, meaning: 'Corrupted firmware update package', count: 1 }]);
    assert.equal((await svc.status(c.id)).campaign.state, 'completed');
  });

  it('retries a network failure after its delay, up to the class budget', async () => {
    await fx.addDevice('a');
    const c = await svc.create({ name: 'c', packageId: fx.pkg.id, retry: { network: { maxAttempts: 2, delayMs: 5000 } } });
    await svc.start(c.id);
    await svc.whenIdle();
    await reportResult(fx, 'a', execOf(await runSession(fx, 'a')), 503);
    await svc.whenIdle();
    assert.equal(await state(c.id, 'a'), 'retry_wait');
    await svc.tick();
    assert.equal(await state(c.id, 'a'), 'retry_wait');
    fx.clock.advance(5000);
    await svc.tick();
    await svc.whenIdle();
    assert.equal(await state(c.id, 'a'), 'sending');
    const second = execOf(await runSession(fx, 'a'));
    await reportResult(fx, 'a', second, 503);
    await svc.whenIdle();
    const d = (await svc.devices(c.id)).items[0];
    assert.equal(d?.state, 'failed');
    assert.equal(d?.attempt, 2);
  });

  it('runs the Download then Update flow with a fresh Correlator for each Exec', async () => {
    await fx.addDevice('a');
    const c = await svc.create({ name: 'c', packageId: fx.pkg.id, flow: 'download-then-update', fumoNode: 'P' });
    await svc.start(c.id);
    await svc.whenIdle();
    const first = await runSession(fx, 'a');
    assert.equal(first[0]?.command.kind === 'Replace' && first[0].command.items[0]?.uri, './FwUpdate/P/Download/PkgURL');
    const dl = execOf(first);
    assert.deepEqual(dl.command, { kind: 'Exec', item: { uri: './FwUpdate/P/Download' } });
    await svc.whenIdle();
    await reportResult(fx, 'a', dl, 200);
    await svc.whenIdle();
    assert.equal(await state(c.id, 'a'), 'sending');
    const second = await runSession(fx, 'a');
    const up = execOf(second);
    assert.equal(second.length, 1);
    assert.deepEqual(up.command, { kind: 'Exec', item: { uri: './FwUpdate/P/Update' } });
    assert.notEqual(up.correlator, dl.correlator);
    await svc.whenIdle();
    await reportResult(fx, 'a', up, 200);
    await svc.whenIdle();
    await runSession(fx, 'a');
    await svc.whenIdle();
    assert.equal(await state(c.id, 'a'), 'succeeded');
  });

  it('sends the package in the session for the Update/PkgData flow', async () => {
    await fx.addDevice('a');
    const c = await svc.create({ name: 'c', packageId: fx.pkg.id, flow: 'update-in-session', fumoNode: 'P' });
    await svc.start(c.id);
    await svc.whenIdle();
    const batch = await runSession(fx, 'a');
    assert.deepEqual(batch[0]?.command, {
      kind: 'Replace', items: [{ uri: './FwUpdate/P/Update/PkgData', data: Buffer.from('{"fw":"2.0"}').toString('base64'), base64: true, format: 'bin' }],
    });
    assert.deepEqual(execOf(batch).command, { kind: 'Exec', item: { uri: './FwUpdate/P/Update' } });
  });

  it('gives the descriptor URL as PkgURL when asked to', async () => {
    await fx.addDevice('a');
    const c = await svc.create({ name: 'c', packageId: fx.pkg.id, useDescriptor: true });
    await svc.start(c.id);
    await svc.whenIdle();
    const [setup] = await runSession(fx, 'a');
    assert.equal(setup?.command.kind === 'Replace' && setup.command.items[0]?.data, `http://dm.test/firmware/${fx.pkg.id}/dd`);
  });

  it('fails a device whose Exec is refused, with the Status in the detail', async () => {
    await fx.addDevice('a');
    const c = await svc.create({ name: 'c', packageId: fx.pkg.id, retry: { exec: { maxAttempts: 1, delayMs: 0 } } });
    await svc.start(c.id);
    await svc.whenIdle();
    await runSession(fx, 'a', (j) => ({ status: j.command.kind === 'Exec' ? 405 : 200 }));
    await svc.whenIdle();
    const d = (await svc.devices(c.id)).items[0];
    assert.equal(d?.state, 'failed');
    assert.equal(d?.failureClass, 'exec');
    assert.match(d?.detail ?? '', /answered 405/);
  });

  it('fails verification when FwV is not the package version', async () => {
    await fx.addDevice('a');
    const c = await svc.create({ name: 'c', packageId: fx.pkg.id });
    await svc.start(c.id);
    await svc.whenIdle();
    await reportResult(fx, 'a', execOf(await runSession(fx, 'a')), 200);
    await svc.whenIdle();
    await runSession(fx, 'a', () => ({ status: 200, fwV: '1.0' }));
    await svc.whenIdle();
    const d = (await svc.devices(c.id)).items[0];
    assert.equal(d?.state, 'failed');
    assert.equal(d?.failureClass, 'verify');
    assert.equal(d?.fwAfter, '1.0');
  });

  it('matches a 1226 without Correlator by its Source', async () => {
    await fx.addDevice('a');
    const c = await svc.create({ name: 'c', packageId: fx.pkg.id });
    await svc.start(c.id);
    await svc.whenIdle();
    await reportResult(fx, 'a', execOf(await runSession(fx, 'a')), 200, { withCorrelator: false });
    await svc.whenIdle();
    assert.equal(await state(c.id, 'a'), 'verifying');
  });

  it('wakes the device again when a session ends with its commands still queued', async () => {
    await fx.addDevice('a');
    const c = await svc.create({ name: 'c', packageId: fx.pkg.id });
    await svc.start(c.id);
    await svc.whenIdle();
    await fx.events.append({ type: 'session.end', deviceId: deviceId('a'), sessionId: 'x' as never, outcome: 'completed' });
    await svc.whenIdle();
    assert.deepEqual(fx.wakes, ['a', 'a']);
  });
});
