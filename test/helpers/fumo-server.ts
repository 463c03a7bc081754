/**
 * A real DM server — createServer's own wiring, with the FUMO module mounted (firmware download
 * routes, firmware and campaign API behind the admin token) — pushing Package 0 to an HTTP "SMS
 * gateway". Used in-process by the FUMO end-to-end tests and as a child process
 * (fumo-server-entry.ts) by the kill-and-restart test and the benchmark.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FumoModule } from '../../src/server/campaign/fumo-module.js';
import { resolveConfig } from '../../src/server/config.js';
import { createServer, type DmServer } from '../../src/server/create-server.js';
import { HttpWebhookPushTransport } from '../../src/server/notify/http-webhook-push-transport.js';
import { deviceId } from '../../src/server/store/store.js';
import { fleetCredentials } from './fumo-fleet.js';

/** A running server with FUMO. */
export interface FumoServer {
  readonly server: DmServer;
  readonly fumo: FumoModule;
  readonly url: string;
  readonly dmUrl: string;
  /** Admin API token (`Authorization: Bearer …`). */
  readonly token: string;
  close(): Promise<void>;
}

/** Options of {@link startFumoServer}. */
export interface FumoServerOptions {
  readonly gatewayUrl: string;
  /** Core database file (default: a temporary directory); the FUMO database is `<db>.fumo`. */
  readonly db?: string;
  readonly port?: number;
  readonly tickIntervalMs?: number;
  readonly logLevel?: string;
  /** Registers extra routes before the server listens. */
  readonly beforeListen?: (app: DmServer['app']) => void;
}

/** Starts the server (which resumes campaigns once it listens). */
export async function startFumoServer(o: FumoServerOptions): Promise<FumoServer> {
  const db = o.db ?? join(mkdtempSync(join(tmpdir(), 'omadm-fumo-e2e-')), 'omadm.db');
  const cfg = resolveConfig({
    port: o.port ?? 0, host: '127.0.0.1', db, logLevel: 'silent',
    auth: { defaultServerPassword: 'server-secret' },
    session: { idleTimeoutMs: 30_000 },
  });
  const logger = pino({ level: o.logLevel ?? process.env['OMADM_TEST_LOG'] ?? 'silent' });
  const server = await createServer({
    config: cfg, logger,
    transports: { sms: new HttpWebhookPushTransport({ url: o.gatewayUrl, attempts: 3, backoffMs: 100, timeoutMs: 5000 }) },
    fumo: { tickIntervalMs: o.tickIntervalMs ?? 200 },
  });
  o.beforeListen?.(server.app);
  const url = await server.listen();
  return {
    server, fumo: server.fumo, url, dmUrl: `${url}/dm`, token: server.adminToken ?? '',
    close: () => server.close(),
  };
}

/** Registers fleet devices (credentials of {@link fleetCredentials}, push through the gateway). */
export async function registerFleet(server: DmServer, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const c = fleetCredentials(id);
    await server.registry.register({
      id: deviceId(id), pushAddress: { type: 'sms', msisdn: id },
      client: { username: c.username, password: c.password, authType: 'md5' },
      server: { serverId: c.serverId, serverPassword: c.serverPassword },
    });
  }
}
