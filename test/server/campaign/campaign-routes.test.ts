import assert from 'node:assert/strict';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { ErrorCode } from '../../../src/core/errors.js';
import type { CampaignDeviceDto, CampaignDto, CampaignStatusDto } from '../../../src/server/campaign/campaign-dto.js';
import { registerCampaignRoutes } from '../../../src/server/campaign/campaign-routes.js';
import type { CampaignService } from '../../../src/server/campaign/campaign-service.js';
import { type CampaignFixture, campaignFixture, reportResult, runSession } from './campaign-fixtures.js';

describe('registerCampaignRoutes', () => {
  let fx: CampaignFixture;
  let svc: CampaignService;
  let app: FastifyInstance;
  beforeEach(async () => {
    fx = await campaignFixture();
    svc = await fx.service();
    app = Fastify();
    registerCampaignRoutes(app, { campaigns: svc });
    await app.ready();
    await fx.addDevice('a');
    await fx.addDevice('b');
  });
  afterEach(async () => {
    await app.close();
    await fx.dispose();
  });

  it('creates and starts a campaign, and reports its progress by state and result code', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/campaigns', payload: { name: 'c', packageId: fx.pkg.id, start: true, rollout: { maxInFlight: 5 } } });
    assert.equal(created.statusCode, 201);
    const c = created.json<CampaignDto>();
    assert.equal(c.state, 'running');
    await svc.whenIdle();
    const exec = (await runSession(fx, 'a')).find((j) => j.command.kind === 'Exec');
    await svc.whenIdle();
    if (exec) await reportResult(fx, 'a', exec, 401);
    await svc.whenIdle();
    const status = (await app.inject({ method: 'GET', url: `/api/campaigns/${c.id}/status` })).json<CampaignStatusDto>();
    assert.equal(status.total, 2);
    assert.equal(status.byState.failed, 1);
    assert.equal(status.byState.sending, 1);
    assert.deepEqual(status.byResult, [{ code: 401, meaning: 'User cancelled', count: 1 }]);
    const devices = (await app.inject({ method: 'GET', url: `/api/campaigns/${c.id}/devices?state=failed` })).json<{ items: CampaignDeviceDto[] }>();
    assert.deepEqual(devices.items.map((d) => [d.deviceId, d.resultCode, d.resultMeaning, d.failureClass]), [['a', 401, 'User cancelled', 'user']]);
    const events = (await app.inject({ method: 'GET', url: `/api/campaigns/${c.id}/events` })).json<{ items: { type: string }[] }>();
    assert.ok(events.items.some((e) => e.type === 'device.state'));
    const list = (await app.inject({ method: 'GET', url: '/api/campaigns?state=running' })).json<{ items: CampaignDto[] }>();
    assert.deepEqual(list.items.map((x) => x.id), [c.id]);
  });

  it('pauses, resumes and cancels, refusing illegal moves with 409', async () => {
    const c = (await app.inject({ method: 'POST', url: '/api/campaigns', payload: { name: 'c', packageId: fx.pkg.id } })).json<CampaignDto>();
    assert.equal(c.state, 'draft');
    assert.equal((await app.inject({ method: 'POST', url: `/api/campaigns/${c.id}/pause` })).statusCode, 409);
    assert.equal((await app.inject({ method: 'POST', url: `/api/campaigns/${c.id}/start` })).json<CampaignDto>().state, 'running');
    assert.equal((await app.inject({ method: 'POST', url: `/api/campaigns/${c.id}/pause` })).json<CampaignDto>().state, 'paused');
    assert.equal((await app.inject({ method: 'POST', url: `/api/campaigns/${c.id}/resume` })).json<CampaignDto>().state, 'running');
    assert.equal((await app.inject({ method: 'POST', url: `/api/campaigns/${c.id}/cancel` })).json<CampaignDto>().state, 'cancelled');
    const again = await app.inject({ method: 'POST', url: `/api/campaigns/${c.id}/cancel` });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json<{ error: { code: string } }>().error.code, ErrorCode.ERR_CAMPAIGN_ILLEGAL_STATE);
  });

  it('answers 400 for bad settings and 404 for an unknown campaign', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/campaigns', payload: { name: 'c', packageId: fx.pkg.id, rollout: { maxInFlight: 0 } } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json<{ error: { code: string } }>().error.code, ErrorCode.ERR_CAMPAIGN_INVALID);
    assert.equal((await app.inject({ method: 'GET', url: '/api/campaigns/cmp-none/status' })).statusCode, 404);
  });

  it('streams events as Server-Sent Events', async () => {
    const c = (await app.inject({ method: 'POST', url: '/api/campaigns', payload: { name: 'c', packageId: fx.pkg.id } })).json<CampaignDto>();
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const text = await new Promise<string>((resolve, reject) => {
      const req = request(`${base}/api/campaigns/${c.id}/events`, { headers: { accept: 'text/event-stream' } }, (res) => {
        let buf = '';
        res.on('data', (chunk: Buffer) => {
          buf += chunk.toString('utf8');
          if (buf.includes('event: campaign.wave')) {
            req.destroy();
            resolve(buf);
          }
        });
      });
      req.on('error', (err) => (err.message.includes('aborted') || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
      req.end();
      setTimeout(() => void svc.start(c.id), 50);
    });
    assert.match(text, /event: campaign\.state\ndata: \{.*"to":"draft"/);
    assert.match(text, /event: campaign\.state\ndata: \{.*"to":"running"/);
  });
});
