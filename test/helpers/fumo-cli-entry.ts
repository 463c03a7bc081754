/** Runs `firmware` / `campaign` the way src/cli/main.ts runs every command, for the CLI tests' child processes. */
import { Command, CommanderError } from 'commander';
import { registerCampaignCommands } from '../../src/cli/commands/campaign.js';
import { registerFirmwareCommands } from '../../src/cli/commands/firmware.js';
import { describeError } from '../../src/cli/io.js';

const program = new Command().name('omadm').exitOverride();
registerFirmwareCommands(program);
registerCampaignCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.stderr.write(`omadm: ${describeError(err)}\n`);
  process.exit(1);
}
