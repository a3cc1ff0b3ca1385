import type { AuditReport } from '../../../shared/src/intelligence/audit';
import { cardMarkdown } from '../../../shared/src/intelligence/card';

const VERDICT_TEXT: Record<AuditReport['verdict'], string> = {
  block: 'Do not install this package.',
  warn: 'Look closer before installing this package.',
  allow: 'Nothing worth a warning was found.',
};

/** The one-line verdict a plain LSP client shows in a message. */
export function auditSummary(report: AuditReport): string {
  const version = report.card.resolvedVersion ? ` ${report.card.resolvedVersion}` : '';
  const top = report.findings.find((f) => f.severity === 'error') ?? report.findings.find((f) => f.severity === 'warning') ?? report.findings[0];
  return `safe-install audit of ${report.name}${version} (${report.ecosystem}): ${report.verdict.toUpperCase()}. ${VERDICT_TEXT[report.verdict]}${top ? ` ${top.message}` : ''}`;
}

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The whole audit report as a Markdown document. */
export function auditMarkdown(report: AuditReport): string {
  const version = report.card.resolvedVersion ?? report.requested;
  const lines = [
    `# Audit: ${report.name}${version ? ` ${version}` : ''} (${report.ecosystem})`,
    '',
    `**Verdict: ${report.verdict.toUpperCase()}** — ${VERDICT_TEXT[report.verdict]}`,
    '',
    '## Findings',
    '',
  ];
  if (report.findings.length === 0) lines.push('No findings.');
  else {
    lines.push('| Severity | Rule | Evidence |', '|---|---|---|');
    for (const f of report.findings) lines.push(`| ${f.severity} | \`${f.rule}\` | ${escapeCell(f.message)} |`);
  }
  lines.push('', '## Package', '', cardMarkdown(report.card), '');
  if (report.card.links.advisories.length > 0) {
    lines.push('## Advisories', '', ...report.card.links.advisories.map((url) => `- <${url}>`), '');
  }
  return lines.join('\n');
}
