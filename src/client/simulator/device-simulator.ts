/**
 * One simulated device with a state directory: its tree (and pending alerts) are loaded from
 * `<stateDir>/<devId>.tree.json` and saved after every session and every installed provisioning
 * document, so nonces, accounts, server changes and undelivered FUMO results survive restarts,
 * like on a real handset. Interrupted firmware downloads keep their bytes in
 * `<stateDir>/partials`. A device opened without a server URL has no DM account and waits for a
 * Client Provisioning bootstrap.
 */
import { join } from 'node:path';
import type { Encoding } from '../../core/codec/message-codec.js';
import { DeviceAgent, type SessionReport } from '../agent/device-agent.js';
import { PendingAlertQueue } from '../agent/pending-alerts.js';
import type { ListenOptions, PushListener } from '../agent/push-listener.js';
import type { FailureProfile } from '../fumo/failure-profile.js';
import { FilePartialDownloadStore, MemoryPartialDownloadStore } from '../fumo/partial-download-store.js';
import { SimulatedFirmwareUpdater } from '../fumo/simulated-firmware-updater.js';
import type { FirmwareUpdater } from '../mo/fumo-updater.js';
import type { CpPushVerdict } from '../provisioning/cp-receiver.js';
import { createStandardTree } from '../mo/standard-tree.js';
import type { ManagementTree } from '../tree/management-tree.js';
import { FileTreeStore } from '../tree/tree-store.js';
import { silentLogger, type SessionLogger } from '../session/session-types.js';
import type { UiHandler } from '../session/ui-handler.js';
import type { Sleep } from '../transport/retry.js';
import type { DmTransport } from '../transport/transport.js';
import { defaultFleetProfile, deviceProfileFor, failureProfileOf, type FleetProfile } from './fleet-profile.js';
import { pinUiHandler, scriptedUiHandler } from './scripted-ui.js';

/** Options of {@link DeviceSimulator.open}. */
export interface DeviceSimulatorOptions {
  /** DM server of the profile's account; none = the device starts without an account (bootstrap it). */
  readonly serverUrl?: string;
  readonly transport: DmTransport;
  /** Fleet profile the device is device 0 of (default: the shipped profile). */
  readonly profile?: FleetProfile;
  readonly devId?: string;
  readonly username?: string;
  readonly password?: string;
  readonly serverPassword?: string;
  /** Directory for the persisted tree; none = nothing is saved. */
  readonly stateDir?: string;
  readonly encoding?: Encoding;
  readonly verDtd?: '1.1' | '1.2';
  readonly ui?: UiHandler;
  /** The SIM's IMSI, for NETWPIN / USERNETWPIN bootstrap documents. */
  readonly imsi?: string;
  /** The PIN the user types for USERPIN-type bootstrap documents (default: what `ui` answers). */
  readonly pin?: string;
  /** Sees each provisioning push (installed or refused). */
  readonly onProvisioning?: (verdict: CpPushVerdict) => void;
  /**
   * Firmware updater for FUMO. Default: a {@link SimulatedFirmwareUpdater} with partial downloads
   * in `<stateDir>/partials` (in memory without a state directory) and `failures`.
   */
  readonly updater?: FirmwareUpdater;
  /** Failure profile of the default updater (default: the fleet profile's `failureProfile`). */
  readonly failures?: FailureProfile;
  readonly sleep?: Sleep;
  readonly logger?: SessionLogger;
}

/** A single simulated device. */
export class DeviceSimulator {
  readonly agent: DeviceAgent;
  readonly tree: ManagementTree;
  readonly devId: string;
  readonly #store: FileTreeStore | undefined;
  readonly #alerts: PendingAlertQueue;
  readonly #log: SessionLogger;
  #saving: Promise<void> = Promise.resolve();

  private constructor(init: { agent: DeviceAgent; tree: ManagementTree; devId: string; store: FileTreeStore | undefined; alerts: PendingAlertQueue; log: SessionLogger }) {
    this.agent = init.agent;
    this.tree = init.tree;
    this.devId = init.devId;
    this.#store = init.store;
    this.#alerts = init.alerts;
    this.#log = init.log;
  }

  /** Builds the device, loading its saved state when there is one. */
  static async open(o: DeviceSimulatorOptions): Promise<DeviceSimulator> {
    const profile = o.profile ?? defaultFleetProfile();
    const withAccount = deviceProfileFor(profile, 0, o.serverUrl ?? '', {
      ...(o.devId !== undefined ? { devId: o.devId } : {}),
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.serverPassword !== undefined ? { serverPassword: o.serverPassword } : {}),
    });
    const deviceProfile = o.serverUrl === undefined ? { ...withAccount, accounts: [] } : withAccount;
    const store = o.stateDir === undefined ? undefined : new FileTreeStore({ directory: o.stateDir });
    const snapshot = await store?.load(deviceProfile.devId);
    const failures = o.failures ?? failureProfileOf(profile);
    const updater = o.updater ?? new SimulatedFirmwareUpdater({
      deviceId: deviceProfile.devId,
      partials: o.stateDir === undefined ? new MemoryPartialDownloadStore() : new FilePartialDownloadStore(join(o.stateDir, 'partials')),
      ...(failures !== undefined ? { failures } : {}),
    });
    const tree = createStandardTree(deviceProfile, { updater, ...(snapshot !== undefined ? { snapshot } : {}) });
    const log = o.logger ?? silentLogger;
    let agent: DeviceAgent | undefined;
    let self: DeviceSimulator | undefined;
    // A queued FUMO result starts a session to report it; every change is saved with the tree.
    const alerts = new PendingAlertQueue({
      initial: snapshot?.blob,
      onQueued: () => void agent?.startSession().then((r) => log.info(describeReport(r))).catch((err: unknown) => log.warn(String(err))),
      onChange: () => void self?.save(),
    });
    const ui = o.ui ?? scriptedUiHandler(profile.ui);
    agent = new DeviceAgent({
      tree, transport: o.transport, ui, alerts, logger: log,
      provisioning: {
        ...(o.imsi !== undefined ? { imsi: o.imsi } : {}),
        ...(o.pin !== undefined ? { ui: pinUiHandler(o.pin, ui) } : {}),
        // An installed document is saved at once: a bootstrap without INIT starts no session.
        onProvisioning: (v) => {
          if (v.accepted) void self?.save();
          o.onProvisioning?.(v);
        },
      },
      ...(o.encoding !== undefined ? { encoding: o.encoding } : {}),
      ...(o.verDtd !== undefined ? { verDtd: o.verDtd } : {}),
      ...(o.sleep !== undefined ? { sleep: o.sleep } : {}),
    });
    self = new DeviceSimulator({ agent, tree, devId: deviceProfile.devId, store, alerts, log });
    tree.setAlertSink(alerts);
    tree.resume();
    return self;
  }

  /** Runs one client-initiated session and saves the state. */
  async runSession(): Promise<SessionReport> {
    try {
      return await this.agent.startSession();
    } finally {
      await this.save();
    }
  }

  /** Handles a push (Package 0 or a provisioning document) and saves the state. */
  async handlePush(bytes: Uint8Array): Promise<Awaited<ReturnType<DeviceAgent['handlePush']>>> {
    try {
      return await this.agent.handlePush(bytes);
    } finally {
      await this.save();
    }
  }

  /** Listens for pushes (and checks in periodically); sessions and installed documents save the state. */
  listen(options: ListenOptions & { onSession?: (r: SessionReport) => void }): Promise<PushListener> {
    return this.agent.listen({
      ...options,
      onSession: (r) => {
        void this.save();
        options.onSession?.(r);
      },
    });
  }

  /** Writes the tree and pending alerts to the state directory (serialized, never concurrent). */
  save(): Promise<void> {
    const store = this.#store;
    if (store === undefined) return Promise.resolve();
    this.#saving = this.#saving.then(
      () => store.save(this.devId, this.tree.snapshot({ blob: this.#alerts.toJSON() })),
    ).catch((err: unknown) => this.#log.warn(`cannot save device state: ${(err as Error).message}`));
    return this.#saving;
  }
}

/** One line describing a finished session. */
export function describeReport(r: SessionReport): string {
  const what = `session ${r.sessionId || '-'} with ${r.serverId || 'server'} (DM ${r.verDtd})`;
  if (r.ok) return `${what}: ok, ${r.messagesSent} message${r.messagesSent === 1 ? '' : 's'} sent, ${r.commandsExecuted} command${r.commandsExecuted === 1 ? '' : 's'} run, ${Math.round(r.durationMs)} ms`;
  return `${what} failed: ${r.reason ?? r.end}`;
}
