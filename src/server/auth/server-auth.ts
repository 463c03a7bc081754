/**
 * What the server sends to authenticate itself and to challenge a device
 * (OMA-TS-DM_Security §5.1.3, OMA-TS-DM_Protocol §9.2): the server MD5 Cred of the SyncHdr,
 * the `x-syncml-hmac` header of HMAC replies, and Chal elements with a fresh NextNonce.
 */
import type { Chal, Cred } from '../../core/syncml/message.js';
import { computeMd5DigestFromSecret } from '../../core/auth/md5-digest.js';
import { computeHmacMd5, formatHmacHeader } from '../../core/auth/hmac-md5.js';
import { encodeNonce } from '../../core/auth/nonce.js';
import { AuthType, Format } from '../../core/constants/meta-types.js';
import type { ClientAuthType, ServerCredential } from '../store/store.js';
import { authTypeName } from './client-auth.js';

/**
 * When the device never gave the server a nonce, the server Cred is computed over an empty nonce.
 * Provisioning normally sets one (DMAcc ServerNonce / SRVCRED AAuthData); see docs/reference/config.md.
 */
const NO_NONCE = new Uint8Array(0);

/** The server's MD5 Cred for the SyncHdr: B64(MD5(B64(MD5(serverId:pw)):nonce)), Format b64. */
export function buildServerCred(server: ServerCredential, nonce: Uint8Array | undefined): Cred {
  return {
    meta: { type: AuthType.MD5, format: Format.B64 },
    data: computeMd5DigestFromSecret({ secret: server.secret, nonce: nonce ?? NO_NONCE }),
  };
}

/** The `x-syncml-hmac` header value for a reply body, signed with the server credential. */
export function buildServerHmacHeader(opts: { server: ServerCredential; nonce: Uint8Array | undefined; body: Uint8Array }): string {
  const mac = computeHmacMd5({ username: opts.server.serverId, secret: opts.server.secret, nonce: opts.nonce ?? NO_NONCE, body: opts.body });
  return formatHmacHeader({ username: opts.server.serverId, mac });
}

/** A Chal asking for `kind` credentials; md5 and MAC carry the new nonce (Format b64). */
export function buildChallenge(kind: ClientAuthType, nonce: Uint8Array | undefined): Chal {
  const type = authTypeName(kind);
  if (kind === 'basic' || nonce === undefined) return { meta: { type, format: Format.B64 } };
  return { meta: { type, format: Format.B64, nextNonce: encodeNonce(nonce) } };
}
