/**
 * Outbound webhooks: each committed event a hook subscribes to is POSTed to its URL as JSON
 * (the EventDto), signed with `x-omadm-signature: sha256=<hex HMAC-SHA256 of the body>` when the
 * hook has a secret. Delivery is at-most-a-few-times: 3 attempts with back-off, then dropped and
 * logged (the event stays in GET /api/events). Never blocks a DM session.
 */
import { createHmac } from 'node:crypto';
import type { BaseLogger } from 'pino';
import type { WebhookConfig } from '../config.js';
import type { EventLog } from '../events/event-log.js';
import type { EventRecord } from '../store/store.js';
import { toEventDto } from './mappers.js';

/** The subset of `fetch` webhooks use (injectable for tests). */
export type WebhookFetch = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number }>;

/** Options of {@link WebhookDispatcher}. */
export interface WebhookDispatcherOptions {
  readonly hooks: readonly WebhookConfig[];
  readonly events: EventLog;
  readonly logger: BaseLogger;
  readonly fetch?: WebhookFetch;
  /** Waits between attempts, ms. Default [1000, 5000]. */
  readonly backoffMs?: readonly number[];
  /** Per-attempt timeout, ms. Default 5000. */
  readonly timeoutMs?: number;
  /** Deliveries waiting per hook before the oldest is dropped. Default 1000. */
  readonly maxQueued?: number;
}

interface HookState {
  readonly hook: WebhookConfig;
  readonly queue: EventRecord[];
  running: boolean;
}

/** Sends events to the configured webhooks, one delivery at a time per hook (in order). */
export class WebhookDispatcher {
  readonly #o: WebhookDispatcherOptions;
  readonly #states: HookState[];
  readonly #fetch: WebhookFetch;
  #unsubscribe: (() => void) | undefined;
  #idle: Promise<void> = Promise.resolve();

  constructor(options: WebhookDispatcherOptions) {
    this.#o = options;
    this.#states = options.hooks.map((hook) => ({ hook, queue: [], running: false }));
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** Starts listening to the event log. */
  start(): void {
    if (this.#states.length === 0 || this.#unsubscribe) return;
    this.#unsubscribe = this.#o.events.subscribe((e) => this.#enqueue(e));
  }

  /** Stops listening; deliveries in progress finish. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#idle;
  }

  #enqueue(e: EventRecord): void {
    for (const st of this.#states) {
      if (st.hook.events && !st.hook.events.includes(e.type)) continue;
      st.queue.push(e);
      if (st.queue.length > (this.#o.maxQueued ?? 1000)) {
        st.queue.shift();
        this.#o.logger.warn({ url: st.hook.url }, 'webhook queue full: dropped the oldest event');
      }
      if (!st.running) {
        st.running = true;
        const run = this.#drain(st);
        this.#idle = Promise.all([this.#idle, run]).then(() => undefined);
      }
    }
  }

  async #drain(st: HookState): Promise<void> {
    try {
      for (let e = st.queue.shift(); e !== undefined; e = st.queue.shift()) await this.#deliver(st.hook, e);
    } finally {
      st.running = false;
    }
  }

  async #deliver(hook: WebhookConfig, e: EventRecord): Promise<void> {
    const body = JSON.stringify(toEventDto(e));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-omadm-event': e.type, 'x-omadm-event-id': e.id };
    if (hook.secret) headers['x-omadm-signature'] = `sha256=${createHmac('sha256', hook.secret).update(body).digest('hex')}`;
    const waits = this.#o.backoffMs ?? [1000, 5000];
    for (let attempt = 0; attempt <= waits.length; attempt++) {
      try {
        const res = await this.#fetch(hook.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.#o.timeoutMs ?? 5000) });
        if (res.status >= 200 && res.status < 300) return;
        this.#o.logger.debug({ url: hook.url, status: res.status, attempt }, 'webhook answered with an error');
      } catch (err) {
        this.#o.logger.debug({ url: hook.url, err, attempt }, 'webhook delivery failed');
      }
      const wait = waits[attempt];
      if (wait !== undefined) await new Promise((r) => setTimeout(r, wait).unref());
    }
    this.#o.logger.warn({ url: hook.url, event: e.id }, 'webhook delivery given up');
  }
}
