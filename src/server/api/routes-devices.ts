/** REST routes for devices: list, get, create (with credentials), delete, tree cache, wake. */
import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../../core/errors.js';
import type { PushAddress } from '../store/store.js';
import type { ClientCredentialInput, ServerCredentialInput } from '../registry/device-registry.js';
import { apiError } from './api-errors.js';
import type { ApiContext } from './api-context.js';
import type { DeviceDto, PageDto, TreeNodeDto, WakeDto } from './dto.js';
import { toDeviceDto, toTreeNodeDto } from './mappers.js';
import { deviceIdOf, objectBody, optionalEnum, optionalString, optionalStringArray, optionalStringMap, pageQuery, requiredString } from './validate.js';

type IdParams = { Params: { id: string } };

/** Registers the device routes under /api/devices. */
export function registerDeviceRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/devices', async (req): Promise<PageDto<DeviceDto>> => {
    const q = req.query as Record<string, unknown>;
    const group = optionalString(q, 'group');
    const page = await ctx.registry.list({ ...pageQuery(q), ...(group !== undefined ? { group } : {}) });
    return { items: page.items.map(toDeviceDto), ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
  });

  app.get<IdParams>('/api/devices/:id', async (req): Promise<DeviceDto> => toDeviceDto(await ctx.registry.require(deviceIdOf(req.params.id))));

  app.post('/api/devices', async (req, reply): Promise<DeviceDto> => {
    const b = objectBody(req.body);
    const id = requiredString(b, 'id');
    const client = b['client'] === undefined ? undefined : clientInput(objectBody(b['client']), ctx.defaultAuthType);
    const server = b['server'] === undefined ? undefined : serverInput(objectBody(b['server']));
    const groups = optionalStringArray(b, 'groups');
    const tags = optionalStringMap(b, 'tags');
    const protocolVersion = optionalEnum(b, 'protocolVersion', ['1.1', '1.2'] as const);
    const pushAddress = b['pushAddress'] === undefined ? undefined : pushInput(objectBody(b['pushAddress']));
    const record = await ctx.registry.register({
      id: deviceIdOf(id),
      ...(client ? { client } : {}), ...(server ? { server } : {}), ...(groups ? { groups } : {}), ...(tags ? { tags } : {}),
      ...(protocolVersion ? { protocolVersion } : {}), ...(pushAddress ? { pushAddress } : {}),
    });
    reply.code(201);
    return toDeviceDto(record);
  });

  app.delete<IdParams>('/api/devices/:id', async (req, reply) => {
    if (!(await ctx.registry.remove(deviceIdOf(req.params.id)))) throw apiError(ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND, `device ${req.params.id} is not registered`);
    return reply.code(204).send();
  });

  app.get<IdParams>('/api/devices/:id/tree', async (req): Promise<PageDto<TreeNodeDto>> => {
    const id = deviceIdOf(req.params.id);
    await ctx.registry.require(id);
    const q = req.query as Record<string, unknown>;
    const prefix = optionalString(q, 'prefix');
    const page = await ctx.registry.listTree(id, { ...pageQuery(q), ...(prefix !== undefined ? { prefix } : {}) });
    return { items: page.items.map(toTreeNodeDto), ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
  });

  app.post<IdParams>('/api/devices/:id/wake', async (req, reply): Promise<WakeDto> => {
    const id = deviceIdOf(req.params.id);
    const b = req.body === undefined || req.body === null ? {} : objectBody(req.body);
    const uiMode = optionalEnum(b, 'uiMode', ['0', '1', '2', '3'] as const);
    const r = await ctx.notifications.wake(id, uiMode !== undefined ? { uiMode: Number(uiMode) as 0 | 1 | 2 | 3 } : {});
    reply.code(202);
    return { deviceId: id, dmSessionId: r.dmSessionId, transport: r.transport };
  });
}

function clientInput(o: Record<string, unknown>, fallback: 'md5' | 'hmac' | 'basic'): ClientCredentialInput {
  return {
    username: requiredString(o, 'username'),
    password: requiredString(o, 'password'),
    authType: optionalEnum(o, 'authType', ['md5', 'hmac', 'basic'] as const) ?? fallback,
  };
}

function serverInput(o: Record<string, unknown>): ServerCredentialInput {
  return { serverId: requiredString(o, 'serverId'), serverPassword: requiredString(o, 'serverPassword') };
}

function pushInput(o: Record<string, unknown>): PushAddress {
  const type = optionalEnum(o, 'type', ['udp', 'sms'] as const);
  if (type === 'udp') {
    const port = o['port'];
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) throw apiError(ErrorCode.ERR_API_VALIDATION, '"pushAddress.port" must be 1..65535');
    return { type: 'udp', host: requiredString(o, 'host'), port };
  }
  if (type === 'sms') return { type: 'sms', msisdn: requiredString(o, 'msisdn') };
  throw apiError(ErrorCode.ERR_API_VALIDATION, '"pushAddress.type" must be udp or sms');
}
