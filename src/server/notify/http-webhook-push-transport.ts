/**
 * Hands the WAP-push bytes to an SMS gateway over HTTP: `POST <url>` with the raw push PDU as
 * the body (`Content-Type: application/octet-stream`) and the routing data in headers:
 * `X-Omadm-Device-Id`, `X-Omadm-Msisdn` (when the device has an `sms` push address),
 * `X-Omadm-Wdp-Port: 2948` (the WAP push port the gateway must address, OMA-TS-DM_Notification)
 * and `X-Omadm-Content-Type: application/vnd.syncml.notification`. Any 2xx is success;
 * network errors, 408, 429 and 5xx are retried with exponential back-off (honouring a numeric
 * Retry-After); other statuses fail at once.
 */
import { DmError, ErrorCode } from '../../core/errors.js';
import type { DeviceRecord } from '../store/store.js';
import type { PushTransport } from './push-transport.js';

/** The subset of `fetch` the transport uses (injectable for tests). */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: Uint8Array; signal?: AbortSignal }) => Promise<{ status: number; headers: { get(name: string): string | null } }>;

/** Options of {@link HttpWebhookPushTransport}. */
export interface HttpWebhookPushTransportOptions {
  /** Gateway endpoint. */
  readonly url: string;
  /** Extra headers (e.g. `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Attempts in total, first included; default 4. */
  readonly attempts?: number;
  /** First back-off delay in ms, doubled per retry; default 500. */
  readonly backoffMs?: number;
  /** Largest back-off delay in ms; default 30 000. */
  readonly maxBackoffMs?: number;
  /** Per-attempt timeout in ms; default 10 000. */
  readonly timeoutMs?: number;
  /** Default global fetch. */
  readonly fetch?: FetchLike;
  /** Waits between attempts (injected so tests need not sleep); default setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Posts Package 0 pushes to an SMS gateway webhook, with retries. */
export class HttpWebhookPushTransport implements PushTransport {
  /** Transport name used in events. */
  readonly name = 'http-webhook';
  readonly #opts: HttpWebhookPushTransportOptions;
  readonly #fetch: FetchLike;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(opts: HttpWebhookPushTransportOptions) {
    this.#opts = opts;
    this.#fetch = opts.fetch ?? ((url, init) => fetch(url, init));
    this.#sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Posts `bytes`; rejects with `ERR_NOTIFY_TRANSPORT` once the attempts are used up. */
  async send(device: DeviceRecord, bytes: Uint8Array): Promise<void> {
    const headers: Record<string, string> = {
      ...this.#opts.headers,
      'content-type': 'application/octet-stream',
      'x-omadm-device-id': device.id,
      'x-omadm-wdp-port': '2948',
      'x-omadm-content-type': 'application/vnd.syncml.notification',
    };
    if (device.pushAddress?.type === 'sms') headers['x-omadm-msisdn'] = device.pushAddress.msisdn;
    const attempts = Math.max(1, this.#opts.attempts ?? 4);
    let delay = this.#opts.backoffMs ?? 500;
    let lastError = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const res = await this.#fetch(this.#opts.url, {
          method: 'POST', headers, body: bytes, signal: AbortSignal.timeout(this.#opts.timeoutMs ?? 10_000),
        });
        if (res.status >= 200 && res.status < 300) return;
        lastError = `gateway answered HTTP ${res.status}`;
        if (!(res.status === 408 || res.status === 429 || res.status >= 500)) break;
        const header = res.headers.get('retry-after');
        const retryAfter = header === null || header.trim() === '' ? Number.NaN : Number(header);
        if (Number.isFinite(retryAfter) && retryAfter >= 0) retryAfterMs = retryAfter * 1000;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      }
      if (attempt < attempts) {
        await this.#sleep(Math.min(retryAfterMs ?? delay, this.#opts.maxBackoffMs ?? 30_000));
        delay *= 2;
      }
    }
    throw new DmError(ErrorCode.ERR_NOTIFY_TRANSPORT, `SMS gateway push for ${device.id} failed: ${lastError}`);
  }
}
