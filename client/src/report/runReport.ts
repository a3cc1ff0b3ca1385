/** A finished (or running) install run as a Markdown report: verdict, phases, artifacts with hashes, findings, log tail. */
import type { InstallRun } from '../install/installRun';

const LOG_TAIL = 200;

/**
 * Escapes what would let package-supplied text format the report: emphasis, code spans, links and
 * images (brackets), HTML, table cells and headings. Dots and dashes stay readable.
 */
function md(text: string): string {
  return text.replace(/[\\`*_[\]<>|#!]/g, (c) => `\\${c}`);
}

/** Renders the report. Text from the sandbox is escaped, the raw JSON report is fenced. */
export function renderRunReport(run: InstallRun): string {
  const lines: string[] = [`# Safe Install: ${md(run.title)}`, ''];
  lines.push(`- **Result:** ${run.state}${run.verdictMessage !== undefined ? ` — ${md(run.verdictMessage)}` : ''}`);
  lines.push(`- **Started:** ${new Date(run.startedAt).toISOString()}`);
  if (run.finishedAt !== undefined) lines.push(`- **Took:** ${((run.finishedAt - run.startedAt) / 1000).toFixed(1)} s`);
  lines.push(`- **Folder:** ${md(run.request.cwd)}`, '');
  lines.push('## Phases', '', '| Phase | State | Network | Time | Detail |', '|---|---|---|---|---|');
  for (const p of run.phases) {
    lines.push(`| ${p.label} | ${p.state} | ${md(p.network ?? '')} | ${p.ms !== undefined ? `${(p.ms / 1000).toFixed(1)} s` : ''} | ${md(p.detail ?? '')} |`);
  }
  lines.push('', '## Artifacts', '');
  if (run.artifacts.size === 0) lines.push('None.');
  for (const a of run.artifacts.values()) {
    lines.push(`- ${md(a.name)}${a.version !== undefined ? `@${md(a.version)}` : ''} — ${md(a.state)}${a.sha256 !== undefined ? ` — SHA-256 \`${a.sha256}\`` : ''}`);
  }
  lines.push('', '## Findings', '');
  if (run.findings.length === 0) lines.push('None.');
  for (const f of run.findings) {
    lines.push(`- **${f.severity}** ${md(f.package)}: ${md(f.message)} (\`${f.rule.replace(/`/g, '')}\`)${f.file !== undefined ? ` in ${md(f.file)}` : ''}`);
  }
  if (run.log.length > 0) {
    lines.push('', `## Output (last ${Math.min(LOG_TAIL, run.log.length)} lines)`, '', '```text', ...run.log.slice(-LOG_TAIL).map((l) => l.replace(/```/g, "'''")), '```');
  }
  if (run.report) {
    lines.push('', '## Report (JSON)', '', '```json', JSON.stringify(run.report, null, 2).replace(/```/g, "'''"), '```');
  }
  return `${lines.join('\n')}\n`;
}
