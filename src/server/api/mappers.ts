/** Maps store records to the REST DTOs of dto.ts (epoch ms → ISO strings, no secrets). */
import type { DeviceRecord, EventRecord, JobRecord, StoredItem, TreeNodeRecord } from '../store/store.js';
import type { DeviceDto, EventDto, JobDto, JobResultsDto, StoredItemDto, TreeNodeDto } from './dto.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** Device record → DTO. */
export function toDeviceDto(d: DeviceRecord): DeviceDto {
  return {
    id: d.id, devInfo: d.devInfo, devDetail: d.devDetail, groups: d.groups, tags: d.tags,
    createdAt: iso(d.createdAt), updatedAt: iso(d.updatedAt),
    ...(d.protocolVersion ? { protocolVersion: d.protocolVersion } : {}),
    ...(d.encoding ? { encoding: d.encoding } : {}),
    ...(d.pushAddress ? { pushAddress: d.pushAddress } : {}),
    ...(d.lastSessionAt !== undefined ? { lastSessionAt: iso(d.lastSessionAt) } : {}),
    ...(d.lastSessionOutcome ? { lastSessionOutcome: d.lastSessionOutcome } : {}),
  };
}

/** Stored item → DTO. */
export function toItemDto(i: StoredItem): StoredItemDto {
  return {
    uri: i.uri,
    ...(i.format !== undefined ? { format: i.format } : {}),
    ...(i.type !== undefined ? { type: i.type } : {}),
    ...(i.data !== undefined ? { data: i.data } : {}),
    ...(i.base64 ? { base64: true } : {}),
  };
}

/** Tree node → DTO. */
export function toTreeNodeDto(n: TreeNodeRecord): TreeNodeDto {
  return { ...toItemDto(n), source: n.source, at: iso(n.at) };
}

/** Job record → DTO. */
export function toJobDto(j: JobRecord): JobDto {
  return {
    id: j.id, deviceId: j.deviceId, command: j.command, state: j.state, priority: j.priority, attempts: j.attempts,
    statuses: j.statuses.map((s) => ({ cmdId: s.cmdId, status: s.status, ...(s.items ? { items: s.items.map(toItemDto) } : {}) })),
    results: j.results.map(toItemDto), createdAt: iso(j.createdAt), updatedAt: iso(j.updatedAt),
    ...(j.correlator !== undefined ? { correlator: j.correlator } : {}),
    ...(j.fanOutId !== undefined ? { fanOutId: j.fanOutId } : {}),
    ...(j.group !== undefined ? { group: j.group } : {}),
    ...(j.status !== undefined ? { status: j.status } : {}),
    ...(j.sentAt !== undefined ? { sentAt: iso(j.sentAt) } : {}),
    ...(j.completedAt !== undefined ? { completedAt: iso(j.completedAt) } : {}),
    ...(j.expiresAt !== undefined ? { expiresAt: iso(j.expiresAt) } : {}),
    ...(j.error !== undefined ? { error: j.error } : {}),
  };
}

/** Job record → its results DTO. */
export function toJobResultsDto(j: JobRecord): JobResultsDto {
  return { id: j.id, state: j.state, results: j.results.map(toItemDto), ...(j.status !== undefined ? { status: j.status } : {}) };
}

/** Event record → DTO (all stored fields, `at` as ISO). */
export function toEventDto(e: EventRecord): EventDto {
  return { ...e, at: iso(e.at) };
}
