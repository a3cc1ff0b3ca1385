import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding, Severity } from '../../../shared/src/model';

/** The `source` of every diagnostic this server publishes. */
export const DIAGNOSTIC_SOURCE = 'safe-install';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What code actions find in `Diagnostic.data` (the finding's own data plus who it is about). */
export interface FindingDiagnosticData {
  rule: string;
  ecosystem: string;
  package: string;
  suggestion?: string;
  [key: string]: unknown;
}

/** The part of a finding a diagnostic shows; config-file problems have no ecosystem or package. */
export type DiagnosableFinding = Pick<Finding, 'rule' | 'severity' | 'message' | 'range'> & Partial<Finding>;

/** Converts an engine finding to an LSP diagnostic: code = rule id, data = what actions need. */
export function toDiagnostic(finding: DiagnosableFinding): Diagnostic {
  const data: FindingDiagnosticData = {
    ...finding.data,
    rule: finding.rule,
    ecosystem: finding.ecosystem ?? '',
    package: finding.package ?? '',
    ...(finding.suggestion !== undefined ? { suggestion: finding.suggestion } : {}),
  };
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    data,
  };
}

/** Reads back the data `toDiagnostic` attached, or undefined for someone else's diagnostic. */
export function findingData(diagnostic: Diagnostic): FindingDiagnosticData | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const data: unknown = diagnostic.data;
  if (typeof data !== 'object' || data === null) return undefined;
  const record = data as Record<string, unknown>;
  if (typeof record.rule !== 'string' || typeof record.ecosystem !== 'string' || typeof record.package !== 'string') return undefined;
  return record as FindingDiagnosticData;
}
