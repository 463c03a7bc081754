/** What the per-device state machine uses: the services and the service's write helpers. */
import type { EventLog } from '../events/event-log.js';
import type { FirmwareRepository } from '../firmware/firmware-repository.js';
import type { CommandQueue } from '../queue/command-queue.js';
import type { Clock, DeviceId, JobCommand, JobRecord } from '../store/store.js';
import type { CampaignStore } from './campaign-store.js';
import type { CampaignDeviceRecord } from './campaign-types.js';

/** Where the campaign service logs (a pino logger fits). */
export interface CampaignLogger {
  info(msg: string): void;
  warn(msg: string): void;
  debug(msg: string): void;
}

/** A logger that drops everything. */
export const silentCampaignLogger: CampaignLogger = { info: () => {}, warn: () => {}, debug: () => {} };

/** Sends a Package 0 to a device (the server's NotificationService fits). */
export interface DeviceWaker {
  wake(deviceId: DeviceId): Promise<unknown>;
}

/** A job to queue for a campaign device. */
export interface CampaignJobRequest {
  readonly command: JobCommand;
  readonly priority: number;
  readonly correlator?: string;
  readonly expiresAt?: number | undefined;
}

/** Services and helpers shared by the campaign service and its runner. */
export interface CampaignContext {
  readonly store: CampaignStore;
  readonly queue: CommandQueue;
  readonly events: EventLog;
  readonly firmware: FirmwareRepository;
  readonly notifier: DeviceWaker | undefined;
  readonly clock: Clock;
  readonly random: (n: number) => Uint8Array;
  /** Base URL devices download packages from. */
  readonly publicUrl: () => string;
  readonly maxWakesPerAttempt: number;
  readonly log: CampaignLogger;
  /** Writes a device row with compare-and-set on its state, logs the move (unless quiet) and wakes the scheduler. */
  transition(row: CampaignDeviceRecord, next: CampaignDeviceRecord, opts?: { readonly quiet?: boolean }): Promise<boolean>;
  /** Queues jobs for a device in one transaction, in order. */
  enqueue(deviceId: DeviceId, jobs: readonly CampaignJobRequest[]): Promise<JobRecord[]>;
  /** Tracks work done outside the serial section (wakes). */
  background(task: Promise<unknown>): void;
}
