/**
 * Prometheus metrics of one server instance (prom-client). Each server owns its own Registry so
 * several servers can live in one process (tests, benches) without clashing names.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The metric handles the server updates; read them all with {@link ServerMetrics.render}. */
export class ServerMetrics {
  /** The registry holding every metric below. */
  readonly registry: Registry;
  /** DM sessions started, by how they ended (`completed`, `aborted`, `expired`, `auth_failed`). */
  readonly sessionsTotal: Counter<'outcome'>;
  /** DM sessions currently open. */
  readonly sessionsActive: Gauge;
  /** DM messages received, by encoding (`xml`, `wbxml`). */
  readonly messagesIn: Counter<'encoding'>;
  /** DM messages sent, by encoding. */
  readonly messagesOut: Counter<'encoding'>;
  /** Requests refused before a session could use them (`415`, `413`, `400`). */
  readonly rejectedRequests: Counter<'reason'>;
  /** Authentication failures, by reason (`missing`, `invalid`, `replayed`, `unknown_device`…). */
  readonly authFailures: Counter<'reason'>;
  /** Jobs by state, refreshed at each scrape through a collect callback. */
  readonly jobsByState: Gauge<'state'>;
  /** Duration of whole DM sessions, in seconds. */
  readonly sessionDuration: Histogram;
  /** Time to handle one DM message (decode, process, encode), in seconds. */
  readonly messageDuration: Histogram<'encoding'>;

  constructor(options: { defaultMetrics?: boolean; jobCounts?: () => Promise<Readonly<Record<string, number>>> } = {}) {
    const registry = new Registry();
    this.registry = registry;
    if (options.defaultMetrics === true) collectDefaultMetrics({ register: registry, prefix: 'omadm_' });
    this.sessionsTotal = new Counter({ name: 'omadm_sessions_total', help: 'DM sessions ended, by outcome', labelNames: ['outcome'], registers: [registry] });
    this.sessionsActive = new Gauge({ name: 'omadm_sessions_active', help: 'DM sessions currently open', registers: [registry] });
    this.messagesIn = new Counter({ name: 'omadm_messages_in_total', help: 'DM messages received, by encoding', labelNames: ['encoding'], registers: [registry] });
    this.messagesOut = new Counter({ name: 'omadm_messages_out_total', help: 'DM messages sent, by encoding', labelNames: ['encoding'], registers: [registry] });
    this.rejectedRequests = new Counter({ name: 'omadm_requests_rejected_total', help: 'DM requests refused at the HTTP layer, by reason', labelNames: ['reason'], registers: [registry] });
    this.authFailures = new Counter({ name: 'omadm_auth_failures_total', help: 'Authentication failures, by reason', labelNames: ['reason'], registers: [registry] });
    const jobCounts = options.jobCounts;
    this.jobsByState = new Gauge({
      name: 'omadm_jobs',
      help: 'Jobs in the queue, by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        if (!jobCounts) return;
        const counts = await jobCounts();
        this.reset();
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    this.sessionDuration = new Histogram({
      name: 'omadm_session_duration_seconds',
      help: 'Duration of DM sessions',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    this.messageDuration = new Histogram({
      name: 'omadm_message_duration_seconds',
      help: 'Time to handle one DM message',
      labelNames: ['encoding'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** Content-Type of {@link render}'s output. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
