/**
 * REST routes of the firmware repository (docs/reference/fumo.md): `POST /api/firmware` (raw
 * bytes as `application/octet-stream` with the metadata in the query, or JSON describing an
 * external package), `GET /api/firmware`, `GET /api/firmware/:id`, `DELETE /api/firmware/:id`.
 * Register inside the API's authenticated scope.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { DmError, ErrorCode } from '../../core/errors.js';
import type { FirmwareDto } from './firmware-dto.js';
import { type DownloadLocation, descriptorUrl, packageUrl } from './firmware-download-routes.js';
import type { FirmwareRepository } from './firmware-repository.js';
import type { FirmwarePackageRecord } from './firmware-store.js';
import { installFumoErrorHandler } from './fumo-api-errors.js';

/** Options of {@link registerFirmwareRoutes}. */
export interface FirmwareRouteOptions {
  readonly repository: FirmwareRepository;
  /** Base URL devices reach the server at (default: from each request's Host). */
  readonly publicUrl?: string;
  /** Prefix of the device download routes (default `/firmware`). */
  readonly downloadPrefix?: string;
}

type IdParams = { Params: { id: string } };

/** Maps a record to its DTO. */
export function toFirmwareDto(r: FirmwarePackageRecord, at: DownloadLocation): FirmwareDto {
  return {
    id: r.id, name: r.name, version: r.version, fromVersions: r.fromVersions, models: r.models, size: r.size, sha256: r.sha256,
    contentType: r.contentType, ...(r.description !== undefined ? { description: r.description } : {}),
    source: r.location.kind, url: packageUrl(r, at), descriptorUrl: descriptorUrl(r, at),
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

/** Registers the firmware API routes (in an encapsulated scope with its own body parser). */
export function registerFirmwareRoutes(app: FastifyInstance, options: FirmwareRouteOptions): void {
  const repo = options.repository;
  const prefix = options.downloadPrefix ?? '/firmware';
  const baseOf = (req: FastifyRequest): string => options.publicUrl ?? `${req.protocol}://${req.host}`;
  void app.register(async (scope) => {
    installFumoErrorHandler(scope);
    // The body stays a stream: the repository hashes it on its way to disk (no buffering).
    scope.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));

    scope.post('/api/firmware', async (req, reply) => {
      const q = req.query as Record<string, unknown>;
      let record: FirmwarePackageRecord;
      if (isStream(req.body)) {
        record = await repo.upload(req.body, {
          name: str(q, 'name', true), version: str(q, 'version', true),
          fromVersions: list(q['fromVersions'] ?? q['from']), models: list(q['models'] ?? q['model']),
          ...opt('contentType', str(q, 'contentType', false)), ...opt('description', str(q, 'description', false)),
        });
      } else {
        const b = body(req.body);
        const size = b['size'];
        if (typeof size !== 'number') throw invalid('"size" must be a number');
        record = await repo.addExternal({
          name: str(b, 'name', true), version: str(b, 'version', true), url: str(b, 'url', true), size, sha256: str(b, 'sha256', true),
          fromVersions: list(b['fromVersions']), models: list(b['models']),
          ...opt('contentType', str(b, 'contentType', false)), ...opt('description', str(b, 'description', false)),
        });
      }
      reply.code(201);
      return toFirmwareDto(record, { base: baseOf(req), prefix });
    });

    scope.get('/api/firmware', async (req) => {
      const q = req.query as Record<string, unknown>;
      const limit = q['limit'] === undefined ? undefined : Number(q['limit']);
      const page = await repo.list({
        ...opt('cursor', str(q, 'cursor', false)), ...opt('model', str(q, 'model', false)), ...opt('version', str(q, 'version', false)),
        ...(limit !== undefined && Number.isInteger(limit) ? { limit } : {}),
      });
      const items = page.items.map((r) => toFirmwareDto(r, { base: baseOf(req), prefix }));
      return page.nextCursor !== undefined ? { items, nextCursor: page.nextCursor } : { items };
    });

    scope.get<IdParams>('/api/firmware/:id', async (req) => toFirmwareDto(await repo.require(req.params.id), { base: baseOf(req), prefix }));

    scope.delete<IdParams>('/api/firmware/:id', async (req, reply) => {
      await repo.remove(req.params.id);
      return reply.code(204).send();
    });
  });
}

function isStream(v: unknown): v is Readable {
  return typeof v === 'object' && v !== null && typeof (v as Readable).pipe === 'function';
}

function body(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid('send the package as application/octet-stream, or JSON describing an external package');
  return v as Record<string, unknown>;
}

function str(o: Record<string, unknown>, key: string, required: true): string;
function str(o: Record<string, unknown>, key: string, required: false): string | undefined;
function str(o: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') {
    if (required) throw invalid(`"${key}" is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw invalid(`"${key}" must be a string`);
  return v;
}

/** A list given as an array or as comma-separated text. */
function list(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string').flatMap(split);
  if (typeof v === 'string') return split(v);
  throw invalid('lists must be strings or arrays of strings');
}

function split(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

function opt<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}

function invalid(message: string): DmError {
  return new DmError(ErrorCode.ERR_FIRMWARE_INVALID, message);
}
