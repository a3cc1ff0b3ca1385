// Entry point of dist/cli.js: wires the process to runCli and leaves the exit code for Node to apply,
// so piped output is flushed before the process ends.
import { COMMANDS } from './commands/index';
import { runCli } from './runCli';

void runCli(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  },
  COMMANDS,
).then((code) => {
  process.exitCode = code;
});
