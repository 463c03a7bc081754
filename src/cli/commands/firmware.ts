/**
 * `omadm firmware upload|add-external|list|show|delete`: the firmware repository of a running
 * server over its REST API (docs/reference/fumo.md). Connection flags as for the operator commands.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, DmError, ErrorCode } from '../../core/errors.js';
import type { FirmwareDto } from '../../server/firmware/firmware-dto.js';
import { writeOutput } from '../io.js';
import { apiCall, type Connection, resolveConnection } from './operator.js';

interface ConnOpts {
  url?: string;
  token?: string;
  db: string;
  json?: boolean;
}

/** Adds --url, --token, --db and --json. */
export function withFumoConnection(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'server base URL (default: $OMADM_URL or the server info file)')
    .option('--token <token>', 'API token (default: $OMADM_TOKEN or the server info file)')
    .option('--db <file>', 'database of the local `omadm serve`, to find its info file', './omadm.db')
    .option('--json', 'print JSON instead of text', false);
}

/** Splits `a,b,c` into a list (empty entries dropped). */
export function csv(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function printPackage(p: FirmwareDto, json: boolean | undefined): void {
  if (json) return writeOutput(`${JSON.stringify(p, null, 2)}\n`);
  writeOutput(`${p.id}  ${p.name}  version ${p.version}  ${p.size} bytes  sha256 ${p.sha256}\n`);
  writeOutput(`  models ${p.models.length ? p.models.join(', ') : 'any'}; from ${p.fromVersions.length ? p.fromVersions.join(', ') : 'any version'}\n`);
  writeOutput(`  ${p.source === 'local' ? 'served at' : 'external'} ${p.url}\n  descriptor ${p.descriptorUrl}\n`);
}

/** Uploads bytes as `application/octet-stream` (apiCall only sends JSON). */
async function uploadBytes(conn: Connection, path: string, bytes: Uint8Array): Promise<FirmwareDto> {
  let res: Response;
  try {
    res = await fetch(`${conn.url}${path}`, {
      method: 'POST', headers: { authorization: `Bearer ${conn.token}`, 'content-type': 'application/octet-stream' }, body: bytes,
    });
  } catch (err) {
    throw new DmError(ErrorCode.ERR_API_CLIENT, `cannot reach ${conn.url}: ${(err as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = `HTTP ${res.status}`;
    try {
      const e = (JSON.parse(text) as { error: { code: string; message: string } }).error;
      detail = `${e.message} (${e.code})`;
    } catch {
      // not a JSON error body
    }
    throw new DmError(ErrorCode.ERR_API_CLIENT, `upload failed: ${detail}`);
  }
  return JSON.parse(text) as FirmwareDto;
}

/** Registers the `firmware` commands. */
export function registerFirmwareCommands(program: Command): void {
  const fw = program.command('firmware').description('firmware update packages of a running server');

  withFumoConnection(fw.command('upload')
    .description('upload a package file; prints its id, size and SHA-256')
    .argument('<file>', 'package file')
    .requiredOption('--name <name>', 'package name (also FUMO PkgName)')
    .requiredOption('--version <version>', 'firmware version after the update (DevDetail/FwV)')
    .option('--from <versions>', 'comma-separated firmware versions the package applies to (default any)')
    .option('--models <models>', 'comma-separated device models (DevInfo/Mod) it is built for (default any)')
    .option('--content-type <type>', 'MIME type of the package', 'application/octet-stream')
    .option('--description <text>', 'description (goes into the download descriptor)'))
    .action(async (file: string, o: ConnOpts & { name: string; version: string; from?: string; models?: string; contentType: string; description?: string }) => {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(file));
      } catch (err) {
        throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      const q = new URLSearchParams({ name: o.name, version: o.version, contentType: o.contentType });
      if (o.from !== undefined) q.set('fromVersions', o.from);
      if (o.models !== undefined) q.set('models', o.models);
      if (o.description !== undefined) q.set('description', o.description);
      printPackage(await uploadBytes(resolveConnection(o), `/api/firmware?${q.toString()}`, bytes), o.json);
    });

  withFumoConnection(fw.command('add-external')
    .description('register a package hosted elsewhere (devices download it from that URL)')
    .argument('<url>', 'http(s) URL of the package')
    .requiredOption('--name <name>', 'package name')
    .requiredOption('--version <version>', 'firmware version after the update')
    .requiredOption('--size <bytes>', 'package size in bytes')
    .requiredOption('--sha256 <hex>', 'SHA-256 of the package')
    .option('--from <versions>', 'comma-separated from-versions')
    .option('--models <models>', 'comma-separated models'))
    .action(async (url: string, o: ConnOpts & { name: string; version: string; size: string; sha256: string; from?: string; models?: string }) => {
      const size = Number(o.size);
      if (!Number.isSafeInteger(size) || size <= 0) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--size must be a positive integer, not "${o.size}"`);
      const body = { name: o.name, version: o.version, url, size, sha256: o.sha256, fromVersions: csv(o.from) ?? [], models: csv(o.models) ?? [] };
      printPackage(await apiCall<FirmwareDto>(resolveConnection(o), 'POST', '/api/firmware', body), o.json);
    });

  withFumoConnection(fw.command('list').description('list packages').option('--model <model>', 'only packages for this model'))
    .action(async (o: ConnOpts & { model?: string }) => {
      const page = await apiCall<{ items: FirmwareDto[] }>(resolveConnection(o), 'GET', `/api/firmware${o.model !== undefined ? `?model=${encodeURIComponent(o.model)}` : ''}`);
      if (o.json) return writeOutput(`${JSON.stringify(page.items, null, 2)}\n`);
      if (page.items.length === 0) return writeOutput('no packages\n');
      for (const p of page.items) writeOutput(`${p.id}  ${p.name}  ${p.version}  ${p.size} bytes  ${p.models.join(',') || 'any model'}\n`);
    });

  withFumoConnection(fw.command('show').description('show one package').argument('<id>'))
    .action(async (id: string, o: ConnOpts) => printPackage(await apiCall<FirmwareDto>(resolveConnection(o), 'GET', `/api/firmware/${encodeURIComponent(id)}`), o.json));

  withFumoConnection(fw.command('delete').description('delete a package (refused while a campaign uses it)').argument('<id>'))
    .action(async (id: string, o: ConnOpts) => {
      await apiCall(resolveConnection(o), 'DELETE', `/api/firmware/${encodeURIComponent(id)}`);
      writeOutput(`deleted ${id}\n`);
    });
}
