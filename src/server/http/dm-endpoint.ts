/**
 * The DM endpoint (OMA-TS-DM_Protocol HTTP binding): `POST /dm` (also `POST /` and the RespURI
 * form `POST /dm/<node>/<token>`) with a SyncML DM body. Only HTTP concerns live here: media
 * types (415), body size (413), TLS flag and the URL a device reached; everything else is the
 * session engine's. A bad request is answered, never a crash.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { encodingFromContentType } from '../../core/codec/message-codec.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { DmRequest, DmResponse } from '../session/session-engine.js';

/** Anything that answers DM requests (the session engine). */
export interface DmMessageHandler {
  handle(req: DmRequest): Promise<DmResponse>;
}

/** Options of {@link dmEndpoint}. */
export interface DmEndpointOptions {
  readonly handler: DmMessageHandler;
  readonly metrics: ServerMetrics;
  /** Largest body accepted; larger ones get HTTP 413. */
  readonly maxBodyBytes: number;
}

const TEXT = 'text/plain; charset=utf-8';
const ACCEPTED = 'application/vnd.syncml.dm+xml, application/vnd.syncml.dm+wbxml (or the vnd.syncml+xml / +wbxml Data Sync types)';

/** Fastify plugin registering the DM routes in their own context (raw-body parsing only there). */
export async function dmEndpoint(app: FastifyInstance, opts: DmEndpointOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.maxBodyBytes }, (_req, body, done) => {
    done(null, body);
  });
  app.setErrorHandler((err: { statusCode?: number; code?: string; message?: string }, req, reply) => {
    if (err.statusCode === 413) {
      opts.metrics.rejectedRequests.inc({ reason: 'too_large' });
      return reply.code(413).type(TEXT).send(`DM message larger than ${opts.maxBodyBytes} bytes\n`);
    }
    if (err.statusCode === 415 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      opts.metrics.rejectedRequests.inc({ reason: 'media_type' });
      return reply.code(415).type(TEXT).send(`unsupported media type; send ${ACCEPTED}\n`);
    }
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      opts.metrics.rejectedRequests.inc({ reason: 'bad_request' });
      return reply.code(err.statusCode).type(TEXT).send(`bad request: ${String(err.message ?? '').slice(0, 200)}\n`);
    }
    req.log.error({ err }, 'DM endpoint failure');
    return reply.code(500).type(TEXT).send('internal server error\n');
  });

  const handle = async (req: FastifyRequest<{ Params: { token?: string } }>, reply: FastifyReply): Promise<FastifyReply> => {
    const contentType = req.headers['content-type'];
    if (encodingFromContentType(contentType) === undefined) {
      opts.metrics.rejectedRequests.inc({ reason: 'media_type' });
      return reply.code(415).type(TEXT).send(`unsupported media type ${JSON.stringify(contentType ?? '')}; send ${ACCEPTED}\n`);
    }
    const body = Buffer.isBuffer(req.body) ? new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength) : new Uint8Array(0);
    const hmac = req.headers['x-syncml-hmac'];
    const res = await opts.handler.handle({
      body,
      contentType,
      hmacHeader: Array.isArray(hmac) ? hmac[0] : hmac,
      secure: req.protocol === 'https',
      token: req.params.token,
      baseUrl: `${req.protocol}://${req.host}`,
    });
    reply.code(res.status).header('content-type', res.contentType).header('cache-control', 'no-store');
    for (const [k, v] of Object.entries(res.headers)) reply.header(k, v);
    return reply.send(typeof res.body === 'string' ? res.body : Buffer.from(res.body.buffer, res.body.byteOffset, res.body.byteLength));
  };

  app.post('/dm', handle);
  app.post('/', handle);
  // The RespURI form: the node id lets a load balancer route; the token finds the session.
  app.post('/dm/:node/:token', handle);
}
