/**
 * JSON shapes of the REST API (docs/reference/rest-api.md). Types only: the dashboard imports
 * them with `import type`. Times are ISO 8601 strings; binary values are base64 with `base64: true`.
 */

/** Every error response: `{ "error": { "code": "ERR_…", "message": "…" } }`. */
export interface ErrorResponseDto {
  readonly error: { readonly code: string; readonly message: string };
}

/** One page of a listing; pass `nextCursor` as `?cursor=` for the next page. */
export interface PageDto<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

/** A push address for Package 0. */
export type PushAddressDto =
  | { readonly type: 'udp'; readonly host: string; readonly port: number }
  | { readonly type: 'sms'; readonly msisdn: string };

/** A managed device (never its secrets). */
export interface DeviceDto {
  readonly id: string;
  readonly devInfo: { readonly devId?: string; readonly man?: string; readonly mod?: string; readonly dmV?: string; readonly lang?: string };
  readonly devDetail: Readonly<Record<string, string>>;
  readonly protocolVersion?: '1.1' | '1.2';
  readonly encoding?: 'xml' | 'wbxml';
  readonly groups: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly pushAddress?: PushAddressDto;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastSessionAt?: string;
  readonly lastSessionOutcome?: string;
}

/** Body of `POST /api/devices`. */
export interface CreateDeviceDto {
  readonly id: string;
  /** Client credential (what the device presents). */
  readonly client?: { readonly username: string; readonly password: string; readonly authType?: 'md5' | 'hmac' | 'basic' };
  /** Server credential (what the server presents); the server default when absent. */
  readonly server?: { readonly serverId: string; readonly serverPassword: string };
  readonly groups?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly pushAddress?: PushAddressDto;
  readonly protocolVersion?: '1.1' | '1.2';
}

/** A cached tree node. */
export interface TreeNodeDto {
  readonly uri: string;
  readonly format?: string;
  readonly type?: string;
  readonly data?: string;
  readonly base64?: boolean;
  readonly source: string;
  readonly at: string;
}

/** An item of an Add/Replace/Exec job. */
export interface JobItemDto {
  readonly uri: string;
  readonly data?: string;
  readonly base64?: boolean;
  readonly format?: string;
  readonly type?: string;
}

/** A job command, as `POST /api/jobs` takes it (same shape as stored). */
export type JobCommandDto =
  | { readonly kind: 'Get'; readonly uris: readonly string[] }
  | { readonly kind: 'Add'; readonly items: readonly JobItemDto[] }
  | { readonly kind: 'Replace'; readonly items: readonly JobItemDto[] }
  | { readonly kind: 'Delete'; readonly uris: readonly string[] }
  | { readonly kind: 'Copy'; readonly items: readonly { readonly source: string; readonly target: string }[] }
  | { readonly kind: 'Exec'; readonly item: JobItemDto }
  | { readonly kind: 'Alert'; readonly code: 1100 | 1101 | 1102 | 1103 | 1104; readonly options?: string; readonly text: string; readonly choices?: readonly string[] }
  | { readonly kind: 'Atomic'; readonly commands: readonly JobCommandDto[] }
  | { readonly kind: 'Sequence'; readonly commands: readonly JobCommandDto[] };

/** Body of `POST /api/jobs`: exactly one of `deviceId` or `group`. */
export interface CreateJobDto {
  readonly deviceId?: string;
  readonly group?: string;
  readonly command: JobCommandDto;
  readonly correlator?: string;
  readonly priority?: number;
  /** ISO time after which an undelivered job expires. */
  readonly expiresAt?: string;
  /** Also send a Package 0 so the device connects now. */
  readonly wake?: boolean;
}

/** A stored item (Results, Status items). */
export interface StoredItemDto {
  readonly uri: string;
  readonly format?: string;
  readonly type?: string;
  readonly data?: string;
  readonly base64?: boolean;
}

/** A job. */
export interface JobDto {
  readonly id: string;
  readonly deviceId: string;
  readonly command: JobCommandDto;
  readonly state: 'queued' | 'sent' | 'status_received' | 'results_received' | 'done' | 'failed' | 'cancelled' | 'expired';
  readonly priority: number;
  readonly correlator?: string;
  readonly fanOutId?: string;
  readonly group?: string;
  readonly status?: number;
  readonly statuses: readonly { readonly cmdId: number; readonly status: number; readonly items?: readonly StoredItemDto[] }[];
  readonly results: readonly StoredItemDto[];
  readonly attempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly sentAt?: string;
  readonly completedAt?: string;
  readonly expiresAt?: string;
  readonly error?: string;
}

/** Answer of `POST /api/jobs` for a group: one job per member. */
export interface FanOutDto {
  readonly fanOutId: string;
  readonly jobs: readonly JobDto[];
}

/** Results of a job. */
export interface JobResultsDto {
  readonly id: string;
  readonly state: JobDto['state'];
  readonly status?: number;
  readonly results: readonly StoredItemDto[];
}

/** An event (alerts, sessions, auth failures, job changes, notifications). */
export interface EventDto {
  readonly id: string;
  readonly at: string;
  readonly type: string;
  readonly deviceId: string;
  /** The event's other fields, as stored. */
  readonly [field: string]: unknown;
}

/** Answer of `POST /api/devices/:id/wake`. */
export interface WakeDto {
  readonly deviceId: string;
  /** SessionID announced in Package 0 (the device uses its upper-case hex). */
  readonly dmSessionId: number;
  readonly transport: string;
}

/** Answer of `GET /api/health`. */
export interface HealthDto {
  readonly status: 'ok';
  readonly nodeId: string;
  readonly activeSessions: number;
}

// The firmware, campaign and bootstrap routes' shapes, so `import type … from 'omadm/server'` finds every DTO.
export type { CampaignDeviceDto, CampaignDto, CampaignEventDto, CampaignStatusDto, CreateCampaignDto } from '../campaign/campaign-dto.js';
export type { CreateExternalFirmwareDto, FirmwareDto } from '../firmware/firmware-dto.js';
export type { BootstrapDto } from '../bootstrap/bootstrap-routes.js';
