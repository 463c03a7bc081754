/**
 * Device-facing package download (no API token: devices fetch FUMO PkgURL anonymously, reference
 * §1.11): `GET|HEAD /firmware/:id` with single byte ranges (206, 416, If-Range) so an interrupted
 * download resumes, `GET /firmware/:id/dd` with a generated OMA download descriptor, and
 * `POST /firmware/:id/notify`, the descriptor's installNotifyURI.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MediaType } from '../../core/constants/meta-types.js';
import { buildDownloadDescriptor } from './download-descriptor-xml.js';
import type { FirmwareRepository } from './firmware-repository.js';
import type { FirmwarePackageRecord } from './firmware-store.js';
import { decideRange } from './http-range.js';

/** An install status report a device POSTed to installNotifyURI (OMA DLOTA §5.4). */
export interface InstallNotification {
  readonly firmwareId: string;
  /** Status code, e.g. 900 (Success), 902 (User Cancelled), 905 (Attribute mismatch). */
  readonly status: number;
  /** The whole report text. */
  readonly text: string;
}

/** Options of {@link registerFirmwareDownloadRoutes}. */
export interface FirmwareDownloadRouteOptions {
  readonly repository: FirmwareRepository;
  /** Base URL devices reach the server at (default: from each request's Host). */
  readonly publicUrl?: string;
  /** Path prefix of the routes (default `/firmware`). */
  readonly prefix?: string;
  /** Called for each install status report. */
  readonly onInstallNotify?: (report: InstallNotification) => void;
}

type IdParams = { Params: { id: string } };

/** Where the download routes are: the server's base URL and the routes' prefix (default `/firmware`). */
export interface DownloadLocation {
  readonly base: string;
  readonly prefix?: string;
}

/** URL of a package's bytes as devices should fetch it. */
export function packageUrl(record: FirmwarePackageRecord, at: DownloadLocation): string {
  return record.location.kind === 'external' ? record.location.url : `${trimSlash(at.base)}${at.prefix ?? '/firmware'}/${record.id}`;
}

/** URL of a package's download descriptor. */
export function descriptorUrl(record: FirmwarePackageRecord, at: DownloadLocation): string {
  return `${trimSlash(at.base)}${at.prefix ?? '/firmware'}/${record.id}/dd`;
}

/** Registers the download routes on a fastify instance (outside the API's token check). */
export function registerFirmwareDownloadRoutes(app: FastifyInstance, options: FirmwareDownloadRouteOptions): void {
  const prefix = options.prefix ?? '/firmware';
  const repo = options.repository;
  const baseOf = (req: FastifyRequest): string => options.publicUrl ?? `${req.protocol}://${req.host}`;

  const serve = async (req: FastifyRequest<IdParams>, reply: FastifyReply): Promise<unknown> => {
    const record = await repo.get(req.params.id);
    if (!record) return reply.code(404).type('text/plain').send('no such firmware package\n');
    if (record.location.kind === 'external') return reply.code(307).header('location', record.location.url).send();
    const etag = `"${record.sha256}"`;
    reply.header('accept-ranges', 'bytes').header('etag', etag).header('last-modified', new Date(record.createdAt).toUTCString());
    const decision = decideRange({
      range: req.headers.range, ifRange: header(req, 'if-range'), size: record.size, etag, lastModified: record.createdAt,
    });
    if (decision.kind === 'unsatisfiable') {
      return reply.code(416).header('content-range', `bytes */${record.size}`).send();
    }
    reply.type(record.contentType);
    if (decision.kind === 'partial') {
      const length = decision.end - decision.start + 1;
      reply.code(206).header('content-range', `bytes ${decision.start}-${decision.end}/${record.size}`).header('content-length', length);
      return req.method === 'HEAD' ? reply.send() : reply.send(repo.openRead(record, decision));
    }
    reply.code(200).header('content-length', record.size);
    return req.method === 'HEAD' ? reply.send() : reply.send(repo.openRead(record));
  };

  app.route<IdParams>({ method: ['GET', 'HEAD'], url: `${prefix}/:id`, handler: serve });

  app.get<IdParams>(`${prefix}/:id/dd`, async (req, reply) => {
    const record = await repo.get(req.params.id);
    if (!record) return reply.code(404).type('text/plain').send('no such firmware package\n');
    const base = baseOf(req);
    const xml = buildDownloadDescriptor({
      objectUri: packageUrl(record, { base, prefix }), size: record.size, type: record.contentType, name: record.name,
      ...(record.description !== undefined ? { description: record.description } : {}),
      installNotifyUri: `${trimSlash(base)}${prefix}/${record.id}/notify`, sha256: record.sha256,
    });
    return reply.type(MediaType.DOWNLOAD_DESCRIPTOR).send(xml);
  });

  app.post<IdParams>(`${prefix}/:id/notify`, async (req, reply) => {
    const text = typeof req.body === 'string' ? req.body : Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const status = Number(/^\s*(\d{3})/.exec(text)?.[1] ?? NaN);
    if (!Number.isInteger(status)) return reply.code(400).type('text/plain').send('expected "<status code> <text>"\n');
    options.onInstallNotify?.({ firmwareId: req.params.id, status, text: text.trim() });
    return reply.code(200).type('text/plain').send('ok\n');
  });
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function trimSlash(s: string): string {
  return s.endsWith('/') ? s.slice(0, -1) : s;
}
