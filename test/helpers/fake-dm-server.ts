/**
 * A scripted fake DM server over real HTTP (node:http on port 0) for the device-agent tests: it
 * records each client message (decoded) and answers with whatever the test's responder builds —
 * a SyncML message (XML or WBXML), a bare HTTP status, or a dropped connection.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { contentTypeFor, decodeMessage, encodeMessage, type Encoding } from '../../src/core/codec/message-codec.js';
import type { Command, Meta, StatusCommand, SyncMLMessage } from '../../src/core/syncml/message.js';

/** One client request as the server saw it. */
export interface ReceivedRequest {
  readonly path: string;
  /** Client port of the TCP connection (same port = kept-alive connection reused). */
  readonly remotePort: number | undefined;
  readonly contentType: string | undefined;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Uint8Array;
  /** The decoded message (undefined if it did not decode). */
  readonly message: SyncMLMessage | undefined;
  readonly encoding: Encoding | undefined;
}

/** What the server answers. */
export interface FakeReply {
  /** HTTP status (default 200). */
  readonly status?: number;
  /** A message to encode in `encoding` (default: the request's encoding). */
  readonly message?: SyncMLMessage;
  /** Raw body instead of a message. */
  readonly body?: Uint8Array | string;
  readonly encoding?: Encoding;
  readonly headers?: Readonly<Record<string, string>>;
  /** Close the socket without answering (a connection failure). */
  readonly drop?: boolean;
}

/** Builds the reply to request number `index` (0-based). */
export type Responder = (req: ReceivedRequest, index: number) => FakeReply | Promise<FakeReply>;

/** A running fake server. */
export interface FakeDmServer {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts the server; give a function, or a list of replies used in order. */
export async function startFakeDmServer(script: Responder | readonly FakeReply[]): Promise<FakeDmServer> {
  const requests: ReceivedRequest[] = [];
  const responder: Responder = typeof script === 'function'
    ? script
    : (_req, i) => (script as readonly FakeReply[])[i] ?? { status: 500, body: 'script exhausted' };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = new Uint8Array(Buffer.concat(chunks));
      let message: SyncMLMessage | undefined;
      let encoding: Encoding | undefined;
      try {
        ({ message, encoding } = decodeMessage(body));
      } catch {
        message = undefined;
      }
      const received: ReceivedRequest = { path: req.url ?? '/', remotePort: req.socket.remotePort, contentType: req.headers['content-type'], headers: req.headers, body, message, encoding };
      const index = requests.length;
      requests.push(received);
      Promise.resolve(responder(received, index)).then((reply) => {
        if (reply.drop === true) {
          req.socket.destroy();
          return;
        }
        const enc = reply.encoding ?? encoding ?? 'xml';
        const out = reply.message !== undefined ? encodeMessage(reply.message, enc) : typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body ?? new Uint8Array(0);
        res.writeHead(reply.status ?? 200, {
          ...(reply.message !== undefined ? { 'content-type': contentTypeFor(enc) } : {}),
          ...reply.headers,
        });
        res.end(out);
      }, (err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/dm`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Builds a server message answering `req` (same SessionID, swapped Target/Source). */
export function reply(req: ReceivedRequest, opts: {
  msgId: number;
  commands: readonly Command[];
  final?: boolean;
  respUri?: string;
  meta?: Meta;
  cred?: SyncMLMessage['header']['cred'];
}): SyncMLMessage {
  const h = req.message?.header;
  if (h === undefined) throw new Error('cannot answer an undecodable request');
  return {
    header: {
      verDtd: h.verDtd, verProto: h.verProto, sessionId: h.sessionId, msgId: opts.msgId,
      target: { locUri: h.source.locUri }, source: { locUri: h.target.locUri },
      ...(opts.respUri !== undefined ? { respUri: opts.respUri } : {}),
      ...(opts.meta !== undefined ? { meta: opts.meta } : {}),
      ...(opts.cred !== undefined ? { cred: opts.cred } : {}),
    },
    body: { commands: opts.commands, final: opts.final ?? true },
  };
}

/** The Status a server sends for the client's SyncHdr. */
export function hdrStatus(req: ReceivedRequest, data: number, extra: Partial<StatusCommand> = {}): StatusCommand {
  const h = req.message?.header;
  return { kind: 'Status', cmdId: 1, msgRef: h?.msgId ?? 1, cmdRef: 0, cmd: 'SyncHdr', data, ...extra };
}

/** Statuses (200) for every command of the client's message, after the header Status. */
export function okStatuses(req: ReceivedRequest, firstCmdId = 2): StatusCommand[] {
  const msg = req.message;
  if (msg === undefined) return [];
  let id = firstCmdId;
  return msg.body.commands
    .filter((c) => c.kind !== 'Status' && c.kind !== 'Results')
    .map((c) => ({ kind: 'Status', cmdId: id++, msgRef: msg.header.msgId, cmdRef: c.cmdId ?? 0, cmd: c.kind, data: 200 }));
}

/** The commands of a client message, Status excluded. */
export function statusesOf(msg: SyncMLMessage | undefined): StatusCommand[] {
  return (msg?.body.commands ?? []).filter((c): c is StatusCommand => c.kind === 'Status');
}
