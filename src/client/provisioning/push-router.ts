/**
 * One entry point for everything that arrives on a device's push port (reference §1.12, §3.1):
 * provisioning documents (content type 0x35/0x36) go to the Client Provisioning receiver, and an
 * account they create with INIT gets its session started at once; every other push (Package 0)
 * goes to the agent as before.
 */
import type { SessionReport, StartSessionOptions } from '../agent/device-agent.js';
import { isCpPush, receiveCpPush, type CpPushVerdict, type CpReceiverOptions } from './cp-receiver.js';

/** What the router needs from the device agent. */
export interface PushRouterAgent {
  startSession(options?: StartSessionOptions): Promise<SessionReport>;
  handlePush(bytes: Uint8Array): Promise<{ readonly accepted: boolean; readonly reason?: string }>;
}

/** Options of {@link createPushRouter}: the receiver's, plus observers. */
export interface PushRouterOptions extends Omit<CpReceiverOptions, 'onInit'> {
  /** Sees each provisioning verdict. */
  readonly onProvisioning?: (verdict: CpPushVerdict) => void;
  /** Sees each session an INIT started. */
  readonly onInitSession?: (session: Promise<SessionReport>) => void;
}

/** A push handler for `listenForPush` (or an SMS gateway) that understands both kinds of push. */
export function createPushRouter(agent: PushRouterAgent, options: PushRouterOptions): (bytes: Uint8Array) => Promise<{ accepted: boolean; reason?: string }> {
  return async (bytes) => {
    if (!isCpPush(bytes)) return agent.handlePush(bytes);
    const verdict = await receiveCpPush(bytes, {
      ...options,
      onInit: (account) => {
        const session = agent.startSession({ serverId: account.serverId });
        // The router's caller may not watch the session; a failure must not become an unhandled rejection.
        session.catch(() => undefined);
        options.onInitSession?.(session);
      },
    });
    options.onProvisioning?.(verdict);
    return verdict.accepted ? { accepted: true } : { accepted: false, reason: verdict.reason };
  };
}
