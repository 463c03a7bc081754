/**
 * One entry point for everything that arrives on a push port (reference §1.12, §3.1), for code
 * that drives its own agent-like object (an SMS gateway, a custom agent): provisioning documents
 * (content type 0x35/0x36, or application `x-wap-microsoft:cfgmgr.ua`) go to the Client
 * Provisioning receiver, and an account they create with INIT gets its session started at once;
 * every other push (Package 0) goes to `agent.handlePush`.
 *
 * `DeviceAgent` routes pushes this way by itself (its `provisioning` option); this module
 * imports nothing from the agent, so the agent can be built on the receiver without an import
 * cycle.
 */
import { isCpPush, receiveCpPush, type CpPushVerdict, type CpReceiverOptions } from './cp-receiver.js';

/** What the router needs from the agent; `R` is what a session resolves with (DeviceAgent: SessionReport). */
export interface PushRouterAgent<R = unknown> {
  startSession(options: { readonly serverId: string }): Promise<R>;
  handlePush(bytes: Uint8Array): Promise<{ readonly accepted: boolean; readonly reason?: string }>;
}

/** Options of {@link createPushRouter}: the receiver's, plus observers. */
export interface PushRouterOptions<R = unknown> extends Omit<CpReceiverOptions, 'onInit'> {
  /** Sees each provisioning verdict. */
  readonly onProvisioning?: (verdict: CpPushVerdict) => void;
  /** Sees each session an INIT started. */
  readonly onInitSession?: (session: Promise<R>) => void;
}

/** A push handler for `listenForPush` (or an SMS gateway) that understands both kinds of push. */
export function createPushRouter<R>(agent: PushRouterAgent<R>, options: PushRouterOptions<R>): (bytes: Uint8Array) => Promise<{ accepted: boolean; reason?: string }> {
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
