/**
 * `omadm serve`: runs the DM server (DM endpoint, REST API, metrics) until SIGINT/SIGTERM.
 * Also registers the operator commands (operator.ts) so main.ts needs one call.
 */
import type { Command } from 'commander';
import { ConfigError, ErrorCode } from '../../core/errors.js';
import { loadConfigFile, resolveConfig, type ServerConfigInput } from '../../server/config.js';
import { createServer, type DmServer } from '../../server/create-server.js';
import { serverInfoPath } from '../../server/api/api-tokens.js';
import { registerOperatorCommands } from './operator.js';

/** Extension points the lead wires in main.ts. */
export interface ServeHooks {
  /**
   * Starts `count` simulated devices against the running server (`--demo N`) and returns a
   * function that stops them. Without it, `--demo` only prints that the fleet is unavailable.
   */
  readonly startDemo?: (server: DmServer, count: number) => Promise<() => Promise<void>>;
}

interface ServeOptions {
  port?: string;
  host?: string;
  db?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  requireClientCert?: boolean;
  config?: string;
  demo?: string;
  logLevel?: string;
  publicUrl?: string;
  nodeId?: string;
}

/** Builds the configuration from defaults, --config FILE and the flags (flags win). */
export function serveConfig(o: ServeOptions): ReturnType<typeof resolveConfig> {
  const file: ServerConfigInput = o.config !== undefined ? loadConfigFile(o.config) : {};
  const intOf = (v: string | undefined, what: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `${what} must be a whole number, not "${v}"`);
    return n;
  };
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined)) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, 'give both --tls-cert and --tls-key');
  const port = intOf(o.port, '--port');
  const demo = intOf(o.demo, '--demo');
  const flags: ServerConfigInput = {
    ...(port !== undefined ? { port } : {}),
    ...(o.host !== undefined ? { host: o.host } : {}),
    ...(o.db !== undefined ? { db: o.db } : {}),
    ...(o.logLevel !== undefined ? { logLevel: o.logLevel } : {}),
    ...(o.publicUrl !== undefined ? { publicUrl: o.publicUrl } : {}),
    ...(o.nodeId !== undefined ? { nodeId: o.nodeId } : {}),
    ...(demo !== undefined ? { demo } : {}),
    ...(o.tlsCert !== undefined && o.tlsKey !== undefined
      ? { tls: { certFile: o.tlsCert, keyFile: o.tlsKey, ...(o.tlsCa !== undefined ? { caFile: o.tlsCa, requestClientCert: true } : {}), ...(o.requireClientCert ? { requireClientCert: true } : {}) } }
      : {}),
  };
  return resolveConfig(file, flags);
}

/** Registers `serve` and the REST-client commands (devices, get, replace, exec, jobs, wake, device-add). */
export function registerServerCommands(program: Command, hooks: ServeHooks = {}): void {
  program
    .command('serve')
    .description('run the DM server: DM endpoint (POST /dm), REST API (/api), metrics (/metrics)')
    .option('--port <n>', 'listen port (default 8080; 0 = any free port)')
    .option('--host <addr>', 'listen address (default 127.0.0.1)')
    .option('--db <file>', 'SQLite database (default ./omadm.db)')
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate chain')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--tls-ca <file>', 'PEM CA bundle: ask devices for client certificates signed by it')
    .option('--require-client-cert', 'refuse TLS connections without a valid client certificate')
    .option('--config <file>', 'JSON configuration file (see docs/reference/config.md)')
    .option('--public-url <url>', 'base URL devices use to reach this server (for RespURI)')
    .option('--node-id <id>', 'node id put into RespURIs (several servers behind a load balancer)')
    .option('--log-level <level>', 'silent, error, warn, info, debug or trace')
    .option('--demo <n>', 'also start N simulated devices')
    .action(async (o: ServeOptions) => {
      const config = serveConfig(o);
      const server = await createServer({ config });
      const url = await server.listen();
      process.stdout.write(`omadm server listening on ${url} (DM endpoint ${url}/dm)\n`);
      const infoFile = config.api.tokenFile ?? (config.db === ':memory:' ? undefined : serverInfoPath(config.db));
      if (server.adminTokenCreated && server.adminToken !== undefined) {
        process.stdout.write(`admin API token (shown once${infoFile ? `; saved to ${infoFile}` : ''}): ${server.adminToken}\n`);
      }
      if (config.api.enabled && config.api.dashboard) {
        process.stdout.write(`dashboard: ${url}/ui/ (sign in with the admin API token${infoFile ? `, kept in ${infoFile}` : ''})\n`);
      }
      let stopDemo: (() => Promise<void>) | undefined;
      if (config.demo > 0) {
        if (hooks.startDemo) stopDemo = await hooks.startDemo(server, config.demo);
        else process.stderr.write('omadm: --demo is not available in this build\n');
      }
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await stopDemo?.();
      await server.close();
    });
  registerOperatorCommands(program);
}
