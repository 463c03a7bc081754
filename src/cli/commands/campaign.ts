/**
 * `omadm campaign create|start|pause|resume|cancel|status|list|devices|events`: firmware update
 * campaigns of a running server over its REST API (docs/guides/running-a-fumo-campaign.md).
 */
import type { Command } from 'commander';
import { ConfigError, DmError, ErrorCode } from '../../core/errors.js';
import type { CampaignDeviceDto, CampaignDto, CampaignStatusDto, CreateCampaignDto } from '../../server/campaign/campaign-dto.js';
import { writeOutput } from '../io.js';
import { csv, withFumoConnection } from './firmware.js';
import { apiCall, type Connection, resolveConnection } from './operator.js';

interface ConnOpts {
  url?: string;
  token?: string;
  db: string;
  json?: boolean;
}

interface CreateOpts extends ConnOpts {
  name: string; package: string; flow?: string; descriptor?: boolean; fumoNode?: string;
  models?: string; firmware?: string; groups?: string; devices?: string;
  wavePercent?: string; waveSize?: string; maxInFlight?: string; failureThreshold?: string; timeout?: string; retry?: string; start?: boolean;
}

const enc = encodeURIComponent;

/** Parses `30000`, `90s`, `30m`, `2h` into milliseconds. */
export function parseDuration(name: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `${name} must be a duration like 30000, 90s, 30m or 2h, not "${value}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 'ms'] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

/** Parses `network=3:30s,package=1` into a retry policy. */
export function parseRetry(value: string): NonNullable<CreateCampaignDto['retry']> {
  const out: Record<string, { maxAttempts: number; delayMs: number }> = {};
  for (const part of csv(value) ?? []) {
    const m = /^([a-z-]+)=(\d+)(?::(.+))?$/.exec(part);
    if (!m?.[1] || !m[2]) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--retry entries look like class=attempts[:delay], not "${part}"`);
    out[m[1]] = { maxAttempts: Number(m[2]), delayMs: m[3] === undefined ? 0 : parseDuration('--retry delay', m[3]) };
  }
  return out;
}

function num(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `${name} must be a number, not "${value}"`);
  return n;
}

/** The request body of `campaign create`. */
export function createBody(o: CreateOpts): CreateCampaignDto {
  const selection = {
    ...(o.models !== undefined ? { models: csv(o.models) } : {}), ...(o.firmware !== undefined ? { firmwareVersions: csv(o.firmware) } : {}),
    ...(o.groups !== undefined ? { groups: csv(o.groups) } : {}), ...(o.devices !== undefined ? { deviceIds: csv(o.devices) } : {}),
  };
  const rollout = {
    ...(o.wavePercent !== undefined ? { wavePercent: num('--wave-percent', o.wavePercent) } : {}),
    ...(o.waveSize !== undefined ? { waveSize: num('--wave-size', o.waveSize) } : {}),
    ...(o.maxInFlight !== undefined ? { maxInFlight: num('--max-in-flight', o.maxInFlight) } : {}),
    ...(o.failureThreshold !== undefined ? { failureThreshold: num('--failure-threshold', o.failureThreshold) } : {}),
  };
  return {
    name: o.name, packageId: o.package, start: o.start === true,
    ...(o.flow !== undefined ? { flow: o.flow as CreateCampaignDto['flow'] & string } : {}),
    ...(o.descriptor === true ? { useDescriptor: true } : {}),
    ...(o.fumoNode !== undefined ? { fumoNode: o.fumoNode } : {}),
    ...(Object.keys(selection).length > 0 ? { selection } : {}),
    ...(Object.keys(rollout).length > 0 ? { rollout } : {}),
    ...(o.timeout !== undefined ? { deviceTimeoutMs: parseDuration('--timeout', o.timeout) } : {}),
    ...(o.retry !== undefined ? { retry: parseRetry(o.retry) } : {}),
  } as CreateCampaignDto;
}

/** The text form of a status report. */
export function formatStatus(s: CampaignStatusDto): string {
  const c = s.campaign;
  const lines = [
    `campaign ${c.id} "${c.name}": ${c.state}${c.pauseReason ? ` (${c.pauseReason})` : ''}, wave ${Math.min(c.currentWave + 1, c.waveCount)}/${c.waveCount}`,
    `  package ${c.packageId} -> ${c.targetVersion}, ${c.flow}${c.useDescriptor ? ' via download descriptor' : ''}, node ./FwUpdate/${c.fumoNode}`,
    `  ${s.total} devices, ${s.percentComplete}% finished, ${s.inFlight} in flight`,
    `  ${Object.entries(s.byState).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'no devices'}`,
  ];
  if (s.byResult.length > 0) {
    lines.push('  results:');
    for (const r of s.byResult) lines.push(`    ${r.code} ${r.meaning}: ${r.count}`);
  }
  if (s.waves.length > 1) lines.push(`  waves: ${s.waves.map((w) => `#${w.wave + 1} ${w.succeeded} ok/${w.failed} failed/${w.total}`).join('  ')}`);
  return `${lines.join('\n')}\n`;
}

async function status(conn: Connection, id: string): Promise<CampaignStatusDto> {
  return apiCall<CampaignStatusDto>(conn, 'GET', `/api/campaigns/${enc(id)}/status`);
}

/** Registers the `campaign` commands. */
export function registerCampaignCommands(program: Command): void {
  const cmd = program.command('campaign').description('firmware update campaigns of a running server');

  withFumoConnection(cmd.command('create')
    .description('create a campaign (a draft unless --start)')
    .requiredOption('--name <name>', 'campaign name')
    .requiredOption('--package <id>', 'firmware package id (omadm firmware list)')
    .option('--flow <flow>', 'download-and-update | download-then-update | update-in-session', 'download-and-update')
    .option('--descriptor', 'give devices the download descriptor URL as PkgURL', false)
    .option('--fumo-node <name>', 'FUMO node under ./FwUpdate (default: from the package name)')
    .option('--models <list>', 'only devices of these models (DevInfo/Mod)')
    .option('--firmware <list>', 'only devices running these versions (DevDetail/FwV)')
    .option('--groups <list>', 'only members of these groups')
    .option('--devices <list>', 'only these device ids')
    .option('--wave-percent <n>', 'devices per wave, as a percentage')
    .option('--wave-size <n>', 'devices per wave')
    .option('--max-in-flight <n>', 'devices updating at once (default 100)')
    .option('--failure-threshold <fraction>', 'pause when a wave fails more than this (0..1)')
    .option('--timeout <duration>', 'per-device attempt time-out (default 30m)')
    .option('--retry <rules>', 'retries per failure class, e.g. network=3:30s,exec=2:1m')
    .option('--start', 'start at once', false))
    .action(async (o: CreateOpts) => {
      const c = await apiCall<CampaignDto>(resolveConnection(o), 'POST', '/api/campaigns', createBody(o));
      if (o.json) return writeOutput(`${JSON.stringify(c, null, 2)}\n`);
      writeOutput(`campaign ${c.id} ${c.state}: ${c.waveCount} wave${c.waveCount === 1 ? '' : 's'}; left out ${c.excluded.incompatible} incompatible and ${c.excluded.alreadyCurrent} up-to-date devices\n`);
    });

  for (const action of ['start', 'pause', 'resume', 'cancel'] as const) {
    withFumoConnection(cmd.command(action).description(`${action} a campaign`).argument('<id>'))
      .action(async (id: string, o: ConnOpts) => {
        const c = await apiCall<CampaignDto>(resolveConnection(o), 'POST', `/api/campaigns/${enc(id)}/${action}`);
        writeOutput(o.json ? `${JSON.stringify(c, null, 2)}\n` : `campaign ${c.id} ${c.state}\n`);
      });
  }

  withFumoConnection(cmd.command('status')
    .description('progress: devices by state and by FUMO result code')
    .argument('<id>')
    .option('--watch [seconds]', 'repeat until the campaign finishes (default every 2 s)'))
    .action(async (id: string, o: ConnOpts & { watch?: string | boolean }) => {
      const conn = resolveConnection(o);
      const every = o.watch === undefined || o.watch === false ? 0 : o.watch === true ? 2000 : parseDuration('--watch', `${o.watch}s`);
      for (;;) {
        const s = await status(conn, id);
        writeOutput(o.json ? `${JSON.stringify(s, null, 2)}\n` : formatStatus(s));
        if (every === 0 || s.campaign.state === 'completed' || s.campaign.state === 'cancelled') return;
        await new Promise((r) => setTimeout(r, every));
      }
    });

  withFumoConnection(cmd.command('list').description('list campaigns').option('--state <states>', 'comma-separated states'))
    .action(async (o: ConnOpts & { state?: string }) => {
      const page = await apiCall<{ items: CampaignDto[] }>(resolveConnection(o), 'GET', `/api/campaigns${o.state !== undefined ? `?state=${enc(o.state)}` : ''}`);
      if (o.json) return writeOutput(`${JSON.stringify(page.items, null, 2)}\n`);
      if (page.items.length === 0) return writeOutput('no campaigns\n');
      for (const c of page.items) writeOutput(`${c.id}  ${c.state.padEnd(9)}  ${c.name}  (${c.packageId} -> ${c.targetVersion})\n`);
    });

  withFumoConnection(cmd.command('devices').description('devices of a campaign').argument('<id>').option('--state <state>', 'only devices in this state'))
    .action(async (id: string, o: ConnOpts & { state?: string }) => {
      const page = await apiCall<{ items: CampaignDeviceDto[] }>(resolveConnection(o), 'GET', `/api/campaigns/${enc(id)}/devices?limit=1000${o.state !== undefined ? `&state=${enc(o.state)}` : ''}`);
      if (o.json) return writeOutput(`${JSON.stringify(page.items, null, 2)}\n`);
      for (const d of page.items) {
        const result = d.resultCode !== undefined ? ` ${d.resultCode} ${d.resultMeaning ?? ''}` : '';
        writeOutput(`${d.deviceId}  ${d.state}  attempt ${d.attempt}${result}${d.detail !== undefined && d.resultCode === undefined ? ` (${d.detail})` : ''}\n`);
      }
    });

  withFumoConnection(cmd.command('events').description('events of a campaign').argument('<id>').option('--follow', 'keep printing events as they happen', false))
    .action(async (id: string, o: ConnOpts & { follow: boolean }) => {
      const conn = resolveConnection(o);
      if (!o.follow) {
        const page = await apiCall<{ items: Record<string, unknown>[] }>(conn, 'GET', `/api/campaigns/${enc(id)}/events`);
        for (const e of page.items) writeOutput(`${JSON.stringify(e)}\n`);
        return;
      }
      await followEvents(conn, id);
    });
}

/** Prints the campaign's Server-Sent Events, one JSON line each, until the stream ends. */
async function followEvents(conn: Connection, id: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${conn.url}/api/campaigns/${enc(id)}/events`, { headers: { authorization: `Bearer ${conn.token}`, accept: 'text/event-stream' } });
  } catch (err) {
    throw new DmError(ErrorCode.ERR_API_CLIENT, `cannot reach ${conn.url}: ${(err as Error).message}`);
  }
  if (!res.ok || res.body === null) throw new DmError(ErrorCode.ERR_API_CLIENT, `event stream failed: HTTP ${res.status}`);
  let buf = '';
  for await (const chunk of res.body) {
    buf += Buffer.from(chunk).toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (data !== '') writeOutput(`${data}\n`);
    }
  }
}
