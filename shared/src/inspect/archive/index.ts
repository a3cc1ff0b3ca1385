import { readGem } from './gem';
import { stripCommonTop, type ArchiveFiles } from './entries';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './limits';
import { readTar, readTarGz } from './tar';
import { readZip } from './zip';
import { ArchiveBudget } from './limits';

export { ArchiveLimitError, DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './limits';
export type { ArchiveFiles } from './entries';

/** Package archive formats the scanner reads. */
export type ArchiveFormat = 'wheel' | 'zip' | 'sdist' | 'npm' | 'crate' | 'tgz' | 'tar' | 'gem';

/** Files of an archive, ready to scan, plus what the format says runs at install. */
export interface ArchiveContents {
  files: ArchiveFiles;
  installTimeFiles: string[];
}

/** Reads an archive in memory under limits; never writes anything. Rejects with ArchiveLimitError for hostile input. */
export async function readArchive(bytes: Uint8Array, format: ArchiveFormat, limits: Partial<ArchiveLimits> = {}): Promise<ArchiveContents> {
  const effective = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  switch (format) {
    case 'wheel':
    case 'zip':
      return { files: await readZip(bytes, effective), installTimeFiles: [] };
    case 'sdist':
    case 'npm':
    case 'crate':
    case 'tgz':
      return { files: stripCommonTop(await readTarGz(bytes, effective, format)), installTimeFiles: [] };
    case 'tar':
      return { files: stripCommonTop(await readTar(bytes, new ArchiveBudget(effective, bytes.length))), installTimeFiles: [] };
    case 'gem': {
      const gem = await readGem(bytes, effective);
      return { files: gem.files, installTimeFiles: gem.extensions };
    }
  }
}

/** Guesses the format from a file name (`x.whl`, `x.tgz`, `x.crate`, `x.gem`, `x.tar.gz`, `x.zip`). */
export function archiveFormatFromName(name: string): ArchiveFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.whl')) return 'wheel';
  if (lower.endsWith('.zip') || lower.endsWith('.egg')) return 'zip';
  if (lower.endsWith('.crate')) return 'crate';
  if (lower.endsWith('.gem')) return 'gem';
  if (lower.endsWith('.tgz') || lower.endsWith('.tar.gz')) return 'tgz';
  if (lower.endsWith('.tar')) return 'tar';
  return undefined;
}
