/**
 * `safe-install scan --installed [--python INTERPRETER] [--node-modules DIR]…`: the check to run after an
 * incident. Every .pth file of the interpreter's site-packages (an executable line is critical: litellm
 * 1.82.8 kept running that way after install) and the install scripts of packages under node_modules.
 */
import path from 'node:path';
import { formatSourceFinding, inspectInstalled, toSeverity, type InstalledOptions, type InstalledReport } from '../../inspect/index';
import type { CliIo } from '../command';
import { parseCommandLine } from '../parseCommandLine';
import { UsageError } from '../usageError';

/** Options for the installed check, already parsed. */
export interface ScanInstalledOptions {
  /** Interpreter to ask for its site-packages; default `python3` (`python` on Windows). */
  python?: string;
  /** node_modules folders; default `<cwd>/node_modules`. */
  nodeModulesRoots?: string[];
  format?: 'text' | 'json';
}

/** Seam for tests: the real inspectInstalled by default. */
export type InstalledInspector = (opts: InstalledOptions) => Promise<InstalledReport>;

/** The `--installed` options as `scan --help` lists them. */
export const SCAN_INSTALLED_USAGE = `  --installed                Inspect what is installed instead of a project: .pth hooks in the
                             interpreter's site-packages and install scripts under node_modules
  --python INTERPRETER       With --installed: the Python whose site-packages to check (default python3)
  --node-modules DIR         With --installed: a node_modules folder to check (repeatable;
                             default ./node_modules)
`;

/** Parses `--python`, `--node-modules` (repeatable) and `--format` from the arguments after `--installed`. */
export function parseScanInstalledArgs(argv: string[]): ScanInstalledOptions {
  const parsed = parseCommandLine({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      installed: { type: 'boolean' },
      python: { type: 'string' },
      'node-modules': { type: 'string', multiple: true },
      format: { type: 'string', short: 'f' },
    },
  });
  const format = parsed.values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json with --installed, not ${format}`);
  const options: ScanInstalledOptions = { format };
  if (parsed.values.python !== undefined) options.python = parsed.values.python;
  if (parsed.values['node-modules'] !== undefined) options.nodeModulesRoots = parsed.values['node-modules'];
  return options;
}

function textReport(report: InstalledReport): string {
  const out: string[] = [];
  out.push(`Checked ${report.pthFiles} .pth file(s) in ${report.sitePackages.length} site-packages folder(s) and ${report.nodePackages} npm package(s) (${report.packagesWithInstallScripts} with install scripts).`);
  for (const dir of report.sitePackages) out.push(`  site-packages: ${dir}`);
  for (const note of report.notes) out.push(`note: ${note}`);
  if (report.findings.length === 0) out.push('No suspicious install hooks found.');
  for (const finding of report.findings) out.push(...formatSourceFinding(finding));
  return `${out.join('\n')}\n`;
}

function jsonReport(report: InstalledReport): string {
  const findings = report.findings.map((f) => ({
    ...f,
    severityLevel: toSeverity(f.severity),
    // JSON readers expect 1-based lines, like the text report.
    line: f.range.start.line + 1,
    matches: f.matches.map((m) => ({ ...m, line: m.line + 1, column: m.column + 1 })),
  }));
  return `${JSON.stringify({ ...report, findings }, null, 2)}\n`;
}

/**
 * Runs the installed check and prints it. Exit 1 when any finding is high or critical (an editor error),
 * else 0. An interpreter that cannot be run is a note, not a failure: node_modules are still checked.
 */
export async function scanInstalled(options: ScanInstalledOptions, io: CliIo, inspect: InstalledInspector = inspectInstalled): Promise<number> {
  const python = options.python ?? (process.platform === 'win32' ? 'python' : 'python3');
  const roots = options.nodeModulesRoots ?? [path.join(io.cwd, 'node_modules')];
  const report = await inspect({ python, nodeModulesRoots: roots.map((r) => path.resolve(io.cwd, r)) });
  io.stdout(options.format === 'json' ? jsonReport(report) : textReport(report));
  return report.findings.some((f) => toSeverity(f.severity) === 'error') ? 1 : 0;
}
