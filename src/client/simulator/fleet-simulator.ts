/**
 * Many simulated devices in one process. Every device is a standard management tree built from
 * the fleet profile; trees of the same model share one template (copy-on-write), and a device
 * holds nothing else while idle — no agent, session or timer, and at most the UDP socket of
 * {@link FleetSimulator.listen} — so tens of thousands fit in memory. A device gets an agent only
 * while a session or push uses it. Sessions run through one shared keep-alive transport with
 * bounded concurrency.
 */
import type { Encoding } from '../../core/codec/message-codec.js';
import { ConfigError, ErrorCode } from '../../core/errors.js';
import { DeviceAgent, type AgentPushVerdict, type SessionReport } from '../agent/device-agent.js';
import { PendingAlertQueue } from '../agent/pending-alerts.js';
import { listenForPush, type PushListener } from '../agent/push-listener.js';
import type { FailureProfile } from '../fumo/failure-profile.js';
import { SimulatedFirmwareUpdater } from '../fumo/simulated-firmware-updater.js';
import type { FirmwareUpdater } from '../mo/fumo-updater.js';
import { TreeTemplateCache, createStandardTree } from '../mo/standard-tree.js';
import type { ManagementTree } from '../tree/management-tree.js';
import type { SessionLogger } from '../session/session-types.js';
import type { UiHandler } from '../session/ui-handler.js';
import type { Sleep } from '../transport/retry.js';
import type { DmTransport } from '../transport/transport.js';
import { deviceProfileFor, failureProfileOf, type FleetProfile } from './fleet-profile.js';
import { scriptedUiHandler } from './scripted-ui.js';
import { summarize, type FleetSummary } from './fleet-summary.js';

/** Options of a {@link FleetSimulator}. */
export interface FleetSimulatorOptions {
  readonly serverUrl: string;
  readonly count: number;
  readonly profile: FleetProfile;
  readonly transport: DmTransport;
  /** Sessions running at once (default 50). */
  readonly concurrency?: number;
  readonly encoding?: Encoding;
  readonly verDtd?: '1.1' | '1.2';
  /** Simulated users (default: the profile's UI script). */
  readonly ui?: UiHandler;
  /**
   * Firmware updater for FUMO, shared by every device (it is told the device on each call).
   * Default: one {@link SimulatedFirmwareUpdater} with in-memory partial downloads and `failures`.
   */
  readonly updater?: FirmwareUpdater;
  /** Failure profile of the default updater (default: the fleet profile's `failureProfile`). */
  readonly failures?: FailureProfile;
  readonly sleep?: Sleep;
  readonly clock?: () => number;
  readonly logger?: SessionLogger;
}

/** Progress of a round of sessions. */
export interface FleetProgress {
  readonly done: number;
  readonly ok: number;
  readonly failed: number;
  readonly total: number;
}

/** Options of {@link FleetSimulator.listen}. */
export interface FleetListenOptions {
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string;
  /** Device `n` listens on `basePort + n`; 0 (default) = any free port for each device. */
  readonly basePort?: number;
  /** Sees each session a push started, with the device's index. */
  readonly onSession?: (n: number, report: SessionReport) => void;
}

/** The fleet's running Package 0 listeners. */
export interface FleetListener {
  readonly host: string;
  /** The bound UDP port of each device, by device index. */
  readonly ports: readonly number[];
  close(): Promise<void>;
}

/** What a push to one device of the fleet did (like {@link DeviceAgent.acceptPush}). */
export type FleetPushVerdict = AgentPushVerdict & { readonly sessions: readonly Promise<SessionReport>[] };

/** The agent of a device that has a session running or waiting, or a push being judged. */
interface LiveDevice {
  readonly agent: DeviceAgent;
  readonly alerts: PendingAlertQueue;
  /** Sessions and pushes holding the agent; the device drops it at 0. */
  users: number;
}

/** Highest UDP port number. */
const MAX_PORT = 65_535;

/** A fleet of simulated devices. */
export class FleetSimulator {
  readonly #o: FleetSimulatorOptions;
  readonly #cache = new TreeTemplateCache();
  readonly #ui: UiHandler;
  readonly #updater: FirmwareUpdater;
  readonly #trees: Array<ManagementTree | undefined>;
  /** Undelivered alerts of devices whose last session failed (sparse). */
  readonly #pending = new Map<number, unknown>();
  /**
   * Agents of busy devices (sparse). Sessions and pushes of one device share its agent, whose
   * sessions never overlap, so a Package 0 arriving during a check-in runs after it.
   */
  readonly #live = new Map<number, LiveDevice>();

  constructor(options: FleetSimulatorOptions) {
    if (!Number.isInteger(options.count) || options.count < 1) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `device count must be a positive integer, not ${options.count}`);
    this.#o = options;
    this.#ui = options.ui ?? scriptedUiHandler(options.profile.ui);
    const failures = options.failures ?? failureProfileOf(options.profile);
    this.#updater = options.updater ?? new SimulatedFirmwareUpdater(failures !== undefined ? { failures } : {});
    this.#trees = new Array<ManagementTree | undefined>(options.count);
  }

  /** Number of devices. */
  get size(): number {
    return this.#trees.length;
  }

  /** Number of distinct tree templates (one per model / firmware / account shape). */
  get templates(): number {
    return this.#cache.size;
  }

  /** Device `n`'s tree, built on first use. */
  device(n: number): ManagementTree {
    let tree = this.#trees[n];
    if (tree === undefined) {
      tree = createStandardTree(deviceProfileFor(this.#o.profile, n, this.#o.serverUrl), {
        cache: this.#cache,
        updater: this.#updater,
      });
      this.#trees[n] = tree;
    }
    return tree;
  }

  /** Builds every device's tree now (otherwise they are built by their first session). */
  populate(): void {
    for (let n = 0; n < this.#trees.length; n++) this.device(n);
  }

  /** Runs one client-initiated session on device `n` (after any session of it already running). */
  async session(n: number): Promise<SessionReport> {
    const live = this.#acquire(n);
    try {
      return await live.agent.startSession();
    } finally {
      this.#release(n, live);
    }
  }

  /**
   * Handles a push to device `n` as {@link DeviceAgent.acceptPush} does (verifies a Package 0's
   * digest with the device's server credentials and nonce, or installs a provisioning document)
   * and resolves once it is judged; the sessions it asks for run on, after any session of the
   * device already running.
   */
  async acceptPush(n: number, bytes: Uint8Array): Promise<FleetPushVerdict> {
    const live = this.#acquire(n);
    let verdict: FleetPushVerdict;
    try {
      verdict = await live.agent.acceptPush(bytes);
    } catch (err) {
      this.#release(n, live);
      throw err;
    }
    void Promise.allSettled(verdict.sessions).then(() => this.#release(n, live));
    return verdict;
  }

  /**
   * Listens for Package 0 on one UDP socket per device (standing in for SMS / WAP push, like a
   * single device's `listen`), so the server can wake the devices through their `udp` push
   * address. Sockets are bound in device order; if one cannot be bound, the ones already bound
   * are closed and the error is thrown.
   */
  async listen(options: FleetListenOptions = {}): Promise<FleetListener> {
    const host = options.host ?? '127.0.0.1';
    const base = options.basePort ?? 0;
    if (!Number.isInteger(base) || base < 0 || (base > 0 && base + this.size - 1 > MAX_PORT)) {
      throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `base port ${base} leaves no room for ${this.size} devices below ${MAX_PORT + 1}`);
    }
    const warn = (what: string, err: unknown): void => this.#o.logger?.warn(`${what}: ${(err as Error).message}`);
    const listeners: PushListener[] = [];
    const close = async (): Promise<void> => {
      await Promise.all(listeners.splice(0).map((l) => l.close()));
    };
    try {
      for (let n = 0; n < this.size; n++) {
        listeners.push(await listenForPush({
          handlePush: async (bytes) => {
            const v = await this.acceptPush(n, bytes);
            for (const s of v.sessions) void s.then((r) => options.onSession?.(n, r)).catch((err: unknown) => warn(`session of device ${n} failed`, err));
            return v.accepted ? { accepted: true } : { accepted: false, reason: v.reason };
          },
          // Unused: no check-in timer per device; the fleet checks in by rounds (startCheckIns).
          checkIn: () => this.session(n),
          onError: (err) => warn(`push listener of device ${n}`, err),
        }, { udpPort: base === 0 ? 0 : base + n, host }));
      }
    } catch (err) {
      await close();
      throw err;
    }
    return { host, ports: listeners.map((l) => l.port), close };
  }

  /** Device `n`'s agent, made when the device was idle; alerts its tree raised since join its queue. */
  #acquire(n: number): LiveDevice {
    const tree = this.device(n);
    let live = this.#live.get(n);
    if (live === undefined) {
      const alerts = new PendingAlertQueue({ initial: this.#pending.get(n) });
      live = { agent: this.#agent(tree, alerts), alerts, users: 0 };
      this.#live.set(n, live);
    }
    for (const a of tree.takeAlerts()) live.alerts.queueGenericAlert(a);
    live.users++;
    return live;
  }

  /** The last user of a device's agent drops it, keeping only the undelivered alerts. */
  #release(n: number, live: LiveDevice): void {
    if (--live.users > 0) return;
    this.#live.delete(n);
    if (live.alerts.size > 0) this.#pending.set(n, live.alerts.toJSON());
    else this.#pending.delete(n);
  }

  #agent(tree: ManagementTree, alerts: PendingAlertQueue): DeviceAgent {
    const o = this.#o;
    return new DeviceAgent({
      tree, transport: o.transport, ui: this.#ui, alerts,
      ...(o.encoding !== undefined ? { encoding: o.encoding } : {}),
      ...(o.verDtd !== undefined ? { verDtd: o.verDtd } : {}),
      ...(o.sleep !== undefined ? { sleep: o.sleep } : {}),
      ...(o.clock !== undefined ? { clock: o.clock } : {}),
      ...(o.logger !== undefined ? { logger: o.logger } : {}),
    });
  }

  /**
   * Waits until the background work of every built device (FUMO downloads and installs started in
   * the last round) has finished, and returns the devices that hold results not yet delivered:
   * a round over them (`runRound({ devices })`) reports them to the server.
   */
  async settle(): Promise<number[]> {
    const waiting: number[] = [];
    for (let n = 0; n < this.#trees.length; n++) {
      const tree = this.#trees[n];
      if (tree === undefined) continue;
      await tree.whenIdle();
      const alerts = tree.takeAlerts();
      // A busy device (woken meanwhile) keeps its alerts in its agent's queue until it is idle.
      const live = this.#live.get(n);
      if (live !== undefined) {
        for (const a of alerts) live.alerts.queueGenericAlert(a);
        if (live.alerts.size > 0) waiting.push(n);
        continue;
      }
      if (alerts.length > 0) {
        const queue = new PendingAlertQueue({ initial: this.#pending.get(n) });
        for (const a of alerts) queue.queueGenericAlert(a);
        this.#pending.set(n, queue.toJSON());
      }
      if (this.#pending.has(n)) waiting.push(n);
    }
    return waiting;
  }

  /**
   * Runs a round now and then every `intervalMs` (rounds never overlap), with one timer for the
   * whole fleet — idle devices own none. Returns a function that stops after the current round.
   */
  startCheckIns(options: { intervalMs: number; onRound?: (s: FleetSummary) => void }): () => Promise<void> {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let current: Promise<unknown> = Promise.resolve();
    const round = (): void => {
      current = this.runRound().then((s) => options.onRound?.(s)).catch((err: unknown) => this.#o.logger?.warn(`check-in round failed: ${(err as Error).message}`))
        .finally(() => {
          if (!stopped) timer = setTimeout(round, options.intervalMs);
        });
    };
    round();
    return async () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await current;
    };
  }

  /** One session per device (or per device in `devices`), `concurrency` at a time. */
  async runRound(options: { devices?: readonly number[]; onProgress?: (p: FleetProgress) => void } = {}): Promise<FleetSummary> {
    const ids = options.devices ?? Array.from({ length: this.#trees.length }, (_, i) => i);
    const clock = this.#o.clock ?? Date.now;
    const started = clock();
    const reports: SessionReport[] = [];
    let next = 0;
    let ok = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const n = ids[next++] as number;
        let report: SessionReport;
        try {
          report = await this.session(n);
        } catch (err) {
          report = { ok: false, end: 'protocol-error', reason: (err as Error).message, serverId: '', sessionId: '', verDtd: '1.2', messagesSent: 0, commandsExecuted: 0, durationMs: 0 };
        }
        reports.push(report);
        if (report.ok) ok++;
        options.onProgress?.({ done: reports.length, ok, failed: reports.length - ok, total: ids.length });
      }
    };
    const k = Math.max(1, Math.min(this.#o.concurrency ?? 50, ids.length));
    await Promise.all(Array.from({ length: k }, worker));
    return summarize(reports, clock() - started);
  }
}
