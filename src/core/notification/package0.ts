/**
 * Package 0: the General Notification Initiated Session Alert (OMA-TS-DM_Notification §6.2,
 * content type application/vnd.syncml.notification, WSP 0x44). Big-endian binary:
 *
 *   digest[16] | version(10) ui-mode(2) initiator(1) future-use(27) | sessionid(16)
 *              | length-identifier(8) | server-identifier | vendor-specific...
 *
 *   digest = MD5(B64(MD5(server-identifier ":" password)) ":" nonce ":" B64(MD5(trigger)))
 *
 * where trigger = everything after the digest and nonce = the decoded server nonce bytes.
 * Choices (reserved bits, version 12, resync nonce form) are in docs/reference/notification.md.
 */
import { constantTimeEqual, md5, toBase64, utf8, utf8DecodeStrict } from '../auth/bytes.js';
import { md5Secret } from '../auth/md5-digest.js';
import { resyncNonceCandidates } from '../auth/nonce.js';
import { CodecError, ErrorCode } from '../errors.js';

/** ui-mode values (§6.2.2.7). */
export const UiMode = {
  NOT_SPECIFIED: 0,
  BACKGROUND: 1,
  INFORMATIVE: 2,
  USER_INTERACTION: 3,
} as const;
/** One of the four ui-mode values. */
export type UiMode = (typeof UiMode)[keyof typeof UiMode];

/** Notification version ×10 required by DM 1.2 (`0000001011`, i.e. "1.1"). */
export const NOTIFICATION_VERSION = 11;
/** Versions this decoder accepts: 11, and 12 tolerated for forward compatibility. */
export const SUPPORTED_NOTIFICATION_VERSIONS: readonly number[] = [11, 12];

/** Length of the digest field. */
const DIGEST_LEN = 16;
/** Length of the fixed part of the trigger header. */
const HEADER_LEN = 8;
/** Smallest possible message: digest + fixed header + empty server id. */
export const MIN_NOTIFICATION_LENGTH = DIGEST_LEN + HEADER_LEN;

/** A decoded Package 0. */
export interface NotificationMessage {
  /** The 16-byte MD5 digest as received. */
  readonly digest: Uint8Array;
  /** Notification version ×10 (11 for DM 1.2). */
  readonly version: number;
  readonly uiMode: UiMode;
  readonly initiator: 'client' | 'server';
  /** 16-bit session id; send it as {@link sessionIdToHex} in SyncHdr SessionID. */
  readonly sessionId: number;
  readonly serverId: string;
  /** Bytes after the server identifier, when there are any. */
  readonly vendorSpecific?: Uint8Array;
}

/** What {@link decodeNotification} returns: the message, the signed trigger bytes, and the reserved bits. */
export type DecodedNotification = NotificationMessage & {
  /** header + body, the bytes the digest covers. */
  readonly trigger: Uint8Array;
  /** The 27 future-use bits as a number; non-zero is accepted and flagged here (see docs). */
  readonly futureUse: number;
};

/** Options of {@link encodeNotification}. */
export interface EncodeNotificationOptions {
  readonly serverId: string;
  /** The server password (DMAcc ServerPW / SRVCRED AAuthSecret); or give `serverSecret`. */
  readonly serverPassword?: string;
  /** B64(MD5(serverId:password)) as stored at rest; wins over `serverPassword`. */
  readonly serverSecret?: string;
  /** Decoded server nonce bytes (the last NextNonce the client sent for the server). */
  readonly serverNonce: Uint8Array;
  readonly sessionId: number;
  readonly uiMode?: UiMode;
  readonly initiator?: 'client' | 'server';
  /** Version ×10; default {@link NOTIFICATION_VERSION}. */
  readonly version?: number;
  readonly vendorSpecific?: Uint8Array;
}

function malformed(message: string, offset?: number): CodecError {
  return new CodecError(ErrorCode.ERR_NOTIFICATION_MALFORMED, message, offset === undefined ? {} : { offset });
}

function secretOf(opts: { serverId: string; serverPassword?: string; serverSecret?: string }): string | undefined {
  if (opts.serverSecret !== undefined) return opts.serverSecret;
  if (opts.serverPassword !== undefined) return md5Secret(opts.serverId, opts.serverPassword);
  return undefined;
}

function computeDigest(secret: string, nonce: Uint8Array, trigger: Uint8Array): Uint8Array {
  return md5(secret, ':', nonce, ':', toBase64(md5(trigger)));
}

/** Builds a signed Package 0. Throws `CodecError(ERR_NOTIFICATION_MALFORMED)` for values that do not fit. */
export function encodeNotification(opts: EncodeNotificationOptions): Uint8Array {
  const version = opts.version ?? NOTIFICATION_VERSION;
  const uiMode = opts.uiMode ?? UiMode.NOT_SPECIFIED;
  const { sessionId } = opts;
  if (!Number.isInteger(version) || version < 0 || version > 0x3ff) throw malformed(`version ${version} does not fit 10 bits`);
  if (!Number.isInteger(uiMode) || uiMode < 0 || uiMode > 3) throw malformed(`ui-mode ${String(uiMode)} is not 0..3`);
  if (!Number.isInteger(sessionId) || sessionId < 0 || sessionId > 0xffff) throw malformed(`session id ${sessionId} does not fit 16 bits`);
  const id = utf8(opts.serverId);
  if (id.byteLength > 0xff) throw malformed(`server identifier is ${id.byteLength} bytes, at most 255 fit`);
  const secret = secretOf(opts);
  if (secret === undefined) throw malformed('encodeNotification needs serverPassword or serverSecret');
  const vendor = opts.vendorSpecific ?? new Uint8Array(0);

  const trigger = new Uint8Array(HEADER_LEN + id.byteLength + vendor.byteLength);
  // Bits 63..54 version, 53..52 ui-mode, 51 initiator, 50..24 future-use (zero) — i.e. the first
  // two bytes hold version<<6 | ui<<4 | initiator<<3, and bytes 2..4 are future-use zeros.
  const first16 = (version << 6) | (uiMode << 4) | ((opts.initiator ?? 'server') === 'server' ? 1 << 3 : 0);
  trigger[0] = first16 >> 8;
  trigger[1] = first16 & 0xff;
  trigger[5] = sessionId >> 8;
  trigger[6] = sessionId & 0xff;
  trigger[7] = id.byteLength;
  trigger.set(id, HEADER_LEN);
  trigger.set(vendor, HEADER_LEN + id.byteLength);

  const out = new Uint8Array(DIGEST_LEN + trigger.byteLength);
  out.set(computeDigest(secret, opts.serverNonce, trigger), 0);
  out.set(trigger, DIGEST_LEN);
  return out;
}

/**
 * Parses a Package 0 without checking the digest (use {@link verifyNotification}). Throws
 * `CodecError(ERR_NOTIFICATION_MALFORMED)` with the byte offset when the message is shorter than
 * 24 bytes, the server identifier runs past the end or is not UTF-8, or the version is not 11/12.
 */
export function decodeNotification(bytes: Uint8Array): DecodedNotification {
  if (bytes.byteLength < MIN_NOTIFICATION_LENGTH) {
    throw malformed(`notification is ${bytes.byteLength} bytes, at least ${MIN_NOTIFICATION_LENGTH} needed`, bytes.byteLength);
  }
  const h = DIGEST_LEN;
  const b = (i: number): number => bytes[h + i] ?? 0;
  const first16 = (b(0) << 8) | b(1);
  const version = first16 >> 6;
  if (!SUPPORTED_NOTIFICATION_VERSIONS.includes(version)) {
    throw malformed(`notification version ${version} is not supported (expected 11 or 12)`, h);
  }
  const uiMode = ((first16 >> 4) & 0x3) as UiMode;
  const initiator = (first16 & 0x8) !== 0 ? 'server' : 'client';
  // 27 future-use bits: the low 3 bits of byte 1 and bytes 2..4.
  const futureUse = (first16 & 0x7) * 0x1000000 + ((b(2) << 16) | (b(3) << 8) | b(4));
  const sessionId = (b(5) << 8) | b(6);
  const idLen = b(7);
  const idStart = h + HEADER_LEN;
  if (idStart + idLen > bytes.byteLength) {
    throw malformed(`server identifier of ${idLen} bytes runs past the end (${bytes.byteLength - idStart} left)`, h + 7);
  }
  const serverId = utf8DecodeStrict(bytes.subarray(idStart, idStart + idLen));
  if (serverId === undefined) throw malformed('server identifier is not valid UTF-8', idStart);
  const rest = bytes.slice(idStart + idLen);
  return {
    digest: bytes.slice(0, DIGEST_LEN),
    version,
    uiMode,
    initiator,
    sessionId,
    serverId,
    ...(rest.byteLength > 0 ? { vendorSpecific: rest } : {}),
    trigger: bytes.slice(DIGEST_LEN),
    futureUse,
  };
}

/** Why a notification was not accepted. */
export type NotificationRejection =
  | 'digest-mismatch'
  | 'server-id-mismatch'
  | 'unsupported-version'
  | 'missing-credentials'
  | 'malformed';

/** Result of {@link verifyNotification}. */
export type NotificationVerdict =
  | { readonly ok: true; readonly nonceResync: boolean }
  | { readonly ok: false; readonly reason: NotificationRejection; readonly message: string };

/**
 * Checks a decoded notification's digest against the server credentials and nonce. With
 * `allowNonceResync` (off by default, as on WM — DMAcc UseNonceResync) it retries with each
 * {@link resyncNonceCandidates} form after the stored nonce fails, and says so in `nonceResync`.
 * `serverId`, when given, must equal the message's; it also names the identifier in the secret.
 */
export function verifyNotification(
  msg: NotificationMessage & { readonly trigger?: Uint8Array },
  opts: {
    serverId?: string;
    serverPassword?: string;
    serverSecret?: string;
    serverNonce: Uint8Array;
    allowNonceResync?: boolean;
  },
): NotificationVerdict {
  if (!SUPPORTED_NOTIFICATION_VERSIONS.includes(msg.version)) {
    return { ok: false, reason: 'unsupported-version', message: `notification version ${msg.version} is not supported` };
  }
  if (opts.serverId !== undefined && opts.serverId !== msg.serverId) {
    return {
      ok: false,
      reason: 'server-id-mismatch',
      message: `notification is from server "${msg.serverId}", expected "${opts.serverId}"`,
    };
  }
  const secret = secretOf({ ...opts, serverId: opts.serverId ?? msg.serverId });
  if (secret === undefined) {
    return { ok: false, reason: 'missing-credentials', message: 'no server password or secret to verify with' };
  }
  let trigger: Uint8Array;
  try {
    trigger = msg.trigger ?? triggerOf(msg);
  } catch (err) {
    return { ok: false, reason: 'malformed', message: (err as Error).message };
  }
  if (msg.digest.byteLength !== DIGEST_LEN) {
    return { ok: false, reason: 'malformed', message: `digest is ${msg.digest.byteLength} bytes, expected 16` };
  }
  if (constantTimeEqual(msg.digest, computeDigest(secret, opts.serverNonce, trigger))) {
    return { ok: true, nonceResync: false };
  }
  if (opts.allowNonceResync === true) {
    for (const nonce of resyncNonceCandidates()) {
      if (constantTimeEqual(msg.digest, computeDigest(secret, nonce, trigger))) return { ok: true, nonceResync: true };
    }
  }
  return {
    ok: false,
    reason: 'digest-mismatch',
    message: opts.allowNonceResync === true
      ? 'digest matches neither the stored server nonce nor the resync nonce'
      : 'digest does not match the stored server nonce',
  };
}

/** Rebuilds the trigger bytes of a message model that did not come from the decoder. */
function triggerOf(msg: NotificationMessage): Uint8Array {
  const bytes = encodeNotification({
    serverId: msg.serverId,
    serverSecret: '',
    serverNonce: new Uint8Array(0),
    sessionId: msg.sessionId,
    uiMode: msg.uiMode,
    initiator: msg.initiator,
    version: msg.version,
    ...(msg.vendorSpecific === undefined ? {} : { vendorSpecific: msg.vendorSpecific }),
  });
  return bytes.subarray(DIGEST_LEN);
}

/**
 * Renders a notification session id as SyncHdr SessionID: upper-case hex, 1–4 digits, no leading
 * zeros (OMA-TS-DM_Notification §6.2.2.10).
 */
export function sessionIdToHex(id: number): string {
  if (!Number.isInteger(id) || id < 0 || id > 0xffff) throw malformed(`session id ${id} does not fit 16 bits`);
  return id.toString(16).toUpperCase();
}
