/**
 * Composition root of the DM server (house style §2: the only place that picks a store backend):
 * store → services (registry, queue, events, notifications) → session engine, FUMO module and
 * Client Provisioning bootstrap → HTTP(S) with the DM endpoint, the firmware downloads, the REST
 * API and /metrics.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { ConfigError, ErrorCode } from '../core/errors.js';
import type { ServerConfig } from './config.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import { systemClock, type Clock, type JobState, type PushAddress, type ServerStore } from './store/store.js';
import { EventLog } from './events/event-log.js';
import { DeviceRegistry } from './registry/device-registry.js';
import { CommandQueue } from './queue/command-queue.js';
import { NotificationService } from './notify/notification-service.js';
import type { PushTransport } from './notify/push-transport.js';
import { UdpPushTransport } from './notify/udp-push-transport.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { SessionManager } from './session/session-manager.js';
import { SessionEngine } from './session/session-engine.js';
import { dmEndpoint } from './http/dm-endpoint.js';
import { builtDashboardDir, registerDashboard } from './http/dashboard.js';
import { restApi } from './api/rest-api.js';
import { TokenVerifier, readServerInfo, serverInfoPath, writeServerInfo } from './api/api-tokens.js';
import { ApiTokenRegistry } from './registry/api-token-registry.js';
import { WebhookDispatcher, type WebhookFetch } from './api/webhooks.js';
import { createFumoModule, type FumoModule, type FumoModuleOptions } from './campaign/fumo-module.js';
import { BootstrapService } from './bootstrap/bootstrap-service.js';

/** Options of {@link createServer}. */
export interface CreateServerOptions {
  readonly config: ServerConfig;
  /** Directory of the built dashboard; default `dist/web` of this package (see http/dashboard.ts). */
  readonly dashboardDir?: string;
  /** A store to use instead of opening `config.db` with SQLite (it is not closed by the server). */
  readonly store?: ServerStore;
  readonly clock?: Clock;
  /** Default: pino at `config.logLevel` on standard output. */
  readonly logger?: Logger;
  /** Package 0 transports; default UDP. */
  readonly transports?: Partial<Record<PushAddress['type'], PushTransport>>;
  /** fetch used by webhooks (tests). */
  readonly webhookFetch?: WebhookFetch;
  /** Also export Node.js process metrics on /metrics. Default false. */
  readonly processMetrics?: boolean;
  /** Campaign tuning (tests shorten the ticker). */
  readonly fumo?: Pick<FumoModuleOptions, 'tickIntervalMs' | 'maxWakesPerAttempt' | 'onInstallNotify'>;
}

/** A running (or ready to run) DM server. */
export interface DmServer {
  readonly config: ServerConfig;
  readonly app: FastifyInstance;
  readonly store: ServerStore;
  readonly registry: DeviceRegistry;
  readonly queue: CommandQueue;
  readonly events: EventLog;
  readonly notifications: NotificationService;
  readonly sessions: SessionManager;
  readonly metrics: ServerMetrics;
  /** Firmware packages and FUMO campaigns. */
  readonly fumo: FumoModule;
  /** Client Provisioning bootstrap (`POST /api/devices/:id/bootstrap`). */
  readonly bootstrap: BootstrapService;
  readonly logger: Logger;
  /** The admin API token when this start created it (print it once), else the one from the token file. */
  readonly adminToken: string | undefined;
  /** True when this start created the admin token. */
  readonly adminTokenCreated: boolean;
  /** Starts listening; returns the base URL (`http://127.0.0.1:8080`). */
  listen(): Promise<string>;
  /** Base URL once listening. */
  readonly url: string | undefined;
  /** Stops listening, ends the sweeper, campaigns and webhooks, closes the stores it opened. */
  close(): Promise<void>;
}

const COUNTED_STATES: readonly JobState[] = ['queued', 'sent', 'status_received', 'results_received', 'done', 'failed', 'cancelled', 'expired'];

/** Builds a DM server from a configuration. */
export async function createServer(opts: CreateServerOptions): Promise<DmServer> {
  const cfg = opts.config;
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? pino({ level: cfg.logLevel });
  const ownStore = opts.store === undefined;
  const store = opts.store ?? SqliteStore.open({
    path: cfg.db, checkpoint: 'background',
    onCheckpointError: (err) => logger.warn({ err }, 'background WAL checkpoints stopped; SQLite checkpoints inline from now on'),
  });
  const ownerId = `${cfg.nodeId}-${randomBytes(6).toString('hex')}`;

  const events = new EventLog({ store, clock, onListenerError: (err) => logger.warn({ err }, 'event listener failed') });
  const registry = new DeviceRegistry({
    store, clock, events,
    unknownDevicePolicy: cfg.auth.unknownDevices === 'auto-register' && cfg.auth.bootstrapSecret !== undefined
      ? { mode: 'auto-register', bootstrapPassword: cfg.auth.bootstrapSecret }
      : { mode: 'reject' },
    ...(cfg.auth.defaultServerPassword !== undefined ? { defaultServerCredential: { serverId: cfg.serverId, serverPassword: cfg.auth.defaultServerPassword } } : {}),
  });
  const queue = new CommandQueue({ store, clock, events });
  const udp = opts.transports === undefined ? new UdpPushTransport() : undefined;
  const transports = opts.transports ?? { udp: udp as UdpPushTransport };
  const notifications = new NotificationService({ store, clock, events, transports });
  const metrics = new ServerMetrics({ defaultMetrics: opts.processMetrics === true, jobCounts: () => countJobs(queue) });
  const sessions = new SessionManager({
    store, queue, registry, events, metrics, clock, logger, idleTimeoutMs: cfg.session.idleTimeoutMs, nodeId: cfg.nodeId, ownerId,
  });
  const engine = new SessionEngine({ store, registry, queue, events, metrics, sessions, config: cfg, clock, logger, ownerId });

  const app = Fastify({
    loggerInstance: logger,
    // info is for lifecycle only: no per-request access log (house style §7).
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    ...(cfg.tls ? { https: tlsOptions(cfg) } : {}),
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

  let url: string | undefined;
  // Devices must reach package downloads and the DM endpoint: the configured public URL, else
  // the address this server listens on (known only once it listens, hence functions).
  const baseUrl = (): string => (cfg.publicUrl ?? url ?? '').replace(/\/+$/, '');
  // An in-memory core store gets an in-memory FUMO database and a throw-away package directory.
  const tempDataDir = cfg.db === ':memory:' ? mkdtempSync(join(tmpdir(), 'omadm-fumo-')) : undefined;
  const fumo = createFumoModule({
    store, queue, events, notifier: notifications, clock,
    dbPath: cfg.db === ':memory:' ? ':memory:' : `${cfg.db}.fumo`,
    dataDir: tempDataDir ?? dirname(cfg.db),
    publicUrl: cfg.publicUrl ?? baseUrl,
    log: { info: (m) => logger.info(m), warn: (m) => logger.warn(m), debug: (m) => logger.debug(m) },
    ...opts.fumo,
  });
  const bootstrap = new BootstrapService({ registry, transports, events, serverId: cfg.serverId, serverUrl: () => (baseUrl() === '' ? undefined : `${baseUrl()}/dm`) });

  await app.register(dmEndpoint, { handler: engine, metrics, maxBodyBytes: cfg.session.maxBodyBytes });
  // Devices fetch PkgURL anonymously (reference §1.11): outside the API's token check.
  fumo.registerDownloadRoutes(app);

  const tokenFile = cfg.api.tokenFile ?? (cfg.db === ':memory:' ? undefined : serverInfoPath(cfg.db));
  const tokens = new TokenVerifier(store.apiTokens, clock);
  let adminToken: string | undefined;
  let adminTokenCreated = false;
  if (cfg.api.enabled) {
    const existing = tokenFile ? readServerInfo(tokenFile)?.token : undefined;
    if (existing !== undefined && (await tokens.verify(existing))) adminToken = existing;
    else {
      adminToken = (await new ApiTokenRegistry({ store, clock }).create({ name: 'admin', scopes: ['admin'] })).token;
      adminTokenCreated = true;
    }
    await app.register(restApi, {
      registry, queue, events, notifications, sessions, metrics, tokens, clock, fumo, bootstrap, nodeId: cfg.nodeId, defaultAuthType: cfg.auth.defaultClientAuth,
    });
    if (cfg.api.dashboard) await registerDashboard(app, { dir: opts.dashboardDir ?? builtDashboardDir() });
  }
  const webhooks = new WebhookDispatcher({ hooks: cfg.webhooks, events, logger, ...(opts.webhookFetch ? { fetch: opts.webhookFetch } : {}) });

  await sessions.sweep(); // requeue what a previous process left unanswered and idle
  sessions.start();
  webhooks.start();

  const server: DmServer = {
    config: cfg, app, store, registry, queue, events, notifications, sessions, metrics, fumo, bootstrap, logger, adminToken, adminTokenCreated,
    get url() {
      return url;
    },
    async listen() {
      await app.listen({ port: cfg.port, host: cfg.host });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : cfg.port;
      const host = cfg.host === '0.0.0.0' || cfg.host === '::' ? '127.0.0.1' : cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
      url = `${cfg.tls ? 'https' : 'http'}://${host}:${port}`;
      if (tokenFile && adminToken !== undefined) writeServerInfo(tokenFile, { url: cfg.publicUrl ?? url, token: adminToken, pid: process.pid });
      // Campaigns resume only now: their PkgURLs need the address this server listens on.
      await fumo.open();
      logger.info({ url, node: cfg.nodeId, db: cfg.db, tls: cfg.tls !== undefined }, 'omadm server listening');
      return url;
    },
    async close() {
      sessions.stop();
      await app.close();
      await fumo.close();
      await webhooks.stop();
      await udp?.close();
      if (ownStore) await store.close();
      if (tempDataDir !== undefined) rmSync(tempDataDir, { recursive: true, force: true });
      logger.info('omadm server stopped');
    },
  };
  return server;
}

function tlsOptions(cfg: ServerConfig): Record<string, unknown> {
  const tls = cfg.tls;
  if (!tls) return {};
  const read = (file: string, what: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `cannot read TLS ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  };
  return {
    key: read(tls.keyFile, 'key'),
    cert: read(tls.certFile, 'certificate'),
    ...(tls.caFile ? { ca: read(tls.caFile, 'CA bundle') } : {}),
    requestCert: tls.requestClientCert === true || tls.requireClientCert === true,
    rejectUnauthorized: tls.requireClientCert === true,
  };
}

/** Counts jobs per state for the metrics gauge, stopping at 5,000 per state (shown as 5000). */
async function countJobs(queue: CommandQueue): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const state of COUNTED_STATES) {
    let n = 0;
    let cursor: string | undefined;
    do {
      const page = await queue.list({ state, limit: 1000, ...(cursor !== undefined ? { cursor } : {}) });
      n += page.items.length;
      cursor = page.nextCursor;
    } while (cursor !== undefined && n < 5000);
    out[state] = n;
  }
  return out;
}
