import path from 'node:path';
import { checkEnvironment, formatExposureJson, formatExposureText, nodeExposureHost, type ExposureHost } from '../../exposure/index';
import type { CliCommand, CliIo } from '../command';
import { parseCommandLine } from '../parseCommandLine';
import { UsageError } from '../usageError';

/** One-line summary shown in the top-level help. */
export const CHECK_ENV_SUMMARY = 'Show what a package install running as you could read (keys, tokens, .env files) and whether installs can be sandboxed';

/** Full help text of `safe-install check-env`. */
export const CHECK_ENV_USAGE = `Usage: safe-install check-env [options]

Lists the credentials a malicious package could read while it installs as you: SSH keys (encrypted or not),
cloud and registry credential files, secret environment variables and token-shaped values, .env files in the
workspace, shell histories, browser stores and wallets (presence only), persistence left by past attacks,
and whether Docker or bubblewrap can sandbox installs here. Shows where each secret is, never the secret.

Options:
  --format text|json   Output format (default: text); the JSON schema is documented in docs/check-env-schema.md
  --workspace PATH     Folder whose .env files are checked (default: the current folder)
  --no-workspace       Skip the workspace walk
  --no-crontab         Do not run 'crontab -l'
  -h, --help           Show this help

Exit codes: 0 nothing critical exposed, 1 something critical is exposed, 2 usage or internal error.
`;

/** How the command reaches the machine; tests pass a fake home and environment. */
export interface CheckEnvDeps {
  host(io: CliIo, workspaceRoot: string | undefined): ExposureHost;
}

const DEFAULT_DEPS: CheckEnvDeps = {
  host: (io, workspaceRoot) => nodeExposureHost({ env: io.env, workspaceRoot }),
};

/** Builds the check-env command around its dependencies. */
export function makeCheckEnvCommand(deps: CheckEnvDeps = DEFAULT_DEPS): CliCommand {
  return async (argv, io) => {
    const { values } = parseCommandLine({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        workspace: { type: 'string' },
        'no-workspace': { type: 'boolean' },
        'no-crontab': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help === true) {
      io.stdout(CHECK_ENV_USAGE);
      return 0;
    }
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
    if (values.workspace !== undefined && values['no-workspace'] === true) throw new UsageError('--workspace and --no-workspace cannot be combined');
    const workspaceRoot = values['no-workspace'] === true ? undefined : path.resolve(io.cwd, values.workspace ?? '.');
    const report = await checkEnvironment(deps.host(io, workspaceRoot), { crontab: values['no-crontab'] !== true });
    io.stdout(format === 'json' ? formatExposureJson(report) : formatExposureText(report));
    return report.summary.critical > 0 ? 1 : 0;
  };
}

/** `safe-install check-env`: the environment-exposure report. */
export const checkEnvCommand: CliCommand = makeCheckEnvCommand();
