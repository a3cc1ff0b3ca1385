/** What a CLI subcommand gets instead of touching process globals, so tests can run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colour, progress display). */
  isTTY: boolean;
}

/** A subcommand: parses its own arguments; resolves to the process exit code (0 ok, 1 findings, 2 usage/internal). */
export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;
