/**
 * A fleet of simulated FUMO devices for the end-to-end tests and the campaign benchmark: each
 * device is a standard management tree with a DeviceAgent; all share one template and one
 * SimulatedFirmwareUpdater, which the FUMO plug-in tells the device behind each download and
 * install. Package 0 arrives through one HTTP "SMS gateway" (the server's
 * HttpWebhookPushTransport posts with `X-Omadm-Device-Id`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeviceAgent, type SessionReport } from '../../src/client/agent/device-agent.js';
import { treeAccountSource } from '../../src/client/agent/tree-accounts.js';
import { FailureProfile } from '../../src/client/fumo/failure-profile.js';
import type { PartialDownloadStore } from '../../src/client/fumo/partial-download-store.js';
import { SimulatedFirmwareUpdater } from '../../src/client/fumo/simulated-firmware-updater.js';
import { TreeTemplateCache, createStandardTree, type DeviceProfile } from '../../src/client/mo/standard-tree.js';
import { HttpTransport } from '../../src/client/transport/http-transport.js';
import type { ManagementTree } from '../../src/client/tree/management-tree.js';

/** Options of {@link FumoFleet}. */
export interface FumoFleetOptions {
  readonly count: number;
  readonly failures?: FailureProfile;
  readonly partials?: PartialDownloadStore;
  /** fetch of the package downloads (tests record requests with it). */
  readonly fetch?: typeof fetch;
  /** Device model (DevInfo/Mod), default `SIM-1`. */
  readonly model?: string;
  /** Starting firmware, default `1.0`. */
  readonly fwV?: string;
  /** Connection retries of the device's account (default 8, first back-off 250 ms). */
  readonly connRetryFreq?: number;
  readonly initialBackOffMs?: number;
  /** Id prefix (default `IMEI:35` + 13 digits). */
  readonly idOf?: (n: number) => string;
}

interface Device {
  readonly id: string;
  readonly tree: ManagementTree;
  readonly agent: DeviceAgent;
}

/** Credentials of device `id`: what the server registers. */
export function fleetCredentials(id: string): { username: string; password: string; serverId: string; serverPassword: string } {
  return { username: id, password: `pw-${id}`, serverId: 'omadm', serverPassword: 'server-secret' };
}

/** The simulated fleet. */
export class FumoFleet {
  readonly ids: readonly string[];
  readonly updater: SimulatedFirmwareUpdater;
  readonly transport = new HttpTransport({ timeoutMs: 30_000, maxSockets: 64 });
  /** Every session report, in completion order. */
  readonly reports: SessionReport[] = [];
  readonly #o: FumoFleetOptions;
  readonly #devices = new Map<string, Device>();
  readonly #cache = new TreeTemplateCache();
  #gateway: Server | undefined;
  #gatewayUrl = '';
  pushes = 0;

  constructor(options: FumoFleetOptions) {
    this.#o = options;
    const idOf = options.idOf ?? ((n: number) => `IMEI:35${String(n).padStart(13, '0')}`);
    this.ids = Array.from({ length: options.count }, (_, n) => idOf(n));
    this.updater = new SimulatedFirmwareUpdater({
      failures: options.failures ?? FailureProfile.none(), retries: 1, retryDelayMs: 50, timeoutMs: 30_000,
      ...(options.partials !== undefined ? { partials: options.partials } : {}),
      ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
    });
  }

  /** Builds the devices, with a DM account for the server at `dmUrl` (after {@link start}: the server needs the gateway URL first). */
  connect(dmUrl: string): void {
    for (const id of this.ids) this.#devices.set(id, this.#build(id, dmUrl));
  }

  /** URL of the SMS gateway the server pushes Package 0 to. */
  get gatewayUrl(): string {
    return this.#gatewayUrl;
  }

  /** Starts the gateway. */
  async start(): Promise<void> {
    this.#gateway = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = String(req.headers['x-omadm-device-id'] ?? '');
        const device = this.#devices.get(id);
        res.writeHead(device ? 202 : 404).end();
        if (!device) return;
        this.pushes++;
        void device.agent.handlePush(new Uint8Array(Buffer.concat(chunks)))
          .then((v) => v.report && this.reports.push(v.report))
          .catch(() => undefined);
      });
    });
    await new Promise<void>((resolve) => this.#gateway?.listen(0, '127.0.0.1', resolve));
    this.#gatewayUrl = `http://127.0.0.1:${(this.#gateway.address() as AddressInfo).port}/push`;
  }

  /** One client-initiated session per device (`concurrency` at a time): the server learns DevInfo. */
  async checkIn(ids: readonly string[] = this.ids, concurrency = 32): Promise<SessionReport[]> {
    const out: SessionReport[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        const device = this.#devices.get(id);
        if (device) out.push(await device.agent.startSession());
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
    return out;
  }

  /** DevDetail/FwV of a device. */
  fwV(id: string): string | undefined {
    return this.#devices.get(id)?.tree.readValue('./DevDetail/FwV');
  }

  /** FUMO State of a device's package node. */
  fumoState(id: string, node: string): string | undefined {
    return this.#devices.get(id)?.tree.readValue(`./FwUpdate/${node}/State`);
  }

  /** Pending (undelivered) alerts of a device. */
  pendingAlerts(id: string): number {
    return this.#devices.get(id)?.agent.alerts.size ?? 0;
  }

  /** Waits until background work (downloads, installs) of every device is done. */
  async idle(): Promise<void> {
    await Promise.all([...this.#devices.values()].map((d) => d.tree.whenIdle()));
  }

  async close(): Promise<void> {
    this.transport.close();
    await new Promise<void>((resolve) => (this.#gateway ? this.#gateway.close(() => resolve()) : resolve()));
  }

  #build(id: string, dmUrl: string): Device {
    const o = this.#o;
    const creds = fleetCredentials(id);
    const profile: DeviceProfile = {
      devId: id, man: 'Simulated', mod: o.model ?? 'SIM-1', dmV: '1.2', lang: 'en-US', fwV: o.fwV ?? '1.0', swV: o.fwV ?? '1.0',
      hwV: '1.0', oem: 'Simulated', devTyp: 'phone',
      accounts: [{
        serverId: creds.serverId, addr: dmUrl, layout: '1.2', authPref: 'DIGEST', clientName: creds.username,
        clientSecret: creds.password, serverSecret: creds.serverPassword,
        retry: { connRetryFreq: o.connRetryFreq ?? 8, initialBackOffMs: o.initialBackOffMs ?? 250, maxBackOffMs: 4000 },
      }],
    };
    const tree = createStandardTree(profile, { cache: this.#cache, updater: this.updater });
    const agent = new DeviceAgent({ tree, accounts: treeAccountSource(tree), transport: this.transport });
    // Alerts (FUMO results) start a delivery session.
    tree.setAlertSink(agent.alerts);
    return { id, tree, agent };
  }
}
