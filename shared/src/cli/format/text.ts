import type { Severity } from '../../model';
import type { ReportFinding, ScanReport } from '../scanReport';

/** Terminal styles; identity functions when colour is off. */
interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  severity(severity: Severity, text: string): string;
}

const SEVERITY_COLOUR: Record<Severity, number> = { error: 31, warning: 33, information: 36, hint: 90 };

function palette(colour: boolean): Palette {
  const wrap = (code: number, text: string): string => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    bold: (text) => wrap(1, text),
    dim: (text) => wrap(2, text),
    severity: (severity, text) => wrap(SEVERITY_COLOUR[severity], text),
  };
}

/** Whether to colour: only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColour(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return isTTY && (env['NO_COLOR'] === undefined || env['NO_COLOR'] === '') && env['TERM'] !== 'dumb';
}

/** Options of the text format. */
export interface TextOptions {
  colour: boolean;
  /** Print every `intelligence-unavailable` line instead of one line per distinct cause. */
  verbose?: boolean;
  /** Why each intelligence-unavailable finding was unverified (from buildScanReport's details). */
  unavailableReasons?: ReadonlyMap<ReportFinding, readonly string[]>;
}

const UNAVAILABLE = 'intelligence-unavailable';

/**
 * `--format text`: findings grouped per file, one `file:line:col severity rule message` line each, then a
 * summary. Unless verbose, registry checks that could not complete are not listed per dependency (with
 * registries unreachable that would be one line per dependency): they become one line per distinct cause
 * under the summary. JSON and SARIF keep every finding.
 */
export function formatText(report: ScanReport, options: TextOptions): string {
  const style = palette(options.colour);
  const lines: string[] = [];
  const byFile = new Map<string, ReportFinding[]>();
  const grouped: ReportFinding[] = [];
  for (const finding of report.findings) {
    if (!options.verbose && finding.rule === UNAVAILABLE) {
      grouped.push(finding);
      continue;
    }
    const group = byFile.get(finding.file) ?? [];
    group.push(finding);
    byFile.set(finding.file, group);
  }
  for (const [file, findings] of byFile) {
    lines.push(style.bold(file));
    for (const f of findings) {
      const suggestion = f.suggestion ? ` (→ ${f.suggestion})` : '';
      lines.push(`  ${f.file}:${f.line}:${f.column} ${style.severity(f.severity, f.severity)} ${style.dim(f.rule)} ${f.message}${suggestion}`);
    }
    lines.push('');
  }
  lines.push(summary(report, style));
  if (grouped.length > 0) lines.push(...unavailableSummary(grouped, options.unavailableReasons, style));
  return `${lines.join('\n')}\n`;
}

/** How many files a cause line names before saying "and N more". */
const FILES_SHOWN = 3;

/**
 * One line per distinct cause, most widespread first: "registry checks incomplete for 43 dependencies
 * (in a, b): <cause>". A dependency with two causes counts in both lines.
 */
function unavailableSummary(findings: readonly ReportFinding[], reasons: ReadonlyMap<ReportFinding, readonly string[]> | undefined, style: Palette): string[] {
  const causes = new Map<string, { count: number; files: Set<string> }>();
  for (const finding of findings) {
    for (const cause of (reasons?.get(finding) ?? reasonsFromMessage(finding.message)).map(withoutRepeats)) {
      const entry = causes.get(cause) ?? { count: 0, files: new Set<string>() };
      entry.count++;
      entry.files.add(finding.file);
      causes.set(cause, entry);
    }
  }
  const allFiles = new Set(findings.map((f) => f.file));
  const out = [...causes]
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
    .map(([cause, { count, files }]) => {
      const shown = [...files].slice(0, FILES_SHOWN).join(', ');
      const where = files.size === allFiles.size && allFiles.size > 1 ? '' : ` (in ${shown}${files.size > FILES_SHOWN ? ` and ${files.size - FILES_SHOWN} more` : ''})`;
      return `${style.severity('information', 'registry checks incomplete')} for ${plural(count, 'dependency', 'dependencies')}${where}: ${cause}`;
    });
  out.push(style.dim(`(${plural(findings.length, 'dependency line', 'dependency lines')} unverified; --verbose lists each one)`));
  return out;
}

/** One client may report the same failure for several indexes ("x; x"): say it once. */
function withoutRepeats(cause: string): string {
  return [...new Set(cause.split('; '))].join('; ');
}

/** Fallback for reports built without details: the causes are the message's tail, joined by '; '. */
function reasonsFromMessage(message: string): string[] {
  const marker = message.indexOf('unverified: ');
  const tail = marker >= 0 ? message.slice(marker + 'unverified: '.length) : message;
  return [...new Set(tail.split('; ').filter((part) => part !== ''))];
}

function summary(report: ScanReport, style: Palette): string {
  const dependencies = report.manifests.reduce((sum, manifest) => sum + manifest.dependencies.length, 0);
  const scope = `${plural(report.manifests.length, 'manifest')}, ${plural(dependencies, 'dependency', 'dependencies')} checked`;
  if (report.findings.length === 0) return `No problems found (${scope}).`;
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const finding of report.findings) counts[finding.severity]++;
  const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
  if (counts.information > 0) parts.push(`${counts.information} information`);
  if (counts.hint > 0) parts.push(plural(counts.hint, 'hint'));
  const headline = `${plural(report.findings.length, 'problem')} (${parts.join(', ')})`;
  const worst: Severity = counts.error > 0 ? 'error' : counts.warning > 0 ? 'warning' : counts.information > 0 ? 'information' : 'hint';
  return `${style.severity(worst, style.bold(headline))} in ${scope}.`;
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
