/**
 * The pluggable carrier of Package 0 bytes (a WAP push PDU) to one device: an SMS gateway, a UDP
 * socket (the simulator's `--listen` port), or anything else a deployment plugs in.
 */
import type { DeviceRecord } from '../store/store.js';

/** Delivers WAP-push bytes to a device. Rejects when delivery failed for good (after its own retries). */
export interface PushTransport {
  /** Short name used in events (`udp`, `http-webhook`). */
  readonly name: string;
  /** Sends `bytes` (a WSP push PDU holding Package 0) to `device`. */
  send(device: DeviceRecord, bytes: Uint8Array): Promise<void>;
}
