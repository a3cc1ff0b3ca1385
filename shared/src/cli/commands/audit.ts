/**
 * `safe-install audit [-e ECOSYSTEM] NAME[@VERSION] [--deep] [--format text|json] [--offline]`:
 * every registry-intelligence signal for one package, its card, and a verdict (exit 1 on block).
 */
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { SafeInstallConfig } from '../../config/schema';
import { ecosystemFromAlias } from '../../config/ecosystemAliases';
import { defaultUserConfigPath, loadEffectiveConfig, projectConfigPath } from '../../config/loadEffectiveConfig';
import { auditPackage, type AuditReport } from '../../intelligence/audit';
import { createClientsForProject, fileSystemConfigIo } from '../../intelligence/context';
import type { Ecosystem } from '../../model';
import type { Clock } from '../../registry/http';
import type { RegistryClients } from '../../registry/index';
import type { CliCommand, CliIo } from '../command';
import { parseCommandLine } from '../parseCommandLine';
import { UsageError } from '../usageError';

/** One-line summary for the top-level help. */
export const AUDIT_SUMMARY = 'Tell the whole registry story of one package (malware, age, owners, downloads, scripts) with a verdict';

export const AUDIT_USAGE = `Usage: safe-install audit [-e ECOSYSTEM] NAME[@VERSION] [options]

Looks the package up on the registries your package managers are configured for (npmrc, pip.conf,
GOPROXY, cargo and gem config; else safe-install.toml [registries]; else the public ones), asks OSV
for known malware and vulnerabilities, and prints every signal with its evidence and a verdict.

Ecosystems: pip (PyPI), npm, cargo (crates.io), go, gem (RubyGems).
Without -e: '@scope/name' is npm, a module path whose first element has a dot (github.com/x/y) is go,
and anything else is pip, as the original tool did. Name the ecosystem when in doubt.
VERSION may be an exact version or a range (NAME@^1.2, 'NAME==2.*' for pip).

Options:
  -e, --ecosystem NAME   pip | npm | cargo | go | gem
  --deep                 Also fetch per-release records and owner lists
  --format text|json     Output format (default: text)
  --offline              Use only cached registry answers
  -h, --help             Show this help

Exit codes: 0 allow or warn, 1 block, 2 usage or internal error.
`;

/** Ecosystem from -e, or guessed from the name's shape (default pip, like the original tool). */
export function detectEcosystem(name: string, explicit: string | undefined): Ecosystem {
  if (explicit !== undefined) {
    const eco = ecosystemFromAlias(explicit);
    if (!eco) throw new UsageError(`unknown ecosystem '${explicit}' (use pip, npm, cargo, go or gem)`);
    return eco;
  }
  if (/^@[^/@]+\/[^/@]+/.test(name)) return 'npm';
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+\/\S+/i.test(name)) return 'Go';
  return 'PyPI';
}

/** Splits `NAME@VERSION` (and pip's `NAME==VERSION` / `NAME>=…`) into name and version spec. */
export function splitNameVersion(argument: string, ecosystem: Ecosystem): { name: string; version?: string } {
  if (ecosystem === 'PyPI') {
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*((?:===?|~=|!=|<=?|>=?)\s*.+)$/.exec(argument);
    if (m?.[1] && m[2]) return { name: m[1], version: m[2].trim() };
  }
  const at = argument.lastIndexOf('@');
  if (at > 0) return { name: argument.slice(0, at), version: argument.slice(at + 1) };
  return { name: argument };
}

/** What the command needs from outside; tests swap in their own. */
export interface AuditCommandDeps {
  homeDir(): string;
  readText(file: string): Promise<string | undefined>;
  /** Builds the clients (tests: local registry, temporary cache, fixed clock). */
  createClients?(config: SafeInstallConfig, io: CliIo, offline: boolean): Promise<RegistryClients>;
  clock?: Clock;
}

const readText = async (file: string): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** The config loader's reader: a file that is not there reads as ENOENT, as from the file system. */
function missingAsEnoent(read: (file: string) => Promise<string | undefined>): { readText(file: string): Promise<string> } {
  return {
    readText: async (file) => {
      const text = await read(file);
      if (text === undefined) throw Object.assign(new Error(`${file}: not found`), { code: 'ENOENT' });
      return text;
    },
  };
}

const DEFAULT_DEPS: AuditCommandDeps = { homeDir: () => os.homedir(), readText };

function formatText(report: AuditReport): string {
  const c = report.card;
  const lines: string[] = [];
  lines.push(`${c.name}${c.resolvedVersion ? ` ${c.resolvedVersion}` : ''} (${c.ecosystem}) — verdict: ${report.verdict.toUpperCase()}`);
  if (c.exists === false) lines.push('  not found on any configured index');
  if (c.latest) lines.push(`  latest:          ${c.latest}${c.latestPublishedAt ? ` (${c.latestPublishedAt.slice(0, 10)})` : ''}`);
  if (c.createdAt) lines.push(`  first published: ${c.createdAt.slice(0, 10)} (${c.ageDays} days ago)${c.versionCount !== undefined ? `, ${c.versionCount} versions` : ''}`);
  if (c.exists === true) {
    lines.push(`  downloads:       ${c.downloads ? `${c.downloads.count.toLocaleString('en-US')} (${c.downloads.period})` : (c.downloadsNote ?? 'unknown')}`);
    lines.push(`  maintainers:     ${c.maintainers.length > 0 ? c.maintainers.slice(0, 10).join(', ') + (c.maintainers.length > 10 ? ', …' : '') : 'not published by this registry'}`);
    lines.push(`  install scripts: ${c.installScripts.length > 0 ? c.installScripts.join(', ') : 'none'}`);
  }
  const none = c.advisoriesUnavailable ? 'not checked (OSV unavailable)' : 'none';
  lines.push(`  known malware:   ${c.malwareIds.length > 0 ? c.malwareIds.join(', ') : none}`);
  lines.push(`  advisories:      ${c.osvIds.length > 0 ? c.osvIds.join(', ') : none}`);
  for (const [label, url] of [['registry', c.links.registry], ['source', c.links.repository], ['homepage', c.links.homepage]] as const) {
    if (url) lines.push(`  ${`${label}:`.padEnd(17)}${url}`);
  }
  if (c.note) lines.push(`  note:            ${c.note}`);
  lines.push('');
  if (report.findings.length === 0) lines.push('No findings.');
  for (const f of report.findings) lines.push(`${f.severity.padEnd(11)} ${f.rule.padEnd(24)} ${f.message}`);
  return `${lines.join('\n')}\n`;
}

/** Builds the audit command with injectable dependencies. */
export function createAuditCommand(deps: AuditCommandDeps = DEFAULT_DEPS): CliCommand {
  return async (argv, io) => {
    const parsed = parseCommandLine({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ecosystem: { type: 'string', short: 'e' },
        deep: { type: 'boolean' },
        format: { type: 'string', short: 'f' },
        offline: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (parsed.values.help) {
      io.stdout(AUDIT_USAGE);
      return 0;
    }
    const [argument, ...extra] = parsed.positionals;
    if (argument === undefined) throw new UsageError('name the package to audit');
    if (extra.length > 0) throw new UsageError(`one package at a time (got ${parsed.positionals.length})`);
    const format = parsed.values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
    const ecosystem = detectEcosystem(argument, parsed.values.ecosystem);
    const { name, version } = splitNameVersion(argument, ecosystem);
    if (!name) throw new UsageError('empty package name');

    const home = deps.homeDir();
    // The same loader as scan and the editor: a project file may tighten thresholds, never weaken or redirect.
    const effective = await loadEffectiveConfig({ userConfigPath: defaultUserConfigPath(io.env, home), projectConfigPath: projectConfigPath(io.cwd), reader: missingAsEnoent(deps.readText) });
    for (const file of effective.files) {
      for (const finding of file.findings) io.stderr(`safe-install: note: ${path.relative(io.cwd, file.path) || file.path}: ${finding.message}\n`);
    }
    const offline = parsed.values.offline === true || effective.config.intelligence?.offline === true;
    const config: SafeInstallConfig = { ...effective.config, intelligence: { ...effective.config.intelligence, offline } };
    const clients = deps.createClients
      ? await deps.createClients(config, io, offline)
      : await createClientsForProject(fileSystemConfigIo(io.env, home, io.cwd), config, deps.clock ? { clock: deps.clock } : {});
    const report = await auditPackage(ecosystem, name, version, { clients, config, signal: new AbortController().signal }, { deep: parsed.values.deep === true });
    io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatText(report));
    return report.verdict === 'block' ? 1 : 0;
  };
}

/** `safe-install audit` with the real file system and network. */
export const auditCommand: CliCommand = createAuditCommand();
