// Entry point of dist/cli.js: wires the process to runCli and leaves the exit code for Node to apply,
// so piped output is flushed before the process ends.
import type { CliIo } from './command';
import { COMMANDS } from './commands/index';
import { runCli } from './runCli';
import { recoverVaultAtStartup } from './startupRecovery';

const argv = process.argv.slice(2);
const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
};

async function main(): Promise<number> {
  // `vault recover` does the recovery itself and reports it in its own format.
  if (argv[0] !== 'vault') await recoverVaultAtStartup(io);
  return runCli(argv, io, COMMANDS);
}

void main().then((code) => {
  process.exitCode = code;
});
