import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { FilePartialDownloadStore, MemoryPartialDownloadStore } from '../../../src/client/fumo/partial-download-store.js';
import { resumableDownload } from '../../../src/client/fumo/resumable-download.js';
import { type PackageServer, startPackageServer } from './package-server.js';

const body = new Uint8Array(Array.from({ length: 200_000 }, (_, i) => (i * 7) % 256));
const sha = createHash('sha256').update(body).digest('hex');
const noSleep = async (): Promise<void> => {};

describe('resumableDownload (real HTTP)', () => {
  let srv: PackageServer;
  let dir: string;
  before(async () => { srv = await startPackageServer(body); });
  after(async () => srv.close());
  beforeEach(() => {
    srv.requests.length = 0;
    srv.failWith(undefined);
    srv.cutAfter(0, 0);
    dir = mkdtempSync(join(tmpdir(), 'omadm-dl-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('downloads a package in one request and checks its size and SHA-256', async () => {
    const r = await resumableDownload({ url: `${srv.url}/pkg.bin`, expectedSize: body.byteLength, expectedSha256: sha });
    assert.equal(r.ok, true);
    if (r.ok) {
      assert.deepEqual(r.data, body);
      assert.equal(r.requests, 1);
      assert.deepEqual(r.resumedFrom, []);
    }
  });

  it('resumes a broken transfer with a Range and If-Range request', async () => {
    srv.cutAfter(70_000, 1);
    const r = await resumableDownload({ url: `${srv.url}/pkg.bin`, store: new MemoryPartialDownloadStore(), expectedSha256: sha, sleep: noSleep, checkpointBytes: 1 });
    assert.equal(r.ok, true, JSON.stringify(r.ok ? {} : r));
    if (r.ok) {
      assert.deepEqual(r.data, body);
      assert.equal(r.resumedFrom.length, 1);
      assert.ok((r.resumedFrom[0] ?? 0) >= 65_536 && (r.resumedFrom[0] ?? 0) <= 70_000);
    }
    const second = srv.requests[1];
    assert.match(second?.range ?? '', /^bytes=\d+-$/);
    assert.match(second?.ifRange ?? '', /^"/);
  });

  it('keeps the bytes of a failed download on disk and resumes from them after a restart', async () => {
    srv.cutAfter(90_000, 3);
    const first = await resumableDownload({ url: `${srv.url}/pkg.bin`, store: new FilePartialDownloadStore(dir), key: 'dev1', retries: 0, checkpointBytes: 10_000, sleep: noSleep });
    assert.equal(first.ok, false);
    if (!first.ok) {
      assert.equal(first.resultCode, 503);
      assert.ok(first.received > 0);
    }
    srv.cutAfter(0, 0);
    // A new store object over the same directory: what a restarted device sees.
    const again = await resumableDownload({ url: `${srv.url}/pkg.bin`, store: new FilePartialDownloadStore(dir), key: 'dev1', expectedSha256: sha });
    assert.equal(again.ok, true);
    if (again.ok) {
      assert.deepEqual(again.data, body);
      assert.ok((again.resumedFrom[0] ?? 0) > 0);
    }
    assert.equal(await new FilePartialDownloadStore(dir).load('dev1'), undefined, 'the partial is removed once complete');
  });

  it('starts over when the server answers a Range with 200', async () => {
    const store = new MemoryPartialDownloadStore();
    await store.append('k', { url: `${srv.url}/pkg.bin`, received: 10, etag: '"stale"' }, body.subarray(0, 10));
    const r = await resumableDownload({ url: `${srv.url}/pkg.bin`, store, key: 'k', expectedSha256: sha });
    assert.equal(r.ok, true);
    assert.equal(srv.requests[0]?.ifRange, '"stale"');
    if (r.ok) assert.deepEqual(r.data, body);
  });

  it('reports a corrupt package (402) on a size or hash mismatch and drops its bytes', async () => {
    const store = new MemoryPartialDownloadStore();
    const bad = await resumableDownload({ url: `${srv.url}/pkg.bin`, store, expectedSha256: '0'.repeat(64) });
    assert.deepEqual(bad.ok ? 0 : bad.resultCode, 402);
    assert.equal(store.size, 0);
    const size = await resumableDownload({ url: `${srv.url}/pkg.bin`, expectedSize: 5 });
    assert.deepEqual(size.ok ? 0 : size.resultCode, 402);
  });

  it('maps URL, HTTP and size problems to FUMO result codes', async () => {
    const codes = async (o: Parameters<typeof resumableDownload>[0]): Promise<number> => {
      const r = await resumableDownload({ sleep: noSleep, retries: 0, ...o });
      return r.ok ? 200 : r.resultCode;
    };
    assert.equal(await codes({ url: 'not a url' }), 411);
    assert.equal(await codes({ url: 'ftp://x/y' }), 411);
    assert.equal(await codes({ url: `${srv.url}/missing` }), 400);
    assert.equal(await codes({ url: `${srv.url}/pkg.bin`, maxBytes: 100 }), 501);
    srv.failWith(503);
    assert.equal(await codes({ url: `${srv.url}/pkg.bin` }), 412);
    srv.failWith(500);
    assert.equal(await codes({ url: `${srv.url}/pkg.bin` }), 500);
    srv.failWith(401);
    assert.equal(await codes({ url: `${srv.url}/pkg.bin` }), 406);
    srv.failWith(undefined);
    assert.equal(await codes({ url: 'http://127.0.0.1:1/pkg.bin' }), 503);
  });
});
