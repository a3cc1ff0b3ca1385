/**
 * The source half of a workspace scan: what the source inspector finds in the project's own files
 * (install hooks, download-and-run, credential reads, obfuscation …), walked with the same skip rule as
 * the manifest search, and placed under the ecosystem of the nearest manifest.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { classifyFile } from '../inspect/fileKind';
import { inspectProject, inspectSource, MemorySource, type InspectSourceOptions, type SourceFinding, type SourceLanguage } from '../inspect/index';
import type { Ecosystem } from '../model';
import type { ScannedManifest, WorkspaceScan } from './scanWorkspace';

/** A source finding placed in the scan: its file relative to the scan root, and the ecosystem it belongs to. */
export interface ScannedSourceFinding {
  /** Relative to the scan root, forward slashes. */
  file: string;
  /** The nearest manifest's ecosystem (see `nearestEcosystem`), or null when no manifest is above the file. */
  ecosystem: Ecosystem | null;
  finding: SourceFinding;
}

/** Inspects a folder (the default: `inspectProject`); tests hand in their own. */
export type ProjectInspector = (root: string, options: InspectSourceOptions) => Promise<SourceFinding[]>;

/** Options for the source stage. */
export interface SourceScanOptions {
  /** The folder or the single manifest the user asked to scan. */
  target: string;
  /** Whether `target` is a folder (else a single manifest file is inspected on its own). */
  targetIsDirectory: boolean;
  inspect?: ProjectInspector;
  readText?: (filePath: string) => Promise<string>;
  signal?: AbortSignal;
}

const ECOSYSTEM_OF_LANGUAGE: Partial<Record<SourceLanguage, Ecosystem>> = {
  python: 'PyPI',
  pth: 'PyPI',
  pyproject: 'PyPI',
  'setup-cfg': 'PyPI',
  javascript: 'npm',
  'package-json': 'npm',
  gyp: 'npm',
  rust: 'crates.io',
  go: 'Go',
  ruby: 'RubyGems',
};

/**
 * The ecosystem a project file belongs to: the manifests in its own folder, else the next folder up, and
 * so on to the scan root. Among manifests in the same folder, the one whose ecosystem matches the file's
 * language wins (a setup.py beside a package.json is Python); otherwise the first by path. Null when no
 * manifest is above the file: the finding is about the project, not a package ecosystem.
 */
export function nearestEcosystem(file: string, manifests: readonly Pick<ScannedManifest, 'file' | 'manifest'>[]): Ecosystem | null {
  const language = classifyFile(file)?.language;
  const preferred = language ? ECOSYSTEM_OF_LANGUAGE[language] : undefined;
  let dir = path.posix.dirname(file);
  for (;;) {
    const here = manifests.filter((m) => path.posix.dirname(m.file) === dir);
    if (here.length > 0) return (here.find((m) => m.manifest.ecosystem === preferred) ?? here[0])?.manifest.ecosystem ?? null;
    if (dir === '.' || dir === '/' || dir === '') return null;
    dir = path.posix.dirname(dir);
  }
}

/**
 * Runs the source inspector on the scan's target and stores what it finds on `scan.sourceFindings`.
 * A folder is walked with the shared skip rule (node_modules, VCS folders, virtualenvs, caches, vendor/,
 * Cargo's target/); a single manifest is inspected alone. Notes (limits reached, binary files) go to
 * `scan.notes`. Never rejects for a problem with one file.
 */
export async function addSourceFindings(scan: WorkspaceScan, options: SourceScanOptions): Promise<number> {
  const onNote = (note: string): void => {
    scan.notes.push(`source inspection: ${note}`);
  };
  const inspectOptions: InspectSourceOptions = { onNote, ...(options.signal ? { signal: options.signal } : {}) };
  let found: SourceFinding[];
  if (options.targetIsDirectory) {
    found = await (options.inspect ?? inspectProject)(scan.root, inspectOptions);
  } else {
    const name = path.basename(options.target);
    let text: string;
    try {
      text = await (options.readText ?? defaultReadText)(options.target);
    } catch (error) {
      onNote(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
    found = await inspectSource(new MemorySource(new Map([[name, text]])), inspectOptions);
  }
  const placed = found.map((finding) => ({ file: finding.file, ecosystem: nearestEcosystem(finding.file, scan.manifests), finding }));
  scan.sourceFindings = [...(scan.sourceFindings ?? []), ...placed];
  return placed.length;
}

function defaultReadText(filePath: string): Promise<string> {
  return readFile(filePath, 'utf8');
}
