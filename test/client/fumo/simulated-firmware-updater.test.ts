import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { ALL_FAILURE_KINDS, DOWNLOAD_FAILURES, FAILURE_RESULT, FailureProfile, type FailureKind } from '../../../src/client/fumo/failure-profile.js';
import { FilePartialDownloadStore } from '../../../src/client/fumo/partial-download-store.js';
import { SimulatedFirmwareUpdater } from '../../../src/client/fumo/simulated-firmware-updater.js';
import { encodeSimulatedFirmware, isFumoFailure, type FirmwareDeviceInfo } from '../../../src/client/mo/fumo-updater.js';
import { type PackageServer, startPackageServer } from './package-server.js';

const pkg = encodeSimulatedFirmware({ fwV: '2.0', swV: '2.0.1', mod: 'SIM' });
// Pad the package so a transfer can break in the middle (the JSON decoder ignores trailing spaces).
const body = new Uint8Array(Buffer.concat([Buffer.from(pkg), Buffer.alloc(100_000, 0x20)]));
const sha = createHash('sha256').update(body).digest('hex');
const device = (devId: string): FirmwareDeviceInfo => ({ devId, man: 'Sim', mod: 'SIM', fwV: '1.0', swV: '1.0' });

describe('SimulatedFirmwareUpdater (real HTTP)', () => {
  let srv: PackageServer;
  before(async () => { srv = await startPackageServer(body); });
  after(async () => srv.close());
  beforeEach(() => {
    srv.requests.length = 0;
    srv.notifications.length = 0;
    srv.cutAfter(0, 0);
  });

  it('downloads through the URL fragment checks and installs the new FwV and SwV', async () => {
    const u = new SimulatedFirmwareUpdater();
    const data = await u.download(`${srv.url}/pkg.bin#size=${body.byteLength}&sha256=${sha}`, undefined, device('a'));
    assert.ok(!isFumoFailure(data));
    assert.equal(srv.requests.length, 1, 'the probe response is the download');
    assert.deepEqual(await u.install(data, device('a')), { ok: true, resultCode: 200, newFwV: '2.0', newSwV: '2.0.1' });
  });

  it('follows a download descriptor, checks its SHA-256 and reports 900 to installNotifyURI', async () => {
    const u = new SimulatedFirmwareUpdater();
    const data = await u.download(`${srv.url}/pkg.dd`, undefined, device('a'));
    assert.ok(!isFumoFailure(data));
    assert.deepEqual(srv.requests.map((r) => r.path), ['/pkg.dd', '/pkg.bin', '/notify']);
    assert.deepEqual(srv.notifications, ['900 Success']);
  });

  it('refuses a package built for another model (403)', async () => {
    const u = new SimulatedFirmwareUpdater();
    assert.equal((await u.install(pkg, { ...device('a'), mod: 'OTHER' })).resultCode, 403);
    assert.equal((await u.install(new Uint8Array([1, 2, 3]), device('a'))).resultCode, 402);
    const strict = new SimulatedFirmwareUpdater({ verifySignature: () => false });
    assert.equal((await strict.install(pkg, device('a'))).resultCode, 404);
  });

  it('produces every FUMO result code from its failure kind, in the right phase', async () => {
    for (const kind of ALL_FAILURE_KINDS) {
      const u = new SimulatedFirmwareUpdater({ failures: new FailureProfile({ devices: { d: kind } }), retries: 1, retryDelayMs: 1 });
      const url = `${srv.url}/pkg.bin#size=${body.byteLength}&sha256=${sha}`;
      const got = await u.download(url, undefined, device('d'));
      let code: number;
      if (isFumoFailure(got)) {
        assert.ok(DOWNLOAD_FAILURES.has(kind), `${kind} failed the download`);
        code = got.resultCode;
      } else {
        assert.ok(!DOWNLOAD_FAILURES.has(kind), `${kind} should fail the download`);
        const outcome = await u.install(got, device('d'));
        assert.equal(outcome.ok, false);
        code = outcome.resultCode;
      }
      assert.equal(code, FAILURE_RESULT[kind as FailureKind], kind);
    }
  });

  it('fails a transient kind once, then succeeds and resumes from the kept bytes', async () => {
    const u = new SimulatedFirmwareUpdater({ failures: new FailureProfile({ devices: { d: 'network-loss' }, transient: true }), retries: 0 });
    const url = `${srv.url}/pkg.bin#size=${body.byteLength}&sha256=${sha}`;
    const first = await u.download(url, undefined, device('d'));
    assert.equal(isFumoFailure(first) && first.resultCode, 503);
    const second = await u.download(url, undefined, device('d'));
    assert.ok(!isFumoFailure(second));
    const resumed = srv.requests.find((r) => r.range !== undefined);
    assert.equal(resumed?.range, `bytes=${Math.floor(body.byteLength / 2)}-`);
  });

  it('reports the failure kind to installNotifyURI for a descriptor download', async () => {
    const u = new SimulatedFirmwareUpdater({ failures: new FailureProfile({ devices: { d: 'corrupt-package' } }) });
    const got = await u.download(`${srv.url}/pkg.dd`, undefined, device('d'));
    assert.equal(isFumoFailure(got) && got.resultCode, 402);
    assert.deepEqual(srv.notifications, ['905 Attribute mismatch']);
  });

  describe('across a restart', () => {
    let dir: string;
    beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'omadm-upd-')); });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('resumes a download a previous process left half done', async () => {
      srv.cutAfter(60_000, 5);
      const url = `${srv.url}/pkg.bin#size=${body.byteLength}&sha256=${sha}`;
      const dying = new SimulatedFirmwareUpdater({ partials: new FilePartialDownloadStore(dir), retries: 0 });
      assert.ok(isFumoFailure(await dying.download(url, undefined, device('a'))));
      srv.cutAfter(0, 0);
      srv.requests.length = 0;
      const restarted = new SimulatedFirmwareUpdater({ partials: new FilePartialDownloadStore(dir) });
      const data = await restarted.download(url, undefined, device('a'));
      assert.ok(!isFumoFailure(data));
      assert.equal(srv.requests.length, 1);
      assert.match(srv.requests[0]?.range ?? '', /^bytes=[1-9]\d*-$/);
    });
  });
});
