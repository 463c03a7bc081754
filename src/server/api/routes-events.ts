/**
 * REST routes for events: a filtered, paginated listing and a live Server-Sent Events stream
 * (`text/event-stream`; `id:` is the event id, `event:` its type, `data:` the JSON EventDto).
 */
import type { FastifyInstance } from 'fastify';
import type { DmEventType } from '../store/store.js';
import type { ApiContext } from './api-context.js';
import type { EventDto, PageDto } from './dto.js';
import { toEventDto } from './mappers.js';
import { deviceIdOf, optionalEnum, optionalString, optionalTime, pageQuery } from './validate.js';

// A record keyed by the union, so a new event type that is not listed here fails to compile.
const KNOWN_TYPES: Readonly<Record<DmEventType, true>> = {
  'alert': true, 'session.start': true, 'session.end': true, 'auth.failure': true, 'job.state': true, 'device.registered': true,
  'notification.sent': true, 'notification.failed': true, 'bootstrap.sent': true,
};

/** Every event type, for validation. */
export const EVENT_TYPES: readonly DmEventType[] = Object.keys(KNOWN_TYPES) as DmEventType[];

const KEEPALIVE_MS = 15_000;

/** Registers /api/events and /api/events/stream. */
export function registerEventRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/events', async (req): Promise<PageDto<EventDto>> => {
    const q = req.query as Record<string, unknown>;
    const device = optionalString(q, 'deviceId');
    const type = optionalEnum(q, 'type', EVENT_TYPES);
    const since = optionalTime(q, 'since');
    const order = optionalEnum(q, 'order', ['asc', 'desc'] as const);
    const page = await ctx.events.list({
      ...pageQuery(q),
      ...(device !== undefined ? { deviceId: deviceIdOf(device) } : {}),
      ...(type !== undefined ? { type } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(order !== undefined ? { order } : {}),
    });
    return { items: page.items.map(toEventDto), ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
  });

  app.get('/api/events/stream', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const device = optionalString(q, 'deviceId');
    const typesRaw = optionalString(q, 'types');
    const types = typesRaw?.split(',').map((t) => t.trim()).filter((t) => t !== '');
    for (const t of types ?? []) optionalEnum({ types: t }, 'types', EVENT_TYPES);
    const controller = new AbortController();
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 5000\n\n');
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    const stop = (): void => {
      clearInterval(keepalive);
      controller.abort();
    };
    req.raw.on('close', stop);
    res.on('close', stop);
    const stream = ctx.events.watch({
      signal: controller.signal,
      filter: { ...(device !== undefined ? { deviceId: deviceIdOf(device) } : {}), ...(types !== undefined ? { types: types as DmEventType[] } : {}) },
    });
    try {
      for await (const e of stream) {
        if (res.writableEnded || res.destroyed) break;
        res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(toEventDto(e))}\n\n`);
      }
    } finally {
      stop();
      if (!res.writableEnded) res.end();
    }
  });
}
