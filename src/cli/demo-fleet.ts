/**
 * `omadm serve --demo N`: registers N simulated devices in the server and runs them in-process
 * against its DM endpoint, so a new user sees devices check in and can queue commands at once.
 * Each device listens for Package 0 on a UDP loopback port registered as its push address, so
 * `omadm wake` (and `--wake`) reaches it. Lives in cli/ because it is the one layer allowed to
 * compose client and server.
 */
import { deviceId } from '../server/store/store.js';
import type { DmServer } from '../server/create-server.js';
import { describeReport } from '../client/simulator/device-simulator.js';
import type { DeviceProfile } from '../client/mo/standard-tree.js';
import { defaultFleetProfile, deviceProfileFor } from '../client/simulator/fleet-profile.js';
import { FleetSimulator, type FleetListener } from '../client/simulator/fleet-simulator.js';
import { HttpTransport } from '../client/transport/http-transport.js';

/** How often demo devices check in on their own; queued commands reach them within this time. */
export const DEMO_CHECK_IN_MS = 15_000;

/** Where demo devices listen for Package 0 (ports are picked at each start). */
const DEMO_PUSH_HOST = '127.0.0.1';

/** Registers and starts the demo fleet; returns a function that stops it. */
export async function startDemoFleet(server: DmServer, count: number, out: NodeJS.WritableStream = process.stdout): Promise<() => Promise<void>> {
  const base = server.url;
  if (base === undefined) throw new Error('the server is not listening');
  const dmUrl = `${base}/dm`;
  const profile = defaultFleetProfile();
  const transport = new HttpTransport({});
  const fleet = new FleetSimulator({ serverUrl: dmUrl, count, profile, transport });
  const devices = Array.from({ length: count }, (_, n) => deviceProfileFor(profile, n, dmUrl));
  const ids = devices.map((d) => d.devId);
  let listener: FleetListener | undefined;
  try {
    listener = await fleet.listen({
      host: DEMO_PUSH_HOST,
      onSession: (n, r) => out.write(`demo fleet: ${ids[n] ?? `device ${n}`} woken by Package 0: ${describeReport(r)}\n`),
    });
  } catch (err) {
    // E.g. too many sockets for a huge --demo: the fleet still checks in, it just cannot be woken.
    out.write(`demo fleet: cannot listen for Package 0 (${(err as Error).message}); devices only check in\n`);
  }
  try {
    await registerDemoDevices(server, devices, listener?.ports);
  } catch (err) {
    await listener?.close();
    throw err;
  }
  const first = await fleet.runRound();
  out.write(`demo fleet: ${first.ok}/${first.total} devices checked in (p50 ${first.p50Ms.toFixed(1)} ms)` +
    `${first.failed ? `, ${first.failed} failed: ${first.failures.map((f) => f.reason).join('; ')}` : ''}\n`);
  out.write(`demo fleet: devices check in every ${DEMO_CHECK_IN_MS / 1000} s` +
    `${listener ? ` and wake on Package 0, e.g. omadm wake ${ids[0] ?? ''}` : `; e.g. ${ids[0] ?? ''}`}\n`);
  const stopCheckIns = fleet.startCheckIns({ intervalMs: DEMO_CHECK_IN_MS });
  return async () => {
    await stopCheckIns();
    await listener?.close();
  };
}

/**
 * Registers the demo devices with their push address, UDP port `ports[n]` on loopback (none
 * without `ports`); devices kept from an earlier run get this run's address.
 */
async function registerDemoDevices(server: DmServer, devices: readonly DeviceProfile[], ports: readonly number[] | undefined): Promise<void> {
  for (const [n, p] of devices.entries()) {
    const account = p.accounts[0];
    if (!account) continue;
    const id = deviceId(p.devId);
    const port = ports?.[n];
    const pushAddress = port === undefined ? undefined : { type: 'udp' as const, host: DEMO_PUSH_HOST, port };
    if (await server.registry.get(id)) {
      // The ports change at every start; a stale one would swallow the wake.
      await server.registry.update(id, { pushAddress: pushAddress ?? null });
      continue;
    }
    await server.registry.register({
      id,
      client: { username: account.clientName, password: account.clientSecret, authType: 'md5' },
      server: { serverId: account.serverId, serverPassword: account.serverSecret },
      ...(pushAddress !== undefined ? { pushAddress } : {}),
    });
    // A fleet device starts with an empty ServerNonce (nothing was provisioned); agree with it so the
    // server's first credential verifies. Later sessions rotate it through Chal/NextNonce.
    await server.registry.storeServerNonce(id, new Uint8Array(0));
  }
}
