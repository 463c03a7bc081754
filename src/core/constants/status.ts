/** SyncML / OMA DM response status codes (OMA-TS-DM_RepPro, "Response Status Codes"). */
export const Status = {
  /** 101 — in progress. */
  IN_PROGRESS: 101,
  /** 200 — OK; also "Yes" to a 1101 confirm alert. */
  OK: 200,
  /** 201 — item added (DS). */
  ITEM_ADDED: 201,
  /** 202 — accepted for processing (asynchronous Exec, FUMO). */
  ACCEPTED_FOR_PROCESSING: 202,
  /** 203 — non-authoritative response. */
  NON_AUTHORITATIVE: 203,
  /** 204 — no content. */
  NO_CONTENT: 204,
  /** 205 — reset content. */
  RESET_CONTENT: 205,
  /** 206 — partial content. */
  PARTIAL_CONTENT: 206,
  /** 207 — conflict resolved with merge (DS). */
  CONFLICT_RESOLVED_WITH_MERGE: 207,
  /** 208 — conflict resolved with client's command winning (DS). */
  CONFLICT_RESOLVED_CLIENT_WINNING: 208,
  /** 209 — conflict resolved with duplicate (DS). */
  CONFLICT_RESOLVED_WITH_DUPLICATE: 209,
  /** 210 — delete without archive (DS). */
  DELETE_WITHOUT_ARCHIVE: 210,
  /** 211 — item not deleted (DS). */
  ITEM_NOT_DELETED: 211,
  /** 212 — authentication accepted for the rest of the session. */
  AUTHENTICATION_ACCEPTED: 212,
  /** 213 — chunked item accepted and buffered (large object). */
  CHUNKED_ITEM_ACCEPTED: 213,
  /** 214 — operation cancelled (UI alert cancelled). */
  OPERATION_CANCELLED: 214,
  /** 215 — not executed (user cancelled, skipped in Sequence). */
  NOT_EXECUTED: 215,
  /** 216 — Atomic roll back OK. */
  ATOMIC_ROLLBACK_OK: 216,
  /** 300 — multiple choices. */
  MULTIPLE_CHOICES: 300,
  /** 301 — moved permanently. */
  MOVED_PERMANENTLY: 301,
  /** 302 — found. */
  FOUND: 302,
  /** 303 — see other. */
  SEE_OTHER: 303,
  /** 304 — not modified; also "No" to a 1101 confirm alert. */
  NOT_MODIFIED: 304,
  /** 305 — use proxy. */
  USE_PROXY: 305,
  /** 400 — bad request (malformed, not a command, missing CmdID). */
  BAD_REQUEST: 400,
  /** 401 — invalid credentials. */
  INVALID_CREDENTIALS: 401,
  /** 402 — payment required. */
  PAYMENT_REQUIRED: 402,
  /** 403 — forbidden. */
  FORBIDDEN: 403,
  /** 404 — not found. */
  NOT_FOUND: 404,
  /** 405 — command not allowed. */
  COMMAND_NOT_ALLOWED: 405,
  /** 406 — optional feature not supported. */
  OPTIONAL_FEATURE_NOT_SUPPORTED: 406,
  /** 407 — missing credentials (authentication required). */
  MISSING_CREDENTIALS: 407,
  /** 408 — request timeout. */
  REQUEST_TIMEOUT: 408,
  /** 409 — conflict. */
  CONFLICT: 409,
  /** 410 — gone. */
  GONE: 410,
  /** 411 — size required. */
  SIZE_REQUIRED: 411,
  /** 412 — incomplete command. */
  INCOMPLETE_COMMAND: 412,
  /** 413 — request entity too large. */
  REQUEST_ENTITY_TOO_LARGE: 413,
  /** 414 — URI too long. */
  URI_TOO_LONG: 414,
  /** 415 — unsupported media type or format. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** 416 — requested size too big. */
  REQUESTED_SIZE_TOO_BIG: 416,
  /** 417 — retry later. */
  RETRY_LATER: 417,
  /** 418 — already exists. */
  ALREADY_EXISTS: 418,
  /** 419 — conflict resolved with server data (DS). */
  CONFLICT_RESOLVED_SERVER_DATA: 419,
  /** 420 — device full. */
  DEVICE_FULL: 420,
  /** 421 — unknown search grammar (DS). */
  UNKNOWN_SEARCH_GRAMMAR: 421,
  /** 422 — bad CGI script (DS). */
  BAD_CGI_SCRIPT: 422,
  /** 423 — soft-delete conflict (DS). */
  SOFT_DELETE_CONFLICT: 423,
  /** 424 — size mismatch (large object). */
  SIZE_MISMATCH: 424,
  /** 425 — permission denied. */
  PERMISSION_DENIED: 425,
  /** 500 — command failed. */
  COMMAND_FAILED: 500,
  /** 501 — command not implemented. */
  COMMAND_NOT_IMPLEMENTED: 501,
  /** 502 — bad gateway. */
  BAD_GATEWAY: 502,
  /** 503 — service unavailable. */
  SERVICE_UNAVAILABLE: 503,
  /** 504 — gateway timeout. */
  GATEWAY_TIMEOUT: 504,
  /** 505 — DTD version not supported. */
  DTD_VERSION_NOT_SUPPORTED: 505,
  /** 506 — processing error. */
  PROCESSING_ERROR: 506,
  /** 507 — Atomic failed. */
  ATOMIC_FAILED: 507,
  /** 508 — refresh required (DS). */
  REFRESH_REQUIRED: 508,
  /** 510 — data store failure. */
  DATA_STORE_FAILURE: 510,
  /** 511 — server failure. */
  SERVER_FAILURE: 511,
  /** 512 — synchronization failed (DS). */
  SYNCHRONIZATION_FAILED: 512,
  /** 513 — protocol version not supported. */
  PROTOCOL_VERSION_NOT_SUPPORTED: 513,
  /** 514 — operation cancelled. */
  OPERATION_CANCELLED_5XX: 514,
  /** 516 — Atomic roll back failed. */
  ATOMIC_ROLLBACK_FAILED: 516,
  /** 517 — Atomic response too large to fit. */
  ATOMIC_RESPONSE_TOO_LARGE: 517,
} as const;
/** A status code this project names. Parsed codes are plain numbers (the set is open). */
export type KnownStatus = (typeof Status)[keyof typeof Status];

const names = new Map<number, string>(Object.entries(Status).map(([k, v]) => [v, k]));

const meanings: Readonly<Record<number, string>> = {
  101: 'In progress', 200: 'OK', 201: 'Item added', 202: 'Accepted for processing',
  203: 'Non-authoritative response', 204: 'No content', 205: 'Reset content', 206: 'Partial content',
  207: 'Conflict resolved with merge', 208: "Conflict resolved with client's command winning",
  209: 'Conflict resolved with duplicate', 210: 'Delete without archive', 211: 'Item not deleted',
  212: 'Authentication accepted', 213: 'Chunked item accepted and buffered', 214: 'Operation cancelled',
  215: 'Not executed', 216: 'Atomic roll back OK', 300: 'Multiple choices', 301: 'Moved permanently',
  302: 'Found', 303: 'See other', 304: 'Not modified', 305: 'Use proxy', 400: 'Bad request',
  401: 'Invalid credentials', 402: 'Payment required', 403: 'Forbidden', 404: 'Not found',
  405: 'Command not allowed', 406: 'Optional feature not supported', 407: 'Missing credentials',
  408: 'Request timeout', 409: 'Conflict', 410: 'Gone', 411: 'Size required', 412: 'Incomplete command',
  413: 'Request entity too large', 414: 'URI too long', 415: 'Unsupported media type or format',
  416: 'Requested size too big', 417: 'Retry later', 418: 'Already exists',
  419: 'Conflict resolved with server data', 420: 'Device full', 421: 'Unknown search grammar',
  422: 'Bad CGI script', 423: 'Soft-delete conflict', 424: 'Size mismatch', 425: 'Permission denied',
  500: 'Command failed', 501: 'Command not implemented', 502: 'Bad gateway', 503: 'Service unavailable',
  504: 'Gateway timeout', 505: 'DTD version not supported', 506: 'Processing error', 507: 'Atomic failed',
  508: 'Refresh required', 510: 'Data store failure', 511: 'Server failure', 512: 'Synchronization failed',
  513: 'Protocol version not supported', 514: 'Operation cancelled', 516: 'Atomic roll back failed',
  517: 'Atomic response too large to fit',
};

/** Constant name of a status code, or `'UNKNOWN'`. */
export function statusName(code: number): string {
  return names.get(code) ?? 'UNKNOWN';
}

/** Human-readable meaning of a status code ("Not found"), or `'Unknown status'`. */
export function statusMeaning(code: number): string {
  return meanings[code] ?? 'Unknown status';
}

/** True for 2xx codes: the command (or chunk) succeeded. */
export function isSuccessStatus(code: number): boolean {
  return code >= 200 && code < 300;
}
