/**
 * `omadm device`: one simulated device — one session now, or `--listen` for Package 0 on a local
 * UDP / HTTP port (standing in for SMS / WAP push) with periodic check-ins. Registers
 * `omadm simulate` too (simulate.ts).
 */
import type { Command } from 'commander';
import { DmError, ErrorCode } from '../../core/errors.js';
import { DeviceSimulator, describeReport } from '../../client/simulator/device-simulator.js';
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
}

/** Registers `device` and `simulate`. */
export function registerDeviceCommands(program: Command): void {
  addCommonDeviceOptions(
    program.command('device').description('run one simulated device: a session now, or --listen for Package 0 and check in periodically'),
  )
    .option('--id <devId>', 'device id (DevInfo/DevId), e.g. IMEI:356938035643809')
    .option('--state <dir>', 'keep the device tree (nonces, pending alerts) in this directory between runs')
    .option('--user <name>', 'client user name (default: the device id)')
    .option('--password <password>', 'client password')
    .option('--server-password <password>', 'server password: checks the server and Package 0 digests')
    .option('--listen', 'wait for Package 0 instead of running one session', false)
    .option('--udp-port <n>', 'with --listen: UDP port for Package 0', '2948')
    .option('--http-port <n>', 'with --listen: HTTP port for Package 0 (instead of UDP)')
    .option('--check-in <seconds>', 'with --listen: start a session this often, 0 = never', '3600')
    .action(async (o: DeviceOptions) => {
      const p = parseCommonDeviceOptions(o);
      const checkInS = int('--check-in', o.checkIn, 0, 31_536_000);
      const port = o.httpPort !== undefined ? { httpPort: int('--http-port', o.httpPort, 0, 65535) } : { udpPort: int('--udp-port', o.udpPort, 0, 65535) };
      const transport = new HttpTransport(p.ca !== undefined ? { ca: p.ca } : {});
      try {
        const device = await DeviceSimulator.open({
          serverUrl: p.serverUrl, transport, profile: p.profile,
          ...(o.id !== undefined ? { devId: o.id } : {}),
          ...(o.user !== undefined ? { username: o.user } : {}),
          ...(o.password !== undefined ? { password: o.password } : {}),
          ...(o.serverPassword !== undefined ? { serverPassword: o.serverPassword } : {}),
          ...(o.state !== undefined ? { stateDir: o.state } : {}),
          ...(p.encoding !== undefined ? { encoding: p.encoding } : {}),
          ...(p.verDtd !== undefined ? { verDtd: p.verDtd } : {}),
          ...(p.logger !== undefined ? { logger: p.logger } : {}),
        });
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
        writeOutput(`${device.devId}: listening for Package 0 on ${listener.protocol} port ${listener.port}${checkInS > 0 ? `, checking in every ${checkInS} s` : ''} (Ctrl-C to stop)\n`);
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
