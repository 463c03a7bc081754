/**
 * `omadm simulate`: many simulated devices against one DM server, with a progress bar and a
 * summary (sessions ok / failed, latency p50 / p99). Also the option parsing it shares with
 * `omadm device`. Every mistake a user can make is a one-line ConfigError.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import type { Encoding } from '../../core/codec/message-codec.js';
import { ConfigError, DmError, ErrorCode } from '../../core/errors.js';
import { parseFailureProfile, type FailureProfile } from '../../client/fumo/failure-profile.js';
import { defaultFleetProfile, loadFleetProfile, type FleetProfile } from '../../client/simulator/fleet-profile.js';
import { FleetSimulator } from '../../client/simulator/fleet-simulator.js';
import { formatSummary } from '../../client/simulator/fleet-summary.js';
import { HttpTransport } from '../../client/transport/http-transport.js';
import type { SessionLogger } from '../../client/session/session-types.js';
import { writeOutput } from '../io.js';

/** Options `device` and `simulate` share. */
export interface CommonDeviceOptions {
  server?: string;
  profile?: string;
  failureProfile?: string;
  encoding?: string;
  proto?: string;
  ca?: string;
  auth?: string;
  retries?: string;
  backoff?: string;
  verbose?: boolean;
}

/** The checked form of {@link CommonDeviceOptions}. */
export interface ParsedDeviceOptions {
  /** Absent only when the command allows it (`omadm device --listen` waiting for a bootstrap). */
  readonly serverUrl?: string;
  readonly profile: FleetProfile;
  /** From `--failure-profile` (otherwise the profile's `failureProfile` applies). */
  readonly failures?: FailureProfile;
  readonly encoding?: Encoding;
  readonly verDtd?: '1.1' | '1.2';
  readonly ca?: string;
  readonly logger?: SessionLogger;
}

/** Adds the shared options to a command (`--server` is checked by the command: `device --listen` may go without). */
export function addCommonDeviceOptions(cmd: Command): Command {
  return cmd
    .option('--server <url>', 'DM server URL (http:// or https://)')
    .option('--profile <file>', 'fleet profile JSON (models, account, credentials), or a shipped profile name; default: the shipped profile')
    .option('--failure-profile <file>', 'failure profile JSON: which devices fail firmware updates, and with which FUMO result code')
    .option('--encoding <encoding>', 'xml or wbxml (default: the account\'s DEFAULTENCODING)')
    .option('--proto <version>', '1.1 or 1.2: DM protocol to announce (default 1.2, falling back to 1.1)')
    .option('--auth <type>', 'client authentication: basic, digest, hmac or none (default: the profile\'s)')
    .option('--retries <n>', 'connection retries per message (CONNRETRYFREQ; default 3)')
    .option('--backoff <ms>', 'first retry wait in ms, doubling (INITIALBACKOFFTIME; default 16000)')
    .option('--ca <file>', 'extra trusted root CA certificate (PEM) for https')
    .option('--verbose', 'log session details to standard error', false);
}

/** Checks the shared options; `--server` is required unless `serverOptional`. */
export function parseCommonDeviceOptions(o: CommonDeviceOptions, check: { readonly serverOptional?: boolean } = {}): ParsedDeviceOptions {
  let url: URL | undefined;
  if (o.server === undefined) {
    if (check.serverOptional !== true) throw missingServer();
  } else {
    try {
      url = new URL(o.server);
    } catch {
      throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--server "${o.server}" is not a URL (expected http://host:port/path)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--server must be an http:// or https:// URL, not ${url.protocol}`);
    }
  }
  if (o.encoding !== undefined && o.encoding !== 'xml' && o.encoding !== 'wbxml') {
    throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--encoding must be xml or wbxml, not "${o.encoding}"`);
  }
  if (o.proto !== undefined && o.proto !== '1.1' && o.proto !== '1.2') {
    throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--proto must be 1.1 or 1.2, not "${o.proto}"`);
  }
  const base = o.profile === undefined ? defaultFleetProfile() : loadFleetProfile(o.profile);
  const account = { ...base.account };
  if (o.auth !== undefined) {
    const auth = o.auth.toUpperCase();
    if (!['BASIC', 'DIGEST', 'HMAC', 'NONE'].includes(auth)) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--auth must be basic, digest, hmac or none, not "${o.auth}"`);
    Object.assign(account, { authPref: auth });
  }
  if (o.retries !== undefined) Object.assign(account, { connRetryFreq: int('--retries', o.retries, 0, 100) });
  if (o.backoff !== undefined) Object.assign(account, { initialBackOffMs: int('--backoff', o.backoff, 0, 86_400_000) });
  let ca: string | undefined;
  if (o.ca !== undefined) {
    try {
      ca = readFileSync(o.ca, 'utf8');
    } catch (err) {
      throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `cannot read --ca ${o.ca}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--ca ${o.ca} is not a PEM certificate`);
  }
  let failures: FailureProfile | undefined;
  if (o.failureProfile !== undefined) {
    let text: string;
    try {
      text = readFileSync(o.failureProfile, 'utf8');
    } catch (err) {
      throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `cannot read --failure-profile ${o.failureProfile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    try {
      failures = parseFailureProfile(text);
    } catch (err) {
      if (err instanceof DmError) throw new ConfigError(err.code, `--failure-profile ${o.failureProfile}: ${err.message}`);
      throw err;
    }
  }
  return {
    ...(url !== undefined ? { serverUrl: url.toString() } : {}),
    profile: { ...base, account },
    ...(failures !== undefined ? { failures } : {}),
    ...(o.encoding !== undefined ? { encoding: o.encoding as Encoding } : {}),
    ...(o.proto !== undefined ? { verDtd: o.proto as '1.1' | '1.2' } : {}),
    ...(ca !== undefined ? { ca } : {}),
    ...(o.verbose === true ? { logger: stderrLogger() } : {}),
  };
}

function missingServer(): ConfigError {
  return new ConfigError(ErrorCode.ERR_CONFIG_INVALID, 'missing --server <url> (the DM server to connect to)');
}

/** An integer option in [min, max], or a one-line ConfigError. */
export function int(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `${name} must be an integer from ${min} to ${max}, not "${value}"`);
  }
  return n;
}

/** Logs to standard error, one line each. */
export function stderrLogger(): SessionLogger {
  const line = (level: string) => (m: string): void => void process.stderr.write(`${level} ${m}\n`);
  return { debug: line('debug'), info: line('info'), warn: line('warn') };
}

/** Registers `simulate`. */
export function registerSimulateCommand(program: Command): void {
  addCommonDeviceOptions(
    program.command('simulate').description('run many simulated devices (one session each) against a DM server and summarize'),
  )
    .requiredOption('--count <n>', 'number of devices')
    .option('--concurrency <k>', 'sessions at once', '50')
    .action(async (o: CommonDeviceOptions & { count: string; concurrency: string }) => {
      const p = parseCommonDeviceOptions(o);
      const serverUrl = p.serverUrl;
      if (serverUrl === undefined) throw missingServer();
      const count = int('--count', o.count, 1, 10_000_000);
      const concurrency = int('--concurrency', o.concurrency, 1, 100_000);
      const transport = new HttpTransport({ maxSockets: concurrency, ...(p.ca !== undefined ? { ca: p.ca } : {}) });
      const sim = new FleetSimulator({
        serverUrl, count, concurrency, profile: p.profile, transport,
        ...(p.failures !== undefined ? { failures: p.failures } : {}),
        ...(p.encoding !== undefined ? { encoding: p.encoding } : {}),
        ...(p.verDtd !== undefined ? { verDtd: p.verDtd } : {}),
        ...(p.logger !== undefined ? { logger: p.logger } : {}),
      });
      const bar = process.stderr.isTTY && p.logger === undefined
        ? new SingleBar({ format: 'sessions [{bar}] {value}/{total} | ok {ok} failed {failed} | {duration_formatted}', stream: process.stderr, hideCursor: true })
        : undefined;
      bar?.start(count, 0, { ok: 0, failed: 0 });
      try {
        const summary = await sim.runRound({ onProgress: (x) => bar?.update(x.done, { ok: x.ok, failed: x.failed }) });
        bar?.stop();
        writeOutput(formatSummary(summary));
        // Firmware updates the server started run on after the round; their results (Generic
        // Alert 1226) need one more session, as a real device would open once it is done.
        const waiting = await sim.settle();
        if (waiting.length > 0) {
          const delivery = await sim.runRound({ devices: waiting });
          writeOutput(`results: ${delivery.ok} of ${delivery.total} devices delivered their firmware update results\n`);
        }
        if (summary.failed > 0) {
          throw new DmError(ErrorCode.ERR_SESSION_FAILED, `${summary.failed} of ${summary.total} sessions failed (first cause: ${summary.failures[0]?.reason ?? 'unknown'})`);
        }
      } finally {
        bar?.stop();
        transport.close();
      }
    });
}
