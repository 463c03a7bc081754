import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { ErrorCode } from '../../../src/core/errors.js';
import type { FirmwareDto } from '../../../src/server/firmware/firmware-dto.js';
import { registerFirmwareRoutes } from '../../../src/server/firmware/firmware-routes.js';
import { type FirmwareFixture, firmwareFixture } from './firmware-fixtures.js';

describe('registerFirmwareRoutes', () => {
  let fx: FirmwareFixture;
  let app: FastifyInstance;
  before(async () => {
    fx = firmwareFixture();
    app = Fastify();
    // Stand-in for the API's own error boundary: whatever the FUMO scope re-throws lands here.
    app.setErrorHandler((err, _req, reply) => reply.code(599).send({ parent: (err as Error).message }));
    registerFirmwareRoutes(app, { repository: fx.repository, publicUrl: 'https://dm.example' });
    await app.ready();
  });
  after(async () => {
    await app.close();
    fx.dispose();
  });

  it('uploads raw bytes with metadata in the query and returns the package', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/firmware?name=Img&version=2.0&fromVersions=1.0,1.1&models=SIM-1',
      headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('hello firmware'),
    });
    assert.equal(res.statusCode, 201);
    const dto = res.json<FirmwareDto>();
    assert.equal(dto.size, 14);
    assert.deepEqual(dto.fromVersions, ['1.0', '1.1']);
    assert.equal(dto.url, `https://dm.example/firmware/${dto.id}`);
    assert.equal(dto.descriptorUrl, `https://dm.example/firmware/${dto.id}/dd`);
    assert.equal(dto.source, 'local');
    const got = await app.inject({ method: 'GET', url: `/api/firmware/${dto.id}` });
    assert.deepEqual(got.json(), dto);
    const list = await app.inject({ method: 'GET', url: '/api/firmware?model=SIM-1' });
    assert.equal(list.json<{ items: FirmwareDto[] }>().items.length, 1);
  });

  it('registers an external package from JSON', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/firmware',
      payload: { name: 'cdn', version: '3', url: 'https://cdn.example/p.bin', size: 100, sha256: 'ef'.repeat(32), models: ['X'] },
    });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json<FirmwareDto>().url, 'https://cdn.example/p.bin');
  });

  it('answers validation and not-found errors with the FUMO codes', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/firmware?version=1', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('x') });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json<{ error: { code: string } }>().error.code, ErrorCode.ERR_FIRMWARE_INVALID);
    const missing = await app.inject({ method: 'GET', url: '/api/firmware/fw-none' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json<{ error: { code: string } }>().error.code, ErrorCode.ERR_FIRMWARE_NOT_FOUND);
  });

  it('deletes a package', async () => {
    const up = await app.inject({ method: 'POST', url: '/api/firmware?name=d&version=1', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('d') });
    const id = up.json<FirmwareDto>().id;
    assert.equal((await app.inject({ method: 'DELETE', url: `/api/firmware/${id}` })).statusCode, 204);
    assert.equal((await app.inject({ method: 'GET', url: `/api/firmware/${id}` })).statusCode, 404);
  });
});
