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

/** `--format text`: findings grouped per file, one `file:line:col severity rule message` line each, then a summary. */
export function formatText(report: ScanReport, options: { colour: boolean }): string {
  const style = palette(options.colour);
  const lines: string[] = [];
  const byFile = new Map<string, ReportFinding[]>();
  for (const finding of report.findings) {
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
  return `${lines.join('\n')}\n`;
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
