/**
 * Entry point for CLI tests of the Client Provisioning commands: an `omadm` program with only
 * `cp` and `bootstrap` registered, run as a child process (same error handling as main.ts).
 */
import { Command, CommanderError } from 'commander';
import { registerBootstrapCommands } from '../../src/cli/commands/bootstrap.js';
import { registerCpCommands } from '../../src/cli/commands/cp.js';
import { describeError } from '../../src/cli/io.js';

const program = new Command().name('omadm').exitOverride();
registerCpCommands(program);
registerBootstrapCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.stderr.write(`omadm: ${describeError(err)}\n`);
  process.exit(1);
}
