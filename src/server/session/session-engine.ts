/**
 * The server side of DM sessions (OMA-TS-DM_Protocol §6–§9): decodes each message, ties it to a
 * session, authenticates the device, answers every command, sends queued jobs within the
 * device's MaxMsgSize, and closes the session when the server has nothing more to say.
 * All store writes of one message happen in one transaction.
 */
import { performance } from 'node:perf_hooks';
import type { BaseLogger } from 'pino';
import { contentTypeFor, decodeMessage, detectEncoding, encodeMessage, encodingFromContentType, type Encoding } from '../../core/codec/message-codec.js';
import { CodecError } from '../../core/errors.js';
import { Status } from '../../core/constants/status.js';
import { AlertCode } from '../../core/constants/alert.js';
import { RESYNC_NONCE, generateNonce } from '../../core/auth/nonce.js';
import type { Chal, Command, Meta, StatusCommand, SyncHdr, SyncMLMessage } from '../../core/syncml/message.js';
import type { ServerConfig } from '../config.js';
import type { CommandQueue } from '../queue/command-queue.js';
import type { DeviceRegistry } from '../registry/device-registry.js';
import type { EventLog } from '../events/event-log.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import { deviceId as toDeviceId, type Clock, type SessionOutcome, type StoreScope } from '../store/store.js';
import { buildChallenge, buildServerCred, buildServerHmacHeader } from '../auth/server-auth.js';
import type { DmSession } from './dm-session.js';
import type { SessionManager } from './session-manager.js';
import { SessionAuthenticator, type SessionAuthResult } from './session-auth.js';
import { handleClientCommands } from './client-commands.js';
import { planOutgoing } from './outgoing.js';
import { salvageHeader } from './salvage.js';

/** One DM request as the HTTP layer hands it over. */
export interface DmRequest {
  readonly body: Uint8Array;
  readonly contentType: string | undefined;
  /** `x-syncml-hmac` header value. */
  readonly hmacHeader: string | undefined;
  /** Arrived over TLS. */
  readonly secure: boolean;
  /** Session token from the RespURI path, if any. */
  readonly token: string | undefined;
  /** `scheme://host[:port]` the device reached (RespURI base when no publicUrl is configured). */
  readonly baseUrl: string;
}

/** The HTTP answer. */
export interface DmResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array | string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Options of {@link SessionEngine}. */
export interface SessionEngineOptions {
  readonly store: StoreScope;
  readonly registry: DeviceRegistry;
  readonly queue: CommandQueue;
  readonly events: EventLog;
  readonly metrics: ServerMetrics;
  readonly sessions: SessionManager;
  readonly config: ServerConfig;
  readonly clock: Clock;
  readonly logger: BaseLogger;
  /** Owner id of this process in the SessionStore. */
  readonly ownerId: string;
}

interface HeaderStatus {
  readonly data: number;
  readonly chal?: Chal;
}

/** The NextNonce a reply must carry after MD5/HMAC authentication. */
interface NonceRotation {
  readonly type: 'md5' | 'hmac';
  /** Already stored when the credential was accepted; absent → issue one. */
  readonly issued?: Uint8Array;
}

/** Handles DM messages; one instance per server. */
export class SessionEngine {
  readonly #o: SessionEngineOptions;
  readonly #auth: SessionAuthenticator;
  readonly #log: BaseLogger;

  constructor(options: SessionEngineOptions) {
    this.#o = options;
    this.#log = options.logger;
    this.#auth = new SessionAuthenticator({ registry: options.registry, config: options.config.auth });
  }

  /** Answers one DM request; never throws (internal errors become HTTP 500). */
  async handle(req: DmRequest): Promise<DmResponse> {
    const started = performance.now();
    let encoding: Encoding = encodingFromContentType(req.contentType) ?? 'xml';
    try {
      encoding = detectEncoding(req.body); // answer in the encoding the device actually spoke
    } catch {
      // empty or garbage: the decoder below reports it
    }
    let msg: SyncMLMessage;
    try {
      msg = decodeMessage(req.body, { encoding, limits: { maxBytes: this.#o.config.session.maxBodyBytes } }).message;
    } catch (err) {
      return this.#undecodable(req, encoding, err);
    }
    this.#o.metrics.messagesIn.inc({ encoding });
    if (this.#log.level === 'trace') this.#log.trace({ device: msg.header.source.locUri, bytes: Buffer.from(req.body).toString(encoding === 'xml' ? 'utf8' : 'hex') }, 'DM message in');
    try {
      let s = req.token !== undefined ? await this.#o.sessions.findByToken(req.token, encoding) : undefined;
      if (s && (s.deviceId !== msg.header.source.locUri || s.dmSessionId !== msg.header.sessionId)) s = undefined;
      s ??= this.#o.sessions.findByDevice(msg.header.source.locUri, msg.header.sessionId);
      s ??= this.#o.sessions.create({
        deviceId: toDeviceId(msg.header.source.locUri), dmSessionId: msg.header.sessionId,
        verDtd: msg.header.verDtd, verProto: msg.header.verProto, encoding,
      });
      const session = s;
      const res = await session.run(() => {
        if (session.phase !== 'closed') return this.#onMessage(session, msg, req, encoding);
        // Closed while this message waited its turn: it starts a new session.
        const fresh = this.#o.sessions.create({ deviceId: session.deviceId, dmSessionId: msg.header.sessionId, verDtd: msg.header.verDtd, verProto: msg.header.verProto, encoding });
        return fresh.run(() => this.#onMessage(fresh, msg, req, encoding));
      });
      this.#o.metrics.messageDuration.observe({ encoding }, (performance.now() - started) / 1000);
      return res;
    } catch (err) {
      this.#log.error({ err, device: msg.header.source.locUri }, 'DM message failed');
      return { status: 500, contentType: 'text/plain; charset=utf-8', body: 'internal server error\n', headers: {} };
    }
  }

  async #onMessage(s: DmSession, msg: SyncMLMessage, req: DmRequest, encoding: Encoding): Promise<DmResponse> {
    const h = msg.header;
    if (s.lastReply && s.lastReply.clientMsgId === h.msgId && Buffer.from(s.lastReply.request).equals(req.body)) {
      // A retransmission (the device lost our reply): answer the same bytes, process nothing twice.
      return this.#respond(s.lastReply.body, encoding, req, s.lastReply.headers);
    }
    s.lastActivity = this.#o.clock.now();
    s.encoding = encoding;
    if (h.meta?.maxMsgSize !== undefined) s.clientMaxMsgSize = h.meta.maxMsgSize;
    if (h.meta?.maxObjSize !== undefined) s.clientMaxObjSize = h.meta.maxObjSize;
    let hdr: HeaderStatus = { data: Status.OK };
    let rotate: NonceRotation | undefined;
    if (s.phase === 'auth' || s.authType === 'hmac') {
      const auth = await this.#auth.authenticate({ session: s, msg, body: req.body, hmacHeader: req.hmacHeader, secure: req.secure });
      if (!auth.ok) return this.#authFailure(s, msg, req, auth);
      if (s.phase === 'auth') {
        s.phase = 'active';
        s.authType = auth.type;
        s.server = auth.context.server;
        s.serverNonce ??= auth.context.serverNonce;
        s.knownDevice = auth.context.device;
        this.#log.debug({ session: s.id, device: s.deviceId, auth: auth.type }, 'device authenticated');
        // A device that starts a new session has given up its older ones: end them now so the jobs
        // they left unanswered go out in this session instead of after the idle timeout.
        for (const old of this.#o.sessions.othersOf(s)) {
          const wasBusy = old.busy;
          const closing = old.run(() => this.#o.sessions.close(old, 'aborted', { detail: 'superseded by a new session' }))
            .catch((err: unknown) => this.#log.error({ err, session: old.id }, 'closing a superseded session failed'));
          // Wait unless the old session is busy: it might itself be waiting for this one.
          if (!wasBusy) await closing;
        }
      }
      // 212 = authenticated for the whole session; HMAC is checked per message: 200 + NextNonce
      // (OMA-TS-DM_Protocol §9.2). MD5 gets a NextNonce for the next session.
      hdr = { data: auth.type === 'hmac' ? Status.OK : Status.AUTHENTICATION_ACCEPTED };
      if (auth.type === 'md5' || auth.type === 'hmac') rotate = { type: auth.type, ...(auth.nextNonce ? { issued: auth.nextNonce } : {}) };
    }
    s.lastClientMsgId = h.msgId;
    return this.#exchange(s, msg, req, hdr, rotate);
  }

  async #exchange(s: DmSession, msg: SyncMLMessage, req: DmRequest, hdrIn: HeaderStatus, rotate: NonceRotation | undefined): Promise<DmResponse> {
    const cfg = this.#o.config;
    const msgId = s.serverMsgId + 1;
    const now = this.#o.clock.now();
    let cmdId = 1; // CmdID 1 is the Status for the SyncHdr
    const nextCmdId = (): number => ++cmdId;
    let closeAs: SessionOutcome | undefined;
    let packed: { bytes: Uint8Array; message: SyncMLMessage };
    try {
      packed = await this.#o.store.transaction(async (tx) => {
        const registry = this.#o.registry.inTransaction(tx);
        const queue = this.#o.queue.inTransaction(tx);
        const events = this.#o.events.inTransaction(tx);
        const opening = !s.persisted;
        if (opening) {
          const initiator = msg.body.commands.some((c) => c.kind === 'Alert' && c.data === AlertCode.SERVER_INITIATED_MGMT) ? 'server' : 'client';
          s.initiator = initiator;
          await tx.sessions.open({
            id: s.id, deviceId: s.deviceId, dmSessionId: s.dmSessionId, startedAt: s.startedAt, lastMessageAt: now,
            lastMsgId: msgId, respUriToken: s.token, ownerId: this.#o.ownerId, ownerPid: process.pid,
          });
          await events.append({ type: 'session.start', deviceId: s.deviceId, sessionId: s.id, dmSessionId: s.dmSessionId, initiator });
          s.persisted = true;
        }
        let hdr = hdrIn;
        if (rotate) {
          // A new nonce every session (MD5) or every message (HMAC), stored before it is sent: in
          // the write that accepted the credential, or here when none did (auto-registration).
          s.clientNonce = rotate.issued ?? await registry.issueClientNonce(s.deviceId);
          hdr = { ...hdr, chal: buildChallenge(rotate.type, s.clientNonce) };
        }
        const carried = s.pendingStatuses.map((c) => ({ ...c, cmdId: nextCmdId() }) as Command);
        s.pendingStatuses = [];
        const inbound = await handleClientCommands({
          session: s, msg, registry, queue, events, maxObjSize: cfg.session.maxObjSize, log: this.#log, nextCmdId,
        });
        const header = this.#replyHeader(s, msg, msgId, req, !inbound.abort);
        const fixed: Command[] = [this.#headerStatus(msg.header, hdr)];
        const statuses = [...carried, ...inbound.statuses];
        const plan = await planOutgoing({
          session: s, queue, header, encoding: s.encoding, fixed, statuses, alerts: inbound.alerts, msgId, nextCmdId,
          maxMsgSize: s.clientMaxMsgSize ?? cfg.session.maxMsgSize, maxCommands: cfg.session.maxCommandsPerPackage,
          clientFinal: msg.body.final, nextMessage: inbound.nextMessage, abort: inbound.abort, log: this.#log,
        });
        if (inbound.abort) closeAs = 'aborted';
        else if (plan.sessionDone) closeAs = 'completed';
        if (closeAs) await this.#o.sessions.close(s, closeAs, { scope: tx });
        else if (!opening) await tx.sessions.touch(s.id, { at: now, lastMsgId: msgId, respUriToken: s.token }); // open() wrote these
        return plan.packed;
      });
    } catch (err) {
      this.#log.error({ err, session: s.id, device: s.deviceId }, 'session message failed; closing the session');
      // A close inside the rolled-back transaction did not happen in the store: do it again.
      if (closeAs !== undefined) s.phase = 'active';
      s.distrustSentJobs(); // its job copies may hold writes that were rolled back
      await this.#o.sessions.close(s, 'error', { detail: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
      return { status: 500, contentType: 'text/plain; charset=utf-8', body: 'internal server error\n', headers: {} };
    }
    s.serverMsgId = msgId;
    return this.#send(s, packed.bytes, req);
  }

  /** Auth failure: only Status commands (OMA-TS-DM_Protocol §9.2), with a new challenge unless given up. */
  async #authFailure(s: DmSession, msg: SyncMLMessage, req: DmRequest, auth: Extract<SessionAuthResult, { ok: false }>): Promise<DmResponse> {
    s.authFailures++;
    this.#o.metrics.authFailures.inc({ reason: auth.reason });
    this.#log.debug({ session: s.id, device: s.deviceId, reason: auth.reason, detail: auth.detail }, 'authentication failed');
    const giveUp = auth.challenge === undefined || s.authFailures >= this.#o.config.auth.maxAttemptsPerSession;
    let chal: Chal | undefined;
    if (!giveUp && auth.challenge !== undefined) {
      let nonce: Uint8Array | undefined;
      if (auth.challenge !== 'basic') {
        // A stale or replayed credential gets exactly one new challenge with a new nonce.
        nonce = auth.known ? await this.#o.registry.issueClientNonce(s.deviceId) : generateNonce();
        s.clientNonce = nonce;
      }
      chal = buildChallenge(auth.challenge, nonce);
    }
    if (auth.known && s.phase === 'auth' && !s.server) {
      const ctx = await this.#o.registry.getAuthContext(s.deviceId);
      s.server = ctx?.server;
      s.serverNonce ??= ctx?.serverNonce;
    }
    const msgId = s.serverMsgId + 1;
    let cmdId = 1;
    const statuses: Command[] = [this.#headerStatus(msg.header, { data: auth.status, ...(chal ? { chal } : {}) })];
    for (const c of msg.body.commands) {
      if (c.kind === 'Status') continue;
      statuses.push({ kind: 'Status', cmdId: ++cmdId, msgRef: msg.header.msgId, cmdRef: c.cmdId ?? 0, cmd: c.kind === 'Unknown' ? c.name : c.kind, data: auth.status });
    }
    const header = this.#replyHeader(s, msg, msgId, req, !giveUp);
    const bytes = encodeMessage({ header, body: { commands: statuses, final: true } }, s.encoding);
    s.serverMsgId = msgId;
    s.lastClientMsgId = msg.header.msgId;
    if (giveUp) await this.#o.sessions.close(s, 'auth_failed', { detail: auth.detail });
    return this.#send(s, bytes, req);
  }

  #send(s: DmSession, bytes: Uint8Array, req: DmRequest): DmResponse {
    const headers: Record<string, string> = {};
    if (s.authType === 'hmac' && s.server) {
      // OMA-TS-DM_Security §5.2: the server's replies carry its own MAC over the exact bytes.
      headers['x-syncml-hmac'] = buildServerHmacHeader({ server: s.server, nonce: s.serverNonce ?? RESYNC_NONCE, body: bytes });
    }
    s.lastReply = { clientMsgId: s.lastClientMsgId, request: req.body, body: bytes, headers };
    this.#o.metrics.messagesOut.inc({ encoding: s.encoding });
    if (this.#log.level === 'trace') this.#log.trace({ session: s.id, bytes: Buffer.from(bytes).toString(s.encoding === 'xml' ? 'utf8' : 'hex') }, 'DM message out');
    return this.#respond(bytes, s.encoding, req, headers);
  }

  #respond(bytes: Uint8Array, encoding: Encoding, req: DmRequest, headers: Readonly<Record<string, string>>): DmResponse {
    return { status: 200, contentType: replyContentType(req.contentType, encoding), body: bytes, headers };
  }

  #headerStatus(h: SyncHdr, st: HeaderStatus): StatusCommand {
    return {
      kind: 'Status', cmdId: 1, msgRef: h.msgId, cmdRef: 0, cmd: 'SyncHdr',
      targetRefs: [h.target.locUri], sourceRefs: [h.source.locUri], data: st.data, ...(st.chal ? { chal: st.chal } : {}),
    };
  }

  #replyHeader(s: DmSession, msg: SyncMLMessage, msgId: number, req: DmRequest, withRespUri: boolean): SyncHdr {
    const cfg = this.#o.config;
    // The server authenticates itself with MD5 until the device answers 212 (OMA-TS-DM_Security §5.1.3;
    // clients execute nothing before that). Source LocName carries the server id.
    const cred = s.server && !s.serverAuthenticated ? buildServerCred(s.server, s.serverNonce ?? RESYNC_NONCE) : undefined;
    const meta: Meta | undefined = msgId === 1 ? { maxMsgSize: cfg.session.maxMsgSize, maxObjSize: cfg.session.maxObjSize } : undefined;
    const base = (cfg.publicUrl ?? req.baseUrl).replace(/\/+$/, '');
    return {
      verDtd: s.verDtd, verProto: s.verProto, sessionId: msg.header.sessionId, msgId,
      target: { locUri: msg.header.source.locUri },
      source: cred && s.server ? { locUri: msg.header.target.locUri, locName: s.server.serverId } : { locUri: msg.header.target.locUri },
      ...(withRespUri ? { respUri: `${base}/dm/${cfg.nodeId}/${s.token}` } : {}),
      ...(cred ? { cred } : {}),
      ...(meta ? { meta } : {}),
    };
  }

  #undecodable(req: DmRequest, encoding: Encoding, err: unknown): DmResponse {
    const reason = err instanceof CodecError ? err.code : 'ERR_UNKNOWN';
    this.#o.metrics.rejectedRequests.inc({ reason: 'undecodable' });
    this.#log.debug({ err, reason }, 'undecodable DM message');
    const h = salvageHeader(req.body, encoding);
    if (h) {
      const header: SyncHdr = { verDtd: h.verDtd, verProto: h.verProto, sessionId: h.sessionId, msgId: 1, target: { locUri: h.source.locUri }, source: { locUri: h.target.locUri } };
      const status = this.#headerStatus(h, { data: Status.BAD_REQUEST });
      return this.#respond(encodeMessage({ header, body: { commands: [status], final: true } }, encoding), encoding, req, {});
    }
    const text = err instanceof Error ? err.message : String(err);
    return { status: 400, contentType: 'text/plain; charset=utf-8', body: `malformed DM message: ${text.slice(0, 200)}\n`, headers: {} };
  }
}

/** Echo the media-type family the device used (DM or the Data Sync types some clients post), in the reply's encoding. */
function replyContentType(requested: string | undefined, encoding: Encoding): string {
  const base = requested?.split(';')[0]?.trim().toLowerCase();
  if (base === 'application/vnd.syncml+xml' || base === 'application/vnd.syncml+wbxml') return `application/vnd.syncml+${encoding}`;
  return contentTypeFor(encoding);
}
