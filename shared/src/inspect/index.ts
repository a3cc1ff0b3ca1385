import { readArchive, type ArchiveFormat, type ArchiveLimits } from './archive';
import { DirectorySource } from './directorySource';
import { inspectSource, sortFindings, type InspectSourceOptions } from './inspectSource';
import { MemorySource } from './memorySource';
import { severityRank, type SourceFinding } from './types';

export * from './types';
export { inspectSource, sortFindings, type FileSource, type InspectSourceOptions } from './inspectSource';
export { DirectorySource, SKIPPED_DIRECTORIES } from './directorySource';
export { MemorySource } from './memorySource';
export { readArchive, archiveFormatFromName, ArchiveLimitError, DEFAULT_ARCHIVE_LIMITS, type ArchiveFormat, type ArchiveLimits } from './archive';
export { inspectInstalled, type InstalledOptions, type InstalledReport } from './installed';
export { toFinding, formatSourceFinding } from './report';

/** Options for `inspectProject`. */
export interface ProjectInspectOptions extends InspectSourceOptions {
  /** Directory names not to descend into (default: VCS folders, node_modules, virtualenvs, caches). */
  skipDirectories?: ReadonlySet<string>;
}

/** Source findings for a local project (`safe-install scan PATH`); the project's own code, not node_modules. */
export async function inspectProject(root: string, opts: ProjectInspectOptions = {}): Promise<SourceFinding[]> {
  const source = new DirectorySource(root, { ...(opts.skipDirectories ? { skip: opts.skipDirectories } : {}), maxFiles: (opts.limits?.maxFiles ?? 20_000) + 1 });
  return inspectSource(source, opts);
}

/** Options for `inspectArchive`. */
export interface ArchiveInspectOptions extends InspectSourceOptions {
  archiveLimits?: Partial<ArchiveLimits>;
}

/**
 * Source findings for a package archive held in memory (wheel, sdist, npm tgz, crate, gem).
 * Nothing is written anywhere; a hostile archive rejects with ArchiveLimitError.
 */
export async function inspectArchive(bytes: Uint8Array, format: ArchiveFormat, opts: ArchiveInspectOptions = {}): Promise<SourceFinding[]> {
  const contents = await readArchive(bytes, format, opts.archiveLimits);
  const findings = await inspectSource(new MemorySource(contents.files), {
    fromRegistry: format === 'npm',
    ...opts,
    installTimeFiles: [...(opts.installTimeFiles ?? []), ...contents.installTimeFiles],
  });
  if (format === 'gem' && contents.installTimeFiles.length > 0) {
    const message = `gem builds native extensions at install: ${contents.installTimeFiles.join(', ')}`;
    const extra: SourceFinding = {
      rule: 'gem-extension',
      family: 'install-hook',
      severity: 'low',
      file: 'metadata.gz',
      message,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      matches: [{ rule: 'gem-extension', line: 0, column: 0, reason: message, excerpt: contents.installTimeFiles.join(', ').slice(0, 120) }],
      score: 1,
      installTime: true,
    };
    if (opts.package !== undefined) extra.package = opts.package;
    if (severityRank('low') >= severityRank(opts.minSeverity ?? 'low')) findings.push(extra);
  }
  return sortFindings(findings);
}
