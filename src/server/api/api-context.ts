/** What the REST routes use: the domain services of one server. */
import type { Clock } from '../store/store.js';
import type { DeviceRegistry } from '../registry/device-registry.js';
import type { CommandQueue } from '../queue/command-queue.js';
import type { EventLog } from '../events/event-log.js';
import type { NotificationService } from '../notify/notification-service.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { SessionManager } from '../session/session-manager.js';
import type { BootstrapService } from '../bootstrap/bootstrap-service.js';
import type { FumoModule } from '../campaign/fumo-module.js';
import type { TokenVerifier } from './api-tokens.js';

/** Services and settings shared by the REST routes. */
export interface ApiContext {
  readonly registry: DeviceRegistry;
  readonly queue: CommandQueue;
  readonly events: EventLog;
  readonly notifications: NotificationService;
  readonly sessions: SessionManager;
  readonly metrics: ServerMetrics;
  readonly tokens: TokenVerifier;
  readonly clock: Clock;
  readonly nodeId: string;
  /** Auth type given to devices created without one. */
  readonly defaultAuthType: 'md5' | 'hmac' | 'basic';
  /** Firmware and campaigns (`/api/firmware…`, `/api/campaigns…`); absent: those routes are not mounted. */
  readonly fumo?: FumoModule;
  /** Client Provisioning bootstrap (`POST /api/devices/:id/bootstrap`); absent: not mounted. */
  readonly bootstrap?: BootstrapService;
}
