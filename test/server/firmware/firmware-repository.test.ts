import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ErrorCode } from '../../../src/core/errors.js';
import { packageApplies } from '../../../src/server/firmware/firmware-repository.js';
import { type FirmwareFixture, firmwareFixture } from './firmware-fixtures.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('FirmwareRepository', () => {
  let fx: FirmwareFixture;
  beforeEach(() => { fx = firmwareFixture(); });
  afterEach(() => fx.dispose());

  it('stores uploaded bytes on disk with their size, SHA-256, models and versions', async () => {
    const bytes = new Uint8Array(Buffer.from('firmware image 2.0'));
    const r = await fx.repository.upload(bytes, { name: 'Image 2.0', version: '2.0', fromVersions: ['1.0', '1.1'], models: ['SIM-1'] });
    assert.equal(r.id, 'fw-000000000001');
    assert.equal(r.size, bytes.byteLength);
    assert.equal(r.sha256, sha(bytes));
    assert.deepEqual(r.fromVersions, ['1.0', '1.1']);
    assert.deepEqual(r.models, ['SIM-1']);
    assert.equal(r.contentType, 'application/octet-stream');
    assert.deepEqual(r.location, { kind: 'local', file: 'fw-000000000001.bin' });
    assert.deepEqual(await fx.repository.readAll(r), bytes);
    assert.deepEqual(await fx.repository.get(r.id), r);
  });

  it('hashes a streamed upload chunk by chunk', async () => {
    const parts = [Buffer.alloc(70_000, 1), Buffer.alloc(70_000, 2)];
    const r = await fx.repository.upload(Readable.from(parts), { name: 'big', version: '3' });
    assert.equal(r.size, 140_000);
    assert.equal(r.sha256, sha(Buffer.concat(parts)));
  });

  it('refuses an empty package and leaves no file behind', async () => {
    await assert.rejects(fx.repository.upload(new Uint8Array(0), { name: 'x', version: '1' }), { code: ErrorCode.ERR_FIRMWARE_INVALID });
    assert.deepEqual(readdirSync(join(fx.dir, 'firmware')), []);
  });

  it('refuses missing metadata', async () => {
    await assert.rejects(fx.repository.upload(new Uint8Array(1), { name: ' ', version: '1' }), { code: ErrorCode.ERR_FIRMWARE_INVALID });
    await assert.rejects(fx.repository.upload(new Uint8Array(1), { name: 'a', version: '' }), { code: ErrorCode.ERR_FIRMWARE_INVALID });
  });

  it('registers an external package with the given size and hash', async () => {
    const r = await fx.repository.addExternal({ name: 'cdn', version: '9', url: 'https://cdn.example/pkg.bin', size: 10, sha256: 'AB'.repeat(32) });
    assert.deepEqual(r.location, { kind: 'external', url: 'https://cdn.example/pkg.bin' });
    assert.equal(r.sha256, 'ab'.repeat(32));
    await assert.rejects(fx.repository.addExternal({ name: 'x', version: '9', url: 'ftp://x/y', size: 1, sha256: 'ab'.repeat(32) }), { code: ErrorCode.ERR_FIRMWARE_INVALID });
    await assert.rejects(fx.repository.addExternal({ name: 'x', version: '9', url: 'http://x/y', size: 1, sha256: 'zz' }), { code: ErrorCode.ERR_FIRMWARE_INVALID });
  });

  it('lists by model, treating a package without models as fitting every model', async () => {
    await fx.repository.upload(new Uint8Array([1]), { name: 'a', version: '1', models: ['A'] });
    await fx.repository.upload(new Uint8Array([2]), { name: 'b', version: '1', models: ['B'] });
    await fx.repository.upload(new Uint8Array([3]), { name: 'any', version: '2' });
    assert.deepEqual((await fx.repository.list({ model: 'A' })).items.map((r) => r.name), ['a', 'any']);
    const first = await fx.repository.list({ limit: 2 });
    assert.equal(first.items.length, 2);
    assert.ok(first.nextCursor);
    assert.deepEqual((await fx.repository.list({ cursor: first.nextCursor })).items.map((r) => r.name), ['any']);
  });

  it('deletes a package and its bytes unless a campaign uses it', async () => {
    const r = await fx.repository.upload(new Uint8Array([1, 2]), { name: 'a', version: '1' });
    const path = fx.repository.filePath(r) ?? '';
    fx.repository.setInUseCheck(async () => true);
    await assert.rejects(fx.repository.remove(r.id), { code: ErrorCode.ERR_FIRMWARE_IN_USE });
    fx.repository.setInUseCheck(async () => false);
    await fx.repository.remove(r.id);
    assert.equal(existsSync(path), false);
    await assert.rejects(fx.repository.remove(r.id), { code: ErrorCode.ERR_FIRMWARE_NOT_FOUND });
  });
});

describe('packageApplies', () => {
  const rec = { models: ['A'], fromVersions: ['1.0'] } as unknown as Parameters<typeof packageApplies>[0];
  it('matches model and from-version, and refuses unknown values', () => {
    assert.equal(packageApplies(rec, { model: 'A', fwV: '1.0' }), true);
    assert.equal(packageApplies(rec, { model: 'B', fwV: '1.0' }), false);
    assert.equal(packageApplies(rec, { model: 'A', fwV: '2.0' }), false);
    assert.equal(packageApplies(rec, {}), false);
    assert.equal(packageApplies({ ...rec, models: [], fromVersions: [] }, {}), true);
  });
});
