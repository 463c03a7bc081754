/**
 * REST routes of firmware campaigns (docs/reference/fumo.md): create, list, get, status, devices,
 * events (JSON, or a Server-Sent Events stream with `Accept: text/event-stream`), and the
 * start / pause / resume / cancel actions. Register inside the API's authenticated scope.
 */
import type { FastifyInstance } from 'fastify';
import { fumoResultMeaning } from '../../core/constants/fumo.js';
import { DmError, ErrorCode } from '../../core/errors.js';
import { installFumoErrorHandler } from '../firmware/fumo-api-errors.js';
import type { CampaignDeviceDto, CampaignDto, CampaignEventDto, CampaignStatusDto } from './campaign-dto.js';
import type { CreateCampaignInput } from './campaign-input.js';
import type { CampaignService } from './campaign-service.js';
import type { CampaignStatus } from './campaign-status.js';
import type { CampaignDeviceRecord, CampaignDeviceState, CampaignEventRecord, CampaignRecord, CampaignState } from './campaign-types.js';

type IdParams = { Params: { id: string } };
const iso = (ms: number): string => new Date(ms).toISOString();

/** Maps a campaign to its DTO. */
export function toCampaignDto(c: CampaignRecord): CampaignDto {
  const { createdAt, updatedAt, startedAt, finishedAt, acceptedWave: _a, ...rest } = c;
  return {
    ...rest, createdAt: iso(createdAt), updatedAt: iso(updatedAt),
    ...(startedAt !== undefined ? { startedAt: iso(startedAt) } : {}), ...(finishedAt !== undefined ? { finishedAt: iso(finishedAt) } : {}),
  };
}

/** Maps a status report to its DTO. */
export function toCampaignStatusDto(s: CampaignStatus): CampaignStatusDto {
  return { ...s, campaign: toCampaignDto(s.campaign) };
}

/** Maps a device row to its DTO. */
export function toCampaignDeviceDto(d: CampaignDeviceRecord): CampaignDeviceDto {
  const { campaignId: _c, seq: _s, wakes: _w, startedAt: _st, deadlineAt: _d, updatedAt, nextAttemptAt, finishedAt, ...rest } = d;
  return {
    ...rest, updatedAt: iso(updatedAt),
    ...(d.resultCode !== undefined ? { resultMeaning: fumoResultMeaning(d.resultCode) } : {}),
    ...(nextAttemptAt !== undefined ? { nextAttemptAt: iso(nextAttemptAt) } : {}),
    ...(finishedAt !== undefined ? { finishedAt: iso(finishedAt) } : {}),
  };
}

/** Maps an event to its DTO. */
export function toCampaignEventDto(e: CampaignEventRecord): CampaignEventDto {
  return { ...e, at: iso(e.at) };
}

/** Registers the campaign API routes (in an encapsulated scope answering the FUMO error codes). */
export function registerCampaignRoutes(app: FastifyInstance, options: { readonly campaigns: CampaignService }): void {
  const svc = options.campaigns;
  void app.register(async (scope) => {
    installFumoErrorHandler(scope);

    scope.post('/api/campaigns', async (req, reply) => {
      const b = req.body;
      if (typeof b !== 'object' || b === null || Array.isArray(b)) throw invalid('body must be a JSON object');
      const { start, ...input } = b as CreateCampaignInput & { start?: unknown };
      let c = await svc.create(input);
      if (start === true) c = await svc.start(c.id);
      reply.code(201);
      return toCampaignDto(c);
    });

    scope.get('/api/campaigns', async (req) => {
      const q = req.query as Record<string, unknown>;
      const states = typeof q['state'] === 'string' ? (q['state'].split(',') as CampaignState[]) : undefined;
      const page = await svc.list({
        ...(typeof q['cursor'] === 'string' ? { cursor: q['cursor'] } : {}), ...(states ? { states } : {}),
        ...(q['limit'] !== undefined ? { limit: Number(q['limit']) } : {}),
      });
      return { items: page.items.map(toCampaignDto), ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
    });

    scope.get<IdParams>('/api/campaigns/:id', async (req) => toCampaignDto(await svc.require(req.params.id)));
    scope.get<IdParams>('/api/campaigns/:id/status', async (req) => toCampaignStatusDto(await svc.status(req.params.id)));

    scope.get<IdParams>('/api/campaigns/:id/devices', async (req) => {
      const q = req.query as Record<string, unknown>;
      const page = await svc.devices(req.params.id, {
        ...(typeof q['state'] === 'string' ? { state: q['state'] as CampaignDeviceState } : {}),
        ...(q['wave'] !== undefined ? { wave: Number(q['wave']) } : {}),
        ...(typeof q['cursor'] === 'string' ? { cursor: q['cursor'] } : {}),
        ...(q['limit'] !== undefined ? { limit: Number(q['limit']) } : {}),
      });
      return { items: page.items.map(toCampaignDeviceDto), ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
    });

    scope.get<IdParams>('/api/campaigns/:id/events', async (req, reply) => {
      const q = req.query as Record<string, unknown>;
      const after = q['after'] === undefined ? 0 : Number(q['after']);
      const past = await svc.events(req.params.id, { after, limit: q['limit'] === undefined ? 1000 : Number(q['limit']) });
      if (!String(req.headers.accept ?? '').includes('text/event-stream')) return { items: past.map(toCampaignEventDto) };
      // Server-Sent Events: the stored events after `after`, then live ones until the client leaves.
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      let last = after;
      const send = (e: CampaignEventRecord): void => {
        if (e.id <= last) return;
        last = e.id;
        res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(toCampaignEventDto(e))}\n\n`);
      };
      const unsubscribe = svc.subscribe(send, { campaignId: req.params.id });
      for (const e of past) send(e);
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      req.raw.on('close', () => {
        clearInterval(ping);
        unsubscribe();
      });
    });

    for (const action of ['start', 'pause', 'resume', 'cancel'] as const) {
      scope.post<IdParams>(`/api/campaigns/:id/${action}`, async (req) => toCampaignDto(await svc[action](req.params.id)));
    }
  });
}

function invalid(message: string): DmError {
  return new DmError(ErrorCode.ERR_CAMPAIGN_INVALID, message);
}
