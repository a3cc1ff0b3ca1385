/**
 * The one rule for which folders a workspace walk leaves out, shared by the manifest search
 * (`findManifests`) and source inspection of a project (`inspectProject`), so `scan` never reads
 * manifests in a folder whose code it skips, or the other way round. No imports: both layers use it.
 */

/**
 * Folders that hold installed or fetched third-party code, version-control data or tool caches, never the
 * project's own manifests or code. Build output (`dist`, `build`) is not listed: it is the project's own,
 * and a stray manifest or script there is worth seeing.
 */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
  'vendor',
  '.bundle',
  '.next',
  '.cache',
]);

/** Files whose presence makes a whole folder skipped: a virtualenv, or a cache (Cargo's `target/` has one). */
export const SKIP_MARKERS: readonly string[] = ['pyvenv.cfg', 'CACHEDIR.TAG'];

/**
 * Whether a walk leaves out the subfolder `name` of a folder holding `siblings` (entry names):
 * the names above, and `target/` beside a Cargo.toml (Cargo's build output, named `target` by default).
 */
export function isSkippedSubdirectory(name: string, siblings: ReadonlySet<string>): boolean {
  return SKIPPED_DIRECTORIES.has(name) || (name === 'target' && siblings.has('Cargo.toml'));
}

/** Whether a folder with these entry names is a virtualenv or a cache, to be left out with all it holds. */
export function hasSkipMarker(entryNames: Iterable<string>): boolean {
  for (const name of entryNames) if (SKIP_MARKERS.includes(name)) return true;
  return false;
}
