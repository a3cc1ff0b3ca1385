import { classifyFile, needsShebang } from './fileKind';
import { inspectBindingGyp } from './hooks/bindingGyp';
import { inspectPackageJson } from './hooks/packageJson';
import { inspectPth } from './hooks/pth';
import { inspectPyproject } from './hooks/pyproject';
import { scanText } from './scanText';
import { DEFAULT_SCAN_LIMITS, severityRank, type InspectOptions, type ScanLimits, type SourceFinding } from './types';

/** A tree of files to inspect: a project directory, an archive held in memory, an installed package. */
export interface FileSource {
  /** Every file, as posix paths relative to the root. */
  list(): Promise<string[]>;
  /** The file's bytes (at most `maxBytes` of them; more only when cheap), or undefined when unreadable. */
  read(path: string, maxBytes: number): Promise<Uint8Array | undefined>;
}

/** Options for inspecting a file tree. */
export interface InspectSourceOptions extends InspectOptions {
  /** The package the tree belongs to, copied onto every finding. */
  package?: string;
  /** Paths (relative to the root) known to run at install time from outside the tree (e.g. lifecycle scripts). */
  installTimeFiles?: readonly string[];
  /** The tree is a registry tarball (npm never runs its `prepare` script). */
  fromRegistry?: boolean;
  /** Told about skipped files and limits reached; never about clean files. */
  onNote?: (note: string) => void;
}

const MANIFEST_NAMES = new Set(['package.json', 'pyproject.toml']);

/** Limits with defaults filled in. */
export function effectiveLimits(limits: Partial<ScanLimits> | undefined): ScanLimits {
  return { ...DEFAULT_SCAN_LIMITS, ...limits };
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** UTF-8 text, or undefined for binary content (a NUL byte early on). */
export function decodeText(bytes: Uint8Array): string | undefined {
  const probe = bytes.subarray(0, 8000);
  if (probe.includes(0)) return undefined;
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/** Lets other work run between files: a large archive or project must not freeze the server. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Inspects a file tree in two passes: manifests first (they name the files that run at install time:
 * lifecycle script targets, in-tree build backends), then every code file, scored as install-time when it is.
 */
export async function inspectSource(source: FileSource, opts: InspectSourceOptions = {}): Promise<SourceFinding[]> {
  const limits = effectiveLimits(opts.limits);
  const pkg = opts.package;
  const minRank = severityRank(opts.minSeverity ?? 'low');
  const note = opts.onNote ?? (() => undefined);
  const findings: SourceFinding[] = [];
  const installTime = new Set(opts.installTimeFiles ?? []);

  let paths = await source.list();
  if (paths.length > limits.maxFiles) {
    note(`only the first ${limits.maxFiles} of ${paths.length} files were scanned`);
    paths = paths.slice(0, limits.maxFiles);
  }
  const readText = async (path: string): Promise<string | undefined> => {
    // Read generously: scanText scans head and tail of oversized files; only giant ones are cut on read.
    const bytes = await source.read(path, limits.maxBytesPerFile * 16);
    if (!bytes) return undefined;
    const text = decodeText(bytes);
    if (text === undefined) note(`${path}: binary content, not scanned`);
    return text;
  };

  // Pass 1: manifests, which decide what else runs at install time.
  for (const path of paths) {
    const name = baseName(path);
    if (!MANIFEST_NAMES.has(name)) continue;
    const text = await readText(path);
    if (text === undefined) continue;
    const result = name === 'package.json' ? inspectPackageJson(path, text, limits.maxBytesPerFile, pkg, { fromRegistry: opts.fromRegistry === true }) : inspectPyproject(path, text, pkg);
    findings.push(...result.findings);
    for (const file of result.installTimeFiles) installTime.add(file);
  }

  // Pass 2: code.
  let scanned = 0;
  for (const path of paths) {
    if (opts.signal?.aborted) {
      note('scan cancelled');
      break;
    }
    const name = baseName(path);
    if (MANIFEST_NAMES.has(name)) continue;
    let kind = classifyFile(path);
    let text: string | undefined;
    if (!kind && (needsShebang(path) || installTime.has(path))) {
      text = await readText(path);
      if (text === undefined) continue;
      kind = classifyFile(path, text.slice(0, 200).split('\n', 1)[0]) ?? (installTime.has(path) ? { language: 'shell', installTime: true } : undefined);
    }
    if (!kind) continue;
    text ??= await readText(path);
    if (text === undefined) continue;
    const isInstallTime = kind.installTime || installTime.has(path);
    if (kind.language === 'pth') {
      findings.push(...inspectPth(path, text, limits.maxBytesPerFile, pkg).findings);
    } else {
      if (kind.language === 'gyp') findings.push(...inspectBindingGyp(path, text, pkg));
      findings.push(...scanText({ file: path, text, language: kind.language, installTime: isInstallTime, maxBytes: limits.maxBytesPerFile, ...(pkg !== undefined ? { package: pkg } : {}) }));
    }
    if (++scanned % 50 === 0) await yieldToEventLoop();
  }
  return sortFindings(findings.filter((f) => severityRank(f.severity) >= minRank));
}

/** Worst first, then by file and line, so reports are stable. */
export function sortFindings(findings: SourceFinding[]): SourceFinding[] {
  return findings.sort((a, b) => b.score - a.score || a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.rule.localeCompare(b.rule));
}
