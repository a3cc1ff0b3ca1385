import type { CliIo } from './command';
import type { CommandEntry } from './commands/index';
import { UsageError } from './usageError';
import { CLI_VERSION } from './version';

function usage(commands: Readonly<Record<string, CommandEntry>>): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const list = Object.entries(commands)
    .map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`)
    .join('\n');
  return `Usage: safe-install <command> [options]

Commands:
${list}

Options:
  -h, --help     Show this help (or a command's: safe-install <command> --help)
  -v, --version  Show the version
`;
}

/** Dispatches argv (without node and script) to a subcommand; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo, commands: Readonly<Record<string, CommandEntry>>): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(usage(commands));
    return 2;
  }
  if (first === '-h' || first === '--help' || first === 'help') {
    io.stdout(usage(commands));
    return 0;
  }
  if (first === '-v' || first === '--version') {
    io.stdout(`${CLI_VERSION}\n`);
    return 0;
  }
  const command = Object.prototype.hasOwnProperty.call(commands, first) ? commands[first] : undefined;
  if (!command) {
    io.stderr(`safe-install: unknown command '${first}'\n\n${usage(commands)}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`safe-install ${first}: ${error.message}\nRun 'safe-install ${first} --help' for usage.\n`);
    } else {
      io.stderr(`safe-install ${first}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    return 2;
  }
}
