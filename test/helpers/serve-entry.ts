/** A minimal `omadm` entry with only the server commands, for tests that spawn a server process. */
import { Command } from 'commander';
import { registerServerCommands } from '../../src/cli/commands/serve.js';

const program = new Command().name('omadm-test').exitOverride();
registerServerCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`omadm: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
