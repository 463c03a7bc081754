/**
 * Reads the agent's accounts from the management tree (DMAcc 1.1.2 or 1.2 layout, normalized by
 * `readDmAccounts`) and writes changed nonces back with `updateAccountNonce`, so the next session
 * and the next Package 0 use them (reference §1.5, §2.5).
 */
import { decodeNonce, encodeNonce } from '../../core/auth/nonce.js';
import { readDmAccounts, updateAccountNonce, type DmAccount, type DmCredentials } from '../mo/dmacc-accounts.js';
import type { PluginTree } from '../tree/plugin.js';
import { schemeOf } from '../session/client-auth.js';
import type { AuthScheme, SessionCredentials } from '../session/session-types.js';
import type { AccountSource, AgentAccount } from './agent-account.js';

/** An {@link AccountSource} over the DM accounts stored in `tree`. */
export function treeAccountSource(tree: PluginTree): AccountSource {
  return {
    list: () => readDmAccounts(tree).map(toAgentAccount),
    updateNonce(serverId, kind, nonceB64) {
      const account = readDmAccounts(tree).find((a) => a.serverId === serverId);
      if (account !== undefined) updateAccountNonce(tree, account.id, kind, decodeNonce(nonceB64));
    },
  };
}

/**
 * Maps a normalized DMAcc account to the agent's view. The client sends AuthPref's type (or its
 * CLCRED type; Win10: MD5 when MD5 credentials exist); the server must authenticate whenever
 * the account holds a server password, with the SRVCRED type (MD5 when unset).
 */
export function toAgentAccount(a: DmAccount): AgentAccount {
  const clientCredentials = creds(a.client, a.client.name);
  const clientAuth: AuthScheme = scheme(a.authPref) ?? scheme(a.client.type) ?? (clientCredentials !== undefined ? 'md5' : 'none');
  const serverCredentials = creds(a.server, a.server.name !== '' ? a.server.name : a.serverId);
  const serverAuth: AuthScheme = serverCredentials === undefined ? 'none' : scheme(a.server.type) ?? 'md5';
  return {
    serverId: a.serverId,
    serverUrl: a.addr,
    clientAuth,
    serverAuth,
    roles: a.roles,
    encoding: a.encoding,
    backCompatRetryDisabled: a.backCompatRetryDisabled,
    useNonceResync: a.useNonceResync,
    retry: { retries: a.retry.connRetryFreq, initialBackOffMs: a.retry.initialBackOffMs, maxBackOffMs: a.retry.maxBackOffMs },
    ...(a.protoVer === '1.1' || a.protoVer === '1.2' ? { protoVer: a.protoVer } : {}),
    ...(clientCredentials !== undefined ? { clientCredentials } : {}),
    ...(serverCredentials !== undefined ? { serverCredentials } : {}),
  };
}

function scheme(type: string): AuthScheme | undefined {
  if (type.trim() === '') return undefined;
  return schemeOf(type);
}

function creds(c: DmCredentials, username: string): SessionCredentials | undefined {
  if (c.secret === '' || username === '') return undefined;
  return c.nonce.byteLength > 0 ? { username, password: c.secret, nonce: encodeNonce(c.nonce) } : { username, password: c.secret };
}
