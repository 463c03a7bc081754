#!/usr/bin/env node
/** The `omadm` command: one entry point, thin commands over core, client and server. */
import { Command, CommanderError } from 'commander';
import { registerCodecCommands } from './commands/codec.js';
import { registerNotificationCommands } from './commands/notification.js';
import { describeError } from './io.js';

const program = new Command();
program
  .name('omadm')
  .description('Open OMA Device Management (SyncML DM 1.1.2 / 1.2): DM server, device agent and protocol tools')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerCodecCommands(program);
registerNotificationCommands(program);

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
