/**
 * Deciding whether a Package 0 starts a session (OMA-TS-DM_Notification §6; reference §3.1):
 * unwrap a WAP push, decode the notification, find the account of its server, verify the digest
 * with that account's server credentials and nonce (with nonce resync when the account allows
 * it), drop a repeated session id, and in user-interaction mode ask the user first.
 */
import { AlertCode } from '../../core/constants/alert.js';
import { MediaType } from '../../core/constants/meta-types.js';
import { decodeNotification, UiMode, verifyNotification } from '../../core/notification/package0.js';
import { decodeWapPush, PDU_TYPE_PUSH, WspContentType } from '../../core/notification/wap-push.js';
import { nonceBytes } from '../session/client-auth.js';
import type { UiHandler } from '../session/ui-handler.js';
import type { AgentAccount } from './agent-account.js';

/** The decision on one Package 0. */
export type PushVerdict =
  | { readonly accepted: true; readonly serverId: string; readonly sessionId: number; readonly nonceResync: boolean; readonly uiMode: number }
  | { readonly accepted: false; readonly reason: string };

/** Checks a Package 0 against the accounts. */
export async function checkTrigger(bytes: Uint8Array, ctx: {
  accounts: readonly AgentAccount[];
  ui: UiHandler;
  last: { serverId: string; sessionId: number } | undefined;
}): Promise<PushVerdict> {
  let body = bytes;
  // A WSP push PDU is TID, PDU type 0x06, …; a bare Package 0 starts with its 16-byte digest.
  if (bytes.byteLength > 2 && bytes[1] === PDU_TYPE_PUSH) {
    try {
      const push = decodeWapPush(bytes);
      if (push.contentType !== WspContentType.SYNCML_NOTIFICATION && push.contentType !== MediaType.NOTIFICATION) {
        return { accepted: false, reason: `WAP push content type ${String(push.contentType)} is not a DM notification` };
      }
      body = push.body;
    } catch (err) {
      return { accepted: false, reason: `malformed WAP push: ${(err as Error).message}` };
    }
  }
  let msg;
  try {
    msg = decodeNotification(body);
  } catch (err) {
    return { accepted: false, reason: `malformed Package 0: ${(err as Error).message}` };
  }
  const account = ctx.accounts.find((a) => a.serverId === msg.serverId);
  if (account === undefined) return { accepted: false, reason: `Package 0 from unknown server "${msg.serverId}"` };
  const creds = account.serverCredentials;
  if (creds === undefined || (creds.password === undefined && creds.secret === undefined)) {
    return { accepted: false, reason: `account "${account.serverId}" has no server credentials to verify Package 0 with` };
  }
  const verdict = verifyNotification(msg, {
    serverId: account.serverId,
    ...(creds.password !== undefined ? { serverPassword: creds.password } : { serverSecret: creds.secret ?? '' }),
    serverNonce: nonceBytes(creds.nonce) ?? new Uint8Array(0),
    allowNonceResync: account.useNonceResync === true,
  });
  if (!verdict.ok) return { accepted: false, reason: `Package 0 from "${msg.serverId}" rejected: ${verdict.message}` };
  // "Repeated triggers with the same session id → one session" (Notification §6.2.2.10).
  if (ctx.last !== undefined && ctx.last.serverId === msg.serverId && ctx.last.sessionId === msg.sessionId) {
    return { accepted: false, reason: `Package 0 repeats session ${msg.sessionId}` };
  }
  if (msg.uiMode === UiMode.USER_INTERACTION) {
    const answer = await ctx.ui.prompt({
      code: AlertCode.CONFIRM_OR_REJECT,
      text: `Server ${msg.serverId} wants to start a management session. Allow it?`,
      choices: [],
      options: {},
    });
    if (answer.outcome !== 'ok') return { accepted: false, reason: `user did not allow the session requested by "${msg.serverId}" (${answer.outcome})` };
  }
  return { accepted: true, serverId: msg.serverId, sessionId: msg.sessionId, nonceResync: verdict.nonceResync, uiMode: msg.uiMode };
}
