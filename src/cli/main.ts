#!/usr/bin/env node
/** The `omadm` command: one entry point, thin commands over core, client and server. */
import { Command, CommanderError } from 'commander';
import { registerCodecCommands } from './commands/codec.js';
import { registerNotificationCommands } from './commands/notification.js';
import { registerServerCommands } from './commands/serve.js';
import { registerDeviceCommands } from './commands/device.js';
import { registerCpCommands } from './commands/cp.js';
import { registerBootstrapCommands } from './commands/bootstrap.js';
import { registerFirmwareCommands } from './commands/firmware.js';
import { registerCampaignCommands } from './commands/campaign.js';
import { startDemoFleet } from './demo-fleet.js';
import { describeError } from './io.js';

const program = new Command();
program
  .name('omadm')
  .description('Open OMA Device Management (SyncML DM 1.1.2 / 1.2): DM server, device agent and protocol tools')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  // Program options (--version) only before the sub-command, so `firmware upload --version 2.0` is the sub-command's.
  .enablePositionalOptions()
  .exitOverride();

registerServerCommands(program, { startDemo: (server, count) => startDemoFleet(server, count) });
registerDeviceCommands(program);
registerFirmwareCommands(program);
registerCampaignCommands(program);
registerBootstrapCommands(program);
registerCodecCommands(program);
registerNotificationCommands(program);
registerCpCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander already printed help or its own one-line error.
    process.exit(err.exitCode);
  }
  process.stderr.write(`omadm: ${describeError(err)}\n`);
  process.exit(1);
}
