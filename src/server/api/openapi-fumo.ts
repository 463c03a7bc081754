/**
 * OpenAPI parts of the firmware repository, FUMO campaigns (docs/reference/fumo.md) and the
 * Client Provisioning bootstrap route, added to /api/openapi.json when the server mounts them.
 */
import { commonErrors as errors, errorResponse, idParam, int, json, jsonBody, type Json, oneOfStrings, page, q, ref, str, time, unauthorized } from './openapi-json.js';

const FLOWS = ['download-and-update', 'download-then-update', 'update-in-session'];
const CAMPAIGN_STATES = ['draft', 'running', 'paused', 'completed', 'cancelled'];
const DEVICE_STATES = ['pending', 'sending', 'executing', 'verifying', 'retry_wait', 'succeeded', 'failed', 'timed_out', 'cancelled'];
const FAILURE_CLASSES = ['network', 'download-server', 'package', 'user', 'memory', 'update', 'exec', 'timeout', 'verify'];
const strings: Json = { type: 'array', items: str };
const bool: Json = { type: 'boolean' };
const num: Json = { type: 'number' };
const retry: Json = {
  type: 'object', description: 'Retry rule per failure class',
  properties: Object.fromEntries(FAILURE_CLASSES.map((c) => [c, ref('RetryRule')])),
};
const firmwareNotFound = errorResponse('No such package (ERR_FIRMWARE_NOT_FOUND)');
const campaignNotFound = errorResponse('No such campaign (ERR_CAMPAIGN_NOT_FOUND)');
const illegalState = errorResponse('Not allowed in the campaign\'s state (ERR_CAMPAIGN_ILLEGAL_STATE)');

/** Component schemas of the firmware and campaign routes. */
export function fumoSchemas(): Record<string, Json> {
  return {
    Firmware: {
      type: 'object', required: ['id', 'name', 'version', 'fromVersions', 'models', 'size', 'sha256', 'contentType', 'source', 'url', 'descriptorUrl', 'createdAt'],
      properties: {
        id: str, name: str, version: str, fromVersions: strings, models: strings, size: int, sha256: str, contentType: str, description: str,
        source: oneOfStrings(['local', 'external']), url: str, descriptorUrl: str, createdAt: time,
      },
    },
    CreateExternalFirmware: {
      type: 'object', required: ['name', 'version', 'url', 'size', 'sha256'],
      properties: { name: str, version: str, url: str, size: int, sha256: str, fromVersions: strings, models: strings, contentType: str, description: str },
    },
    RetryRule: { type: 'object', required: ['maxAttempts', 'delayMs'], properties: { maxAttempts: int, delayMs: int } },
    DeviceSelection: { type: 'object', properties: { models: strings, firmwareVersions: strings, groups: strings, deviceIds: strings } },
    RolloutPolicy: { type: 'object', properties: { wavePercent: num, waveSize: int, maxInFlight: int, failureThreshold: num } },
    CreateCampaign: {
      type: 'object', required: ['name', 'packageId'],
      properties: {
        name: str, packageId: str, flow: oneOfStrings(FLOWS), fumoNode: str, useDescriptor: bool, selection: ref('DeviceSelection'),
        rollout: ref('RolloutPolicy'), retry, deviceTimeoutMs: int, start: { type: 'boolean', description: 'start at once (default false: a draft)' },
      },
    },
    Campaign: {
      type: 'object',
      required: ['id', 'name', 'packageId', 'targetVersion', 'flow', 'fumoNode', 'useDescriptor', 'selection', 'rollout', 'retry', 'deviceTimeoutMs', 'state', 'currentWave', 'waveCount', 'excluded', 'createdAt', 'updatedAt'],
      properties: {
        id: str, name: str, packageId: str, targetVersion: str, flow: oneOfStrings(FLOWS), fumoNode: str, useDescriptor: bool,
        selection: ref('DeviceSelection'), rollout: ref('RolloutPolicy'), retry, deviceTimeoutMs: int, state: oneOfStrings(CAMPAIGN_STATES),
        currentWave: int, waveCount: int, pauseReason: str,
        excluded: { type: 'object', properties: { incompatible: int, alreadyCurrent: int } },
        createdAt: time, updatedAt: time, startedAt: time, finishedAt: time,
      },
    },
    CampaignStatus: {
      type: 'object', required: ['campaign', 'total', 'byState', 'byResult', 'waves', 'inFlight', 'finished', 'percentComplete'],
      properties: {
        campaign: ref('Campaign'), total: int, inFlight: int, finished: int, percentComplete: num,
        byState: { type: 'object', properties: Object.fromEntries(DEVICE_STATES.map((s) => [s, int])) },
        byResult: { type: 'array', items: { type: 'object', properties: { code: int, meaning: str, count: int } } },
        waves: { type: 'array', items: { type: 'object', properties: { wave: int, total: int, finished: int, succeeded: int, failed: int } } },
      },
    },
    CampaignDevice: {
      type: 'object', required: ['deviceId', 'wave', 'state', 'attempt', 'updatedAt'],
      properties: {
        deviceId: str, wave: int, state: oneOfStrings(DEVICE_STATES), attempt: int, step: oneOfStrings(['Download', 'Update', 'DownloadAndUpdate']),
        correlator: str, resultCode: int, resultMeaning: str, failureClass: oneOfStrings(FAILURE_CLASSES), detail: str, fwBefore: str, fwAfter: str,
        updatedAt: time, nextAttemptAt: time, finishedAt: time,
      },
    },
    CampaignEvent: { type: 'object', required: ['id', 'type', 'at'], additionalProperties: true, properties: { id: int, type: str, at: time } },
  };
}

/** Paths of the firmware and campaign routes. */
export function fumoPaths(): Record<string, Json> {
  const campaignId = idParam('Campaign');
  const action = (summary: string): Json => ({
    post: { summary, parameters: [campaignId], responses: { '200': json(ref('Campaign')), '404': campaignNotFound, '409': illegalState, ...errors } },
  });
  return {
    '/api/firmware': {
      get: {
        summary: 'List firmware packages', parameters: [q('model', 'only packages for this model'), q('version', 'only this version'), q('cursor', 'nextCursor of the previous page'), q('limit', 'page size', int)],
        responses: { '200': json(page('Firmware')), ...errors },
      },
      post: {
        summary: 'Upload a package (application/octet-stream, metadata in the query: name, version, fromVersions, models, contentType, description) or describe an external one (JSON)',
        parameters: [q('name', 'package name (upload)'), q('version', 'firmware version after the update (upload)'), q('fromVersions', 'comma-separated'), q('models', 'comma-separated')],
        requestBody: {
          required: true,
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } }, 'application/json': { schema: ref('CreateExternalFirmware') } },
        },
        responses: { '201': json(ref('Firmware'), 'Created'), '400': errorResponse('Invalid package (ERR_FIRMWARE_INVALID)'), '401': unauthorized },
      },
    },
    '/api/firmware/{id}': {
      get: { summary: 'Get a firmware package', parameters: [idParam('Firmware')], responses: { '200': json(ref('Firmware')), '404': firmwareNotFound, ...errors } },
      delete: {
        summary: 'Delete a package no active campaign uses', parameters: [idParam('Firmware')],
        responses: { '204': { description: 'Deleted' }, '404': firmwareNotFound, '409': errorResponse('Used by a campaign (ERR_FIRMWARE_IN_USE)'), ...errors },
      },
    },
    '/api/campaigns': {
      get: {
        summary: 'List campaigns', parameters: [q('state', 'comma-separated campaign states'), q('cursor', 'nextCursor of the previous page'), q('limit', 'page size', int)],
        responses: { '200': json(page('Campaign')), ...errors },
      },
      post: {
        summary: 'Create a campaign (a draft unless start is true)', requestBody: jsonBody(ref('CreateCampaign')),
        responses: { '201': json(ref('Campaign'), 'Created'), '400': errorResponse('Invalid campaign or unknown package (ERR_CAMPAIGN_INVALID)'), '401': unauthorized },
      },
    },
    '/api/campaigns/{id}': { get: { summary: 'Get a campaign', parameters: [campaignId], responses: { '200': json(ref('Campaign')), '404': campaignNotFound, ...errors } } },
    '/api/campaigns/{id}/status': {
      get: { summary: 'Counts by device state, result code and wave', parameters: [campaignId], responses: { '200': json(ref('CampaignStatus')), '404': campaignNotFound, ...errors } },
    },
    '/api/campaigns/{id}/devices': {
      get: {
        summary: 'Devices of a campaign', parameters: [campaignId, q('state', 'only this device state'), q('wave', 'only this wave', int), q('cursor', 'nextCursor of the previous page'), q('limit', 'page size', int)],
        responses: { '200': json(page('CampaignDevice')), '404': campaignNotFound, ...errors },
      },
    },
    '/api/campaigns/{id}/events': {
      get: {
        summary: 'Campaign events: JSON, or Server-Sent Events with Accept: text/event-stream', parameters: [campaignId, q('after', 'only events after this id', int), q('limit', 'at most this many', int)],
        responses: {
          '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: ref('CampaignEvent') } } } }, 'text/event-stream': { schema: str } } },
          '404': campaignNotFound, ...errors,
        },
      },
    },
    '/api/campaigns/{id}/start': action('Start a draft campaign'),
    '/api/campaigns/{id}/pause': action('Pause a running campaign'),
    '/api/campaigns/{id}/resume': action('Resume a paused campaign'),
    '/api/campaigns/{id}/cancel': action('Cancel a campaign'),
  };
}

/** Component schemas of the bootstrap route. */
export function bootstrapSchemas(): Record<string, Json> {
  return {
    BootstrapRequest: {
      type: 'object',
      properties: {
        sec: oneOfStrings(['NETWPIN', 'USERPIN', 'USERNETWPIN', 'USERPINMAC', 'none']), pin: str, imsi: str, serverUrl: str, description: str,
        init: bool, format: oneOfStrings(['wbxml', 'xml']), deliver: { type: 'boolean', description: 'false: return the signed document instead of pushing it' },
        username: str, authType: oneOfStrings(['md5', 'basic']), pushAddress: ref('PushAddress'), name: str, role: int, toNapId: str, applicationId: str,
      },
    },
    Bootstrap: {
      type: 'object', required: ['deviceId', 'serverId', 'serverUrl', 'username', 'registered', 'format'],
      properties: {
        deviceId: str, serverId: str, serverUrl: str, username: str, registered: bool, sec: str, pin: str, mac: str, transport: str, format: str,
        document: { type: 'string', format: 'byte', description: 'deliver: false only — the signed document (holds the secrets)' },
        push: { type: 'string', format: 'byte', description: 'deliver: false only — the WSP push PDU' },
      },
    },
  };
}

/** Path of the bootstrap route. */
export function bootstrapPaths(): Record<string, Json> {
  return {
    '/api/devices/{id}/bootstrap': {
      post: {
        summary: 'Bootstrap a device over OMA Client Provisioning: new credentials in a signed w7 document, pushed or returned',
        parameters: [idParam('Device')], requestBody: jsonBody(ref('BootstrapRequest'), false),
        responses: {
          '200': json(ref('Bootstrap')),
          '400': errorResponse('Invalid settings (ERR_API_VALIDATION: no server URL or IMSI, a bad PIN, an unknown device without pushAddress)'),
          '401': unauthorized,
          '409': errorResponse('No push address or transport (ERR_NOTIFY_NO_ADDRESS)'),
          '502': errorResponse('Push transport failed (ERR_NOTIFY_TRANSPORT)'),
        },
      },
    },
  };
}
