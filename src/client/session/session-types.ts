/**
 * What the DM client session engine needs to know about the account it talks to, and what it
 * reports back. The agent maps the tree's normalized DM account onto these shapes, so the engine
 * does not depend on where accounts are stored (./SyncML/DMAcc or ./DMAcc, w7 or DMAcc 1.2).
 */
import type { Item } from '../../core/syncml/message.js';

/** How one side proves who it is (OMA-TS-DM_Security §5.1, reference §2.5). */
export type AuthScheme = 'none' | 'basic' | 'md5' | 'hmac';

/** A user name, a password (or its stored MD5 secret) and the last nonce issued for it. */
export interface SessionCredentials {
  readonly username: string;
  readonly password?: string;
  /** B64(MD5(username ":" password)), used when the password itself is not stored. */
  readonly secret?: string;
  /** Last nonce issued for these credentials, base64 (NextNonce / AAuthData form). */
  readonly nonce?: string;
}

/** The DM account settings a session runs with. */
export interface SessionAccount {
  /** ServerID of the account (ACL identity, Package 0 server identifier). */
  readonly serverId: string;
  /** Server address (DMAcc Addr / AppAddr Addr): where Package 1 is posted. */
  readonly serverUrl: string;
  /** Credential type the client sends (AuthPref / AAuthPref); `none` waits for a challenge. */
  readonly clientAuth: AuthScheme;
  /** Client → server credentials (UserName/ClientPW/ClientNonce, or CLCRED). */
  readonly clientCredentials?: SessionCredentials;
  /** Credential type the server must present; `none` means the server is not authenticated. */
  readonly serverAuth: AuthScheme;
  /** Server → client credentials (ServerId/ServerPW/ServerNonce, or SRVCRED). */
  readonly serverCredentials?: SessionCredentials;
  /** Microsoft security-role mask granted to this server. */
  readonly roles: number;
}

/** A client alert waiting to be sent in Package 1 (1224 client event, 1226 generic alert). */
export interface PendingAlert {
  /** Stable id, so the agent can drop the alert once the server acknowledged it. */
  readonly id: string;
  /** Alert code (1224 or 1226). */
  readonly code: number;
  /** Correlator of the Exec this alert reports on (FUMO). */
  readonly correlator?: string;
  readonly items: readonly Item[];
}

/** Which nonce changed: the one the client uses (`client`) or the one it issued to the server. */
export type NonceKind = 'client' | 'server';

/** Minimal logger (pino-compatible in spirit; the engine only logs strings). */
export interface SessionLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

/** A logger that drops everything. */
export const silentLogger: SessionLogger = { debug() {}, info() {}, warn() {} };

/** How a session ended. */
export type SessionEnd =
  | 'completed'
  | 'aborted-by-server'
  | 'auth-failed'
  | 'server-auth-failed'
  | 'protocol-error'
  | 'version-rejected';

/** Summary of one finished session. */
export interface SessionOutcome {
  readonly end: SessionEnd;
  /** One-line reason when `end` is not `completed`. */
  readonly reason?: string;
  readonly sessionId: string;
  /** Messages sent by the client. */
  readonly messagesSent: number;
  /** Server commands executed (Status codes are in the messages themselves). */
  readonly commandsExecuted: number;
  /** Ids of pending alerts the server acknowledged with a 2xx Status. */
  readonly deliveredAlerts: readonly string[];
  /** Protocol version the session ran with. */
  readonly verDtd: '1.1' | '1.2';
}
