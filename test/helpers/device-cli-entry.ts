/**
 * Runs `device` / `simulate` the way src/cli/main.ts runs every command (same error boundary),
 * so the CLI tests can check exit codes and one-line messages in a child process.
 */
import { Command, CommanderError } from 'commander';
import { registerDeviceCommands } from '../../src/cli/commands/device.js';
import { describeError } from '../../src/cli/io.js';

const program = new Command().name('omadm').exitOverride();
registerDeviceCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.stderr.write(`omadm: ${describeError(err)}\n`);
  process.exit(1);
}
