/**
 * Wires firmware packages and campaigns into a DM server (a sub-composition root, called from
 * create-server.ts): opens the FUMO database (a file of its own beside the core database — a
 * second connection to the core file would contend for its write lock while the core store holds
 * a transaction across awaits), builds the repository and the campaign service, and registers
 * the routes. See docs/guides/running-a-fumo-campaign.md.
 */
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { ErrorCode, StoreError } from '../../core/errors.js';
import type { EventLog } from '../events/event-log.js';
import { type FirmwareDownloadRouteOptions, registerFirmwareDownloadRoutes } from '../firmware/firmware-download-routes.js';
import { FirmwareRepository } from '../firmware/firmware-repository.js';
import { registerFirmwareRoutes } from '../firmware/firmware-routes.js';
import { configureComponentDatabase } from '../firmware/sqlite-component-schema.js';
import { SqliteFirmwareStore } from '../firmware/sqlite-firmware-store.js';
import type { CommandQueue } from '../queue/command-queue.js';
import type { Clock, StoreScope } from '../store/store.js';
import type { CampaignLogger, DeviceWaker } from './campaign-context.js';
import { registerCampaignRoutes } from './campaign-routes.js';
import { CampaignService } from './campaign-service.js';
import { SqliteCampaignStore } from './sqlite-campaign-store.js';

/** Options of {@link createFumoModule}. */
export interface FumoModuleOptions {
  /** The core store (device reads, job transactions). */
  readonly store: StoreScope;
  readonly queue: CommandQueue;
  readonly events: EventLog;
  /** Wakes devices (the server's NotificationService). */
  readonly notifier?: DeviceWaker;
  /** FUMO database file (`:memory:` for tests); the core database path + `.fumo` is a good choice. */
  readonly dbPath: string;
  /** Directory for package bytes (packages go to `<dataDir>/firmware/`). */
  readonly dataDir: string;
  /** Base URL devices reach the server at, for PkgURL (a function: known only once listening). */
  readonly publicUrl: string | (() => string);
  readonly clock?: Clock;
  readonly log?: CampaignLogger;
  /** Campaign ticker period, ms (default 1000). */
  readonly tickIntervalMs?: number;
  /** Package 0 triggers per device attempt (default 3). */
  readonly maxWakesPerAttempt?: number;
  /** Called for each DD install status report. */
  readonly onInstallNotify?: FirmwareDownloadRouteOptions['onInstallNotify'];
}

/** The firmware repository and campaign service of one server. */
export interface FumoModule {
  readonly firmware: FirmwareRepository;
  readonly campaigns: CampaignService;
  /** Registers `/firmware/:id` (GET/HEAD with Range), `/firmware/:id/dd`, `/firmware/:id/notify` — outside the API token check. */
  registerDownloadRoutes(app: FastifyInstance): void;
  /** Registers `/api/firmware…` and `/api/campaigns…` — inside the API's authenticated scope. */
  registerApiRoutes(app: FastifyInstance): void;
  /** Resumes campaigns from their stored positions and starts the ticker (call once the server listens). */
  open(): Promise<void>;
  /** Stops the campaign service and closes the FUMO database. */
  close(): Promise<void>;
}

/** Builds the FUMO module. */
export function createFumoModule(o: FumoModuleOptions): FumoModule {
  let db: Database.Database;
  try {
    db = new Database(o.dbPath, { timeout: 5000 });
    configureComponentDatabase(db);
  } catch (err) {
    throw new StoreError(ErrorCode.ERR_STORE, `cannot open FUMO database ${o.dbPath}: ${(err as Error).message}`, { cause: err });
  }
  const clock = o.clock ? { clock: o.clock } : {};
  const firmware = new FirmwareRepository({ store: new SqliteFirmwareStore(db), dataDir: o.dataDir, ...clock });
  const campaigns = new CampaignService({
    campaigns: new SqliteCampaignStore(db), firmware, devices: o.store.devices, store: o.store, queue: o.queue, events: o.events,
    publicUrl: o.publicUrl, ...clock,
    ...(o.notifier !== undefined ? { notifier: o.notifier } : {}),
    ...(o.log !== undefined ? { log: o.log } : {}),
    ...(o.tickIntervalMs !== undefined ? { tickIntervalMs: o.tickIntervalMs } : {}),
    ...(o.maxWakesPerAttempt !== undefined ? { maxWakesPerAttempt: o.maxWakesPerAttempt } : {}),
  });
  let closed = false;
  return {
    firmware,
    campaigns,
    registerDownloadRoutes(app) {
      registerFirmwareDownloadRoutes(app, { repository: firmware, ...(o.onInstallNotify ? { onInstallNotify: o.onInstallNotify } : {}) });
    },
    registerApiRoutes(app) {
      const url = typeof o.publicUrl === 'string' ? o.publicUrl : undefined;
      registerFirmwareRoutes(app, { repository: firmware, ...(url !== undefined ? { publicUrl: url } : {}) });
      registerCampaignRoutes(app, { campaigns });
    },
    open: () => campaigns.open(),
    async close() {
      if (closed) return;
      closed = true;
      await campaigns.close();
      db.close();
    },
  };
}
