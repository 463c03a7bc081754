/**
 * DM accounts as the agent uses them: the session's view (server, credentials, nonces) plus the
 * connection settings of the w7 APPLICATION / DMAcc Ext/Microsoft nodes (reference §4, §5):
 * DEFAULTENCODING, PROTOVER, BACKCOMPATRETRYDISABLED, CONNRETRYFREQ, INITIAL/MAXBACKOFFTIME,
 * UseNonceResync.
 */
import type { Encoding } from '../../core/codec/message-codec.js';
import type { NonceKind, SessionAccount, SessionCredentials } from '../session/session-types.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../transport/retry.js';

/** One DM account with its connection settings. */
export interface AgentAccount extends SessionAccount {
  /** DEFAULTENCODING: XML unless the account says WBXML. */
  readonly encoding?: Encoding;
  /** PROTOVER: the protocol to announce first; absent = the newest (1.2). */
  readonly protoVer?: '1.1' | '1.2';
  /** BACKCOMPATRETRYDISABLED: do not retry with DM 1.1.2 after a failed 1.2 attempt. */
  readonly backCompatRetryDisabled?: boolean;
  /** UseNonceResync: accept a Package 0 built with the resync nonce. */
  readonly useNonceResync?: boolean;
  /** CONNRETRYFREQ / INITIALBACKOFFTIME / MAXBACKOFFTIME. */
  readonly retry?: RetryPolicy;
}

/** Where the agent reads accounts and stores the nonces a session changes. */
export interface AccountSource {
  list(): readonly AgentAccount[];
  updateNonce(serverId: string, kind: NonceKind, nonceB64: string): void;
}

/** The retry policy of an account (Windows defaults when unset). */
export function retryPolicyOf(account: AgentAccount): RetryPolicy {
  return account.retry ?? DEFAULT_RETRY_POLICY;
}

/** An in-memory account source (tests, simulator); nonce updates replace the stored account. */
export function memoryAccountSource(accounts: readonly AgentAccount[]): AccountSource {
  let list = [...accounts];
  return {
    list: () => list,
    updateNonce(serverId, kind, nonceB64) {
      list = list.map((a) => (a.serverId !== serverId ? a : withNonce(a, kind, nonceB64)));
    },
  };
}

function withNonce(a: AgentAccount, kind: NonceKind, nonce: string): AgentAccount {
  const key = kind === 'client' ? 'clientCredentials' : 'serverCredentials';
  const creds: SessionCredentials | undefined = a[key];
  if (creds === undefined) return a;
  return { ...a, [key]: { ...creds, nonce } };
}
