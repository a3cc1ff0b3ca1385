import os from 'node:os';
import path from 'node:path';
import { defaultUserConfigPath } from '../../config/loadEffectiveConfig';
import type { SafeInstallConfig } from '../../config/schema';
import { DependencyIntelligence } from '../../engine/dependencyIntelligence';
import { addRegistryFindings } from '../../engine/registryScan';
import { scanWorkspace, type WorkspaceScan } from '../../engine/scanWorkspace';
import { addSourceFindings, type ProjectInspector } from '../../engine/sourceScan';
import { createClientsForProject, fileSystemConfigIo } from '../../intelligence/context';
import { networkIntelligence } from '../../intelligence/networkFindings';
import type { RegistryClients } from '../../registry/index';
import { manifestKindForPath } from '../../manifests/index';
import { nodeWorkspaceFileSystem, type WorkspaceFileSystem } from '../../engine/workspaceFileSystem';
import { SEVERITY_ORDER, type ManifestKind, type ParsedManifest, type Severity } from '../../model';
import type { TyposquatDetector } from '../../typosquat/detector';
import { loadTyposquatDetector } from '../../typosquat/loadDetector';
import type { CliCommand, CliIo } from '../command';
import { formatJson } from '../format/json';
import { formatSarif } from '../format/sarif';
import { formatText, useColour } from '../format/text';
import { buildScanReport, type ReportDetails, type ScanReport } from '../scanReport';
import { parseScanInstalledArgs, scanInstalled, SCAN_INSTALLED_USAGE, type InstalledInspector } from './scanInstalled';
import { CLI_VERSION } from '../version';
import { parseCommandLine } from '../parseCommandLine';
import { UsageError } from '../usageError';

/** One-line summary shown in the top-level help. */
export const SCAN_SUMMARY = 'Check every manifest under a folder for typosquats, known malware and risky packages';

export const SCAN_USAGE = `Usage: safe-install scan [PATH] [options]
       safe-install scan --installed [--python INTERPRETER] [--node-modules DIR]... [--format text|json]

Finds every requirements*.txt, pyproject.toml, package.json, Cargo.toml, go.mod and Gemfile under PATH
(default: the current folder) and reports what the editor would: typosquats, parse errors, config problems,
and what the registries and OSV say about each dependency (known malware, unknown packages, brand-new
packages or releases, changed owners, install scripts, ...). Registries are the ones your package managers
are configured for (npmrc, pip.conf, GOPROXY, cargo and gem config), else safe-install.toml [registries].
It also inspects the project's own source (rule ids source/<rule>): install hooks (setup.py, build.rs,
lifecycle scripts, .pth files ...), download-and-run, credential reads, obfuscation, exfiltration. A source
finding's ecosystem is that of the nearest manifest above its file (null when there is none).
Skips node_modules, .git, virtualenvs, vendor/, Cargo's target/ and other third-party folders; never
follows symlinked folders.

Options:
  --format text|json|sarif   Output format (default: text)
  --fail-on SEVERITY         Exit 1 when a finding is at least this severe:
                             error (default), warning, information, hint, or none
  --offline                  No network: registry checks use cached answers only
  --no-source                Skip source inspection; check the manifests only
  --verbose                  Text format: list every dependency whose registry checks could not complete
                             (by default they are summed up, one line per cause)
${SCAN_INSTALLED_USAGE}  -h, --help                 Show this help

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or internal error.
With --installed: 1 when anything installed is high or critical (an editor error), else 0.
`;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];
const FAIL_ON = ['error', 'warning', 'information', 'hint', 'none'] as const;
type FailOn = (typeof FAIL_ON)[number];

/** What the scan command needs from outside; main.ts passes the real ones, tests their own. */
export interface ScanCommandDeps {
  fs: WorkspaceFileSystem;
  loadDetector(): Promise<TyposquatDetector>;
  homeDir(): string;
  /** Overrides the engine's parseManifest (tests). */
  parse?: (kind: ManifestKind, text: string) => ParsedManifest;
  /** Builds the registry clients (tests); default: the user's package-manager config, the per-user cache, the network. */
  createClients?(config: SafeInstallConfig, projectDir: string, io: CliIo): Promise<RegistryClients>;
  /** Source inspection of a folder (tests); default: inspectProject. */
  inspectProject?: ProjectInspector;
  /** What `--installed` runs (tests); default: inspectInstalled. */
  inspectInstalled?: InstalledInspector;
}

const DEFAULT_DEPS: ScanCommandDeps = {
  fs: nodeWorkspaceFileSystem,
  loadDetector: () => loadTyposquatDetector(),
  homeDir: () => os.homedir(),
};

interface ScanArguments {
  target: string;
  format: Format;
  failOn: FailOn;
  offline: boolean;
  source: boolean;
  verbose: boolean;
}

function parseScanArguments(argv: string[], cwd: string): ScanArguments | 'help' {
  const parsed = parseCommandLine({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      'fail-on': { type: 'string' },
      offline: { type: 'boolean' },
      'no-source': { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length > 1) throw new UsageError(`scan takes one PATH, got ${positionals.length}`);
  const format = values.format ?? 'text';
  if (!isOneOf(FORMATS, format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  const failOn = values['fail-on'] ?? 'error';
  if (!isOneOf(FAIL_ON, failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, not '${failOn}'`);
  return {
    target: path.resolve(cwd, positionals[0] ?? '.'),
    format,
    failOn,
    offline: values.offline ?? false,
    source: !(values['no-source'] ?? false),
    verbose: values.verbose ?? false,
  };
}

function isOneOf<T extends string>(options: readonly T[], value: string): value is T {
  return (options as readonly string[]).includes(value);
}

/** The exit code for a report: 1 when any finding is at or above the threshold. */
export function exitCodeFor(report: ScanReport, failOn: FailOn): number {
  if (failOn === 'none') return 0;
  const threshold = SEVERITY_ORDER[failOn as Severity];
  return report.findings.some((finding) => SEVERITY_ORDER[finding.severity] >= threshold) ? 1 : 0;
}

/**
 * Adds registry findings unless registry checks are off; returns notes for stderr. `--offline` (or
 * `[intelligence] offline`) uses cached answers only, and lines with none are counted in one note
 * rather than reported one by one.
 */
async function registryStage(scan: WorkspaceScan, offline: boolean, deps: ScanCommandDeps, io: CliIo): Promise<string[]> {
  const base = scan.config.config;
  if (base.intelligence?.enabled === false) return ['registry checks are off ([intelligence] enabled = false)'];
  const config: SafeInstallConfig = { ...base, intelligence: { ...base.intelligence, offline: offline || base.intelligence?.offline === true } };
  const home = io.env['HOME'] || deps.homeDir();
  const clients = deps.createClients ? await deps.createClients(config, scan.root, io) : await createClientsForProject(fileSystemConfigIo(io.env, home, scan.root), config);
  const intelligence = new DependencyIntelligence((manifest, signal) => networkIntelligence(manifest, { clients, config, signal }));
  const summary = await addRegistryFindings(scan, intelligence, new AbortController().signal);
  if (summary.offlineUnchecked === 0) return [];
  return [`offline: ${summary.offlineUnchecked} ${summary.offlineUnchecked === 1 ? 'dependency was' : 'dependencies were'} not checked against registries (no cached answer); run without --offline to check them`];
}

/** Builds the `scan` subcommand around its dependencies. */
export function createScanCommand(deps: ScanCommandDeps = DEFAULT_DEPS): CliCommand {
  return async (argv: string[], io: CliIo): Promise<number> => {
    if (argv.includes('--installed')) {
      if (argv.includes('--help') || argv.includes('-h')) {
        io.stdout(SCAN_USAGE);
        return 0;
      }
      return scanInstalled(parseScanInstalledArgs(argv), io, deps.inspectInstalled);
    }
    for (const flag of ['--python', '--node-modules']) {
      if (argv.some((arg) => arg === flag || arg.startsWith(`${flag}=`))) throw new UsageError(`${flag} only applies with --installed`);
    }
    const args = parseScanArguments(argv, io.cwd);
    if (args === 'help') {
      io.stdout(SCAN_USAGE);
      return 0;
    }
    let targetKind;
    try {
      targetKind = (await deps.fs.stat(args.target)).kind;
    } catch {
      throw new UsageError(`cannot scan '${args.target}': no such file or folder`);
    }
    if (targetKind !== 'directory' && !manifestKindForPath(args.target)) {
      throw new UsageError(`cannot scan '${args.target}': not a folder or a manifest (requirements*.txt, pyproject.toml, package.json, Cargo.toml, go.mod, Gemfile)`);
    }
    const detector = await deps.loadDetector();
    const scan = await scanWorkspace({
      target: args.target,
      fs: deps.fs,
      typosquat: detector,
      userConfigPath: defaultUserConfigPath(io.env, io.env['HOME'] || deps.homeDir()),
      ...(deps.parse ? { parse: deps.parse } : {}),
    });
    // Source inspection reads disk and burns CPU while the registry stage waits on the network: run both at once.
    const [registryNotes] = await Promise.all([
      registryStage(scan, args.offline, deps, io),
      args.source
        ? addSourceFindings(scan, {
            target: args.target,
            targetIsDirectory: targetKind === 'directory',
            readText: (file) => deps.fs.readText(file),
            ...(deps.inspectProject ? { inspect: deps.inspectProject } : {}),
          })
        : Promise.resolve(0),
    ]);
    // Notes (limits hit, unreadable files) go to stderr so machine-readable stdout stays one document.
    for (const note of [...scan.notes, ...registryNotes]) io.stderr(`safe-install: note: ${note}\n`);
    const details: ReportDetails = { unavailableReasons: new Map() };
    const report = buildScanReport(scan, details);
    if (args.format === 'json') io.stdout(formatJson(report));
    else if (args.format === 'sarif') io.stdout(formatSarif(report, CLI_VERSION));
    else io.stdout(formatText(report, { colour: useColour(io.isTTY, io.env), verbose: args.verbose, unavailableReasons: details.unavailableReasons }));
    return exitCodeFor(report, args.failOn);
  };
}

/** The `scan` subcommand with the real file system and shipped typosquat data. */
export const scanCommand: CliCommand = createScanCommand();
