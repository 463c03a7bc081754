/** Small request-validation helpers: each throws `ERR_API_VALIDATION` (HTTP 400) with the field name. */
import { ErrorCode } from '../../core/errors.js';
import { deviceId, type DeviceId } from '../store/store.js';
import { apiError } from './api-errors.js';

/** A JSON object body, or a 400. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw apiError(ErrorCode.ERR_API_VALIDATION, 'body must be a JSON object');
  return body as Record<string, unknown>;
}

/** A required non-empty string field. */
export function requiredString(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') throw apiError(ErrorCode.ERR_API_VALIDATION, `"${key}" must be a non-empty string`);
  return v;
}

/** An optional string field. */
export function optionalString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw apiError(ErrorCode.ERR_API_VALIDATION, `"${key}" must be a string`);
  return v;
}

/** An optional integer field within bounds. */
export function optionalInt(o: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw apiError(ErrorCode.ERR_API_VALIDATION, `"${key}" must be an integer in ${min}..${max}`);
  return n;
}

/** An optional array of strings. */
export function optionalStringArray(o: Record<string, unknown>, key: string): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw apiError(ErrorCode.ERR_API_VALIDATION, `"${key}" must be an array of strings`);
  return v as string[];
}

/** An optional string → string map. */
export function optionalStringMap(o: Record<string, unknown>, key: string): Record<string, string> | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || !Object.values(v).every((x) => typeof x === 'string')) {
    throw apiError(ErrorCode.ERR_API_VALIDATION, `"${key}" must be an object of strings`);
  }
  return v as Record<string, string>;
}

/** An optional ISO time → epoch ms. */
export function optionalTime(o: Record<string, unknown>, key: string): number | undefined {
  const v = optionalString(o, key);
  if (v === undefined) return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw apiError(ErrorCode.ERR_API_VALIDATION, `"${key}" must be an ISO 8601 time`);
  return ms;
}

/** One of a fixed set of strings. */
export function optionalEnum<T extends string>(o: Record<string, unknown>, key: string, values: readonly T[]): T | undefined {
  const v = optionalString(o, key);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) throw apiError(ErrorCode.ERR_API_VALIDATION, `"${key}" must be one of ${values.join(', ')}`);
  return v as T;
}

/** Paging parameters of a listing query (`cursor`, `limit` 1..1000). */
export function pageQuery(q: Record<string, unknown>): { cursor?: string; limit?: number } {
  const cursor = optionalString(q, 'cursor');
  const limit = optionalInt(q, 'limit', 1, 1000);
  return { ...(cursor !== undefined ? { cursor } : {}), ...(limit !== undefined ? { limit } : {}) };
}

/** A device id from a path or body (1..256 characters). */
export function deviceIdOf(value: string): DeviceId {
  try {
    return deviceId(value);
  } catch {
    throw apiError(ErrorCode.ERR_API_VALIDATION, 'device id must be 1..256 characters');
  }
}
