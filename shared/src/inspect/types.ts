import type { Range, Severity } from '../model';

/** How bad a source finding is; mapped onto the shared editor/CLI severity by `toSeverity`. */
export type SourceSeverity = 'critical' | 'high' | 'medium' | 'low';

/** Ascending order, so severities can be compared and escalated by steps. */
export const SOURCE_SEVERITIES: readonly SourceSeverity[] = ['low', 'medium', 'high', 'critical'];

/** critical and high block (error), medium warns, low informs. */
export function toSeverity(severity: SourceSeverity): Severity {
  switch (severity) {
    case 'critical':
    case 'high':
      return 'error';
    case 'medium':
      return 'warning';
    case 'low':
      return 'information';
  }
}

/** Raises a severity by `steps`, saturating at critical. */
export function escalate(severity: SourceSeverity, steps: number): SourceSeverity {
  const index = Math.min(SOURCE_SEVERITIES.length - 1, SOURCE_SEVERITIES.indexOf(severity) + Math.max(0, steps));
  return SOURCE_SEVERITIES[index] ?? 'critical';
}

/** 0 (low) … 3 (critical). */
export function severityRank(severity: SourceSeverity): number {
  return SOURCE_SEVERITIES.indexOf(severity);
}

/** The language a file's text is scanned as. `pth` is Python run by site.py; `gyp` is binding.gyp. */
export type SourceLanguage = 'python' | 'javascript' | 'rust' | 'go' | 'ruby' | 'shell' | 'pth' | 'gyp' | 'package-json' | 'pyproject' | 'setup-cfg';

/** Rule families, GuardDog-style, plus the install-time hooks of each ecosystem. */
export type RuleFamily =
  | 'install-hook'
  | 'network'
  | 'spawn'
  | 'file-read'
  | 'download-exec'
  | 'env-read'
  | 'sensitive-file'
  | 'decode-exec'
  | 'obfuscation'
  | 'exfil-endpoint'
  | 'ip-literal-url'
  | 'dns-exfil'
  | 'self-propagation'
  | 'persistence'
  | 'miner'
  | 'reverse-shell'
  | 'destructive'
  | 'url-dependency';

/** One piece of evidence: a rule that matched at a place. */
export interface SourceMatch {
  rule: string;
  /** 0-based line (LSP style; add 1 when printing). */
  line: number;
  /** 0-based UTF-16 column of the match start. */
  column: number;
  /** Why this rule matters, one short sentence. */
  reason: string;
  /** Up to 120 characters of the matched text, for the report. */
  excerpt: string;
}

/** A suspicious pattern in one file of a project, archive or installed package. */
export interface SourceFinding {
  /** Stable rule id (`pth-exec`, `sensitive-file`, …). */
  rule: string;
  family: RuleFamily;
  severity: SourceSeverity;
  /** Posix path relative to the scanned root (or the archive's entry name). */
  file: string;
  /** One line: what the rule found and why it matters, including what raised the severity. */
  message: string;
  /** Where the first match is. */
  range: Range;
  /** Every line that matched this rule, then the capability lines that raised the score. */
  matches: SourceMatch[];
  /** Sort key: higher is worse (severity rank × 10 + escalation steps + evidence count, capped). */
  score: number;
  /** The file runs at install or interpreter start (setup.py, build.rs, lifecycle script, .pth …). */
  installTime: boolean;
  /** The package the file belongs to, when known (installed node_modules, .pth owner). */
  package?: string;
}

/** Limits that keep hostile input from exhausting time or memory. */
export interface ScanLimits {
  /** Bytes of one file that are scanned (head three quarters + tail quarter). */
  maxBytesPerFile: number;
  /** Files scanned per project or archive before stopping with a note. */
  maxFiles: number;
}

/** Defaults: 1 MiB a file, 20,000 files. */
export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxBytesPerFile: 1024 * 1024, maxFiles: 20_000 };

/** Options common to every entry point. */
export interface InspectOptions {
  /** Findings below this severity are dropped (default: low, i.e. keep all). */
  minSeverity?: SourceSeverity;
  limits?: Partial<ScanLimits>;
  /** Checked between files; stops the scan early with whatever was found. */
  signal?: AbortSignal;
}
