/** A minimal `omadm` entry with only the server commands, for tests that spawn a server process. */
import { Command } from 'commander';
import { registerServerCommands } from '../../src/cli/commands/serve.js';
import { describeError } from '../../src/cli/io.js';

const program = new Command().name('omadm-test').exitOverride();
registerServerCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`omadm: ${describeError(err)}\n`);
  process.exit(1);
}
