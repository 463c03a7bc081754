import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createBody, formatStatus, parseDuration, parseRetry } from '../../../src/cli/commands/campaign.js';
import { encodeSimulatedFirmware } from '../../../src/client/mo/fumo-updater.js';
import type { CampaignStatusDto } from '../../../src/server/campaign/campaign-dto.js';
import { type FumoRig, startRig } from '../../e2e/fumo-harness.js';
import { type RunCliOptions, runCli } from '../../helpers/cli-process.js';

/** A hung command is killed, and fails its assertion, well inside the test's 120 s timeout. */
const bounded: RunCliOptions = { timeoutMs: 60_000 };

describe('campaign CLI helpers', () => {
  it('parses durations and retry rules', () => {
    assert.equal(parseDuration('--timeout', '1500'), 1500);
    assert.equal(parseDuration('--timeout', '90s'), 90_000);
    assert.equal(parseDuration('--timeout', '30m'), 1_800_000);
    assert.equal(parseDuration('--timeout', '2h'), 7_200_000);
    assert.throws(() => parseDuration('--timeout', 'soon'), /--timeout must be a duration/);
    assert.deepEqual(parseRetry('network=3:30s, package=1'), { network: { maxAttempts: 3, delayMs: 30_000 }, package: { maxAttempts: 1, delayMs: 0 } });
    assert.throws(() => parseRetry('network'), /class=attempts/);
  });

  it('builds the create request from the options', () => {
    const body = createBody({
      db: 'x', name: 'n', package: 'fw-1', flow: 'download-then-update', models: 'A,B', groups: 'g', wavePercent: '10', maxInFlight: '50',
      failureThreshold: '0.2', timeout: '10m', retry: 'network=2:5s', start: true,
    });
    assert.deepEqual(body, {
      name: 'n', packageId: 'fw-1', start: true, flow: 'download-then-update',
      selection: { models: ['A', 'B'], groups: ['g'] }, rollout: { wavePercent: 10, maxInFlight: 50, failureThreshold: 0.2 },
      deviceTimeoutMs: 600_000, retry: { network: { maxAttempts: 2, delayMs: 5000 } },
    });
  });

  it('prints counts by state and by result code with meanings', () => {
    const s = {
      campaign: { id: 'cmp-1', name: 'n', state: 'running', currentWave: 1, waveCount: 4, packageId: 'fw-1', targetVersion: '2.0', flow: 'download-and-update', useDescriptor: false, fumoNode: 'Pkg' },
      total: 10, percentComplete: 50, inFlight: 2,
      byState: { pending: 3, sending: 2, executing: 0, verifying: 0, retry_wait: 0, succeeded: 4, failed: 1, timed_out: 0, cancelled: 0 },
      byResult: [{ code: 200, meaning: 'Successful', count: 4 }, { code: 402, meaning: 'Corrupted firmware update package', count: 1 }],
      waves: [],
    } as unknown as CampaignStatusDto;
    const text = formatStatus(s);
    assert.match(text, /campaign cmp-1 "n": running, wave 2\/4/);
    assert.match(text, /pending 3, sending 2, succeeded 4, failed 1/);
    assert.match(text, /402 Corrupted firmware update package: 1/);
  });
});

describe('omadm firmware / campaign against a server', () => {
  let rig: FumoRig;
  let dir: string;
  before(async () => {
    rig = await startRig({ count: 2 });
    dir = mkdtempSync(join(tmpdir(), 'omadm-cli-fumo-'));
  });
  after(async () => {
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads a package, runs a campaign to the end and reports it', { timeout: 120_000 }, async () => {
    const conn = ['--url', rig.srv.url, '--token', rig.srv.token];
    const file = join(dir, 'image.bin');
    writeFileSync(file, encodeSimulatedFirmware({ fwV: '2.0', mod: 'SIM-1' }));
    const up = await runCli(['firmware', 'upload', file, '--name', 'Image 2.0', '--version', '2.0', '--models', 'SIM-1', '--json', ...conn], bounded);
    assert.equal(up.code, 0, up.err);
    const pkg = JSON.parse(up.out) as { id: string; size: number };
    const list = await runCli(['firmware', 'list', ...conn], bounded);
    assert.match(list.out, new RegExp(`${pkg.id}  Image 2.0  2.0`));
    const created = await runCli(['campaign', 'create', '--name', 'cli', '--package', pkg.id, '--fumo-node', 'Pkg', '--json', ...conn], bounded);
    assert.equal(created.code, 0, created.err);
    const id = (JSON.parse(created.out) as { id: string }).id;
    assert.equal((await runCli(['campaign', 'start', id, ...conn], bounded)).out, `campaign ${id} running\n`);
    const watched = await runCli(['campaign', 'status', id, '--watch', '0.2', ...conn], bounded);
    assert.equal(watched.code, 0, watched.err);
    assert.match(watched.out, /: completed, wave 1\/1/);
    assert.match(watched.out, /200 Successful: 2/);
    const devices = await runCli(['campaign', 'devices', id, ...conn], bounded);
    assert.match(devices.out, /succeeded {2}attempt 1 200 Successful/);
    const again = await runCli(['campaign', 'pause', id, ...conn], bounded);
    assert.equal(again.code, 1);
    assert.match(again.err, /^omadm: POST \/api\/campaigns\/cmp-[0-9a-f]+\/pause failed: campaign cmp-[0-9a-f]+ is completed \(ERR_CAMPAIGN_ILLEGAL_STATE\)/);
  });
});
