import path from 'node:path';
import type { ConfigFileReport } from '../config/loadEffectiveConfig';
import { displayPath } from '../engine/findManifests';
import type { WorkspaceScan } from '../engine/scanWorkspace';
import type { ScannedSourceFinding } from '../engine/sourceScan';
import { toFinding } from '../inspect/report';
import type { DependencyKind, Ecosystem, Range, Severity } from '../model';

/** 1-based start and end, as editors and CI annotations count. */
export interface ReportLocation {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One finding in the CLI's output (`--format json` prints these as they are). */
export interface ReportFinding extends ReportLocation {
  /** Relative to the scanned folder with forward slashes; absolute for the user config file. */
  file: string;
  /** OSV's spelling; null for findings about config files, which belong to no ecosystem. */
  ecosystem: Ecosystem | null;
  package: string;
  rule: string;
  severity: Severity;
  message: string;
  suggestion: string | null;
}

/** A dependency line in the output. */
export interface ReportDependency {
  name: string;
  spec: string;
  kind: DependencyKind;
  line: number;
  column: number;
}

/** A manifest in the output. */
export interface ReportManifest {
  file: string;
  ecosystem: Ecosystem;
  dependencies: ReportDependency[];
  errors: Array<ReportLocation & { message: string }>;
}

/** The whole `--format json` document; version 1 of its schema. */
export interface ScanReport {
  version: 1;
  manifests: ReportManifest[];
  findings: ReportFinding[];
}

/** What the text format shows beyond the report: why registry checks were incomplete, per finding. */
export interface ReportDetails {
  /** The distinct reasons of each `intelligence-unavailable` finding (from its data), keyed by the report's object. */
  unavailableReasons: Map<ReportFinding, readonly string[]>;
}

/**
 * Turns a scan into the report every output format prints. Source findings come out with rule ids
 * `source/<rule>`, the scanner's severity mapped to the editor's (critical/high → error, medium → warning,
 * low → information) and the ecosystem of the nearest manifest (null above every manifest). When
 * `details` is given it is filled with what only the text format uses.
 */
export function buildScanReport(scan: WorkspaceScan, details?: ReportDetails): ScanReport {
  const manifests: ReportManifest[] = scan.manifests.map((item) => ({
    file: item.file,
    ecosystem: item.manifest.ecosystem,
    dependencies: item.manifest.dependencies.map((dep) => ({
      name: dep.name,
      spec: dep.spec,
      kind: dep.kind,
      line: dep.nameRange.start.line + 1,
      column: dep.nameRange.start.character + 1,
    })),
    errors: item.manifest.errors.map((error) => ({ message: error.message, ...location(error.range) })),
  }));
  const findings: ReportFinding[] = [];
  for (const file of scan.config.files) findings.push(...configFindings(scan.root, file));
  for (const item of scan.manifests) {
    for (const finding of item.findings) {
      const entry: ReportFinding = {
        file: finding.file ? displayPath(scan.root, path.resolve(path.dirname(item.path), finding.file)) : item.file,
        ...location(finding.range),
        ecosystem: finding.ecosystem,
        package: finding.package,
        rule: finding.rule,
        severity: finding.severity,
        message: finding.message,
        suggestion: finding.suggestion ?? null,
      };
      findings.push(entry);
      if (details && finding.rule === 'intelligence-unavailable') details.unavailableReasons.set(entry, reasonsOf(finding.data));
    }
  }
  for (const item of scan.sourceFindings ?? []) findings.push(sourceFinding(item));
  findings.sort(compareFindings);
  return { version: 1, manifests, findings };
}

function sourceFinding(item: ScannedSourceFinding): ReportFinding {
  // toFinding owns the rule-id prefix and the severity mapping; its ecosystem is replaced by ours, which may be null.
  const shared = toFinding(item.finding, item.ecosystem ?? 'npm');
  return {
    file: item.file,
    ...location(shared.range),
    ecosystem: item.ecosystem,
    package: shared.package,
    rule: shared.rule,
    severity: shared.severity,
    message: shared.message,
    suggestion: null,
  };
}

/** The distinct reasons an intelligence-unavailable finding carries (several clients may fail the same way). */
function reasonsOf(data: Record<string, unknown> | undefined): string[] {
  const reasons = data?.['reasons'];
  if (!Array.isArray(reasons)) return [];
  return [...new Set(reasons.filter((r): r is string => typeof r === 'string'))];
}

function configFindings(root: string, file: ConfigFileReport): ReportFinding[] {
  const inside = !path.relative(root, file.path).startsWith('..');
  const shown = inside ? displayPath(root, file.path) : file.path;
  return file.findings.map((finding) => ({
    file: shown,
    ...location(finding.range),
    ecosystem: null,
    package: '',
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
    suggestion: null,
  }));
}

function location(range: Range): ReportLocation {
  return {
    line: range.start.line + 1,
    column: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function compareFindings(a: ReportFinding, b: ReportFinding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
