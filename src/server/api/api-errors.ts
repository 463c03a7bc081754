/**
 * REST error boundary: every error becomes `{ error: { code, message } }` with the HTTP status the
 * catalog maps its code to (house style §4: the catalog also maps codes to HTTP statuses).
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { DmError, ErrorCode } from '../../core/errors.js';
import type { ErrorResponseDto } from './dto.js';

/** HTTP status of each error code a REST call can surface; anything else is 500. */
export const HTTP_STATUS_BY_CODE: Readonly<Partial<Record<ErrorCode, number>>> = {
  ERR_API_VALIDATION: 400,
  ERR_API_UNAUTHORIZED: 401,
  ERR_API_FORBIDDEN: 403,
  ERR_API_NOT_FOUND: 404,
  ERR_QUEUE_COMMAND_INVALID: 400,
  ERR_TREE_URI_INVALID: 400,
  ERR_CONFIG_INVALID: 400,
  ERR_CP_INVALID: 400,
  ERR_CP_MAC_INVALID: 400,
  ERR_CP_SECURITY: 400,
  ERR_FIRMWARE_INVALID: 400,
  ERR_CAMPAIGN_INVALID: 400,
  ERR_DOWNLOAD_DESCRIPTOR_INVALID: 400,
  ERR_REGISTRY_DEVICE_NOT_FOUND: 404,
  ERR_QUEUE_JOB_NOT_FOUND: 404,
  ERR_FIRMWARE_NOT_FOUND: 404,
  ERR_CAMPAIGN_NOT_FOUND: 404,
  ERR_REGISTRY_DEVICE_EXISTS: 409,
  ERR_QUEUE_ILLEGAL_TRANSITION: 409,
  ERR_CAMPAIGN_ILLEGAL_STATE: 409,
  ERR_FIRMWARE_IN_USE: 409,
  ERR_NOTIFY_NO_CREDENTIALS: 409,
  ERR_NOTIFY_NO_ADDRESS: 409,
  ERR_NOTIFY_TRANSPORT: 502,
  ERR_STORE_CLOSED: 503,
};

/** The HTTP status for an error code (500 when the code has no mapping). */
export function httpStatusFor(code: string): number {
  return (HTTP_STATUS_BY_CODE as Readonly<Record<string, number>>)[code] ?? 500;
}

/** An API error to throw from a route. */
export function apiError(code: ErrorCode, message: string): DmError {
  return new DmError(code, message);
}

/** The JSON body of an error response. */
export function errorBody(code: string, message: string): ErrorResponseDto {
  return { error: { code, message } };
}

/** Installs the error and not-found handlers on the API context. */
export function installApiErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DmError | Error, req, reply) => {
    if (err instanceof DmError) {
      const status = httpStatusFor(err.code);
      if (status >= 500) req.log.error({ err }, 'API request failed');
      return reply.code(status).send(errorBody(err.code, status >= 500 ? 'internal error' : err.message));
    }
    const fe = err as FastifyError;
    if (fe.validation !== undefined || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err instanceof SyntaxError) {
      return reply.code(400).send(errorBody(ErrorCode.ERR_API_VALIDATION, err.message));
    }
    if (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send(errorBody(ErrorCode.ERR_API_VALIDATION, err.message));
    }
    req.log.error({ err }, 'API request failed');
    return reply.code(500).send(errorBody('ERR_INTERNAL', 'internal error'));
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(errorBody(ErrorCode.ERR_API_NOT_FOUND, `no route ${req.method} ${req.url.split('?')[0] ?? ''}`)));
}
