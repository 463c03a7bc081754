import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { decodeXmlDocument } from '../../../src/core/codec/xml/decode-xml.js';
import { isElement, textOf } from '../../../src/core/codec/element.js';
import { type InstallNotification, registerFirmwareDownloadRoutes } from '../../../src/server/firmware/firmware-download-routes.js';
import type { FirmwarePackageRecord } from '../../../src/server/firmware/firmware-store.js';
import { type FirmwareFixture, firmwareFixture } from './firmware-fixtures.js';

interface Res { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

function get(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('registerFirmwareDownloadRoutes (real HTTP)', () => {
  let fx: FirmwareFixture;
  let app: FastifyInstance;
  let base: string;
  let pkg: FirmwarePackageRecord;
  const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
  const notes: InstallNotification[] = [];

  before(async () => {
    fx = firmwareFixture();
    pkg = await fx.repository.upload(new Uint8Array(bytes), { name: 'Pkg', version: '2.0', contentType: 'application/x-fw' });
    app = Fastify();
    registerFirmwareDownloadRoutes(app, { repository: fx.repository, onInstallNotify: (n) => notes.push(n) });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await app.close();
    fx.dispose();
  });

  it('serves the whole package with its length, type, ETag and Accept-Ranges', async () => {
    const r = await get(`${base}/firmware/${pkg.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, bytes);
    assert.equal(r.headers['content-length'], '5000');
    assert.equal(r.headers['content-type'], 'application/x-fw');
    assert.equal(r.headers['accept-ranges'], 'bytes');
    assert.equal(r.headers['etag'], `"${pkg.sha256}"`);
  });

  it('answers a Range with 206 and the Content-Range', async () => {
    const r = await get(`${base}/firmware/${pkg.id}`, { headers: { range: 'bytes=1000-' } });
    assert.equal(r.status, 206);
    assert.equal(r.headers['content-range'], 'bytes 1000-4999/5000');
    assert.deepEqual(r.body, bytes.subarray(1000));
  });

  it('answers an unsatisfiable Range with 416', async () => {
    const r = await get(`${base}/firmware/${pkg.id}`, { headers: { range: 'bytes=5000-' } });
    assert.equal(r.status, 416);
    assert.equal(r.headers['content-range'], 'bytes */5000');
  });

  it('sends the whole package when If-Range names another version', async () => {
    const r = await get(`${base}/firmware/${pkg.id}`, { headers: { range: 'bytes=10-', 'if-range': '"other"' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 5000);
    const ok = await get(`${base}/firmware/${pkg.id}`, { headers: { range: 'bytes=10-19', 'if-range': `"${pkg.sha256}"` } });
    assert.equal(ok.status, 206);
    assert.deepEqual(ok.body, bytes.subarray(10, 20));
  });

  it('answers HEAD with the headers and no body', async () => {
    const r = await get(`${base}/firmware/${pkg.id}`, { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-length'], '5000');
    assert.equal(r.body.length, 0);
  });

  it('answers 404 for an unknown package', async () => {
    assert.equal((await get(`${base}/firmware/fw-nope`)).status, 404);
    assert.equal((await get(`${base}/firmware/fw-nope/dd`)).status, 404);
  });

  it('generates a download descriptor pointing at the package', async () => {
    const r = await get(`${base}/firmware/${pkg.id}/dd`);
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^application\/vnd\.oma\.dd\+xml/);
    const doc = decodeXmlDocument(r.body.toString('utf8'));
    const f = new Map(doc.root.children.filter(isElement).map((e) => [e.name, textOf(e)]));
    assert.equal(f.get('objectURI'), `${base}/firmware/${pkg.id}`);
    assert.equal(f.get('size'), '5000');
    assert.equal(f.get('type'), 'application/x-fw');
    assert.equal(f.get('sha256'), pkg.sha256);
    assert.equal(f.get('installNotifyURI'), `${base}/firmware/${pkg.id}/notify`);
  });

  it('redirects to an external package and accepts install notifications', async () => {
    const ext = await fx.repository.addExternal({ name: 'e', version: '1', url: 'http://cdn.invalid/e.bin', size: 3, sha256: 'cd'.repeat(32) });
    const r = await get(`${base}/firmware/${ext.id}`);
    assert.equal(r.status, 307);
    assert.equal(r.headers['location'], 'http://cdn.invalid/e.bin');
    const n = await get(`${base}/firmware/${pkg.id}/notify`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '900 Success' });
    assert.equal(n.status, 200);
    assert.deepEqual(notes, [{ firmwareId: pkg.id, status: 900, text: '900 Success' }]);
  });
});
