/**
 * `omadm device`: one simulated device — one session now, or `--listen` for pushes on a local
 * UDP / HTTP port (standing in for SMS / WAP push): Package 0 triggers and Client Provisioning
 * bootstrap documents (`--imsi`, `--pin` authenticate them), with periodic check-ins. Without
 * `--server` a listening device has no DM account and waits for its bootstrap. Registers
 * `omadm simulate` too (simulate.ts).
 */
import type { Command } from 'commander';
import { ConfigError, DmError, ErrorCode } from '../../core/errors.js';
import type { CpPushVerdict } from '../../client/provisioning/cp-receiver.js';
import { DeviceSimulator, describeReport } from '../../client/simulator/device-simulator.js';
import { readDmAccounts } from '../../client/mo/dmacc-accounts.js';
import { HttpTransport } from '../../client/transport/http-transport.js';
import { writeOutput } from '../io.js';
import { addCommonDeviceOptions, int, parseCommonDeviceOptions, registerSimulateCommand, type CommonDeviceOptions } from './simulate.js';

interface DeviceOptions extends CommonDeviceOptions {
  id?: string;
  state?: string;
  listen: boolean;
  udpPort: string;
  httpPort?: string;
  checkIn: string;
  user?: string;
  password?: string;
  serverPassword?: string;
  imsi?: string;
  pin?: string;
}

/** Registers `device` and `simulate`. */
export function registerDeviceCommands(program: Command): void {
  addCommonDeviceOptions(
    program.command('device').description('run one simulated device: a session now, or --listen for Package 0 and bootstrap pushes and check in periodically'),
  )
    .option('--id <devId>', 'device id (DevInfo/DevId), e.g. IMEI:356938035643809')
    .option('--state <dir>', 'keep the device tree (accounts, nonces, pending alerts) and partial firmware downloads in this directory between runs')
    .option('--user <name>', 'client user name (default: the device id)')
    .option('--password <password>', 'client password')
    .option('--server-password <password>', 'server password: checks the server and Package 0 digests')
    .option('--imsi <digits>', 'the SIM\'s IMSI: authenticates NETWPIN / USERNETWPIN bootstrap pushes')
    .option('--pin <digits>', 'the PIN the user types when a USERPIN bootstrap push asks for it')
    .option('--listen', 'wait for pushes (Package 0, bootstrap) instead of running one session; without --server the device starts with no DM account', false)
    .option('--udp-port <n>', 'with --listen: UDP port for pushes', '2948')
    .option('--http-port <n>', 'with --listen: HTTP port for pushes (instead of UDP)')
    .option('--check-in <seconds>', 'with --listen: start a session this often (once the device has an account), 0 = never', '3600')
    .action(async (o: DeviceOptions) => {
      const p = parseCommonDeviceOptions(o, { serverOptional: o.listen });
      if (o.imsi !== undefined && !/^\d{5,15}$/.test(o.imsi)) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--imsi must be 5 to 15 digits, not "${o.imsi}"`);
      if (o.pin !== undefined && !/^\d{1,40}$/.test(o.pin)) throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `--pin must be 1 to 40 digits, not "${o.pin}"`);
      const checkInS = int('--check-in', o.checkIn, 0, 31_536_000);
      const port = o.httpPort !== undefined ? { httpPort: int('--http-port', o.httpPort, 0, 65535) } : { udpPort: int('--udp-port', o.udpPort, 0, 65535) };
      const transport = new HttpTransport(p.ca !== undefined ? { ca: p.ca } : {});
      let name = o.id ?? 'device';
      try {
        const device = await DeviceSimulator.open({
          transport, profile: p.profile,
          ...(p.serverUrl !== undefined ? { serverUrl: p.serverUrl } : {}),
          ...(p.failures !== undefined ? { failures: p.failures } : {}),
          ...(o.imsi !== undefined ? { imsi: o.imsi } : {}),
          ...(o.pin !== undefined ? { pin: o.pin } : {}),
          onProvisioning: (v) => writeOutput(`${name}: ${describeProvisioning(v)}\n`),
          ...(o.id !== undefined ? { devId: o.id } : {}),
          ...(o.user !== undefined ? { username: o.user } : {}),
          ...(o.password !== undefined ? { password: o.password } : {}),
          ...(o.serverPassword !== undefined ? { serverPassword: o.serverPassword } : {}),
          ...(o.state !== undefined ? { stateDir: o.state } : {}),
          ...(p.encoding !== undefined ? { encoding: p.encoding } : {}),
          ...(p.verDtd !== undefined ? { verDtd: p.verDtd } : {}),
          ...(p.logger !== undefined ? { logger: p.logger } : {}),
        });
        name = device.devId;
        if (!o.listen) {
          const report = await device.runSession();
          if (!report.ok) throw new DmError(ErrorCode.ERR_SESSION_FAILED, describeReport(report));
          writeOutput(`${device.devId}: ${describeReport(report)}\n`);
          return;
        }
        const listener = await device.listen({
          ...port,
          ...(checkInS > 0 ? { checkInIntervalMs: checkInS * 1000 } : {}),
          onSession: (r) => writeOutput(`${device.devId}: ${describeReport(r)}\n`),
        });
        const waiting = readDmAccounts(device.tree).length === 0 ? ' (no DM account yet: waiting for a bootstrap push)' : '';
        writeOutput(`${device.devId}: listening for Package 0 on ${listener.protocol} port ${listener.port}${waiting}${checkInS > 0 ? `, checking in every ${checkInS} s` : ''} (Ctrl-C to stop)\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await listener.close();
        await device.save();
      } finally {
        transport.close();
      }
    });

  registerSimulateCommand(program);
}

/** One line about a provisioning push. */
function describeProvisioning(v: CpPushVerdict): string {
  if (!v.accepted) return `bootstrap push refused: ${v.reason} [${v.code}]`;
  const servers = v.accounts.map((a) => `${a.serverId}${a.init ? ' (INIT)' : ''}`);
  return `bootstrap push installed${v.sec !== undefined ? ` (${v.sec})` : ''}: ${servers.length > 0 ? `DM account for ${servers.join(', ')}` : 'no DM account'}`;
}
