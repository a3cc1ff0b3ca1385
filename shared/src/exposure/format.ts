/** Text and JSON renderings of the exposure report. Neither ever sees a secret: items hold none. */
import { EXPOSURE_CATEGORIES, type ExposureItem, type ExposureReport } from './types';

function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function details(item: ExposureItem): string {
  const parts: string[] = [];
  if (item.sizeBytes !== undefined) parts.push(item.location.startsWith('$') ? `${item.sizeBytes} chars` : humanSize(item.sizeBytes));
  if (item.modifiedAt !== undefined) parts.push(`modified ${item.modifiedAt.slice(0, 10)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** The report as `--format json` prints it (stable key order, trailing newline). */
export function formatExposureJson(report: ExposureReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The report for a terminal: grouped by category, most severe first, with one piece of advice per item. */
export function formatExposureText(report: ExposureReport): string {
  const out: string[] = ['What a package install running as you could read or abuse', ''];
  for (const category of EXPOSURE_CATEGORIES) {
    const items = report.items.filter((item) => item.category === category.id);
    if (items.length === 0) continue;
    out.push(category.title);
    for (const item of items) {
      out.push(`  ${item.severity.toUpperCase().padEnd(8)} ${item.location}  ${item.title}${details(item)}`);
      out.push(`           → ${item.advice}`);
    }
    out.push('');
  }
  const s = report.sandbox;
  out.push(`Sandbox: ${s.mode === 'docker' ? 'Docker' : s.mode === 'bwrap' ? 'bubblewrap' : 'none (credential vault fallback)'} — ${s.reason}`);
  const summary = report.summary;
  out.push(`Summary: ${summary.critical} critical, ${summary.high} high, ${summary.medium} medium, ${summary.low} low, ${summary.info} info`);
  if (summary.critical > 0) out.push('Critical items are readable by any package install that runs outside the sandbox.');
  return `${out.join('\n')}\n`;
}
