/**
 * `omadm bootstrap DEVICE`: asks a running `omadm serve` (REST `POST /api/devices/:id/bootstrap`)
 * to create the device's credentials and push it a signed w7 document; with `--out FILE` the
 * document is written for a factory line instead of being pushed.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, ErrorCode } from '../../core/errors.js';
import type { BootstrapDto } from '../../server/bootstrap/bootstrap-routes.js';
import { writeOutput } from '../io.js';
import { apiCall, resolveConnection } from './operator.js';

interface BootstrapOpts {
  url?: string;
  token?: string;
  db: string;
  json: boolean;
  sec: string;
  pin?: string;
  imsi?: string;
  serverUrl?: string;
  desc?: string;
  init: boolean;
  format: string;
  pushUdp?: string;
  pushSms?: string;
  username?: string;
  auth?: string;
  name?: string;
  role?: string;
  toNapid?: string;
  appId?: string;
  out?: string;
  outPush?: string;
}

/** Registers `bootstrap`. */
export function registerBootstrapCommands(program: Command): void {
  program.command('bootstrap')
    .description('bootstrap a device over OMA Client Provisioning: new credentials, a signed w7 document, pushed (or written for a factory line)')
    .argument('<device>', 'device id (its ./DevInfo/DevId)')
    .option('--url <url>', 'server base URL (default: $OMADM_URL or the server info file)')
    .option('--token <token>', 'API token (default: $OMADM_TOKEN or the server info file)')
    .option('--db <file>', 'database of the local `omadm serve`, to find its info file', './omadm.db')
    .option('--json', 'print JSON instead of text', false)
    .option('--sec <method>', 'NETWPIN, USERPIN, USERNETWPIN, USERPINMAC or none', 'USERPIN')
    .option('--pin <pin>', 'the user PIN (default: 6 random digits; USERPINMAC: the key digits)')
    .option('--imsi <imsi>', "the SIM's IMSI (NETWPIN, USERNETWPIN)")
    .option('--server-url <url>', 'DM URL the device will use (default: the server public URL + /dm)')
    .option('--desc <text>', 'X-MS-DESC: the PIN prompt text on Windows Mobile')
    .option('--no-init', 'do not ask the device to connect right away (no INIT)')
    .option('--format <format>', 'wbxml or xml', 'wbxml')
    .option('--push-udp <host:port>', 'register/update the UDP push address first')
    .option('--push-sms <msisdn>', 'register/update the SMS push address first')
    .option('--username <name>', 'client user name (default: derived from the device id)')
    .option('--auth <type>', 'how the device authenticates: md5 or basic', 'md5')
    .option('--name <name>', 'w7 NAME (account display name)')
    .option('--role <mask>', 'w7 ROLE (Microsoft security-role mask, e.g. 8)')
    .option('--to-napid <id>', 'w7 TO-NAPID (network access point to use)')
    .option('--app-id <id>', 'X-WAP-Application-ID (e.g. x-wap-microsoft:cfgmgr.ua)')
    .option('--out <file>', 'do not push: write the signed document to FILE (factory line)')
    .option('--out-push <file>', 'with --out: also write the WSP push PDU to FILE')
    .action(async (device: string, o: BootstrapOpts) => {
      if (o.outPush !== undefined && o.out === undefined) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, '--out-push needs --out');
      const conn = resolveConnection(o);
      const body = requestBody(o);
      const r = await apiCall<BootstrapDto>(conn, 'POST', `/api/devices/${encodeURIComponent(device)}/bootstrap`, body);
      if (o.out !== undefined) {
        writeFileSync(o.out, Buffer.from(r.document ?? '', 'base64'));
        if (o.outPush !== undefined) writeFileSync(o.outPush, Buffer.from(r.push ?? '', 'base64'));
      }
      if (o.json) {
        const { document: _d, push: _p, ...shown } = r;
        writeOutput(`${JSON.stringify(shown, null, 2)}\n`);
        return;
      }
      const where = r.transport !== undefined ? `pushed over ${r.transport}` : `written to ${o.out ?? '(nowhere)'}`;
      writeOutput(`bootstrapped ${r.deviceId} for ${r.serverId} at ${r.serverUrl}: ${where}\n`);
      writeOutput(`  security ${r.sec ?? 'none'}${r.pin === undefined ? '' : `, PIN ${r.pin}`}${r.registered ? ', device registered' : ''}\n`);
    });
}

function requestBody(o: BootstrapOpts): Record<string, unknown> {
  const body: Record<string, unknown> = { sec: o.sec, format: o.format, init: o.init, deliver: o.out === undefined };
  const copy: [keyof BootstrapOpts, string][] = [
    ['pin', 'pin'], ['imsi', 'imsi'], ['serverUrl', 'serverUrl'], ['desc', 'description'], ['username', 'username'],
    ['auth', 'authType'], ['name', 'name'], ['toNapid', 'toNapId'], ['appId', 'applicationId'],
  ];
  for (const [from, to] of copy) if (o[from] !== undefined) body[to] = o[from];
  if (o.role !== undefined) {
    if (!/^\d+$/.test(o.role)) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--role must be a decimal role mask, not "${o.role}"`);
    body['role'] = Number(o.role);
  }
  if (o.pushUdp !== undefined && o.pushSms !== undefined) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, 'give --push-udp or --push-sms, not both');
  if (o.pushUdp !== undefined) {
    const m = /^(.+):(\d{1,5})$/.exec(o.pushUdp);
    if (m === null) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--push-udp must be host:port, not "${o.pushUdp}"`);
    body['pushAddress'] = { type: 'udp', host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port: Number(m[2]) };
  }
  if (o.pushSms !== undefined) body['pushAddress'] = { type: 'sms', msisdn: o.pushSms };
  return body;
}
