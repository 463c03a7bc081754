/** The OpenAPI 3.0 description of the REST API, served at /api/openapi.json. */

import { commonErrors as errors, idParam, int, json, type Json, page, q, ref, str, time } from './openapi-json.js';
import { bootstrapPaths, bootstrapSchemas, fumoPaths, fumoSchemas } from './openapi-fumo.js';

const notFound: Json = json(ref('Error'), 'Not found (ERR_REGISTRY_DEVICE_NOT_FOUND, ERR_QUEUE_JOB_NOT_FOUND)');
const paging: Json[] = [q('cursor', 'nextCursor of the previous page'), q('limit', 'page size 1..1000 (default 100)', int), q('order', 'asc (default) or desc', { type: 'string', enum: ['asc', 'desc'] })];

const item: Json = { type: 'object', required: ['uri'], properties: { uri: str, data: str, base64: { type: 'boolean' }, format: str, type: str } };
const command: Json = {
  type: 'object', required: ['kind'],
  description: 'Get/Delete: {uris}; Add/Replace: {items}; Copy: {items:[{source,target}]}; Exec: {item}; Alert: {code 1100..1104, text, options?, choices?}; Atomic/Sequence: {commands}',
  properties: {
    kind: { type: 'string', enum: ['Get', 'Add', 'Replace', 'Delete', 'Copy', 'Exec', 'Alert', 'Atomic', 'Sequence'] },
    uris: { type: 'array', items: str }, items: { type: 'array', items: ref('JobItem') }, item: ref('JobItem'),
    code: { type: 'integer', enum: [1100, 1101, 1102, 1103, 1104] }, text: str, options: str, choices: { type: 'array', items: str },
    commands: { type: 'array', items: ref('JobCommand') },
  },
};

/** What {@link openApiDocument} describes. */
export interface OpenApiOptions {
  readonly version: string;
  /** Include the firmware and campaign routes. */
  readonly fumo?: boolean;
  /** Include `POST /api/devices/{id}/bootstrap`. */
  readonly bootstrap?: boolean;
}

/** Builds the OpenAPI document. */
export function openApiDocument(opts: OpenApiOptions): Json {
  const sec: Json = [{ bearer: [] }];
  return {
    openapi: '3.0.3',
    info: { title: 'omadm REST API', version: opts.version, description: 'Manage OMA DM devices, jobs and events. See docs/reference/rest-api.md.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: str, message: str } } } },
        PushAddress: { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ['udp', 'sms'] }, host: str, port: int, msisdn: str } },
        Device: {
          type: 'object', required: ['id', 'devInfo', 'devDetail', 'groups', 'tags', 'createdAt', 'updatedAt'],
          properties: {
            id: str, devInfo: { type: 'object', additionalProperties: str }, devDetail: { type: 'object', additionalProperties: str },
            protocolVersion: { type: 'string', enum: ['1.1', '1.2'] }, encoding: { type: 'string', enum: ['xml', 'wbxml'] },
            groups: { type: 'array', items: str }, tags: { type: 'object', additionalProperties: str }, pushAddress: ref('PushAddress'),
            createdAt: time, updatedAt: time, lastSessionAt: time, lastSessionOutcome: str,
          },
        },
        CreateDevice: {
          type: 'object', required: ['id'],
          properties: {
            id: str,
            client: { type: 'object', required: ['username', 'password'], properties: { username: str, password: str, authType: { type: 'string', enum: ['md5', 'hmac', 'basic'] } } },
            server: { type: 'object', required: ['serverId', 'serverPassword'], properties: { serverId: str, serverPassword: str } },
            groups: { type: 'array', items: str }, tags: { type: 'object', additionalProperties: str }, pushAddress: ref('PushAddress'),
            protocolVersion: { type: 'string', enum: ['1.1', '1.2'] },
          },
        },
        TreeNode: { type: 'object', required: ['uri', 'source', 'at'], properties: { uri: str, format: str, type: str, data: str, base64: { type: 'boolean' }, source: str, at: time } },
        JobItem: item,
        JobCommand: command,
        StoredItem: item,
        CreateJob: {
          type: 'object', required: ['command'],
          properties: { deviceId: str, group: str, command: ref('JobCommand'), correlator: str, priority: int, expiresAt: time, wake: { type: 'boolean' } },
        },
        Job: {
          type: 'object', required: ['id', 'deviceId', 'command', 'state', 'priority', 'statuses', 'results', 'attempts', 'createdAt', 'updatedAt'],
          properties: {
            id: str, deviceId: str, command: ref('JobCommand'),
            state: { type: 'string', enum: ['queued', 'sent', 'status_received', 'results_received', 'done', 'failed', 'cancelled', 'expired'] },
            priority: int, correlator: str, fanOutId: str, group: str, status: int, attempts: int,
            statuses: { type: 'array', items: { type: 'object', properties: { cmdId: int, status: int, items: { type: 'array', items: ref('StoredItem') } } } },
            results: { type: 'array', items: ref('StoredItem') },
            createdAt: time, updatedAt: time, sentAt: time, completedAt: time, expiresAt: time, error: str,
          },
        },
        FanOut: { type: 'object', required: ['fanOutId', 'jobs'], properties: { fanOutId: str, jobs: { type: 'array', items: ref('Job') } } },
        JobResults: { type: 'object', required: ['id', 'state', 'results'], properties: { id: str, state: str, status: int, results: { type: 'array', items: ref('StoredItem') } } },
        Event: { type: 'object', required: ['id', 'at', 'type', 'deviceId'], additionalProperties: true, properties: { id: str, at: time, type: str, deviceId: str } },
        Wake: { type: 'object', required: ['deviceId', 'dmSessionId', 'transport'], properties: { deviceId: str, dmSessionId: int, transport: str } },
        ...(opts.fumo === true ? fumoSchemas() : {}),
        ...(opts.bootstrap === true ? bootstrapSchemas() : {}),
      },
    },
    security: sec,
    paths: {
      '/api/health': { get: { summary: 'Liveness', security: [], responses: { '200': json({ type: 'object', properties: { status: str, nodeId: str, activeSessions: int } }) } } },
      '/api/devices': {
        get: { summary: 'List devices', parameters: [q('group', 'only members of this group'), ...paging], responses: { '200': json(page('Device')), ...errors } },
        post: { summary: 'Register a device with credentials', requestBody: { required: true, content: { 'application/json': { schema: ref('CreateDevice') } } }, responses: { '201': json(ref('Device'), 'Created'), '409': json(ref('Error'), 'Exists (ERR_REGISTRY_DEVICE_EXISTS)'), ...errors } },
      },
      '/api/devices/{id}': {
        get: { summary: 'Get a device', parameters: [idParam('Device')], responses: { '200': json(ref('Device')), '404': notFound, ...errors } },
        delete: { summary: 'Delete a device, its credentials, tree cache and jobs', parameters: [idParam('Device')], responses: { '204': { description: 'Deleted' }, '404': notFound, ...errors } },
      },
      '/api/devices/{id}/tree': {
        get: { summary: "The device's cached management tree", parameters: [idParam('Device'), q('prefix', 'only this node and below (e.g. ./DevInfo)'), ...paging], responses: { '200': json(page('TreeNode')), '404': notFound, ...errors } },
      },
      '/api/devices/{id}/wake': {
        post: { summary: 'Send a Package 0 notification', parameters: [idParam('Device')], responses: { '202': json(ref('Wake'), 'Sent'), '404': notFound, '409': json(ref('Error'), 'No push address or server credential'), '502': json(ref('Error'), 'Push transport failed'), ...errors } },
      },
      '/api/jobs': {
        get: { summary: 'List jobs', parameters: [q('deviceId', 'only this device'), q('state', 'only this state'), q('fanOutId', 'only one group fan-out'), ...paging], responses: { '200': json(page('Job')), ...errors } },
        post: { summary: 'Queue a command for a device or a group', requestBody: { required: true, content: { 'application/json': { schema: ref('CreateJob') } } }, responses: { '201': json({ oneOf: [ref('Job'), ref('FanOut')] }, 'Queued'), '404': notFound, ...errors } },
      },
      '/api/jobs/{id}': { get: { summary: 'Get a job', parameters: [idParam('Job')], responses: { '200': json(ref('Job')), '404': notFound, ...errors } } },
      '/api/jobs/{id}/results': { get: { summary: 'Results of a job', parameters: [idParam('Job')], responses: { '200': json(ref('JobResults')), '404': notFound, ...errors } } },
      '/api/jobs/{id}/cancel': { post: { summary: 'Cancel a queued job', parameters: [idParam('Job')], responses: { '200': json(ref('Job')), '404': notFound, '409': json(ref('Error'), 'Already sent or finished (ERR_QUEUE_ILLEGAL_TRANSITION)'), ...errors } } },
      '/api/events': {
        get: { summary: 'List events', parameters: [q('deviceId', 'only this device'), q('type', 'only this type'), q('since', 'ISO time', time), ...paging], responses: { '200': json(page('Event')), ...errors } },
      },
      '/api/events/stream': {
        get: {
          summary: 'Live events as Server-Sent Events', parameters: [q('deviceId', 'only this device'), q('types', 'comma-separated event types'), q('access_token', 'bearer token for clients that cannot set headers')],
          responses: { '200': { description: 'text/event-stream', content: { 'text/event-stream': { schema: str } } }, ...errors },
        },
      },
      ...(opts.fumo === true ? fumoPaths() : {}),
      ...(opts.bootstrap === true ? bootstrapPaths() : {}),
    },
  };
}
