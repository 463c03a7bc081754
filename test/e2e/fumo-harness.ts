/** Shared set-up of the FUMO end-to-end tests: a fleet and an in-process server that know each other. */
import type { CampaignService } from '../../src/server/campaign/campaign-service.js';
import type { CampaignStatus } from '../../src/server/campaign/campaign-status.js';
import { FumoFleet, type FumoFleetOptions } from '../helpers/fumo-fleet.js';
import { type FumoServer, registerFleet, startFumoServer } from '../helpers/fumo-server.js';

/** A fleet, its server, and how to stop both. */
export interface FumoRig {
  readonly fleet: FumoFleet;
  readonly srv: FumoServer;
  close(): Promise<void>;
}

/** Starts the gateway, the server, the devices; registers them and runs one check-in each. */
export async function startRig(fleetOptions: FumoFleetOptions): Promise<FumoRig> {
  const fleet = new FumoFleet(fleetOptions);
  await fleet.start();
  const srv = await startFumoServer({ gatewayUrl: fleet.gatewayUrl });
  fleet.connect(srv.dmUrl);
  await registerFleet(srv.server, fleet.ids);
  const checkins = await fleet.checkIn();
  const bad = checkins.find((r) => !r.ok);
  if (bad) throw new Error(`check-in failed: ${JSON.stringify(bad)}`);
  return {
    fleet, srv,
    async close() {
      await srv.close();
      await fleet.idle();
      await fleet.close();
    },
  };
}

/** Polls until the campaign is completed or cancelled; fails after `ms`. */
export async function waitForCampaign(svc: Pick<CampaignService, 'status'>, id: string, ms = 60_000): Promise<CampaignStatus> {
  const until = Date.now() + ms;
  for (;;) {
    const s = await svc.status(id);
    if (s.campaign.state === 'completed' || s.campaign.state === 'cancelled') return s;
    if (Date.now() > until) throw new Error(`campaign ${id} not done after ${ms} ms: ${JSON.stringify(s.byState)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
