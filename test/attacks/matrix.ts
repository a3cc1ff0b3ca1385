/** Renders the attack matrix (attack × control leaked × sandbox leaked × flagged) as a plain-text table. */
import type { AttackCase, Outcome } from './attacks';

/** One row as collected by the matrix test. */
export interface MatrixRow {
  attack: AttackCase;
  control?: Outcome;
  sandbox?: Outcome;
}

function leakCell(o: Outcome | undefined): string {
  if (!o) return 'not run';
  if (o.skipped) return 'skip';
  if (!o.leaked) return 'no';
  const why = [o.canaryBytes > 0 ? `${o.canaryBytes} B` : '', o.contacts > 0 && o.canaryBytes === 0 ? `${o.contacts} contacts` : '',
    o.fsViolations.length > 0 ? `${o.fsViolations.length} fs` : '', o.homeChanges.length > 0 ? `home ${o.homeChanges.length}` : ''].filter((s) => s !== '');
  return `YES (${why.join(', ')})`;
}

function flagCell(o: Outcome | undefined): string {
  if (!o || o.skipped || o.flagged === undefined) return o?.skipped ? 'skip' : '-';
  return o.flagged ? 'yes' : 'NO';
}

/** The matrix with a legend; skipped halves show why. */
export function formatMatrix(rows: readonly MatrixRow[]): string {
  const header = ['attack', 'ecosystem', 'control leaked?', 'sandbox leaked?', 'flagged?', 'ran in sandbox?', 'sandbox exit', 'fetch network', 'control evidence', 'sandbox evidence'];
  const body = rows.map((r) => [
    r.attack.id,
    r.attack.ecosystem,
    leakCell(r.control),
    leakCell(r.sandbox),
    flagCell(r.sandbox),
    !r.sandbox || r.sandbox.skipped ? '-' : r.sandbox.payloadRan ? 'yes' : 'not seen',
    !r.sandbox || r.sandbox.skipped ? '-' : String(r.sandbox.exitCode),
    !r.sandbox || r.sandbox.skipped ? '-' : r.sandbox.fetchNetwork ?? '-',
    r.control?.skipped ? '' : [r.control?.note ?? '', r.control?.channels.join('+') ?? '', r.control?.fsViolations.length ? `${r.control.fsViolations.length} fs results` : ''].filter((s) => s !== '').join(' '),
    !r.sandbox || r.sandbox.skipped ? '' : [r.sandbox.note.replace(/^exit -?\d+;? ?/, '').slice(0, 90), r.sandbox.diskGrowthBytes !== undefined ? `host disk +${(r.sandbox.diskGrowthBytes / 2 ** 20).toFixed(1)} MiB at most` : ''].filter((s) => s !== '').join('; '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => `${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')}`;
  const out = ['ATTACK MATRIX', line(header), `${widths.map((w) => '-'.repeat(w)).join('-+-')}`, ...body.map(line)];
  const skips = new Map<string, string[]>();
  for (const r of rows) {
    for (const [half, o] of [['control', r.control], ['sandbox', r.sandbox]] as const) {
      if (o?.skipped) skips.set(o.skipped, [...(skips.get(o.skipped) ?? []), `${r.attack.id} ${half}`]);
    }
  }
  for (const [reason, where] of skips) out.push(`skipped (${where.length}): ${reason}`);
  return out.join('\n');
}
