/**
 * The client's side of server authentication (OMA-TS-DM_Security §5; reference §3.3, §1.1 WM
 * server requirement): check the server's credentials, answer its SyncHdr with 212 / 401 / 407,
 * and issue a fresh server nonce in a Chal each session (each message for HMAC).
 */
import { buildChallengeMeta, generateNonce, resyncNonceCandidates, type ChallengeMeta } from '../../core/auth/nonce.js';
import { Status } from '../../core/constants/status.js';
import type { SyncHdr } from '../../core/syncml/message.js';
import { authTypeOf, nonceBytes, verifyServer, type ServerAuthCheck } from './client-auth.js';
import type { SessionAccount } from './session-types.js';

/** How many failed server authentications are challenged before the client gives up. */
const MAX_SERVER_CHALLENGES = 2;

/** The verdict on one server message. */
export interface ServerVerdict {
  /** Data of the Status for the server's SyncHdr (200, 212, 401 or 407). */
  readonly data: number;
  /** Chal to put in that Status, if any. */
  readonly chal?: ChallengeMeta;
  /** The server failed too often: end the session. */
  readonly giveUp: boolean;
  readonly check?: ServerAuthCheck;
}

/** Tracks whether the server proved who it is, and the nonce it must use next. */
export class ServerAuthenticator {
  readonly #account: SessionAccount;
  readonly #nonceResync: boolean;
  readonly #random: ((n: number) => Uint8Array) | undefined;
  #authenticated: boolean;
  #nonce: Uint8Array | undefined;
  #issued: Uint8Array | undefined;
  #failures = 0;

  constructor(opts: { account: SessionAccount; nonceResync: boolean; random: ((n: number) => Uint8Array) | undefined }) {
    this.#account = opts.account;
    this.#nonceResync = opts.nonceResync;
    this.#random = opts.random;
    this.#authenticated = opts.account.serverAuth === 'none';
    this.#nonce = nonceBytes(opts.account.serverCredentials?.nonce);
  }

  /** Failed attempts so far. */
  get failures(): number {
    return this.#failures;
  }

  /** Checks one server message (its SyncHdr Cred, or the x-syncml-hmac header over its body). */
  check(hdr: SyncHdr, reply: { readonly body: Uint8Array; readonly hmac?: string }): ServerVerdict {
    const scheme = this.#account.serverAuth;
    // HMAC authenticates every message; Basic / MD5 once per session (reference §2.5).
    if (scheme === 'none' || (this.#authenticated && scheme !== 'hmac')) return { data: Status.OK, giveUp: false };
    // A freshly provisioned account has no server nonce yet: the server then digests an empty one.
    const nonces: Uint8Array[] = [this.#nonce ?? new Uint8Array(0)];
    if (this.#nonceResync) nonces.push(...resyncNonceCandidates());
    const check = verifyServer({
      scheme, creds: this.#account.serverCredentials, cred: hdr.cred, hmacHeader: reply.hmac, body: reply.body, nonces,
    });
    const chal = this.#challenge();
    if (check === 'ok') {
      this.#authenticated = true;
      return { data: scheme === 'hmac' ? Status.OK : Status.AUTHENTICATION_ACCEPTED, chal, giveUp: false, check };
    }
    this.#failures++;
    return {
      data: check === 'missing' ? Status.MISSING_CREDENTIALS : Status.INVALID_CREDENTIALS,
      chal, giveUp: this.#failures > MAX_SERVER_CHALLENGES, check,
    };
  }

  /**
   * The message carrying the last Chal is being sent: its nonce becomes the one the server must
   * use. Returns it (for the account) or undefined. Until then the old nonce stays valid — a reply
   * that is never sent (the session ended) must not leave the device expecting a nonce the
   * server never saw.
   */
  commit(): Uint8Array | undefined {
    const issued = this.#issued;
    if (issued === undefined) return undefined;
    this.#nonce = issued;
    this.#issued = undefined;
    return issued;
  }

  #challenge(): ChallengeMeta {
    const scheme = this.#account.serverAuth;
    if (scheme === 'basic') return buildChallengeMeta(authTypeOf(scheme));
    const nonce = generateNonce(this.#random);
    this.#issued = nonce;
    return buildChallengeMeta(authTypeOf(scheme), nonce);
  }
}
