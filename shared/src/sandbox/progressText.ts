/** Plain-text rendering of progress events and the final report, shared by the CLI and the editor terminal. */
import type { InstallReport } from './installer';
import type { SandboxEvent } from './progress';

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : ` (${(ms / 1000).toFixed(1)} s)`;
}

/** One line for an event, or undefined for events not worth a line of their own. */
export function eventLine(event: SandboxEvent): string | undefined {
  switch (event.type) {
    case 'phase': {
      const network = event.network !== undefined ? ` [network: ${event.network}]` : '';
      if (event.state === 'start') return `» ${event.phase}${network}${event.detail ? ` ${event.detail}` : ''}`;
      if (event.state === 'skipped') return `- ${event.phase} skipped${event.detail ? `: ${event.detail}` : ''}`;
      return `${event.state === 'end' ? '✓' : '✗'} ${event.phase}${network}${seconds(event.ms)}${event.detail ? ` ${event.detail}` : ''}`;
    }
    case 'package':
      return event.state === 'verified' || event.state === 'fetched' || event.state === 'resolved' ? undefined
        : `  ${event.state.padEnd(15)} ${event.name}${event.version ? ` ${event.version}` : ''}${event.detail ? ` (${event.detail})` : ''}`;
    case 'finding':
      return `  ${event.severity.toUpperCase().padEnd(8)} ${event.package}: ${event.rule}${event.file ? ` in ${event.file}` : ''} — ${event.message}`;
    case 'log':
      return `    ${event.stream === 'warning' ? 'warning: ' : ''}${event.line}`;
    case 'bytes':
      return undefined;
    case 'verdict':
      return undefined;
  }
}

/** The human-readable report. */
export function formatInstallReport(report: InstallReport): string {
  const lines: string[] = [];
  lines.push(`${report.verdict.toUpperCase()}: ${report.message}`);
  if (report.image) lines.push(`image: ${report.image}`);
  const container = report.phases.filter((p) => p.phase === 'fetch' || p.phase === 'build');
  if (container.length > 0) {
    lines.push('phases:');
    for (const p of container) lines.push(`  ${p.phase.padEnd(6)} network=${(p.network ?? '').padEnd(7)} ${p.state}${seconds(p.ms)}`);
  }
  if (report.packages.length > 0) {
    lines.push(`packages (${report.packages.length}):`);
    for (const p of report.packages) lines.push(`  ${p.name} ${p.version}  sha256:${p.artifacts[p.artifacts.length - 1]?.sha256.slice(0, 16) ?? ''}…`);
  }
  if (report.scripts.length > 0) {
    lines.push('install scripts:');
    for (const s of report.scripts) lines.push(`  ${s.name}${s.version ? ` ${s.version}` : ''}: ${s.scripts.join(', ')} — ${s.ran ? 'ran in the sandbox, offline' : 'not run (not allow-listed)'}`);
  }
  if (report.pthFiles.length > 0) {
    lines.push('.pth files (run at every Python start):');
    for (const p of report.pthFiles) lines.push(`  ${p.package}: ${p.file}${p.executes ? ' — has an import line (executes code)' : ''}`);
  }
  if (report.findings.length > 0) {
    lines.push(`findings (${report.findings.length}):`);
    for (const f of report.findings.slice(0, 50)) lines.push(`  ${f.severity.padEnd(8)} ${f.package}: ${f.rule}${f.file ? ` in ${f.file}` : ''} — ${f.message}`);
  }
  if (report.notes.length > 0) {
    lines.push('notes:');
    for (const n of report.notes) lines.push(`  ${n}`);
  }
  if (report.lockfile) lines.push(`lockfile: ${report.lockfile}`);
  lines.push(`time: ${(report.timings.totalMs / 1000).toFixed(1)} s (container start-up ${(report.timings.containerStartupMs / 1000).toFixed(1)} s)`);
  return `${lines.join('\n')}\n`;
}
