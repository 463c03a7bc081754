/**
 * One simulated device with a state directory: its tree (and pending alerts) are loaded from
 * `<stateDir>/<devId>.tree.json` and saved after every session, so nonces, server changes and
 * undelivered FUMO results survive restarts, like on a real handset.
 */
import type { Encoding } from '../../core/codec/message-codec.js';
import { DeviceAgent, type SessionReport } from '../agent/device-agent.js';
import { PendingAlertQueue } from '../agent/pending-alerts.js';
import type { ListenOptions, PushListener } from '../agent/push-listener.js';
import type { FirmwareUpdater } from '../mo/fumo-updater.js';
import { createStandardTree } from '../mo/standard-tree.js';
import type { ManagementTree } from '../tree/management-tree.js';
import { FileTreeStore } from '../tree/tree-store.js';
import { silentLogger, type SessionLogger } from '../session/session-types.js';
import type { UiHandler } from '../session/ui-handler.js';
import type { Sleep } from '../transport/retry.js';
import type { DmTransport } from '../transport/transport.js';
import { defaultFleetProfile, deviceProfileFor, type FleetProfile } from './fleet-profile.js';
import { scriptedUiHandler } from './scripted-ui.js';

/** Options of {@link DeviceSimulator.open}. */
export interface DeviceSimulatorOptions {
  readonly serverUrl: string;
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
  readonly updater?: FirmwareUpdater;
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
    const deviceProfile = deviceProfileFor(profile, 0, o.serverUrl, {
      ...(o.devId !== undefined ? { devId: o.devId } : {}),
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.serverPassword !== undefined ? { serverPassword: o.serverPassword } : {}),
    });
    const store = o.stateDir === undefined ? undefined : new FileTreeStore({ directory: o.stateDir });
    const snapshot = await store?.load(deviceProfile.devId);
    const tree = createStandardTree(deviceProfile, {
      ...(snapshot !== undefined ? { snapshot } : {}),
      ...(o.updater !== undefined ? { updater: o.updater } : {}),
    });
    const log = o.logger ?? silentLogger;
    let agent: DeviceAgent | undefined;
    let self: DeviceSimulator | undefined;
    // A queued FUMO result starts a session to report it; every change is saved with the tree.
    const alerts = new PendingAlertQueue({
      initial: snapshot?.blob,
      onQueued: () => void agent?.startSession().then((r) => log.info(describeReport(r))).catch((err: unknown) => log.warn(String(err))),
      onChange: () => void self?.save(),
    });
    agent = new DeviceAgent({
      tree, transport: o.transport, ui: o.ui ?? scriptedUiHandler(profile.ui), alerts, logger: log,
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

  /** Handles a Package 0 and saves the state. */
  async handlePush(bytes: Uint8Array): Promise<Awaited<ReturnType<DeviceAgent['handlePush']>>> {
    try {
      return await this.agent.handlePush(bytes);
    } finally {
      await this.save();
    }
  }

  /** Listens for Package 0 (and checks in periodically); sessions save the state. */
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
