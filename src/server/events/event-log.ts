/**
 * The server's event log: alerts from devices (1224 client events, 1226 Generic Alerts), session
 * start/end, authentication failures and job state changes. Every event is stored and, once its
 * transaction commits, emitted in-process so the API can stream it (Server-Sent Events) or POST it
 * to webhooks. Nothing is emitted for a transaction that rolls back.
 */
import type { Clock, DeviceId, DmEvent, DmEventType, EventQuery, EventRecord, Page, StoreScope } from '../store/store.js';
import { systemClock } from '../store/store.js';

/** Which events a subscriber wants; every given field narrows. */
export interface EventFilter {
  readonly deviceId?: DeviceId;
  readonly types?: readonly DmEventType[];
}

/** Receives committed events. */
export type EventListener = (event: EventRecord) => void;

/** Options of {@link EventLog}. */
export interface EventLogOptions {
  readonly store: StoreScope;
  readonly clock?: Clock;
  /** Called when a listener throws (listeners must not break the writer); default: ignore. */
  readonly onListenerError?: (error: unknown) => void;
}

interface Subscription {
  readonly listener: EventListener;
  readonly filter: EventFilter;
}

/** Stores events and fans them out to in-process subscribers. */
export class EventLog {
  readonly #store: StoreScope;
  readonly #clock: Clock;
  readonly #onListenerError: (error: unknown) => void;
  #subs: Set<Subscription> = new Set();

  constructor(opts: EventLogOptions) {
    this.#store = opts.store;
    this.#clock = opts.clock ?? systemClock;
    this.#onListenerError = opts.onListenerError ?? (() => {});
  }

  /** The same log bound to an open transaction (subscribers are shared). */
  inTransaction(tx: StoreScope): EventLog {
    const bound = new EventLog({ store: tx, clock: this.#clock, onListenerError: this.#onListenerError });
    bound.#subs = this.#subs;
    return bound;
  }

  /** Stores an event (at the clock's time) and emits it after commit. */
  async append(event: DmEvent): Promise<EventRecord> {
    const record = await this.#store.events.append(event, this.#clock.now());
    this.#store.afterCommit(() => this.#emit(record));
    return record;
  }

  /** Stored events, filtered and paginated by id. */
  list(query: EventQuery = {}): Promise<Page<EventRecord>> {
    return this.#store.events.list(query);
  }

  /** Calls `listener` for every committed event that matches; returns the unsubscribe function. */
  subscribe(listener: EventListener, filter: EventFilter = {}): () => void {
    const sub: Subscription = { listener, filter };
    this.#subs.add(sub);
    return () => {
      this.#subs.delete(sub);
    };
  }

  /**
   * Committed events as an async iterator (for Server-Sent Events). Events arriving faster than
   * the consumer reads are buffered up to `maxBuffered`; beyond that the oldest are dropped (the
   * consumer can catch up with {@link list}). Ends when `signal` aborts or the loop breaks.
   */
  watch(opts: { readonly filter?: EventFilter; readonly signal?: AbortSignal; readonly maxBuffered?: number } = {}): AsyncIterableIterator<EventRecord> {
    const buffer: EventRecord[] = [];
    const max = opts.maxBuffered ?? 1000;
    let wake: (() => void) | undefined;
    let done = false;
    const unsubscribe = this.subscribe((e) => {
      buffer.push(e);
      if (buffer.length > max) buffer.shift();
      wake?.();
    }, opts.filter);
    const finish = (): void => {
      done = true;
      unsubscribe();
      wake?.();
    };
    opts.signal?.addEventListener('abort', finish, { once: true });
    const iterator: AsyncIterableIterator<EventRecord> = {
      next: async (): Promise<IteratorResult<EventRecord>> => {
        while (buffer.length === 0 && !done) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
        const value = buffer.shift();
        if (value !== undefined) return { value, done: false };
        return { value: undefined, done: true };
      },
      return: async (): Promise<IteratorResult<EventRecord>> => {
        finish();
        opts.signal?.removeEventListener('abort', finish);
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    if (opts.signal?.aborted) finish();
    return iterator;
  }

  #emit(record: EventRecord): void {
    for (const { listener, filter } of this.#subs) {
      if (filter.deviceId !== undefined && record.deviceId !== filter.deviceId) continue;
      if (filter.types !== undefined && !filter.types.includes(record.type)) continue;
      try {
        listener(record);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
