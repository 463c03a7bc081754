/** REST routes for jobs: create (one device or a group), list, get, cancel, results. */
import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../../core/errors.js';
import { jobId, type JobCommand, type JobState } from '../store/store.js';
import { apiError } from './api-errors.js';
import type { ApiContext } from './api-context.js';
import type { FanOutDto, JobDto, JobResultsDto, PageDto } from './dto.js';
import { toJobDto, toJobResultsDto } from './mappers.js';
import { deviceIdOf, objectBody, optionalEnum, optionalInt, optionalString, optionalTime, pageQuery } from './validate.js';

type IdParams = { Params: { id: string } };

const STATES: readonly JobState[] = ['queued', 'sent', 'status_received', 'results_received', 'done', 'failed', 'cancelled', 'expired'];

/** Registers the job routes under /api/jobs. */
export function registerJobRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post('/api/jobs', async (req, reply): Promise<JobDto | FanOutDto> => {
    const b = objectBody(req.body);
    const device = optionalString(b, 'deviceId');
    const group = optionalString(b, 'group');
    if ((device === undefined) === (group === undefined)) throw apiError(ErrorCode.ERR_API_VALIDATION, 'give exactly one of "deviceId" or "group"');
    const command = objectBody(b['command']) as unknown as JobCommand;
    const correlator = optionalString(b, 'correlator');
    const priority = optionalInt(b, 'priority', -1000, 1000);
    const expiresAt = optionalTime(b, 'expiresAt');
    const opts = {
      ...(correlator !== undefined ? { correlator } : {}),
      ...(priority !== undefined ? { priority } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    };
    const wake = b['wake'] === true;
    reply.code(201);
    if (device !== undefined) {
      const id = deviceIdOf(device);
      await ctx.registry.require(id);
      const job = await ctx.queue.enqueue(id, command, opts);
      if (wake) await wakeQuietly(ctx, id, req.log);
      return toJobDto(job);
    }
    const fan = await ctx.queue.enqueueForGroup(group as string, command, opts);
    if (wake) for (const j of fan.jobs) await wakeQuietly(ctx, j.deviceId, req.log);
    return { fanOutId: fan.fanOutId, jobs: fan.jobs.map(toJobDto) };
  });

  app.get('/api/jobs', async (req): Promise<PageDto<JobDto>> => {
    const q = req.query as Record<string, unknown>;
    const device = optionalString(q, 'deviceId');
    const state = optionalEnum(q, 'state', STATES);
    const fanOutId = optionalString(q, 'fanOutId');
    const order = optionalEnum(q, 'order', ['asc', 'desc'] as const);
    const page = await ctx.queue.list({
      ...pageQuery(q),
      ...(device !== undefined ? { deviceId: deviceIdOf(device) } : {}),
      ...(state !== undefined ? { state } : {}),
      ...(fanOutId !== undefined ? { fanOutId } : {}),
      ...(order !== undefined ? { order } : {}),
    });
    return { items: page.items.map(toJobDto), ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
  });

  app.get<IdParams>('/api/jobs/:id', async (req): Promise<JobDto> => toJobDto(await requireJob(ctx, req.params.id)));

  app.get<IdParams>('/api/jobs/:id/results', async (req): Promise<JobResultsDto> => toJobResultsDto(await requireJob(ctx, req.params.id)));

  app.post<IdParams>('/api/jobs/:id/cancel', async (req): Promise<JobDto> => {
    await requireJob(ctx, req.params.id);
    return toJobDto(await ctx.queue.cancel(jobId(req.params.id)));
  });
}

async function requireJob(ctx: ApiContext, id: string) {
  const job = await ctx.queue.get(jobId(id));
  if (!job) throw apiError(ErrorCode.ERR_QUEUE_JOB_NOT_FOUND, `job ${id} does not exist`);
  return job;
}

async function wakeQuietly(ctx: ApiContext, id: Parameters<ApiContext['notifications']['wake']>[0], log: { warn: (o: object, m: string) => void }): Promise<void> {
  try {
    await ctx.notifications.wake(id);
  } catch (err) {
    // The job stays queued: it goes out in the device's next session whatever happens to the push.
    log.warn({ err, device: id }, 'wake after enqueue failed');
  }
}
