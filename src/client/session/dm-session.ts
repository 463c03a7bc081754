/**
 * The DM client session engine (OMA-TS-DM_Protocol §8; reference §3): one management session,
 * from Package 1 to the server's last package, with no I/O of its own. The caller sends what
 * {@link DmClientSession.start} and {@link DmClientSession.receive} return and feeds back the
 * server's replies, so the same engine runs over HTTP, in tests and in the benchmark.
 */
import { randomBytes } from 'node:crypto';
import { RESYNC_NONCE, encodeNonce } from '../../core/auth/nonce.js';
import { HMAC_HEADER_NAME } from '../../core/auth/hmac-md5.js';
import { AlertCode } from '../../core/constants/alert.js';
import { Status } from '../../core/constants/status.js';
import { contentTypeFor, decodeMessage, encodingFromContentType, type Encoding } from '../../core/codec/message-codec.js';
import type { DecodeLimits } from '../../core/codec/element.js';
import { AuthError, DmError, ErrorCode } from '../../core/errors.js';
import type { Command, StatusCommand, SyncHdr, SyncMLMessage } from '../../core/syncml/message.js';
import { sessionIdToHex } from '../../core/notification/package0.js';
import type { DeviceTree } from '../tree/tree-api.js';
import { authTypeOf, buildCred, buildHmacHeader, nonceBytes, schemeOf } from './client-auth.js';
import { ServerAuthenticator } from './server-authenticator.js';
import { executeCommand } from './command-executor.js';
import { notExecuted, type ExecContext, type OutCommand } from './handlers/exec-context.js';
import { LargeObjectReceiver } from './large-object.js';
import { noEndOfData } from './handlers/item-commands.js';
import { Outbox } from './outbox.js';
import { package1Commands } from './package1.js';
import { silentLogger, type AuthScheme, type NonceKind, type PendingAlert, type SessionAccount, type SessionEnd, type SessionLogger, type SessionOutcome } from './session-types.js';
import { noUiHandler, type UiHandler } from './ui-handler.js';

/** Options of a {@link DmClientSession}. */
export interface DmClientSessionOptions {
  readonly tree: DeviceTree;
  readonly account: SessionAccount;
  /** Source LocURI of the client; default ./DevInfo/DevId. */
  readonly deviceId?: string;
  /** Answers UI alerts 1100–1104; default: no UI (406). */
  readonly ui?: UiHandler;
  /** The verified Package 0 this session answers (Alert 1200, SessionID in hex). */
  readonly trigger?: { readonly sessionId: number; readonly nonceResync?: boolean };
  /** SessionID of a client-initiated session; default a random number 1–65535. */
  readonly sessionId?: string;
  /** Client alerts to send in Package 1. */
  readonly alerts?: readonly PendingAlert[];
  readonly verDtd?: '1.1' | '1.2';
  readonly encoding?: Encoding;
  /** MaxMsgSize the client accepts (SyncHdr Meta); default 65536. */
  readonly maxMsgSize?: number;
  /** MaxObjSize the client accepts (SyncHdr Meta); default 4 MiB. */
  readonly maxObjSize?: number;
  /** Random bytes (nonces, session ids); injectable for tests. */
  readonly random?: (n: number) => Uint8Array;
  readonly logger?: SessionLogger;
  /** Called whenever a nonce changes, so the agent can store it in the account. */
  readonly onNonce?: (kind: NonceKind, nonceB64: string) => void;
  readonly decodeLimits?: DecodeLimits;
}

/** A message to POST. */
export interface OutgoingMessage {
  readonly url: string;
  readonly body: Uint8Array;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly message: SyncMLMessage;
}

/** A server reply as received. */
export interface IncomingMessage {
  readonly body: Uint8Array;
  readonly contentType?: string;
  /** The reply's x-syncml-hmac header, if any. */
  readonly hmac?: string;
}

/** How often a challenge may be answered before the client gives up (reference §3.3). */
const MAX_CLIENT_CHALLENGES = 3;

/** One DM session of the client. */
export class DmClientSession {
  readonly #o: DmClientSessionOptions;
  readonly #tree: DeviceTree;
  readonly #account: SessionAccount;
  readonly #encoding: Encoding;
  readonly #verDtd: '1.1' | '1.2';
  readonly #sessionId: string;
  readonly #deviceId: string;
  readonly #log: SessionLogger;
  readonly #outbox = new Outbox();
  readonly #largeObjects: LargeObjectReceiver;
  readonly #package1: Command[];
  readonly #alertsByItems = new Map<unknown, string>();
  readonly #sentAlerts = new Map<string, string>();
  readonly #delivered: string[] = [];
  readonly #challenges = new Set<string>();
  readonly #serverAuth: ServerAuthenticator;
  #url: string;
  #msgId = 0;
  #clientScheme: AuthScheme;
  #clientNonce: Uint8Array | undefined;
  #clientAuthenticated = false;
  #peerMaxMsgSize: number | undefined;
  #peerMaxObjSize: number | undefined;
  #packageOpen = false;
  #replies = 0;
  #executed = 0;
  #sent = 0;
  #outcome: SessionOutcome | undefined;

  constructor(options: DmClientSessionOptions) {
    this.#o = options;
    this.#tree = options.tree;
    this.#account = options.account;
    this.#encoding = options.encoding ?? 'xml';
    this.#verDtd = options.verDtd ?? '1.2';
    this.#log = options.logger ?? silentLogger;
    this.#url = options.account.serverUrl;
    this.#deviceId = options.deviceId ?? this.#tree.readValue('./DevInfo/DevId') ?? '';
    this.#sessionId = options.trigger !== undefined
      ? sessionIdToHex(options.trigger.sessionId)
      : options.sessionId ?? String(1 + (uint16(this.#random(2)) % 0xffff));
    this.#largeObjects = new LargeObjectReceiver(options.maxObjSize ?? 4 * 1024 * 1024);
    this.#clientScheme = options.account.clientAuth;
    // After a nonce resync the client's credentials are built with the resync nonce (Notification §6.2).
    this.#clientNonce = options.trigger?.nonceResync === true ? RESYNC_NONCE : nonceBytes(options.account.clientCredentials?.nonce);
    this.#serverAuth = new ServerAuthenticator({ account: options.account, nonceResync: options.trigger?.nonceResync === true, random: options.random });
    const alerts = options.alerts ?? [];
    for (const a of alerts) this.#alertsByItems.set(a.items, a.id);
    this.#package1 = package1Commands({ tree: this.#tree, serverInitiated: options.trigger !== undefined, alerts, verDtd: this.#verDtd });
  }

  /** SessionID of this session (hex of the trigger's id when server-initiated). */
  get sessionId(): string {
    return this.#sessionId;
  }

  /** The result, once the session is over. */
  get outcome(): SessionOutcome | undefined {
    return this.#outcome;
  }

  /** Package 1: the first message to send. */
  start(): OutgoingMessage {
    if (this.#msgId !== 0) throw new DmError(ErrorCode.ERR_SESSION_STATE, 'session already started');
    this.#outbox.push(...this.#package1);
    return this.#build([], [], true);
  }

  /** Feeds one server reply; returns the next message, or undefined when the session is over. */
  async receive(reply: IncomingMessage): Promise<OutgoingMessage | undefined> {
    if (this.#outcome !== undefined) throw new DmError(ErrorCode.ERR_SESSION_STATE, 'session is over');
    if (this.#msgId === 0) throw new DmError(ErrorCode.ERR_SESSION_STATE, 'session not started');
    const first = this.#replies++ === 0;
    let msg: SyncMLMessage;
    try {
      const enc = encodingFromContentType(reply.contentType);
      msg = decodeMessage(reply.body, { ...(enc !== undefined ? { encoding: enc } : {}), ...(this.#o.decodeLimits !== undefined ? { limits: this.#o.decodeLimits } : {}) }).message;
    } catch (err) {
      return this.#end(first ? 'version-rejected' : 'protocol-error', `server reply is not a DM message: ${(err as Error).message}`);
    }
    const hdr = msg.header;
    if (hdr.sessionId !== this.#sessionId) this.#log.warn(`server answered with SessionID ${hdr.sessionId}, expected ${this.#sessionId}`);
    if (hdr.meta?.maxMsgSize !== undefined) this.#peerMaxMsgSize = hdr.meta.maxMsgSize;
    if (hdr.meta?.maxObjSize !== undefined) this.#peerMaxObjSize = hdr.meta.maxObjSize;
    if (hdr.respUri !== undefined && hdr.respUri !== '') this.#url = hdr.respUri;

    const statuses = msg.body.commands.filter((c): c is StatusCommand => c.kind === 'Status');
    const challenged = this.#readStatuses(statuses, first);
    if (this.#outcome !== undefined) return undefined;

    const hdrStatus = this.#serverAuthStatus(msg, reply);
    if (this.#outcome !== undefined) return undefined;

    if (challenged) {
      // Revert to Package 1 with the requested credentials: same SessionID, next MsgID (§3.3).
      this.#outbox.clear();
      this.#packageOpen = false;
      this.#outbox.push(...this.#package1);
      return this.#build([hdrStatus], [], true);
    }

    const out: OutCommand[] = [];
    const commands = msg.body.commands.filter((c) => c.kind !== 'Status' && c.kind !== 'Results');
    if (hdrStatus.data === Status.INVALID_CREDENTIALS || hdrStatus.data === Status.MISSING_CREDENTIALS) {
      // The server did not authenticate: execute nothing, answer every command with the same code.
      for (const c of commands) out.push(...notExecuted(c, hdr.msgId, hdrStatus.data));
      if (out.length === 0) return this.#end('server-auth-failed', 'the server did not authenticate itself and sent nothing to challenge');
    } else {
      const aborted = await this.#execute(commands, hdr.msgId, out);
      if (aborted) return this.#end('aborted-by-server', 'the server aborted the session (Alert 1223)');
      if (msg.body.final) {
        const broken = this.#largeObjects.breakSequence();
        if (broken !== undefined) out.push(noEndOfData(broken.target, broken.source));
      }
    }

    const continuing = this.#packageOpen;
    if (out.length === 0 && this.#outbox.length === 0 && msg.body.final && !continuing) {
      // A reply holding only the SyncHdr Status is not sent: the session is over (§3.4).
      return this.#end('completed');
    }
    this.#outbox.push(...out);
    // While our own package is still open the server's replies carry no Final by design.
    const final = continuing || msg.body.final;
    const tail: Command[] = final ? [] : [{ kind: 'Alert', cmdId: undefined, data: AlertCode.NEXT_MESSAGE, items: [] }];
    return this.#build([hdrStatus], tail, final);
  }

  /** Handles the server's Statuses; returns true when the server challenged our credentials. */
  #readStatuses(statuses: readonly StatusCommand[], first: boolean): boolean {
    let challenged = false;
    for (const s of statuses) {
      const nextNonce = s.chal?.meta.nextNonce;
      if (nextNonce !== undefined && nextNonce !== '' && s.cmdRef === 0) {
        this.#clientNonce = nonceBytes(nextNonce);
        this.#o.onNonce?.('client', nextNonce);
      }
      if (s.cmdRef === 0) {
        challenged = this.#hdrStatus(s, first) || challenged;
        continue;
      }
      const alertId = this.#sentAlerts.get(`${s.msgRef === 0 ? this.#msgId : s.msgRef}:${s.cmdRef}`);
      if (alertId !== undefined && s.data >= 200 && s.data < 300) this.#delivered.push(alertId);
    }
    return challenged;
  }

  #hdrStatus(s: StatusCommand, first: boolean): boolean {
    const code = s.data;
    if (code === Status.AUTHENTICATION_ACCEPTED) {
      this.#clientAuthenticated = true;
      return false;
    }
    if (code === Status.INVALID_CREDENTIALS || code === Status.MISSING_CREDENTIALS) {
      const requested = schemeOf(s.chal?.meta.type) ?? this.#clientScheme;
      const key = `${code}|${requested}|${s.chal?.meta.nextNonce ?? ''}`;
      if (this.#challenges.has(key) || this.#challenges.size >= MAX_CLIENT_CHALLENGES) {
        this.#end('auth-failed', `the server refused the client credentials (SyncHdr Status ${code})`);
        return false;
      }
      if (requested === 'none' || this.#account.clientCredentials === undefined) {
        this.#end('auth-failed', `the server asks for ${authTypeOf(requested)} credentials and the account has none`);
        return false;
      }
      this.#challenges.add(key);
      this.#clientScheme = requested;
      this.#clientAuthenticated = false;
      this.#log.debug(`challenged (${code}) for ${authTypeOf(requested)}: reverting to Package 1`);
      return true;
    }
    if (first && (code === Status.DTD_VERSION_NOT_SUPPORTED || code === Status.PROTOCOL_VERSION_NOT_SUPPORTED)) {
      this.#end('version-rejected', `the server does not support DM ${this.#verDtd} (SyncHdr Status ${code})`);
      return false;
    }
    if (code >= 300) this.#end('protocol-error', `the server refused the session (SyncHdr Status ${code})`);
    return false;
  }

  /** Checks the server's credentials and builds the Status for its SyncHdr. */
  #serverAuthStatus(msg: SyncMLMessage, reply: IncomingMessage): StatusCommand {
    const hdr = msg.header;
    const v = this.#serverAuth.check(hdr, reply);
    if (v.giveUp) this.#end('server-auth-failed', `the server failed to authenticate itself ${this.#serverAuth.failures} times`);
    else if (v.check !== undefined && v.check !== 'ok') this.#log.debug(`server credentials ${v.check}: challenging`);
    return {
      kind: 'Status', cmdId: undefined, msgRef: hdr.msgId, cmdRef: 0, cmd: 'SyncHdr',
      targetRefs: [hdr.target.locUri], sourceRefs: [hdr.source.locUri], data: v.data,
      ...(v.chal !== undefined ? { chal: { meta: v.chal } } : {}),
    };
  }

  /** Executes the server's commands; returns true if the server aborted the session. */
  async #execute(commands: readonly Command[], msgRef: number, out: OutCommand[]): Promise<boolean> {
    const ctx: ExecContext = {
      tree: this.#tree,
      caller: { serverId: this.#account.serverId, roles: this.#account.roles },
      ui: this.#o.ui ?? noUiHandler,
      msgRef,
      inAtomic: false,
      largeObjects: this.#largeObjects,
      peerMaxObjSize: this.#peerMaxObjSize,
      logger: this.#log,
    };
    let cancelled = false;
    for (const cmd of commands) {
      if (cancelled) {
        // After a cancelled UI alert (214) nothing else in the package is executed (reference §2.1).
        out.push(...notExecuted(cmd, msgRef, Status.NOT_EXECUTED));
        continue;
      }
      let r;
      try {
        r = await executeCommand(cmd, ctx);
      } catch (err) {
        this.#log.warn(`command ${cmd.kind} ${String(cmd.cmdId)} failed: ${(err as Error).message}`);
        r = { out: notExecuted(cmd, msgRef, Status.COMMAND_FAILED), ok: false };
      }
      if (r.control === 'abort') return true;
      this.#executed++;
      out.push(...r.out);
      if (r.control === 'cancel') cancelled = true;
    }
    return false;
  }

  #header(): SyncHdr {
    const creds = this.#account.clientCredentials;
    let cred;
    try {
      cred = this.#clientAuthenticated ? undefined : buildCred(this.#clientScheme, creds, this.#clientNonce);
    } catch (err) {
      // e.g. a Basic user name with ":" (RFC 7617): a configuration problem, reported as such.
      throw new AuthError(ErrorCode.ERR_AUTH_INVALID, `cannot send ${authTypeOf(this.#clientScheme)} credentials for user "${creds?.username ?? ''}": ${(err as Error).message}`, { cause: err });
    }
    const hdr: { -readonly [K in keyof SyncHdr]: SyncHdr[K] } = {
      verDtd: this.#verDtd,
      verProto: this.#verDtd === '1.1' ? 'DM/1.1' : 'DM/1.2',
      sessionId: this.#sessionId,
      msgId: ++this.#msgId,
      target: { locUri: this.#url },
      // LocName carries the user name the server checks the credential against (RepPro LocName).
      source: cred !== undefined && creds !== undefined ? { locUri: this.#deviceId, locName: creds.username } : { locUri: this.#deviceId },
      meta: { maxMsgSize: this.#o.maxMsgSize ?? 65536, maxObjSize: this.#o.maxObjSize ?? 4 * 1024 * 1024 },
    };
    if (cred !== undefined) hdr.cred = cred;
    return hdr;
  }

  #build(lead: readonly Command[], tail: readonly Command[], final: boolean): OutgoingMessage {
    const header = this.#header();
    const built = this.#outbox.build({ header, lead, tail, final, encoding: this.#encoding, maxMsgSize: this.#peerMaxMsgSize });
    this.#packageOpen = !built.drained;
    const issued = this.#serverAuth.commit();
    if (issued !== undefined) this.#o.onNonce?.('server', encodeNonce(issued));
    for (const c of built.message.body.commands) {
      if (c.kind !== 'Alert' || c.cmdId === undefined) continue;
      const id = this.#alertsByItems.get(c.items);
      if (id !== undefined) this.#sentAlerts.set(`${header.msgId}:${c.cmdId}`, id);
    }
    const headers: Record<string, string> = {};
    if (this.#clientScheme === 'hmac') {
      const mac = buildHmacHeader(this.#account.clientCredentials, this.#clientNonce, built.bytes);
      if (mac !== undefined) headers[HMAC_HEADER_NAME] = mac;
    }
    this.#sent++;
    return { url: this.#url, body: built.bytes, contentType: contentTypeFor(this.#encoding), headers, message: built.message };
  }

  #end(end: SessionEnd, reason?: string): undefined {
    this.#outcome ??= {
      end,
      ...(reason !== undefined ? { reason } : {}),
      sessionId: this.#sessionId,
      messagesSent: this.#sent,
      commandsExecuted: this.#executed,
      deliveredAlerts: this.#delivered,
      verDtd: this.#verDtd,
    };
    return undefined;
  }

  #random(n: number): Uint8Array {
    return this.#o.random !== undefined ? this.#o.random(n) : new Uint8Array(randomBytes(n));
  }
}

function uint16(bytes: Uint8Array): number {
  return ((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0);
}
