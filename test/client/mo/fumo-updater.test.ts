import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FumoResult } from '../../../src/core/constants/fumo.js';
import {
  HttpFirmwareUpdater, decodeSimulatedFirmware, encodeSimulatedFirmware, isFumoFailure, resultForHttpStatus,
} from '../../../src/client/mo/fumo-updater.js';

const PACKAGE = encodeSimulatedFirmware({ fwV: '2.0.0', swV: '6.5.1', mod: 'X1' });
const device = { devId: 'imei:1', man: 'M', mod: 'X1', fwV: '1.0', swV: '6.5.0' };

describe('HttpFirmwareUpdater', () => {
  let server: Server;
  let base = '';
  before(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '';
      if (path === '/pkg') return void res.end(Buffer.from(PACKAGE));
      if (path === '/big') return void res.end(Buffer.alloc(5000));
      if (path === '/hang') return; // never answers
      const code = Number(path.slice(1));
      res.statusCode = Number.isFinite(code) && code >= 400 ? code : 404;
      res.end('no');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('downloads a package, reporting progress, and checks the size and SHA-256 given in the URL fragment', async () => {
    const sha = createHash('sha256').update(PACKAGE).digest('hex');
    const seen: number[] = [];
    const data = await new HttpFirmwareUpdater().download(`${base}/pkg#size=${PACKAGE.length}&sha256=${sha}`, (n) => seen.push(n));
    assert.ok(!isFumoFailure(data));
    assert.deepEqual(data, PACKAGE);
    assert.equal(seen.at(-1), PACKAGE.length);
  });

  it('reports a SHA-256 or size mismatch as 402 (corrupted package)', async () => {
    const u = new HttpFirmwareUpdater();
    assert.deepEqual(await u.download(`${base}/pkg#sha256=${'0'.repeat(64)}`), { resultCode: 402, reason: 'SHA-256 mismatch' });
    assert.equal((await u.download(`${base}/pkg#size=1`) as { resultCode: number }).resultCode, FumoResult.CORRUPTED_PACKAGE);
  });

  it('maps HTTP errors of the download server to FUMO result codes', async () => {
    const u = new HttpFirmwareUpdater();
    const code = async (status: number): Promise<number> => (await u.download(`${base}/${status}`) as { resultCode: number }).resultCode;
    assert.equal(await code(404), FumoResult.CLIENT_ERROR);
    assert.equal(await code(401), FumoResult.DOWNLOAD_AUTH_FAILURE);
    assert.equal(await code(503), FumoResult.DOWNLOAD_SERVER_UNAVAILABLE);
    assert.equal(await code(500), FumoResult.DOWNLOAD_SERVER_ERROR);
    assert.equal(resultForHttpStatus(504), FumoResult.DOWNLOAD_TIMEOUT);
  });

  it('answers 411 for a malformed URL or another scheme, 503 for an unreachable server', async () => {
    const u = new HttpFirmwareUpdater();
    assert.equal((await u.download('not a url') as { resultCode: number }).resultCode, FumoResult.BAD_URL);
    assert.equal((await u.download('ftp://x/p') as { resultCode: number }).resultCode, FumoResult.BAD_URL);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    assert.equal((await u.download(`http://127.0.0.1:${port}/p`) as { resultCode: number }).resultCode, FumoResult.DOWNLOAD_NETWORK_ERROR);
  });

  it('times out with 407 and refuses a package over the memory limit with 501', async () => {
    assert.equal((await new HttpFirmwareUpdater({ timeoutMs: 50 }).download(`${base}/hang`) as { resultCode: number }).resultCode, FumoResult.DOWNLOAD_TIMEOUT);
    assert.equal((await new HttpFirmwareUpdater({ maxBytes: 1000 }).download(`${base}/big`) as { resultCode: number }).resultCode, FumoResult.DOWNLOAD_OUT_OF_MEMORY);
  });

  it('installs a simulated package: new FwV/SwV, 403 for another model, 402 for garbage', async () => {
    const u = new HttpFirmwareUpdater();
    assert.deepEqual(await u.install(PACKAGE, device), { ok: true, resultCode: 200, newFwV: '2.0.0', newSwV: '6.5.1' });
    assert.deepEqual(await u.install(PACKAGE, { ...device, mod: 'Y' }), { ok: false, resultCode: FumoResult.DEVICE_MISMATCH });
    assert.deepEqual(await u.install(new Uint8Array([1, 2]), device), { ok: false, resultCode: FumoResult.CORRUPTED_PACKAGE });
    assert.deepEqual(decodeSimulatedFirmware(PACKAGE), { fwV: '2.0.0', swV: '6.5.1', mod: 'X1' });
  });
});
