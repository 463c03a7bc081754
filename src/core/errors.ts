/**
 * One error type for the whole project, with a stable `code` callers match on.
 * Subclasses are chosen by who handles them (house style §4), not one per failure.
 */

/** Catalog of every error code the project throws (see docs/reference/errors.md). */
export const ErrorCode = {
  // codecs
  ERR_XML_MALFORMED: 'ERR_XML_MALFORMED',
  ERR_XML_DTD_FORBIDDEN: 'ERR_XML_DTD_FORBIDDEN',
  ERR_XML_ENTITY_UNKNOWN: 'ERR_XML_ENTITY_UNKNOWN',
  ERR_WBXML_TRUNCATED: 'ERR_WBXML_TRUNCATED',
  ERR_WBXML_MALFORMED: 'ERR_WBXML_MALFORMED',
  ERR_WBXML_UNKNOWN_TOKEN: 'ERR_WBXML_UNKNOWN_TOKEN',
  ERR_WBXML_UNSUPPORTED: 'ERR_WBXML_UNSUPPORTED',
  ERR_CODEC_LIMIT_SIZE: 'ERR_CODEC_LIMIT_SIZE',
  ERR_CODEC_LIMIT_DEPTH: 'ERR_CODEC_LIMIT_DEPTH',
  ERR_CODEC_LIMIT_ELEMENTS: 'ERR_CODEC_LIMIT_ELEMENTS',
  ERR_SYNCML_INVALID: 'ERR_SYNCML_INVALID',
  ERR_TNDS_INVALID: 'ERR_TNDS_INVALID',
  ERR_DOWNLOAD_DESCRIPTOR_INVALID: 'ERR_DOWNLOAD_DESCRIPTOR_INVALID',
  ERR_UNKNOWN_ENCODING: 'ERR_UNKNOWN_ENCODING',
  // authentication
  ERR_AUTH_MISSING: 'ERR_AUTH_MISSING',
  ERR_AUTH_INVALID: 'ERR_AUTH_INVALID',
  ERR_AUTH_UNSUPPORTED: 'ERR_AUTH_UNSUPPORTED',
  ERR_AUTH_NONCE_REPLAYED: 'ERR_AUTH_NONCE_REPLAYED',
  ERR_AUTH_HMAC_HEADER: 'ERR_AUTH_HMAC_HEADER',
  // Package 0 / WAP push
  ERR_NOTIFICATION_MALFORMED: 'ERR_NOTIFICATION_MALFORMED',
  ERR_WAP_PUSH_MALFORMED: 'ERR_WAP_PUSH_MALFORMED',
  // Client Provisioning (bootstrap documents and their security)
  ERR_CP_INVALID: 'ERR_CP_INVALID',
  ERR_CP_MAC_INVALID: 'ERR_CP_MAC_INVALID',
  ERR_CP_SECURITY: 'ERR_CP_SECURITY',
  // protocol / tree
  ERR_PROTOCOL: 'ERR_PROTOCOL',
  ERR_TREE_URI_INVALID: 'ERR_TREE_URI_INVALID',
  ERR_ACL_INVALID: 'ERR_ACL_INVALID',
  // client session and transport
  ERR_SESSION_STATE: 'ERR_SESSION_STATE',
  ERR_SESSION_FAILED: 'ERR_SESSION_FAILED',
  ERR_TRANSPORT_UNREACHABLE: 'ERR_TRANSPORT_UNREACHABLE',
  ERR_TRANSPORT_HTTP_STATUS: 'ERR_TRANSPORT_HTTP_STATUS',
  // configuration and I/O boundaries
  ERR_CONFIG_INVALID: 'ERR_CONFIG_INVALID',
  ERR_STORE: 'ERR_STORE',
  ERR_STORE_MIGRATION: 'ERR_STORE_MIGRATION',
  ERR_STORE_CLOSED: 'ERR_STORE_CLOSED',
  // server: device registry, command queue, notifications
  ERR_REGISTRY_DEVICE_EXISTS: 'ERR_REGISTRY_DEVICE_EXISTS',
  ERR_REGISTRY_DEVICE_NOT_FOUND: 'ERR_REGISTRY_DEVICE_NOT_FOUND',
  ERR_QUEUE_JOB_NOT_FOUND: 'ERR_QUEUE_JOB_NOT_FOUND',
  ERR_QUEUE_ILLEGAL_TRANSITION: 'ERR_QUEUE_ILLEGAL_TRANSITION',
  ERR_QUEUE_COMMAND_INVALID: 'ERR_QUEUE_COMMAND_INVALID',
  ERR_NOTIFY_NO_CREDENTIALS: 'ERR_NOTIFY_NO_CREDENTIALS',
  ERR_NOTIFY_NO_ADDRESS: 'ERR_NOTIFY_NO_ADDRESS',
  ERR_NOTIFY_TRANSPORT: 'ERR_NOTIFY_TRANSPORT',
  // server: firmware packages and FUMO campaigns
  ERR_FIRMWARE_NOT_FOUND: 'ERR_FIRMWARE_NOT_FOUND',
  ERR_FIRMWARE_INVALID: 'ERR_FIRMWARE_INVALID',
  ERR_FIRMWARE_IN_USE: 'ERR_FIRMWARE_IN_USE',
  ERR_CAMPAIGN_NOT_FOUND: 'ERR_CAMPAIGN_NOT_FOUND',
  ERR_CAMPAIGN_INVALID: 'ERR_CAMPAIGN_INVALID',
  ERR_CAMPAIGN_ILLEGAL_STATE: 'ERR_CAMPAIGN_ILLEGAL_STATE',
  // server: REST API
  ERR_API_UNAUTHORIZED: 'ERR_API_UNAUTHORIZED',
  ERR_API_FORBIDDEN: 'ERR_API_FORBIDDEN',
  ERR_API_NOT_FOUND: 'ERR_API_NOT_FOUND',
  ERR_API_VALIDATION: 'ERR_API_VALIDATION',
  ERR_API_CLIENT: 'ERR_API_CLIENT',
} as const;
/** Any error code of the catalog. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every error the project throws on purpose. */
export class DmError extends Error {
  /** Stable, documented error code. */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Where in the input a codec error was found. */
export interface CodecPosition {
  /** Byte offset (WBXML) or character offset (XML) from the start of the input. */
  readonly offset?: number;
  /** 1-based line, for text formats. */
  readonly line?: number;
  /** 1-based column, for text formats. */
  readonly column?: number;
  /** Element path such as `SyncML/SyncBody/Add/Item`. */
  readonly path?: string;
}

/** Malformed or over-limit XML, WBXML or TNDS input. */
export class CodecError extends DmError {
  /** Where the problem is. */
  readonly position: CodecPosition;
  constructor(code: ErrorCode, message: string, position: CodecPosition = {}, options?: { cause?: unknown }) {
    super(code, `${message}${describePosition(position)}`, options);
    this.position = position;
  }
}

/** Failed, missing or replayed credentials. */
export class AuthError extends DmError {}

/** A protocol violation that is answered with a SyncML Status code. */
export class ProtocolError extends DmError {
  /** Status code to send back to the peer. */
  readonly status: number;
  /** `options.code` narrows the catalog code (e.g. ERR_TREE_URI_INVALID); default ERR_PROTOCOL. */
  constructor(status: number, message: string, options?: { cause?: unknown; code?: ErrorCode }) {
    super(options?.code ?? ErrorCode.ERR_PROTOCOL, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
  }
}

/** Invalid configuration or command-line input. */
export class ConfigError extends DmError {}

/** A persistence failure. */
export class StoreError extends DmError {}

function describePosition(p: CodecPosition): string {
  const parts: string[] = [];
  if (p.line !== undefined) parts.push(`line ${p.line}:${p.column ?? 0}`);
  else if (p.offset !== undefined) parts.push(`byte ${p.offset}`);
  const where = parts.length ? `at ${parts.join(', ')}` : '';
  const inPath = p.path ? `in ${p.path}` : '';
  const text = [where, inPath].filter(Boolean).join(', ');
  return text ? ` (${text})` : '';
}

/** Compile-time exhaustiveness check for discriminated unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new DmError(ErrorCode.ERR_PROTOCOL, `unexpected ${what}: ${JSON.stringify(value)}`);
}
