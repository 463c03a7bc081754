/**
 * `omadm serve --demo N`: registers N simulated devices in the server and runs them in-process
 * against its DM endpoint, so a new user sees devices check in and can queue commands at once.
 * Lives in cli/ because it is the one layer allowed to compose client and server.
 */
import { deviceId } from '../server/store/store.js';
import type { DmServer } from '../server/create-server.js';
import { defaultFleetProfile, deviceProfileFor } from '../client/simulator/fleet-profile.js';
import { FleetSimulator } from '../client/simulator/fleet-simulator.js';
import { HttpTransport } from '../client/transport/http-transport.js';

/** How often demo devices check in on their own; queued commands reach them within this time. */
export const DEMO_CHECK_IN_MS = 15_000;

/** Registers and starts the demo fleet; returns a function that stops it. */
export async function startDemoFleet(server: DmServer, count: number, out: NodeJS.WritableStream = process.stdout): Promise<() => Promise<void>> {
  const base = server.url;
  if (base === undefined) throw new Error('the server is not listening');
  const dmUrl = `${base}/dm`;
  const profile = defaultFleetProfile();
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const p = deviceProfileFor(profile, n, dmUrl);
    const account = p.accounts[0];
    if (!account) continue;
    ids.push(p.devId);
    const existing = await server.registry.get(deviceId(p.devId));
    if (existing) continue;
    await server.registry.register({
      id: deviceId(p.devId),
      client: { username: account.clientName, password: account.clientSecret, authType: 'md5' },
      server: { serverId: account.serverId, serverPassword: account.serverSecret },
    });
    // A fleet device starts with an empty ServerNonce (nothing was provisioned); agree with it so the
    // server's first credential verifies. Later sessions rotate it through Chal/NextNonce.
    await server.registry.storeServerNonce(deviceId(p.devId), new Uint8Array(0));
  }
  const transport = new HttpTransport({});
  const fleet = new FleetSimulator({ serverUrl: dmUrl, count, profile, transport });
  const first = await fleet.runRound();
  out.write(`demo fleet: ${first.ok}/${first.total} devices checked in (p50 ${first.p50Ms.toFixed(1)} ms)` +
    `${first.failed ? `, ${first.failed} failed: ${first.failures.map((f) => f.reason).join('; ')}` : ''}\n`);
  out.write(`demo fleet: devices check in every ${DEMO_CHECK_IN_MS / 1000} s; e.g. ${ids[0] ?? ''}\n`);
  const stop = fleet.startCheckIns({ intervalMs: DEMO_CHECK_IN_MS });
  return stop;
}
