import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { httpStatusFor } from '../../../src/server/api/api-errors.js';
import type { EventDto, PageDto } from '../../../src/server/api/dto.js';
import type { BootstrapDto } from '../../../src/server/bootstrap/bootstrap-routes.js';
import type { CampaignDto, CampaignStatusDto } from '../../../src/server/campaign/campaign-dto.js';
import type { FirmwareDto } from '../../../src/server/firmware/firmware-dto.js';
import type { PushTransport } from '../../../src/server/notify/push-transport.js';
import { deviceId } from '../../../src/server/store/store.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

type ErrorBody = { error: { code: string; message: string } };
type Doc = { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };

describe('REST API: firmware, campaigns and bootstrap wired by createServer', () => {
  let t: TestServer;
  const pushed: Uint8Array[] = [];
  const call = async <T>(method: string, path: string, body?: unknown, token: string | null = t.token): Promise<{ status: number; body: T }> => {
    const binary = body instanceof Uint8Array;
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: {
        ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': binary ? 'application/octet-stream' : 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: binary ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  before(async () => {
    const capture: PushTransport = { name: 'capture', send: async (_device, bytes) => void pushed.push(bytes) };
    t = await startTestServer({ serverId: 'dm.example.com' }, { transports: { udp: capture } });
    // A device a 2.0 package applies to, so a campaign can select it.
    const id = deviceId('dev-sim');
    await t.server.registry.register({ id });
    await t.server.registry.update(id, { devInfo: { devId: 'dev-sim', mod: 'SIM-1' }, devDetail: { FwV: '1.0' } });
  });
  after(() => t.close());

  it('refuses the firmware, campaign and bootstrap routes without a valid bearer token', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/firmware'], ['POST', '/api/firmware', new Uint8Array([1, 2, 3])], ['GET', '/api/campaigns'],
      ['POST', '/api/campaigns', { name: 'x', packageId: 'y' }], ['GET', '/api/campaigns/cmp-1/status'],
      ['POST', '/api/devices/dev-1/bootstrap', { deliver: false }],
    ] as const) {
      for (const token of [null, 'omadm_nope']) {
        const r = await call<ErrorBody>(method, path, body, token);
        assert.equal(r.status, 401, `${method} ${path} with ${token ?? 'no token'}`);
        assert.equal(r.body.error.code, 'ERR_API_UNAUTHORIZED');
      }
    }
  });

  it('serves firmware and campaigns behind the token, and package downloads without it', async () => {
    const bytes = new Uint8Array(Buffer.from('firmware image 2.0'));
    const up = await call<FirmwareDto>('POST', '/api/firmware?name=Image&version=2.0&models=SIM-1', bytes);
    assert.equal(up.status, 201, JSON.stringify(up.body));
    assert.equal(up.body.size, bytes.byteLength);
    assert.equal(up.body.url, `${t.url}/firmware/${up.body.id}`);
    const list = await call<PageDto<FirmwareDto>>('GET', '/api/firmware');
    assert.deepEqual(list.body.items.map((f) => f.id), [up.body.id]);

    // Devices fetch PkgURL anonymously.
    const download = await fetch(up.body.url);
    assert.equal(download.status, 200);
    assert.deepEqual(new Uint8Array(await download.arrayBuffer()), bytes);

    const created = await call<CampaignDto>('POST', '/api/campaigns', { name: 'wired', packageId: up.body.id });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.state, 'draft');
    const status = await call<CampaignStatusDto>('GET', `/api/campaigns/${created.body.id}/status`);
    assert.equal(status.status, 200);
    assert.equal(status.body.campaign.id, created.body.id);
    assert.equal((await call<PageDto<CampaignDto>>('GET', '/api/campaigns')).body.items.length, 1);

    const inUse = await call<ErrorBody>('DELETE', `/api/firmware/${up.body.id}`);
    assert.deepEqual([inUse.status, inUse.body.error.code], [409, 'ERR_FIRMWARE_IN_USE']);
    const cancelled = await call<CampaignDto>('POST', `/api/campaigns/${created.body.id}/cancel`);
    assert.equal(cancelled.body.state, 'cancelled');
    const again = await call<ErrorBody>('POST', `/api/campaigns/${created.body.id}/start`);
    assert.deepEqual([again.status, again.body.error.code], [409, 'ERR_CAMPAIGN_ILLEGAL_STATE']);
  });

  it('answers the FUMO error codes with their HTTP statuses', async () => {
    const noPkg = await call<ErrorBody>('GET', '/api/firmware/fw-missing');
    assert.deepEqual([noPkg.status, noPkg.body.error.code], [404, 'ERR_FIRMWARE_NOT_FOUND']);
    const noCampaign = await call<ErrorBody>('GET', '/api/campaigns/cmp-missing');
    assert.deepEqual([noCampaign.status, noCampaign.body.error.code], [404, 'ERR_CAMPAIGN_NOT_FOUND']);
    const badCampaign = await call<ErrorBody>('POST', '/api/campaigns', { name: 'x', packageId: 'fw-missing' });
    assert.deepEqual([badCampaign.status, badCampaign.body.error.code], [400, 'ERR_CAMPAIGN_INVALID']);
    const badPkg = await call<ErrorBody>('POST', '/api/firmware', { name: 'x' });
    assert.deepEqual([badPkg.status, badPkg.body.error.code], [400, 'ERR_FIRMWARE_INVALID']);
    assert.deepEqual(
      ['ERR_CP_INVALID', 'ERR_CP_MAC_INVALID', 'ERR_CP_SECURITY', 'ERR_DOWNLOAD_DESCRIPTOR_INVALID', 'ERR_FIRMWARE_IN_USE', 'ERR_CAMPAIGN_ILLEGAL_STATE'].map(httpStatusFor),
      [400, 400, 400, 400, 409, 409],
    );
  });

  it('bootstraps a device over REST with the server id and DM URL, and logs bootstrap.sent', async () => {
    const r = await call<BootstrapDto>('POST', '/api/devices/dev-boot/bootstrap', { pushAddress: { type: 'udp', host: '127.0.0.1', port: 2948 }, pin: '1357' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.serverId, 'dm.example.com');
    assert.equal(r.body.serverUrl, t.dmUrl);
    assert.equal(r.body.transport, 'capture');
    assert.equal(r.body.registered, true);
    assert.equal(pushed.length, 1);
    const events = await call<PageDto<EventDto>>('GET', '/api/events?type=bootstrap.sent&deviceId=dev-boot');
    assert.equal(events.status, 200);
    const [e] = events.body.items;
    assert.deepEqual({ ...e, id: undefined, at: undefined }, {
      id: undefined, at: undefined, type: 'bootstrap.sent', deviceId: 'dev-boot', serverId: 'dm.example.com', transport: 'capture', sec: 'USERPIN', registered: true,
    });
    assert.ok(!JSON.stringify(e).includes('1357'), 'the PIN stays out of the event log');

    const bad = await call<ErrorBody>('POST', '/api/devices/dev-boot/bootstrap', { sec: 'NETWPIN', deliver: false });
    assert.deepEqual([bad.status, bad.body.error.code], [400, 'ERR_API_VALIDATION']);
  });

  it('lists the firmware, campaign and bootstrap routes in the OpenAPI document, every reference resolving', async () => {
    const res = await fetch(`${t.url}/api/openapi.json`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as Doc;
    const expected: Record<string, readonly string[]> = {
      '/api/firmware': ['get', 'post'], '/api/firmware/{id}': ['get', 'delete'],
      '/api/campaigns': ['get', 'post'], '/api/campaigns/{id}': ['get'], '/api/campaigns/{id}/status': ['get'],
      '/api/campaigns/{id}/devices': ['get'], '/api/campaigns/{id}/events': ['get'],
      '/api/campaigns/{id}/start': ['post'], '/api/campaigns/{id}/pause': ['post'], '/api/campaigns/{id}/resume': ['post'], '/api/campaigns/{id}/cancel': ['post'],
      '/api/devices/{id}/bootstrap': ['post'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      assert.deepEqual(Object.keys(doc.paths[path] ?? {}).sort(), [...methods].sort(), path);
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(refs.includes('Campaign') && refs.includes('Firmware') && refs.includes('Bootstrap'));
    for (const name of refs) assert.ok(doc.components.schemas[name] !== undefined, `schema ${name} is defined`);
  });
});
