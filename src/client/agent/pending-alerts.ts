/**
 * Client alerts waiting for a session (OMA-TS-DM_Protocol §8.7 Generic Alert; reference §4: after
 * the retries are spent the agent keeps pending alerts for the next session). The queue is an
 * {@link AlertSink} for management objects (FUMO reports its result through it); its
 * {@link PendingAlertQueue.toJSON} form is stored as the `blob` of the tree snapshot, so alerts
 * survive a restart together with the tree.
 */
import { AlertCode } from '../../core/constants/alert.js';
import { Format } from '../../core/constants/meta-types.js';
import type { Item } from '../../core/syncml/message.js';
import type { AlertSink, GenericAlert } from '../tree/plugin.js';
import type { PendingAlert } from '../session/session-types.js';

interface StoredAlert {
  readonly id: string;
  readonly alert: GenericAlert;
}

/** The queue of Generic Alerts (1226) not yet acknowledged by the server. */
export class PendingAlertQueue implements AlertSink {
  readonly #onQueued: (() => void) | undefined;
  readonly #onChange: (() => void) | undefined;
  #alerts: StoredAlert[] | undefined;
  #seq = 0;

  /**
   * `initial` is a previous {@link toJSON} (the tree snapshot's blob); `onQueued` asks for a
   * delivery session; `onChange` lets the owner save the tree.
   */
  constructor(options: { initial?: unknown; onQueued?: () => void; onChange?: () => void } = {}) {
    this.#onQueued = options.onQueued;
    this.#onChange = options.onChange;
    const initial = options.initial === undefined ? [] : parse(options.initial);
    if (initial.length > 0) this.#alerts = initial;
  }

  /** The stored form (goes into the tree snapshot's blob). */
  toJSON(): unknown {
    return this.#alerts ?? [];
  }

  /** Number of alerts waiting. */
  get size(): number {
    return this.#list().length;
  }

  /** Queues an alert and asks for a session to deliver it (AlertSink; never throws). */
  queueGenericAlert(alert: GenericAlert): void {
    const list = this.#list();
    // Ids only need to be unique within the queue: one more than the highest one stored.
    for (const a of list) this.#seq = Math.max(this.#seq, Number(a.id.slice(3)) || 0);
    list.push({ id: `ga-${++this.#seq}`, alert });
    this.#persist();
    try {
      this.#onQueued?.();
    } catch {
      // A failing trigger must not break the plug-in that reported the alert.
    }
  }

  /** The alerts as Package 1 commands' content, oldest first. */
  pending(): PendingAlert[] {
    return this.#list().map(({ id, alert }) => toPendingAlert(id, alert));
  }

  /** Drops alerts the server acknowledged. */
  remove(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    this.#alerts = this.#list().filter((a) => !gone.has(a.id));
    this.#persist();
  }

  #list(): StoredAlert[] {
    this.#alerts ??= [];
    return this.#alerts;
  }

  #persist(): void {
    if (this.#alerts?.length === 0) this.#alerts = undefined; // idle devices keep no array
    this.#onChange?.();
  }
}

/** A Generic Alert as the Alert 1226 content: Item Source, Meta Type/Format/Mark, Data. */
export function toPendingAlert(id: string, a: GenericAlert): PendingAlert {
  const meta = { type: a.type, format: a.format ?? Format.CHR, ...(a.mark !== undefined ? { mark: a.mark } : {}) };
  const item: Item = { source: { locUri: a.source }, meta, data: a.data };
  return a.correlator === undefined
    ? { id, code: AlertCode.GENERIC_ALERT, items: [item] }
    : { id, code: AlertCode.GENERIC_ALERT, correlator: a.correlator, items: [item] };
}

/** Keeps the well-formed entries of a stored queue (a damaged file must not stop the device). */
function parse(v: unknown): StoredAlert[] {
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is StoredAlert =>
    typeof x === 'object' && x !== null && typeof (x as StoredAlert).id === 'string' &&
    typeof (x as StoredAlert).alert === 'object' && typeof (x as StoredAlert).alert?.source === 'string');
}
