/**
 * A local stand-in for SMS / WAP push (reference §2.7, port 2948): Package 0 bytes arrive as a
 * UDP datagram or the body of an HTTP POST, and go to the agent's `handlePush`. Optional periodic
 * check-ins start client-initiated sessions. Only the listening device owns a socket and a timer.
 */
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, ErrorCode } from '../../core/errors.js';

/** Options of {@link listenForPush}. */
export interface ListenOptions {
  /** UDP port for Package 0 datagrams (0 = any free port). */
  readonly udpPort?: number;
  /** HTTP port for Package 0 POSTs (0 = any free port). */
  readonly httpPort?: number;
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string;
  /** Start a client-initiated session this often, ms (none when unset). */
  readonly checkInIntervalMs?: number;
}

/** A running listener. */
export interface PushListener {
  /** The bound port (UDP or HTTP). */
  readonly port: number;
  readonly protocol: 'udp' | 'http';
  close(): Promise<void>;
}

/** What the listener calls. */
export interface ListenTarget {
  handlePush(bytes: Uint8Array): Promise<{ accepted: boolean; reason?: string }>;
  checkIn(): Promise<unknown>;
  onError(err: unknown): void;
}

/** Opens the UDP or HTTP port and, if asked, the check-in timer. */
export async function listenForPush(target: ListenTarget, options: ListenOptions): Promise<PushListener> {
  if ((options.udpPort === undefined) === (options.httpPort === undefined)) {
    throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, 'listen needs exactly one of udpPort or httpPort');
  }
  const host = options.host ?? '127.0.0.1';
  let timer: NodeJS.Timeout | undefined;
  if (options.checkInIntervalMs !== undefined && options.checkInIntervalMs > 0) {
    timer = setInterval(() => void target.checkIn().catch((err: unknown) => target.onError(err)), options.checkInIntervalMs);
  }
  const stopTimer = (): void => {
    if (timer !== undefined) clearInterval(timer);
  };
  if (options.udpPort !== undefined) {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (msg) => void target.handlePush(new Uint8Array(msg)).catch((err: unknown) => target.onError(err)));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.udpPort, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', (err) => target.onError(err));
    return {
      port: socket.address().port,
      protocol: 'udp',
      close: () => new Promise<void>((resolve) => {
        stopTimer();
        socket.close(() => resolve());
      }),
    };
  }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      target.handlePush(new Uint8Array(Buffer.concat(chunks))).then(
        (v) => res.writeHead(v.accepted ? 202 : 400, { 'content-type': 'text/plain' }).end(v.accepted ? 'accepted\n' : `${v.reason ?? 'rejected'}\n`),
        (err: unknown) => {
          target.onError(err);
          res.writeHead(500).end();
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.httpPort, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    protocol: 'http',
    close: () => new Promise<void>((resolve) => {
      stopTimer();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
