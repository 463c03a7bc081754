/**
 * HTTP statuses of the firmware and campaign error codes. Their routes run in an encapsulated
 * fastify scope whose error handler answers these codes and hands every other error to the
 * parent (API) error handler, so the API's single error boundary is kept (house style §4).
 */
import type { FastifyInstance } from 'fastify';
import { DmError, ErrorCode } from '../../core/errors.js';

/** HTTP status of each firmware / campaign error code. */
export const FUMO_HTTP_STATUS: Readonly<Partial<Record<ErrorCode, number>>> = {
  [ErrorCode.ERR_FIRMWARE_NOT_FOUND]: 404,
  [ErrorCode.ERR_FIRMWARE_INVALID]: 400,
  [ErrorCode.ERR_FIRMWARE_IN_USE]: 409,
  [ErrorCode.ERR_CAMPAIGN_NOT_FOUND]: 404,
  [ErrorCode.ERR_CAMPAIGN_INVALID]: 400,
  [ErrorCode.ERR_CAMPAIGN_ILLEGAL_STATE]: 409,
};

/** Installs the scope's error handler: FUMO codes answered here, anything else re-thrown to the parent. */
export function installFumoErrorHandler(scope: FastifyInstance): void {
  scope.setErrorHandler((err, _req, reply) => {
    const status = err instanceof DmError ? FUMO_HTTP_STATUS[err.code] : undefined;
    if (err instanceof DmError && status !== undefined) {
      return reply.code(status).send({ error: { code: err.code, message: err.message } });
    }
    throw err;
  });
}
