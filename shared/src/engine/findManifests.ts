import path from 'node:path';
import type { ManifestKind } from '../model';
import { manifestKindForPath } from '../manifests/index';
import { hasSkipMarker, isSkippedSubdirectory } from './skipRules';
import { isInside, type WorkspaceFileSystem } from './workspaceFileSystem';

/** The folder names every walk skips; re-exported from the shared rule (`skipRules.ts`). */
export { SKIPPED_DIRECTORIES } from './skipRules';

/** Bounds that keep a scan of a huge or hostile tree finite. */
export interface ScanLimits {
  maxDepth: number;
  /** Directory entries looked at, in total. */
  maxEntries: number;
  maxManifests: number;
  /** Bigger manifests are reported, not read. */
  maxFileBytes: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxDepth: 32, maxEntries: 200_000, maxManifests: 5_000, maxFileBytes: 5 * 1024 * 1024 };

/** A manifest found under the root. */
export interface FoundManifest {
  /** Absolute path (below the resolved root). */
  path: string;
  kind: ManifestKind;
}

/** The manifests, sorted by path, and notes about what was left out (limits hit, unreadable directories). */
export interface ManifestSearch {
  manifests: FoundManifest[];
  notes: string[];
}

/**
 * Walks `root` (an absolute, symlink-resolved directory) for manifest files. Skips what `skipRules.ts`
 * says (third-party, VCS and cache folders, virtualenvs, `target/` beside a Cargo.toml). Never follows a symlinked
 * directory (no cycles, no escapes); a symlinked file counts only when it resolves inside the root.
 */
export async function findManifests(root: string, fs: WorkspaceFileSystem, limits: ScanLimits = DEFAULT_SCAN_LIMITS): Promise<ManifestSearch> {
  const manifests: FoundManifest[] = [];
  const notes: string[] = [];
  let entriesSeen = 0;
  const stack: Array<{ dir: string; depth: number }> = [{ dir: root, depth: 0 }];
  while (stack.length > 0) {
    const { dir, depth } = stack.pop() as { dir: string; depth: number };
    let entries;
    try {
      entries = await fs.readDirectory(dir);
    } catch (error) {
      notes.push(`skipped ${displayPath(root, dir)}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (depth > 0 && hasSkipMarker(entries.map((entry) => entry.name))) continue;
    entriesSeen += entries.length;
    if (entriesSeen > limits.maxEntries) {
      notes.push(`stopped after ${limits.maxEntries} directory entries; scan a smaller folder to see the rest`);
      break;
    }
    const siblings = new Set(entries.map((entry) => entry.name));
    const subdirectories: string[] = [];
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.kind === 'directory') {
        if (isSkippedSubdirectory(entry.name, siblings)) continue;
        if (depth + 1 > limits.maxDepth) {
          notes.push(`not entered (deeper than ${limits.maxDepth} levels): ${displayPath(root, full)}`);
          continue;
        }
        subdirectories.push(full);
        continue;
      }
      const kind = manifestKindForPath(entry.name);
      if (!kind) continue;
      if (entry.kind === 'symlink' && !(await symlinkedFileInside(root, full, fs))) {
        notes.push(`skipped ${displayPath(root, full)}: a symlink to a file outside the scanned folder`);
        continue;
      }
      if (entry.kind === 'file' || entry.kind === 'symlink') manifests.push({ path: full, kind });
    }
    // Pushed in reverse so directories are visited in name order.
    for (const sub of subdirectories.sort().reverse()) stack.push({ dir: sub, depth: depth + 1 });
  }
  manifests.sort((a, b) => compareStrings(a.path, b.path));
  if (manifests.length > limits.maxManifests) {
    notes.push(`only the first ${limits.maxManifests} of ${manifests.length} manifests were checked`);
    manifests.length = limits.maxManifests;
  }
  return { manifests, notes };
}

async function symlinkedFileInside(root: string, linkPath: string, fs: WorkspaceFileSystem): Promise<boolean> {
  try {
    const target = await fs.realPath(linkPath);
    return isInside(root, target) && (await fs.stat(target)).kind === 'file';
  } catch {
    return false;
  }
}

/** A path relative to the root with forward slashes, as every output shows it. */
export function displayPath(root: string, filePath: string): string {
  const relative = path.relative(root, filePath);
  return relative === '' ? '.' : relative.split(path.sep).join('/');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
