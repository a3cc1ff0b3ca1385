import path from 'node:path';
import { loadEffectiveConfig, projectConfigPath, type EffectiveConfig } from '../config/loadEffectiveConfig';
import { manifestKindForPath, parseManifest } from '../manifests/index';
import type { Ecosystem, Finding, ManifestKind, ParsedManifest } from '../model';
import type { TyposquatDetector } from '../typosquat/detector';
import { DEFAULT_SCAN_LIMITS, displayPath, findManifests, type FoundManifest, type ScanLimits } from './findManifests';
import { offlineFindings } from './offlineFindings';
import type { ScannedSourceFinding } from './sourceScan';
import { isInside, type WorkspaceFileSystem } from './workspaceFileSystem';

/** What a workspace scan needs; everything with side effects comes in through here. */
export interface ScanWorkspaceOptions {
  /** A directory (every manifest below it) or a single manifest file. */
  target: string;
  fs: WorkspaceFileSystem;
  typosquat: TyposquatDetector;
  /** The user's config file; omitted: none. */
  userConfigPath?: string;
  limits?: Partial<ScanLimits>;
  /** Defaults to the engine's parseManifest; tests may hand in their own. */
  parse?: (kind: ManifestKind, text: string) => ParsedManifest;
}

/** One manifest and what the offline checks found in it. */
export interface ScannedManifest {
  /** Absolute path. */
  path: string;
  /** Relative to the scan root, forward slashes. */
  file: string;
  kind: ManifestKind;
  manifest: ParsedManifest;
  findings: Finding[];
}

/** Everything a scan found, in path order. */
export interface WorkspaceScan {
  /** The resolved directory paths are relative to. */
  root: string;
  manifests: ScannedManifest[];
  config: EffectiveConfig;
  /** What was left out and why (limits, unreadable files); not findings, since no manifest line is at fault. */
  notes: string[];
  /** What source inspection found in the project's own files (`addSourceFindings`); absent when it did not run. */
  sourceFindings?: ScannedSourceFinding[];
}

const ECOSYSTEM_OF_KIND: Record<ManifestKind, Ecosystem> = {
  requirements: 'PyPI',
  pyproject: 'PyPI',
  'package-json': 'npm',
  cargo: 'crates.io',
  'go-mod': 'Go',
  gemfile: 'RubyGems',
};

/** The ecosystem a manifest kind belongs to. */
export function ecosystemOfKind(kind: ManifestKind): Ecosystem {
  return ECOSYSTEM_OF_KIND[kind];
}

/** Reads files this many at a time: enough to hide latency, few enough to stay far below file-handle limits. */
const READ_CONCURRENCY = 16;

/**
 * Finds every manifest under the target, reads the project and user config, and runs the offline checks
 * (parse errors, typosquats) on each, as the language server would for open documents. Requirements files
 * pulled in with `-r`/`-c` are scanned too when they lie inside the root. Rejects only when the target
 * itself cannot be read; problems with single files become findings or notes.
 */
export async function scanWorkspace(options: ScanWorkspaceOptions): Promise<WorkspaceScan> {
  const limits = { ...DEFAULT_SCAN_LIMITS, ...options.limits };
  const parse = options.parse ?? parseManifest;
  const resolvedTarget = await options.fs.realPath(path.resolve(options.target));
  const targetKind = (await options.fs.stat(resolvedTarget)).kind;
  let root: string;
  let found: FoundManifest[];
  const notes: string[] = [];
  if (targetKind === 'directory') {
    root = resolvedTarget;
    const search = await findManifests(root, options.fs, limits);
    found = search.manifests;
    notes.push(...search.notes);
  } else {
    root = path.dirname(resolvedTarget);
    const kind = manifestKindForPath(resolvedTarget);
    if (!kind) throw new Error(`${path.basename(resolvedTarget)} is not a manifest this tool reads`);
    found = [{ path: resolvedTarget, kind }];
  }

  const config = await loadEffectiveConfig({
    ...(options.userConfigPath !== undefined ? { userConfigPath: options.userConfigPath } : {}),
    projectConfigPath: projectConfigPath(root),
    reader: options.fs,
  });
  const check = async (item: FoundManifest): Promise<ScannedManifest | undefined> => {
    const text = await readManifest(item.path, options.fs, limits.maxFileBytes, root, notes);
    if (text === undefined) return undefined;
    const manifest = safeParse(parse, item.kind, text);
    const findings = offlineFindings(manifest, { typosquat: options.typosquat, config: config.config });
    return { path: item.path, file: displayPath(root, item.path), kind: item.kind, manifest, findings };
  };

  const scanned: ScannedManifest[] = [];
  const seen = new Set(found.map((item) => item.path));
  let queue = found;
  while (queue.length > 0) {
    const results = await mapBounded(queue, READ_CONCURRENCY, check);
    const next: FoundManifest[] = [];
    for (const result of results) {
      if (!result) continue;
      scanned.push(result);
      for (const include of includedFiles(result, root)) {
        if (seen.has(include) || seen.size >= limits.maxManifests) continue;
        seen.add(include);
        next.push({ path: include, kind: 'requirements' });
      }
    }
    queue = next;
  }
  scanned.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { root, manifests: scanned, config, notes };
}

/** Absolute paths of the requirements files this one includes, when they stay inside the root. */
function includedFiles(scanned: ScannedManifest, root: string): string[] {
  const out: string[] = [];
  for (const include of scanned.manifest.includes ?? []) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(include.path)) continue; // a URL: nothing to read locally
    const target = path.resolve(path.dirname(scanned.path), include.path);
    if (isInside(root, target)) out.push(target);
  }
  return out;
}

async function readManifest(filePath: string, fs: WorkspaceFileSystem, maxBytes: number, root: string, notes: string[]): Promise<string | undefined> {
  try {
    const info = await fs.stat(filePath);
    if (info.kind !== 'file') return undefined;
    if (info.size > maxBytes) {
      notes.push(`skipped ${displayPath(root, filePath)}: larger than ${maxBytes} bytes`);
      return undefined;
    }
    return await fs.readText(filePath);
  } catch (error) {
    notes.push(`skipped ${displayPath(root, filePath)}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** A parser that throws is a bug, but one bad file must not end the scan: its error becomes a parse error. */
function safeParse(parse: (kind: ManifestKind, text: string) => ParsedManifest, kind: ManifestKind, text: string): ParsedManifest {
  try {
    return parse(kind, text);
  } catch (error) {
    return {
      kind,
      ecosystem: ecosystemOfKind(kind),
      dependencies: [],
      errors: [
        {
          message: `Could not read this manifest: ${error instanceof Error ? error.message : String(error)}`,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        },
      ],
    };
  }
}

/** Maps with at most `limit` calls in flight, keeping input order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
