/**
 * REST route of the Client Provisioning bootstrap: `POST /api/devices/:id/bootstrap`. Mounted
 * inside the REST API plugin (so its bearer-token hook and error handlers apply) with
 * `registerBootstrapRoutes(app, { bootstrap })`.
 *
 * Body (all optional): `sec` (NETWPIN | USERPIN | USERNETWPIN | USERPINMAC | none), `pin`, `imsi`,
 * `serverUrl`, `description`, `init` (boolean), `format` (wbxml | xml), `deliver` (boolean),
 * `username`, `authType` (md5 | basic), `pushAddress` ({type:'udp',host,port} | {type:'sms',msisdn}),
 * `name`, `role`, `toNapId`, `applicationId`.
 * Reply 200: {@link BootstrapDto}. The signed document comes back (base64) only when `deliver` is
 * false, for a factory line to load; it holds the device's secrets.
 */
import type { FastifyInstance } from 'fastify';
import { DmError, ErrorCode } from '../../core/errors.js';
import { apiError } from '../api/api-errors.js';
import { deviceIdOf, objectBody, optionalEnum, optionalInt, optionalString, requiredString } from '../api/validate.js';
import type { PushAddress } from '../store/store.js';
import type { BootstrapOptions, BootstrapService } from './bootstrap-service.js';

/** Reply of `POST /api/devices/:id/bootstrap`. */
export interface BootstrapDto {
  readonly deviceId: string;
  readonly serverId: string;
  readonly serverUrl: string;
  readonly username: string;
  readonly registered: boolean;
  readonly sec?: string;
  /** The PIN the user types on the device. */
  readonly pin?: string;
  readonly mac?: string;
  /** Transport used when the push was sent. */
  readonly transport?: string;
  /** `deliver: false` only: the signed document, base64. */
  readonly document?: string;
  /** `deliver: false` only: the WSP push PDU, base64. */
  readonly push?: string;
  /** `wbxml` or `xml`. */
  readonly format: string;
}

/** Registers the bootstrap route; call inside the REST API plugin. */
export function registerBootstrapRoutes(app: FastifyInstance, ctx: { readonly bootstrap: BootstrapService }): void {
  app.post<{ Params: { id: string } }>('/api/devices/:id/bootstrap', async (req): Promise<BootstrapDto> => {
    const id = deviceIdOf(req.params.id);
    const b = req.body === undefined || req.body === null ? {} : objectBody(req.body);
    const options = bootstrapOptions(b);
    let r;
    try {
      r = await ctx.bootstrap.bootstrap(id, options);
    } catch (err) {
      // Bad settings (no URL, no IMSI, invalid PIN…) are the caller's mistake: 400, not 500.
      if (err instanceof DmError && (err.code === ErrorCode.ERR_CONFIG_INVALID || err.code.startsWith('ERR_CP_'))) {
        throw apiError(ErrorCode.ERR_API_VALIDATION, err.message);
      }
      throw err;
    }
    const delivered = options.deliver !== false;
    return {
      deviceId: r.deviceId, serverId: r.serverId, serverUrl: r.serverUrl, username: r.username, registered: r.registered,
      format: options.format ?? 'wbxml',
      ...(r.sec === undefined ? {} : { sec: r.sec }),
      ...(r.pin === undefined ? {} : { pin: r.pin }),
      ...(r.mac === undefined ? {} : { mac: r.mac }),
      ...(r.transport === undefined ? {} : { transport: r.transport }),
      ...(delivered ? {} : { document: Buffer.from(r.body).toString('base64'), push: Buffer.from(r.push).toString('base64') }),
    };
  });
}

function bootstrapOptions(b: Record<string, unknown>): BootstrapOptions {
  const sec = optionalEnum(b, 'sec', ['NETWPIN', 'USERPIN', 'USERNETWPIN', 'USERPINMAC', 'none'] as const);
  const format = optionalEnum(b, 'format', ['wbxml', 'xml'] as const);
  const authType = optionalEnum(b, 'authType', ['md5', 'basic'] as const);
  const role = optionalInt(b, 'role', 1, 0xffffffff);
  const name = optionalString(b, 'name');
  const toNapId = optionalString(b, 'toNapId');
  const str = (key: string): Partial<Record<string, string>> => {
    const v = optionalString(b, key);
    return v === undefined ? {} : { [key]: v };
  };
  const bool = (key: string): boolean | undefined => {
    const v = b[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw apiError(ErrorCode.ERR_API_VALIDATION, `"${key}" must be a boolean`);
    return v;
  };
  const init = bool('init');
  const deliver = bool('deliver');
  const app = {
    ...(name === undefined ? {} : { name }),
    ...(role === undefined ? {} : { role }),
    ...(toNapId === undefined ? {} : { toNapIds: [toNapId] }),
  };
  return {
    ...str('pin'), ...str('imsi'), ...str('serverUrl'), ...str('description'), ...str('username'), ...str('applicationId'),
    ...(sec === undefined ? {} : { sec }),
    ...(format === undefined ? {} : { format }),
    ...(authType === undefined ? {} : { authType }),
    ...(init === undefined ? {} : { init }),
    ...(deliver === undefined ? {} : { deliver }),
    ...(Object.keys(app).length === 0 ? {} : { app }),
    ...(b['pushAddress'] === undefined ? {} : { pushAddress: pushAddressOf(objectBody(b['pushAddress'])) }),
  };
}

function pushAddressOf(o: Record<string, unknown>): PushAddress {
  const type = optionalEnum(o, 'type', ['udp', 'sms'] as const);
  if (type === 'udp') {
    const port = optionalInt(o, 'port', 1, 65535);
    if (port === undefined) throw apiError(ErrorCode.ERR_API_VALIDATION, '"pushAddress.port" must be 1..65535');
    return { type: 'udp', host: requiredString(o, 'host'), port };
  }
  if (type === 'sms') return { type: 'sms', msisdn: requiredString(o, 'msisdn') };
  throw apiError(ErrorCode.ERR_API_VALIDATION, '"pushAddress.type" must be udp or sms');
}
