/**
 * The REST API plugin: bearer-token authentication, JSON errors, the routes (devices, jobs,
 * events, and — when the server has them — firmware, campaigns and bootstrap), the OpenAPI
 * document (/api/openapi.json), health (/api/health) and Prometheus metrics (/metrics).
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../../core/errors.js';
import { registerBootstrapRoutes } from '../bootstrap/bootstrap-routes.js';
import { errorBody, installApiErrorHandlers } from './api-errors.js';
import type { ApiContext } from './api-context.js';
import type { HealthDto } from './dto.js';
import { openApiDocument } from './openapi.js';
import { registerDeviceRoutes } from './routes-devices.js';
import { registerEventRoutes } from './routes-events.js';
import { registerJobRoutes } from './routes-jobs.js';

/** Routes reachable without a token. */
const PUBLIC = new Set(['/api/health', '/api/openapi.json', '/metrics']);

/** Fastify plugin of the REST API. */
export async function restApi(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  installApiErrorHandlers(app);
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (PUBLIC.has(path)) return;
    let token: string | undefined;
    const auth = req.headers.authorization;
    if (auth !== undefined && /^bearer\s+/i.test(auth)) token = auth.replace(/^bearer\s+/i, '').trim();
    // EventSource cannot set headers: the stream also takes ?access_token=.
    if (token === undefined && path === '/api/events/stream') {
      const q = req.query as Record<string, unknown>;
      if (typeof q['access_token'] === 'string') token = q['access_token'];
    }
    const record = token ? await ctx.tokens.verify(token) : undefined;
    if (!record) {
      return reply.code(401).header('www-authenticate', 'Bearer').send(errorBody(ErrorCode.ERR_API_UNAUTHORIZED, token ? 'invalid or revoked token' : 'missing bearer token'));
    }
    return undefined;
  });

  app.get('/api/health', async (): Promise<HealthDto> => ({ status: 'ok', nodeId: ctx.nodeId, activeSessions: ctx.sessions.size }));
  const doc = openApiDocument({ version: '0.1.0', fumo: ctx.fumo !== undefined, bootstrap: ctx.bootstrap !== undefined });
  app.get('/api/openapi.json', async () => doc);
  app.get('/metrics', async (_req, reply) => reply.header('content-type', ctx.metrics.contentType).send(await ctx.metrics.render()));

  registerDeviceRoutes(app, ctx);
  registerJobRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  // Inside this plugin's scope, so the bearer-token hook and the error boundary apply to them too.
  ctx.fumo?.registerApiRoutes(app);
  if (ctx.bootstrap !== undefined) registerBootstrapRoutes(app, { bootstrap: ctx.bootstrap });
}
