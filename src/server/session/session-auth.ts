/**
 * Authenticates the device at the start of a session and, for HMAC, on every message
 * (OMA-TS-DM_Protocol §9.2, OMA-TS-DM_Security §5): known devices against their stored
 * credential, unknown ones per the configured policy (reject, or auto-register with the bootstrap
 * secret). Accepting an MD5/HMAC credential rotates the client nonce and remembers the digest in
 * one store write, so a replayed credential, or one whose nonce a concurrent use already spent, is refused.
 */
import type { SyncMLMessage } from '../../core/syncml/message.js';
import { decodeBasicCredential } from '../../core/auth/basic.js';
import type { AuthConfig } from '../config.js';
import type { DeviceRegistry, PresentedCredential } from '../registry/device-registry.js';
import { deviceId as toDeviceId, type AuthFailureReason, type ClientAuthType, type DeviceAuthContext } from '../store/store.js';
import { authKindOf, checkClientCredential } from '../auth/client-auth.js';
import type { DmSession } from './dm-session.js';

/** The outcome of authenticating one message. */
export type SessionAuthResult =
  | {
      readonly ok: true;
      readonly type: ClientAuthType;
      readonly context: DeviceAuthContext;
      /** The client nonce stored when the credential was accepted: the reply's Chal NextNonce. */
      readonly nextNonce?: Uint8Array;
    }
  | {
      readonly ok: false;
      /** SyncHdr Status: 401 refused, 407 missing, 403 forbidden (no new challenge). */
      readonly status: 401 | 403 | 407;
      readonly reason: AuthFailureReason;
      /** Type to challenge with (absent for 403). */
      readonly challenge: ClientAuthType | undefined;
      /** Known device (a nonce can be stored for it). */
      readonly known: boolean;
      readonly detail: string;
    };

/** What authenticating a message needs. */
export interface SessionAuthInput {
  readonly session: DmSession;
  readonly msg: SyncMLMessage;
  readonly body: Uint8Array;
  readonly hmacHeader: string | undefined;
  readonly secure: boolean;
}

/** Authenticates messages of sessions against the registry and the auth policy. */
export class SessionAuthenticator {
  readonly #registry: DeviceRegistry;
  readonly #config: AuthConfig;

  constructor(opts: { registry: DeviceRegistry; config: AuthConfig }) {
    this.#registry = opts.registry;
    this.#config = opts.config;
  }

  /** Checks one message's credential; failures are logged as `auth.failure` events. */
  async authenticate(input: SessionAuthInput): Promise<SessionAuthResult> {
    const s = input.session;
    const ctx = await this.#registry.getAuthContext(s.deviceId);
    if (!ctx) return this.#unknownDevice(input);
    if (!ctx.client) {
      await this.#registry.recordAuthFailure(s.deviceId, { reason: 'unsupported', ...(s.persisted ? { sessionId: s.id } : {}) });
      return { ok: false, status: 403, reason: 'unsupported', challenge: undefined, known: true, detail: 'device has no client credential' };
    }
    const kind = ctx.client.authType;
    const verdict = await checkClientCredential({
      credential: ctx.client, header: input.msg.header, hmacHeader: input.hmacHeader, body: input.body,
      secure: input.secure, nonce: s.clientNonce ?? ctx.clientNonce, allowBasicWithoutTls: this.#config.allowBasicWithoutTls,
    });
    const sessionRef = s.persisted ? { sessionId: s.id } : {};
    if (!verdict.ok) {
      await this.#registry.recordAuthFailure(s.deviceId, { reason: verdict.reason, authType: kind, ...sessionRef });
      return { ok: false, status: verdict.status, reason: verdict.reason, challenge: kind, known: true, detail: verdict.detail };
    }
    if (!verdict.replay) return { ok: true, type: verdict.type, context: ctx };
    const use = await this.#registry.acceptCredential(s.deviceId, { ...verdict.replay, authType: kind, ...sessionRef });
    if (!use.accepted) {
      const detail = use.reason === 'replayed' ? 'credential was already used' : 'nonce was already used by a concurrent message';
      return { ok: false, status: 401, reason: use.reason, challenge: kind, known: true, detail };
    }
    return { ok: true, type: verdict.type, context: ctx, nextNonce: use.nextNonce };
  }

  async #unknownDevice(input: SessionAuthInput): Promise<SessionAuthResult> {
    const s = input.session;
    const id = toDeviceId(s.deviceId);
    if (this.#config.unknownDevices !== 'auto-register') {
      await this.#registry.recordAuthFailure(id, { reason: 'unknown_device' });
      return { ok: false, status: 403, reason: 'unknown_device', challenge: undefined, known: false, detail: 'unknown device' };
    }
    const cred = input.msg.header.cred;
    const fail = (status: 401 | 407, reason: AuthFailureReason, detail: string): SessionAuthResult => ({ ok: false, status, reason, challenge: 'md5', known: false, detail });
    if (!cred) return fail(407, 'missing', 'unknown device sent no credential');
    const kind = cred.meta?.type === undefined ? 'basic' : authKindOf(cred.meta.type);
    let presented: PresentedCredential;
    if (kind === 'basic') {
      if (!input.secure && !this.#config.allowBasicWithoutTls) return fail(401, 'unsupported', 'Basic over plain HTTP');
      try {
        const { username, password } = decodeBasicCredential(cred.data.trim());
        presented = { authType: 'basic', username, password };
      } catch {
        return fail(401, 'invalid', 'malformed Basic credential');
      }
    } else if (kind === 'md5') {
      // The digest can only be checked against a nonce this session issued in its challenge.
      if (!s.clientNonce) return fail(401, 'stale_nonce', 'no nonce issued to this unknown device yet');
      presented = { authType: 'md5', username: input.msg.header.source.locName ?? s.deviceId, digest: cred.data.trim(), nonce: s.clientNonce };
    } else {
      return fail(401, 'unsupported', 'auto-registration accepts Basic or MD5 only');
    }
    const record = await this.#registry.autoRegister({
      id, credential: presented, protocolVersion: s.verDtd, encoding: s.encoding,
    });
    if (!record) return fail(401, 'invalid', 'bootstrap credential did not verify');
    const ctx = await this.#registry.getAuthContext(id);
    if (!ctx) return fail(401, 'invalid', 'device vanished after registration');
    return { ok: true, type: ctx.client?.authType ?? 'md5', context: ctx };
  }
}
