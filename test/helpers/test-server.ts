/**
 * Starts a real DM server on 127.0.0.1, port 0, with an in-memory SQLite store (or a given DB
 * file) and silent logs, for server tests.
 */
import { pino } from 'pino';
import { resolveConfig, type ServerConfigInput } from '../../src/server/config.js';
import { createServer, type CreateServerOptions, type DmServer } from '../../src/server/create-server.js';
import { deviceId } from '../../src/server/store/store.js';
import type { Clock } from '../../src/server/store/store.js';

/** A running test server. */
export interface TestServer {
  readonly server: DmServer;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** DM endpoint URL. */
  readonly dmUrl: string;
  /** Admin API token. */
  readonly token: string;
  close(): Promise<void>;
}

/** Starts a server; `config` overrides the test defaults (port 0, :memory:, silent). */
export async function startTestServer(config: ServerConfigInput = {}, extra: Partial<Omit<CreateServerOptions, 'config'>> & { clock?: Clock } = {}): Promise<TestServer> {
  const cfg = resolveConfig({ port: 0, host: '127.0.0.1', db: ':memory:', logLevel: 'silent', auth: { defaultServerPassword: 'server-secret' } }, config);
  const server = await createServer({ config: cfg, logger: pino({ level: process.env['OMADM_TEST_LOG'] ?? 'silent' }), ...extra });
  const url = await server.listen();
  return { server, url, dmUrl: `${url}/dm`, token: server.adminToken ?? '', close: () => server.close() };
}

/** Registers a device with client and server credentials. */
export async function addDevice(
  server: DmServer,
  opts: { id: string; authType?: 'md5' | 'hmac' | 'basic'; username?: string; password?: string; serverId?: string; serverPassword?: string },
): Promise<void> {
  await server.registry.register({
    id: deviceId(opts.id),
    client: { username: opts.username ?? opts.id, password: opts.password ?? 'device-secret', authType: opts.authType ?? 'md5' },
    server: { serverId: opts.serverId ?? 'omadm', serverPassword: opts.serverPassword ?? 'server-secret' },
  });
}
