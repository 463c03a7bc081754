/**
 * Wakes devices with Package 0 (OMA-TS-DM_Notification §6): signs the trigger with the stored
 * server secret B64(MD5(serverId:serverPassword)) and the last server nonce the device issued,
 * announces a fresh SessionID (1..65535, cycling per device, so repeated triggers are told apart),
 * wraps it in a WSP push (Content-Type 0x44, X-WAP-Application-ID 0x07 = syncml.dm) and hands it
 * to the transport matching the device's push address.
 */
import { RESYNC_NONCE } from '../../core/auth/nonce.js';
import { DmError, ErrorCode, StoreError } from '../../core/errors.js';
import { encodeNotification, type UiMode } from '../../core/notification/package0.js';
import { PushApplicationId, encodeWapPush } from '../../core/notification/wap-push.js';
import type { EventLog } from '../events/event-log.js';
import type { Clock, DeviceId, PushAddress, StoreScope } from '../store/store.js';
import { systemClock } from '../store/store.js';
import type { PushTransport } from './push-transport.js';

/** WSP well-known content type of `application/vnd.syncml.notification`. */
const NOTIFICATION_CONTENT_TYPE = 0x44;

/** Options of {@link NotificationService}. */
export interface NotificationServiceOptions {
  readonly store: StoreScope;
  /** Transport per push-address type; a device whose address type has none cannot be woken. */
  readonly transports: Partial<Record<PushAddress['type'], PushTransport>>;
  readonly clock?: Clock;
  readonly events?: EventLog;
  /**
   * Nonce used when the device never sent one: the 4 zero bytes of the 1.2 nonce resync
   * (OMA-TS-DM_Security; see core/auth/nonce.ts). Default {@link RESYNC_NONCE}.
   */
  readonly fallbackServerNonce?: Uint8Array;
}

/** Options of {@link NotificationService.wake}. */
export interface WakeOptions {
  /** ui-mode: 0 not specified (default), 1 background, 2 informative, 3 user interaction. */
  readonly uiMode?: UiMode;
  /** Default `server`. */
  readonly initiator?: 'client' | 'server';
  readonly vendorSpecific?: Uint8Array;
}

/** What a wake sent. */
export interface WakeResult {
  /** SessionID announced; the device's SyncHdr SessionID will be its upper-case hex. */
  readonly dmSessionId: number;
  /** The Package 0 bytes (inside the push). */
  readonly package0: Uint8Array;
  /** The WSP push PDU handed to the transport. */
  readonly push: Uint8Array;
  readonly transport: string;
}

/** Builds, records and sends Package 0 triggers. */
export class NotificationService {
  readonly #opts: NotificationServiceOptions;
  readonly #clock: Clock;

  constructor(opts: NotificationServiceOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
  }

  /**
   * Sends a Package 0 to the device. Throws `ERR_REGISTRY_DEVICE_NOT_FOUND`,
   * `ERR_NOTIFY_NO_CREDENTIALS` (no server credential stored), `ERR_NOTIFY_NO_ADDRESS` (no push
   * address or no transport for it) or `ERR_NOTIFY_TRANSPORT` (the transport gave up; a
   * `notification.failed` event is logged). The announced SessionID is recorded before sending.
   */
  async wake(deviceId: DeviceId, opts: WakeOptions = {}): Promise<WakeResult> {
    const store = this.#opts.store;
    const ctx = await store.devices.getAuthContext(deviceId);
    if (!ctx) throw new StoreError(ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND, `device ${deviceId} is not registered`);
    if (!ctx.server) throw new DmError(ErrorCode.ERR_NOTIFY_NO_CREDENTIALS, `device ${deviceId} has no server credential`);
    const address = ctx.device.pushAddress;
    if (!address) throw new DmError(ErrorCode.ERR_NOTIFY_NO_ADDRESS, `device ${deviceId} has no push address`);
    const transport = this.#opts.transports[address.type];
    if (!transport) throw new DmError(ErrorCode.ERR_NOTIFY_NO_ADDRESS, `no push transport for ${address.type} addresses`);
    const dmSessionId = await store.devices.allocateNotificationSession(deviceId, this.#clock.now());
    if (dmSessionId === undefined) throw new StoreError(ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND, `device ${deviceId} is not registered`);
    const package0 = encodeNotification({
      serverId: ctx.server.serverId,
      serverSecret: ctx.server.secret,
      serverNonce: ctx.serverNonce ?? this.#opts.fallbackServerNonce ?? RESYNC_NONCE,
      sessionId: dmSessionId,
      ...(opts.uiMode !== undefined ? { uiMode: opts.uiMode } : {}),
      ...(opts.initiator !== undefined ? { initiator: opts.initiator } : {}),
      ...(opts.vendorSpecific !== undefined ? { vendorSpecific: opts.vendorSpecific } : {}),
    });
    const push = encodeWapPush({ contentType: NOTIFICATION_CONTENT_TYPE, applicationId: PushApplicationId.SYNCML_DM, body: package0 });
    try {
      await transport.send(ctx.device, push);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.#opts.events?.append({ type: 'notification.failed', deviceId, dmSessionId, transport: transport.name, error: message });
      throw new DmError(ErrorCode.ERR_NOTIFY_TRANSPORT, `push to ${deviceId} over ${transport.name} failed: ${message}`, { cause: err });
    }
    await this.#opts.events?.append({ type: 'notification.sent', deviceId, dmSessionId, transport: transport.name });
    return { dmSessionId, package0, push, transport: transport.name };
  }
}
