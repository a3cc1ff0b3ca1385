import type { Ecosystem, Finding } from '../model';
import { toSeverity, type SourceFinding } from './types';

/** A source finding as a shared Finding (editor diagnostics, CLI JSON); rule ids get a `source/` prefix. */
export function toFinding(finding: SourceFinding, ecosystem: Ecosystem): Finding {
  return {
    rule: `source/${finding.rule}`,
    severity: toSeverity(finding.severity),
    message: finding.message,
    ecosystem,
    package: finding.package ?? '',
    range: finding.range,
    file: finding.file,
    data: {
      sourceSeverity: finding.severity,
      family: finding.family,
      installTime: finding.installTime,
      score: finding.score,
      matches: finding.matches.map((m) => ({ rule: m.rule, line: m.line + 1, reason: m.reason })),
    },
  };
}

/** Human-readable lines: `SEVERITY file:line rule — message`, then each matched line (1-based) with its rule and reason. */
export function formatSourceFinding(finding: SourceFinding): string[] {
  const where = `${finding.package !== undefined ? `${finding.package}: ` : ''}${finding.file}:${finding.range.start.line + 1}`;
  const lines = [`${finding.severity.toUpperCase().padEnd(8)} ${where} ${finding.rule} — ${finding.message}`];
  for (const m of finding.matches) lines.push(`           line ${m.line + 1}: ${m.rule} (${m.reason}): ${m.excerpt}`);
  return lines;
}
