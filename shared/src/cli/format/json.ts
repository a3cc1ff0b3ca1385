import type { ScanReport } from '../scanReport';

/** `--format json`: the report as one JSON document (schema version 1). */
export function formatJson(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
