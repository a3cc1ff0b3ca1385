import { createHash } from 'node:crypto';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Severity } from '../../model';
import type { ReportFinding, ScanReport } from '../scanReport';

/** Short descriptions of the rules the scan reports; a rule not listed here still gets a generic entry. */
const RULE_DESCRIPTIONS: Record<string, { name: string; text: string; help: string }> = {
  typosquat: {
    name: 'Typosquat',
    text: 'Dependency name looks like a misspelling of a popular package.',
    help: 'Check the name: typosquatted packages imitate popular ones to run code at install time. Fix the name, or add it to [typosquat] allow in safe-install.toml if it is intended.',
  },
  'parse-error': {
    name: 'ManifestParseError',
    text: 'The manifest could not be read completely.',
    help: 'Fix the syntax error; dependencies after it may not have been checked.',
  },
  'config-error': {
    name: 'ConfigError',
    text: 'A safe-install config file does not parse or has a value of the wrong type.',
    help: 'Fix the file or the value; until then the defaults apply for it.',
  },
  'config-unknown-key': {
    name: 'ConfigUnknownKey',
    text: 'A safe-install config file has a setting this version does not know.',
    help: 'Check the spelling of the key; unknown keys are ignored.',
  },
  'config-refused': {
    name: 'ConfigRefused',
    text: 'A project config file tried to weaken a user-level security setting.',
    help: 'A repository cannot turn protections off for whoever clones it; set such keys in your user config instead.',
  },
  // Registry intelligence (registry look-ups and OSV); the severity of each finding may differ from the default.
  malware: {
    name: 'KnownMalware',
    text: 'OSV lists this package (or the version the spec resolves to) as malicious (a MAL- advisory).',
    help: 'Remove the dependency and treat any machine that installed it as compromised: rotate the credentials it could reach.',
  },
  vulnerability: {
    name: 'KnownVulnerability',
    text: 'The version the spec resolves to has published OSV advisories.',
    help: 'Move to a fixed version; the message names the advisories.',
  },
  'unknown-package': {
    name: 'UnknownPackage',
    text: 'No configured registry knows this package: a hallucinated name, a typo, or a dependency-confusion hole.',
    help: 'Check the name. If it is a private package, configure your private registry so it is found there.',
  },
  'dependency-confusion': {
    name: 'DependencyConfusion',
    text: 'An internal package name also exists on a public registry, which an install may prefer.',
    help: 'Pin the private index for this name, or claim the name publicly.',
  },
  'new-package': { name: 'NewPackage', text: 'The package was first published only recently.', help: 'Young packages are where malware hides; look at its source and publisher before installing.' },
  'fresh-release': { name: 'FreshRelease', text: 'The version the spec resolves to was published very recently.', help: 'Wait for the minimum release age or pin the previous version; hijacked releases are usually caught within days.' },
  'dormant-reactivated': { name: 'DormantReactivated', text: 'A package quiet for a long time just published again.', help: 'Check who published the new release and what changed.' },
  'maintainer-change': { name: 'MaintainerChange', text: 'The publisher or owners of the newest release differ from earlier ones.', help: 'Check that the change of hands is legitimate before upgrading.' },
  'low-downloads': { name: 'LowDownloads', text: 'Few people use this package.', help: 'Make sure it is the package you meant; impostors have few downloads.' },
  'install-scripts': { name: 'InstallScripts', text: 'The package runs code when it is installed.', help: 'Install it in the sandbox (safe-install install) or check what the scripts do.' },
  deprecated: { name: 'Deprecated', text: 'The registry marks this package or version as deprecated.', help: 'Move to the replacement the message names.' },
  yanked: { name: 'Yanked', text: 'The version the spec resolves to was yanked.', help: 'Pick another version.' },
  'no-repository': { name: 'NoRepository', text: 'The package links no source repository.', help: 'Without a source link its published code cannot be compared with its source.' },
  'intelligence-unavailable': {
    name: 'IntelligenceUnavailable',
    text: 'A registry or OSV could not be asked, so this dependency is unverified.',
    help: 'Check network access to the registries your package managers use, then scan again.',
  },
};

/** Default SARIF levels of the rules that are not errors by default. */
const DEFAULT_LEVELS: Record<string, Result.level> = {
  'config-unknown-key': 'warning',
  'config-refused': 'warning',
  vulnerability: 'warning',
  'dependency-confusion': 'warning',
  'new-package': 'warning',
  'fresh-release': 'warning',
  'dormant-reactivated': 'warning',
  'maintainer-change': 'warning',
  'install-scripts': 'warning',
  deprecated: 'warning',
  yanked: 'warning',
  'low-downloads': 'note',
  'no-repository': 'note',
  'intelligence-unavailable': 'note',
};

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** The rule's default level, as SARIF names it. */
function defaultLevel(rule: string): Result.level {
  return DEFAULT_LEVELS[rule] ?? 'error';
}

const LEVEL_RANK: Record<Result.level, number> = { none: 0, note: 1, warning: 2, error: 3 };

/**
 * Source-inspection rules (`source/<rule>`) have no fixed severity: the scanner scores each finding by what
 * else is in the file and whether it runs at install time. Their entry describes the rule generically and
 * takes the most severe level the rule has in this report as its default.
 */
function sourceRule(id: string, findings: readonly ReportFinding[]): { description: { name: string; text: string; help: string }; level: Result.level } {
  const rule = id.slice('source/'.length);
  let level: Result.level = 'note';
  for (const finding of findings) if (finding.rule === id && LEVEL_RANK[LEVEL[finding.severity]] > LEVEL_RANK[level]) level = LEVEL[finding.severity];
  return {
    description: {
      name: `Source${rule.replace(/(^|[-_/])([a-z0-9])/g, (_, _sep: string, c: string) => c.toUpperCase())}`,
      text: `Source inspection: the project's own code matches the '${rule}' rule.`,
      help: 'Read the matched lines. Code that runs at install time (setup.py, build.rs, lifecycle scripts, .pth files) or pairs a capability (network, spawn, file read) with a threat indicator scores higher.',
    },
    level,
  };
}

/** `--format sarif`: a SARIF 2.1.0 log that GitHub code scanning accepts (relative URIs, 1-based regions). */
export function formatSarif(report: ScanReport, toolVersion: string): string {
  const ruleIds = [...new Set([...Object.keys(RULE_DESCRIPTIONS), ...report.findings.map((f) => f.rule)])];
  const rules: ReportingDescriptor[] = ruleIds.map((id) => {
    const source = id.startsWith('source/') ? sourceRule(id, report.findings) : undefined;
    const description = source?.description ?? RULE_DESCRIPTIONS[id] ?? { name: id, text: id, help: id };
    return {
      id,
      name: description.name,
      shortDescription: { text: description.text },
      fullDescription: { text: description.text },
      help: { text: description.help },
      defaultConfiguration: { level: source?.level ?? defaultLevel(id) },
    };
  });
  const seen = new Map<string, number>();
  const results: Result[] = report.findings.map((finding) => ({
    ruleId: finding.rule,
    ruleIndex: ruleIds.indexOf(finding.rule),
    level: LEVEL[finding.severity],
    message: { text: finding.suggestion ? `${finding.message} (did you mean '${finding.suggestion}'?)` : finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(finding.file),
          region: {
            startLine: finding.line,
            startColumn: finding.column,
            endLine: finding.endLine,
            // SARIF regions must not be empty-and-inverted; an empty range becomes one column wide.
            endColumn: finding.endLine === finding.line && finding.endColumn <= finding.column ? finding.column + 1 : finding.endColumn,
          },
        },
      },
    ],
    partialFingerprints: { 'safeInstallFinding/v1': fingerprint(finding, seen) },
    ...(finding.package || finding.ecosystem ? { properties: { package: finding.package, ecosystem: finding.ecosystem } } : {}),
  }));
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'safe-install', version: toolVersion, semanticVersion: toolVersion, rules } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  // Findings in the user's own config file (outside the scanned folder) carry an absolute path.
  if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file)) return { uri: new URL(`file://${file.startsWith('/') ? '' : '/'}${file.replace(/\\/g, '/')}`).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/**
 * Stable across line moves: what is wrong and where by file and package, not by line number. Findings
 * that would share a key (two alike source findings in one file) are told apart by their order.
 */
function fingerprint(finding: ReportFinding, seen: Map<string, number>): string {
  const base = [finding.rule, finding.file, finding.ecosystem ?? '', finding.package, finding.package ? '' : finding.message].join('\u0000');
  const occurrence = seen.get(base) ?? 0;
  seen.set(base, occurrence + 1);
  const key = occurrence === 0 ? base : `${base}\u0000${occurrence}`;
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
