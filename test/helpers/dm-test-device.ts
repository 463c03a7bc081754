/**
 * A minimal hand-rolled DM device for server tests and the server benchmark: builds messages with
 * the core model, posts them over real HTTP(S) (node:http, keep-alive), answers server commands
 * from an in-memory map, and authenticates with Basic, MD5 or HMAC. Not the real agent
 * (src/client): just enough protocol to drive the server, and fully scriptable.
 */
import http from 'node:http';
import https from 'node:https';
import { encodeBasicCredential } from '../../src/core/auth/basic.js';
import { computeHmacMd5, formatHmacHeader, parseHmacHeader } from '../../src/core/auth/hmac-md5.js';
import { computeMd5Digest } from '../../src/core/auth/md5-digest.js';
import { RESYNC_NONCE, decodeNonce, encodeNonce, generateNonce } from '../../src/core/auth/nonce.js';
import { contentTypeFor, decodeMessage, encodeMessage, type Encoding } from '../../src/core/codec/message-codec.js';
import type { Command, Item, Meta, StatusCommand, SyncHdr, SyncMLMessage } from '../../src/core/syncml/message.js';

/** Options of {@link TestDevice}. */
export interface TestDeviceOptions {
  /** DM endpoint, e.g. `http://127.0.0.1:8080/dm`. */
  readonly url: string;
  readonly devId: string;
  readonly auth: 'md5' | 'hmac' | 'basic' | 'none';
  readonly username?: string;
  readonly password?: string;
  readonly serverId?: string;
  readonly serverPassword?: string;
  /** Nonce the server issued (for MD5/HMAC), base64. */
  readonly clientNonce?: string;
  /** Nonce the device issued to the server, base64. */
  readonly serverNonce?: string;
  readonly verDtd?: '1.1' | '1.2';
  readonly encoding?: Encoding;
  readonly maxMsgSize?: number;
  readonly maxObjSize?: number;
  /** Content-Type to post with (default the DM type of the encoding). */
  readonly contentType?: string;
  /** CA for HTTPS. */
  readonly ca?: string | Buffer;
  readonly agent?: http.Agent;
}

/** One HTTP exchange. */
export interface Exchange {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** The decoded reply (undefined when not SyncML). */
  readonly reply: SyncMLMessage | undefined;
}

/** POSTs bytes and returns status, headers and body. */
export function post(url: string, body: Uint8Array, headers: Record<string, string>, opts: { ca?: string | Buffer; agent?: http.Agent } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(u, {
      method: 'POST', headers: { ...headers, 'content-length': String(body.byteLength) },
      ...(opts.ca ? { ca: opts.ca } : {}), ...(opts.agent ? { agent: opts.agent } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });
}

/** A scriptable DM device speaking to the server under test. */
export class TestDevice {
  readonly o: TestDeviceOptions;
  /** The device's management tree: URI → value. */
  readonly tree = new Map<string, { data: string | Uint8Array; format?: string }>();
  /** Every Exec received (URI and correlator). */
  readonly execs: { uri: string; correlator?: string }[] = [];
  clientNonce: Uint8Array | undefined;
  serverNonce: Uint8Array | undefined;
  /** The server's Cred verified at least once in this session. */
  serverVerified = false;
  /** Every server Cred check result, in order. */
  readonly serverCredChecks: boolean[] = [];
  sessionId = 0;
  msgId = 0;
  target: string;
  respUri: string | undefined;
  /** Every message sent and received in the last session. */
  readonly transcript: { out: SyncMLMessage; in: SyncMLMessage | undefined; status: number }[] = [];
  #cmdId = 0;
  #lo: { uri: string; parts: (string | Uint8Array)[]; size?: number } | undefined;

  constructor(o: TestDeviceOptions) {
    this.o = o;
    this.target = o.url;
    this.clientNonce = o.clientNonce !== undefined ? decodeNonce(o.clientNonce) : undefined;
    this.serverNonce = o.serverNonce !== undefined ? decodeNonce(o.serverNonce) : undefined;
  }

  get encoding(): Encoding {
    return this.o.encoding ?? 'xml';
  }

  nextCmdId(): number {
    return ++this.#cmdId;
  }

  /** A SyncHdr for the next message (MsgID +1), with Cred when `cred` and the auth type puts one there. */
  header(cred: boolean): SyncHdr {
    const v = this.o.verDtd ?? '1.2';
    this.#cmdId = 0;
    const meta: Meta | undefined = this.msgId === 0 && (this.o.maxMsgSize !== undefined || this.o.maxObjSize !== undefined)
      ? { ...(this.o.maxMsgSize !== undefined ? { maxMsgSize: this.o.maxMsgSize } : {}), ...(this.o.maxObjSize !== undefined ? { maxObjSize: this.o.maxObjSize } : {}) }
      : undefined;
    let c: SyncHdr['cred'];
    if (cred && this.o.auth === 'md5') {
      c = { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: computeMd5Digest({ username: this.user, password: this.o.password ?? '', nonce: this.clientNonce ?? new Uint8Array(0) }) };
    } else if (cred && this.o.auth === 'basic') {
      c = { meta: { type: 'syncml:auth-basic', format: 'b64' }, data: encodeBasicCredential(this.user, this.o.password ?? '') };
    }
    return {
      verDtd: v, verProto: v === '1.1' ? 'DM/1.1' : 'DM/1.2', sessionId: String(this.sessionId), msgId: ++this.msgId,
      target: { locUri: this.o.url }, source: { locUri: this.o.devId, ...(this.o.auth === 'md5' ? { locName: this.user } : {}) },
      ...(c ? { cred: c } : {}), ...(meta ? { meta } : {}),
    };
  }

  get user(): string {
    return this.o.username ?? this.o.devId;
  }

  /** Package 1: Alert 1201 (or 1200) + DevInfo Replace (+ extra commands). */
  package1(opts: { alert?: number; cred?: boolean; extra?: readonly Command[]; final?: boolean; devInfo?: boolean } = {}): SyncMLMessage {
    const header = this.header(opts.cred ?? true);
    const commands: Command[] = [{ kind: 'Alert', cmdId: this.nextCmdId(), data: opts.alert ?? 1201, items: [] }];
    if (opts.devInfo !== false) {
      commands.push({
        kind: 'Replace', cmdId: this.nextCmdId(),
        items: [['DevId', this.o.devId], ['Man', 'Acme'], ['Mod', 'Roadrunner'], ['DmV', this.o.verDtd === '1.1' ? '1.1.2' : '1.2'], ['Lang', 'en-US']]
          .map(([k, v]) => ({ source: { locUri: `./DevInfo/${k}` }, meta: { format: 'chr', type: 'text/plain' }, data: v as string })),
      });
    }
    commands.push(...(opts.extra ?? []));
    return { header, body: { commands, final: opts.final ?? true } };
  }

  /** Starts a new session (new SessionID, MsgID from 1, post to the base URL). */
  newSession(): void {
    this.sessionId++;
    this.msgId = 0;
    this.target = this.o.url;
    this.respUri = undefined;
    this.serverVerified = false;
    this.transcript.length = 0;
  }

  /** Sends a message (to the RespURI once given) and processes the reply's auth parts. */
  async send(msg: SyncMLMessage, extraHeaders: Record<string, string> = {}): Promise<Exchange> {
    const body = encodeMessage(msg, this.encoding);
    return this.sendBytes(body, msg, extraHeaders);
  }

  /** Sends raw bytes (for hostile-input tests); `msg` is recorded in the transcript. */
  async sendBytes(body: Uint8Array, msg: SyncMLMessage | undefined, extraHeaders: Record<string, string> = {}): Promise<Exchange> {
    const headers: Record<string, string> = { 'content-type': this.o.contentType ?? contentTypeFor(this.encoding), ...extraHeaders };
    if (this.o.auth === 'hmac' && headers['x-syncml-hmac'] === undefined) {
      const mac = computeHmacMd5({ username: this.user, password: this.o.password ?? '', nonce: this.clientNonce ?? new Uint8Array(0), body });
      headers['x-syncml-hmac'] = formatHmacHeader({ username: this.user, mac });
    }
    const res = await post(this.respUri ?? this.target, body, headers, { ...(this.o.ca ? { ca: this.o.ca } : {}), ...(this.o.agent ? { agent: this.o.agent } : {}) });
    let reply: SyncMLMessage | undefined;
    if (res.status === 200 && /syncml/.test(String(res.headers['content-type']))) {
      reply = decodeMessage(new Uint8Array(res.body)).message;
      this.#absorb(reply, res.body, res.headers);
    }
    if (msg) this.transcript.push({ out: msg, in: reply, status: res.status });
    return { ...res, reply };
  }

  #absorb(reply: SyncMLMessage, body: Buffer, headers: http.IncomingHttpHeaders): void {
    if (reply.header.respUri !== undefined) this.respUri = reply.header.respUri;
    for (const c of reply.body.commands) {
      if (c.kind === 'Status' && c.cmdRef === 0 && c.chal?.meta.nextNonce !== undefined) this.clientNonce = decodeNonce(c.chal.meta.nextNonce);
    }
    const expectedCred = this.o.serverPassword !== undefined
      ? computeMd5Digest({ username: this.o.serverId ?? '', password: this.o.serverPassword, nonce: this.serverNonce ?? RESYNC_NONCE })
      : undefined;
    if (reply.header.cred !== undefined) {
      const ok = reply.header.cred.data === expectedCred && reply.header.source.locName === this.o.serverId;
      this.serverCredChecks.push(ok);
      if (ok) this.serverVerified = true;
    }
    const mac = headers['x-syncml-hmac'];
    if (typeof mac === 'string' && this.o.serverPassword !== undefined) {
      const expected = computeHmacMd5({ username: this.o.serverId ?? '', password: this.o.serverPassword, nonce: this.serverNonce ?? RESYNC_NONCE, body: new Uint8Array(body) });
      this.serverCredChecks.push(parseHmacHeader(mac).mac === expected);
    }
  }

  /**
   * Answers a server message: Status for its SyncHdr (212 + a new server nonce once its Cred
   * verified), a Status for every command, Results for Gets; Final unless the server's message
   * was not final (then Alert 1222).
   */
  respond(server: SyncMLMessage, opts: { rotateServerNonce?: boolean; extra?: readonly Command[] } = {}): SyncMLMessage {
    const header = this.header(this.o.auth === 'md5' && !this.#authenticatedBy(server));
    const out: Command[] = [];
    const hdrStatus: StatusCommand = {
      kind: 'Status', cmdId: this.nextCmdId(), msgRef: server.header.msgId, cmdRef: 0, cmd: 'SyncHdr',
      targetRefs: [server.header.target.locUri], sourceRefs: [server.header.source.locUri],
      data: server.header.cred ? (this.serverCredChecks.at(-1) ? 212 : 401) : 200,
    };
    let newServerNonce: Uint8Array | undefined;
    if (opts.rotateServerNonce !== false && server.header.cred) {
      newServerNonce = generateNonce();
      out.push({ ...hdrStatus, chal: { meta: { type: 'syncml:auth-md5', format: 'b64', nextNonce: encodeNonce(newServerNonce) } } });
    } else out.push(hdrStatus);
    for (const c of server.body.commands) this.#execute(server, c, out);
    out.push(...(opts.extra ?? []));
    if (!server.body.final) out.push({ kind: 'Alert', cmdId: this.nextCmdId(), data: 1222, items: [] });
    if (newServerNonce) this.serverNonce = newServerNonce;
    return { header, body: { commands: out, final: server.body.final } };
  }

  #authenticatedBy(server: SyncMLMessage): boolean {
    return server.body.commands.some((c) => c.kind === 'Status' && c.cmdRef === 0 && (c.data === 212 || c.data === 200));
  }

  #status(server: SyncMLMessage, c: Command, data: number, items?: Item[]): StatusCommand {
    return { kind: 'Status', cmdId: this.nextCmdId(), msgRef: server.header.msgId, cmdRef: c.cmdId ?? 0, cmd: c.kind, data, ...(items ? { items } : {}) };
  }

  #execute(server: SyncMLMessage, c: Command, out: Command[]): void {
    switch (c.kind) {
      case 'Status': case 'Results': case 'Unknown':
        return;
      case 'Get': {
        const found = c.items.map((i) => [i.target?.locUri ?? '', this.tree.get(i.target?.locUri ?? '')] as const);
        if (found.some(([, v]) => v === undefined)) {
          out.push(this.#status(server, c, 404));
          return;
        }
        out.push(this.#status(server, c, 200));
        out.push({
          kind: 'Results', cmdId: this.nextCmdId(), msgRef: server.header.msgId, cmdRef: c.cmdId ?? 0,
          items: found.map(([uri, v]) => ({ source: { locUri: uri }, meta: { format: v?.format ?? 'chr' }, data: v?.data ?? '' })),
        });
        return;
      }
      case 'Add': case 'Replace': {
        for (const i of c.items) {
          const uri = i.target?.locUri ?? '';
          if (i.moreData || this.#lo) {
            this.#lo ??= { uri, parts: [], ...(i.meta?.size !== undefined ? { size: i.meta.size } : {}) };
            if (i.data !== undefined && !(typeof i.data === 'object' && !(i.data instanceof Uint8Array))) this.#lo.parts.push(i.data);
            if (i.moreData) {
              out.push(this.#status(server, c, 213));
              return;
            }
            const whole = this.#lo.parts.every((p) => typeof p === 'string') ? (this.#lo.parts as string[]).join('') : Buffer.concat(this.#lo.parts.map((p) => Buffer.from(p)));
            const size = typeof whole === 'string' ? Buffer.byteLength(whole) : whole.byteLength;
            const expected = this.#lo.size;
            this.#lo = undefined;
            if (expected !== undefined && expected !== size) {
              out.push(this.#status(server, c, 424));
              return;
            }
            this.tree.set(uri, { data: whole, ...(i.meta?.format ? { format: i.meta.format } : {}) });
            continue;
          }
          if (c.kind === 'Add' && this.tree.has(uri)) {
            out.push(this.#status(server, c, 418));
            return;
          }
          const data = i.data === undefined || (typeof i.data === 'object' && !(i.data instanceof Uint8Array)) ? '' : i.data;
          this.tree.set(uri, { data, ...(i.meta?.format ? { format: i.meta.format } : {}) });
        }
        out.push(this.#status(server, c, 200));
        return;
      }
      case 'Delete':
        for (const i of c.items) this.tree.delete(i.target?.locUri ?? '');
        out.push(this.#status(server, c, 200));
        return;
      case 'Copy':
        out.push(this.#status(server, c, 200));
        return;
      case 'Exec':
        this.execs.push({ uri: c.items[0]?.target?.locUri ?? '', ...(c.correlator !== undefined ? { correlator: c.correlator } : {}) });
        out.push(this.#status(server, c, 202));
        return;
      case 'Alert':
        out.push(this.#status(server, c, 200));
        return;
      case 'Atomic': case 'Sequence':
        out.push(this.#status(server, c, 200));
        for (const inner of c.commands) this.#execute(server, inner, out);
        return;
    }
  }

  /**
   * Runs a whole session: Package 1, then answers until the server sends a Final message with no
   * commands. Returns the server messages received. Throws on HTTP errors.
   */
  async runSession(opts: { alert?: number; extra?: readonly Command[]; maxMessages?: number } = {}): Promise<SyncMLMessage[]> {
    this.newSession();
    const received: SyncMLMessage[] = [];
    let msg = this.package1({ ...(opts.alert !== undefined ? { alert: opts.alert } : {}), ...(opts.extra ? { extra: opts.extra } : {}) });
    for (let i = 0; i < (opts.maxMessages ?? 50); i++) {
      const ex = await this.send(msg);
      if (ex.status !== 200 || !ex.reply) throw new Error(`HTTP ${ex.status}: ${ex.body.toString('utf8').slice(0, 200)}`);
      const reply = ex.reply;
      received.push(reply);
      const hdr = reply.body.commands.find((c): c is StatusCommand => c.kind === 'Status' && c.cmdRef === 0);
      if (hdr && (hdr.data === 401 || hdr.data === 407)) {
        if (!hdr.chal) return received; // given up
        msg = this.package1({ ...(opts.alert !== undefined ? { alert: opts.alert } : {}), ...(opts.extra ? { extra: opts.extra } : {}) });
        continue;
      }
      const hasCommands = reply.body.commands.some((c) => c.kind !== 'Status');
      if (reply.body.final && !hasCommands) return received;
      msg = this.respond(reply);
    }
    throw new Error('session did not end');
  }
}
