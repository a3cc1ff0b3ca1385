import os from 'node:os';
import { recoverVault, type RecoverReport, type VaultOptions } from '../../vault/index';
import type { CliCommand } from '../command';
import { parseCommandLine } from '../parseCommandLine';
import { UsageError } from '../usageError';

/** One-line summary shown in the top-level help. */
export const VAULT_RECOVER_SUMMARY = 'Put back credential files an interrupted unsandboxed install left in the vault';

/** Full help text of `safe-install vault recover`. */
export const VAULT_RECOVER_USAGE = `Usage: safe-install vault recover [--format text|json]

Restores every file and folder a crashed or killed 'install --no-sandbox' moved into the credential vault.
Never overwrites: when a file was created at the same path meanwhile, the original is restored beside it as
<path>.safe-install-restored-<time> and listed here. Safe to run any number of times.

Exit codes: 0 restored or nothing to do, 1 another install holds the vault or something could not be restored,
2 usage error.
`;

/** Builds the command around vault options (tests point it at a fake home). */
export function makeVaultRecoverCommand(vaultOptions: (env: Readonly<Record<string, string | undefined>>) => Pick<VaultOptions, 'homeDir' | 'env' | 'stateDir'> = (env) => ({ homeDir: os.homedir(), env })): CliCommand {
  return async (argv, io) => {
    const parsed = parseCommandLine({ args: argv, allowPositionals: true, strict: true, options: { format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } } });
    const { values, positionals } = parsed;
    if (values.help === true) {
      io.stdout(VAULT_RECOVER_USAGE);
      return 0;
    }
    // Accept both `vault recover` (the lead may dispatch on `vault`) and plain `recover` arguments.
    const rest = positionals[0] === 'recover' ? positionals.slice(1) : positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
    const report = await recoverVault(vaultOptions(io.env));
    io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : describe(report));
    return report.status === 'busy' || report.errors.length > 0 || report.orphans.length > 0 ? 1 : 0;
  };
}

function describe(report: RecoverReport): string {
  if (report.status === 'busy') return `The vault is in use by a running install (pid ${report.holderPid ?? '?'}); nothing was touched.\n`;
  if (report.status === 'nothing') return 'Nothing to recover: the vault is empty.\n';
  const lines = [`Recovered ${report.sessions} interrupted vault session${report.sessions === 1 ? '' : 's'}:`];
  for (const outcome of report.outcomes) {
    if (outcome.result === 'absent') continue;
    lines.push(`  ${outcome.result.padEnd(8)} ${outcome.original}`);
    for (const aside of outcome.asidePaths) lines.push(`           original kept beside a newer file: ${aside}`);
  }
  for (const orphan of report.orphans) lines.push(`  left for inspection: ${orphan}`);
  for (const error of report.errors) lines.push(`  error: ${error}`);
  return `${lines.join('\n')}\n`;
}

/** `safe-install vault recover`. */
export const vaultRecoverCommand: CliCommand = makeVaultRecoverCommand();
