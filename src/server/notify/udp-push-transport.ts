/**
 * Sends the WAP-push bytes as one UDP datagram to the device's stored `udp` push address: the
 * simulator's `--listen` port, or a WDP gateway (WAP push uses WDP port 2948 over UDP/SMS,
 * OMA-TS-DM_Notification). UDP gives no delivery report: a resolved send means "handed to the
 * network", and the device's Package 1 (Alert 1200) is the real acknowledgement.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { DmError, ErrorCode } from '../../core/errors.js';
import type { DeviceRecord } from '../store/store.js';
import type { PushTransport } from './push-transport.js';

/** Sends Package 0 pushes over UDP; one socket per address family, opened lazily. */
export class UdpPushTransport implements PushTransport {
  /** Transport name used in events. */
  readonly name = 'udp';
  readonly #sockets = new Map<'udp4' | 'udp6', Socket>();

  /** Sends `bytes` to the device's `udp` push address. */
  async send(device: DeviceRecord, bytes: Uint8Array): Promise<void> {
    const address = device.pushAddress;
    if (address?.type !== 'udp') throw new DmError(ErrorCode.ERR_NOTIFY_NO_ADDRESS, `device ${device.id} has no UDP push address`);
    const family = isIPv6(address.host) ? 'udp6' : 'udp4';
    const socket = this.#socket(family);
    await new Promise<void>((resolve, reject) => {
      socket.send(bytes, address.port, address.host, (err) => (err ? reject(new DmError(ErrorCode.ERR_NOTIFY_TRANSPORT, `UDP send failed: ${err.message}`, { cause: err })) : resolve()));
    });
  }

  /** Closes the sockets. */
  async close(): Promise<void> {
    const sockets = [...this.#sockets.values()];
    this.#sockets.clear();
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  #socket(family: 'udp4' | 'udp6'): Socket {
    let socket = this.#sockets.get(family);
    if (!socket) {
      socket = createSocket(family);
      socket.unref();
      // A socket error (e.g. ICMP unreachable on some systems) must not crash the server.
      socket.on('error', () => {});
      this.#sockets.set(family, socket);
    }
    return socket;
  }
}
