/**
 * Operator commands: thin REST clients of a running `omadm serve` (docs/reference/cli.md).
 * The server URL and token come from --url/--token, then OMADM_URL/OMADM_TOKEN, then the file
 * `omadm serve` wrote beside its database (`<db>.server.json`).
 */
import type { Command } from 'commander';
import { ConfigError, DmError, ErrorCode } from '../../core/errors.js';
import type { CreateDeviceDto, DeviceDto, ErrorResponseDto, JobCommandDto, JobDto, PageDto, WakeDto } from '../../server/api/dto.js';
import { readServerInfo, serverInfoPath } from '../../server/api/api-tokens.js';
import { writeOutput } from '../io.js';

interface ConnOpts {
  url?: string;
  token?: string;
  db: string;
  json?: boolean;
}

/** Where and how to reach the server. */
export interface Connection {
  readonly url: string;
  readonly token: string;
}

/** Resolves the server URL and token (flags, then environment, then the server info file). */
export function resolveConnection(o: { url?: string; token?: string; db?: string }, env: NodeJS.ProcessEnv = process.env): Connection {
  const info = readServerInfo(serverInfoPath(o.db ?? './omadm.db'));
  const url = o.url ?? env['OMADM_URL'] ?? info?.url;
  const token = o.token ?? env['OMADM_TOKEN'] ?? info?.token;
  if (!url) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, 'no server URL: pass --url, set OMADM_URL, or run next to the database of `omadm serve` (--db)');
  if (!token) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, 'no API token: pass --token or set OMADM_TOKEN');
  return { url: url.replace(/\/+$/, ''), token };
}

/** Calls the REST API; throws a one-line DmError for transport failures and error responses. */
export async function apiCall<T>(conn: Connection, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${conn.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${conn.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new DmError(ErrorCode.ERR_API_CLIENT, `cannot reach ${conn.url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = `HTTP ${res.status}`;
    try {
      const e = (JSON.parse(text) as ErrorResponseDto).error;
      detail = `${e.message} (${e.code})`;
    } catch {
      // not a JSON error body
    }
    throw new DmError(ErrorCode.ERR_API_CLIENT, `${method} ${path} failed: ${detail}`);
  }
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

function withConnection(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'server base URL (default: $OMADM_URL or the server info file)')
    .option('--token <token>', 'API token (default: $OMADM_TOKEN or the server info file)')
    .option('--db <file>', 'database of the local `omadm serve`, to find its info file', './omadm.db')
    .option('--json', 'print JSON instead of text', false);
}

const enc = encodeURIComponent;

function printJob(job: JobDto, json: boolean | undefined): void {
  if (json) return writeOutput(`${JSON.stringify(job, null, 2)}\n`);
  const status = job.status !== undefined ? ` status ${job.status}` : '';
  writeOutput(`job ${job.id} ${job.command.kind} ${job.state}${status}\n`);
  for (const r of job.results) writeOutput(`  ${r.uri} = ${r.data ?? ''}${r.format ? ` (${r.format})` : ''}\n`);
  if (job.error) writeOutput(`  error: ${job.error}\n`);
}

/** Polls a job until it finishes or `seconds` pass; fails when it failed or did not finish. */
async function waitForJob(conn: Connection, job: JobDto, seconds: number): Promise<JobDto> {
  const until = Date.now() + seconds * 1000;
  let current = job;
  while (!['done', 'failed', 'cancelled', 'expired'].includes(current.state) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    current = await apiCall<JobDto>(conn, 'GET', `/api/jobs/${enc(job.id)}`);
  }
  return current;
}

async function submit(o: ConnOpts & { wait?: string; wake?: boolean }, device: string, command: JobCommandDto, extra: { correlator?: string } = {}): Promise<void> {
  const conn = resolveConnection(o);
  let job = await apiCall<JobDto>(conn, 'POST', '/api/jobs', { deviceId: device, command, ...extra, ...(o.wake ? { wake: true } : {}) });
  if (o.wait !== undefined) {
    const seconds = Number(o.wait);
    if (!(seconds > 0)) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--wait must be a number of seconds > 0, not "${o.wait}"`);
    job = await waitForJob(conn, job, seconds);
    printJob(job, o.json);
    if (job.state !== 'done') throw new DmError(ErrorCode.ERR_API_CLIENT, `job ${job.id} ended ${job.state}${job.status !== undefined ? ` with status ${job.status}` : ''}`);
    return;
  }
  printJob(job, o.json);
}

function jobOptions(cmd: Command): Command {
  return withConnection(cmd)
    .option('--wait <seconds>', 'wait for the job to finish and print its outcome')
    .option('--wake', 'also send a Package 0 so the device connects now', false);
}

/** Registers devices, device-add, get, replace, exec, jobs and wake. */
export function registerOperatorCommands(program: Command): void {
  withConnection(program.command('devices').description('list managed devices'))
    .option('--group <name>', 'only members of this group')
    .option('--limit <n>', 'page size', '100')
    .action(async (o: ConnOpts & { group?: string; limit: string }) => {
      const conn = resolveConnection(o);
      const q = new URLSearchParams({ limit: o.limit, ...(o.group ? { group: o.group } : {}) });
      const page = await apiCall<PageDto<DeviceDto>>(conn, 'GET', `/api/devices?${q.toString()}`);
      if (o.json) return writeOutput(`${JSON.stringify(page, null, 2)}\n`);
      for (const d of page.items) {
        const seen = d.lastSessionAt ? `last session ${d.lastSessionAt} (${d.lastSessionOutcome ?? '?'})` : 'never connected';
        writeOutput(`${d.id}  ${[d.devInfo.man, d.devInfo.mod].filter(Boolean).join(' ') || '-'}  DM ${d.protocolVersion ?? '?'}  ${seen}\n`);
      }
      if (page.nextCursor) writeOutput(`(more: --limit or the REST API cursor ${page.nextCursor})\n`);
    });

  withConnection(program.command('device-add').description('register a device with its credentials'))
    .argument('<device>', 'device id (the DevId / SyncHdr Source LocURI)')
    .requiredOption('--password <pw>', 'client password the device authenticates with')
    .option('--username <name>', 'client user name (default: the device id)')
    .option('--auth <type>', 'md5, hmac or basic', 'md5')
    .option('--server-id <id>', 'server id the device knows the server by')
    .option('--server-password <pw>', 'server password (for the server credential and Package 0)')
    .option('--group <name...>', 'groups')
    .option('--push-udp <host:port>', 'UDP address for Package 0')
    .action(async (device: string, o: ConnOpts & { password: string; username?: string; auth: string; serverId?: string; serverPassword?: string; group?: string[]; pushUdp?: string }) => {
      if (!['md5', 'hmac', 'basic'].includes(o.auth)) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--auth must be md5, hmac or basic, not "${o.auth}"`);
      if ((o.serverId === undefined) !== (o.serverPassword === undefined)) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, 'give both --server-id and --server-password, or neither');
      let pushAddress: CreateDeviceDto['pushAddress'];
      if (o.pushUdp !== undefined) {
        const m = /^(.+):(\d+)$/.exec(o.pushUdp);
        if (!m) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--push-udp must be host:port, not "${o.pushUdp}"`);
        pushAddress = { type: 'udp', host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port: Number(m[2]) };
      }
      const body: CreateDeviceDto = {
        id: device,
        client: { username: o.username ?? device, password: o.password, authType: o.auth as 'md5' | 'hmac' | 'basic' },
        ...(o.serverId !== undefined && o.serverPassword !== undefined ? { server: { serverId: o.serverId, serverPassword: o.serverPassword } } : {}),
        ...(o.group ? { groups: o.group } : {}),
        ...(pushAddress ? { pushAddress } : {}),
      };
      const d = await apiCall<DeviceDto>(resolveConnection(o), 'POST', '/api/devices', body);
      writeOutput(o.json ? `${JSON.stringify(d, null, 2)}\n` : `registered ${d.id}\n`);
    });

  jobOptions(program.command('get').description('queue a Get of a node'))
    .argument('<device>', 'device id').argument('<uri>', 'node URI, e.g. ./DevDetail/FwV')
    .action((device: string, uri: string, o: ConnOpts & { wait?: string; wake?: boolean }) => submit(o, device, { kind: 'Get', uris: [uri] }));

  jobOptions(program.command('replace').description('queue a Replace of a node value'))
    .argument('<device>', 'device id').argument('<uri>', 'node URI').argument('<value>', 'new value')
    .option('--format <format>', 'Meta Format (chr, int, bool, b64, ...)', 'chr')
    .option('--type <type>', 'Meta Type (MIME type)')
    .action((device: string, uri: string, value: string, o: ConnOpts & { wait?: string; wake?: boolean; format: string; type?: string }) =>
      submit(o, device, { kind: 'Replace', items: [{ uri, data: value, format: o.format, ...(o.type ? { type: o.type } : {}) }] }));

  jobOptions(program.command('exec').description('queue an Exec of a node'))
    .argument('<device>', 'device id').argument('<uri>', 'executable node URI')
    .option('--data <data>', 'Exec item data')
    .option('--correlator <id>', 'Correlator echoed by the device in its Generic Alert')
    .action((device: string, uri: string, o: ConnOpts & { wait?: string; wake?: boolean; data?: string; correlator?: string }) =>
      submit(o, device, { kind: 'Exec', item: { uri, ...(o.data !== undefined ? { data: o.data } : {}) } }, o.correlator !== undefined ? { correlator: o.correlator } : {}));

  withConnection(program.command('jobs').description("list a device's jobs (newest first)"))
    .argument('<device>', 'device id')
    .option('--state <state>', 'only jobs in this state')
    .option('--limit <n>', 'how many', '50')
    .action(async (device: string, o: ConnOpts & { state?: string; limit: string }) => {
      const q = new URLSearchParams({ deviceId: device, limit: o.limit, order: 'desc', ...(o.state ? { state: o.state } : {}) });
      const page = await apiCall<PageDto<JobDto>>(resolveConnection(o), 'GET', `/api/jobs?${q.toString()}`);
      if (o.json) return writeOutput(`${JSON.stringify(page, null, 2)}\n`);
      for (const j of page.items) printJob(j, false);
    });

  withConnection(program.command('wake').description('send a Package 0 so the device opens a session'))
    .argument('<device>', 'device id')
    .action(async (device: string, o: ConnOpts) => {
      const r = await apiCall<WakeDto>(resolveConnection(o), 'POST', `/api/devices/${enc(device)}/wake`, {});
      writeOutput(o.json ? `${JSON.stringify(r, null, 2)}\n` : `woke ${r.deviceId} over ${r.transport} (SessionID ${r.dmSessionId.toString(16).toUpperCase()})\n`);
    });
}
