/**
 * Lists the entries of a package tarball that an extractor must refuse: paths with `..` or absolute
 * paths, symlinks, hardlinks, devices, FIFOs and setuid/setgid bits. npm drops such entries silently
 * (a TAR_ENTRY warning at most, naming no package), so the npm plan runs every fetched tarball through
 * this to say which package carried them. Reads in memory under the scanner's archive limits.
 */
import { Parser, type ReadEntry } from 'tar';
import { gunzipCapped } from '../inspect/archive/tar';
import { ArchiveBudget, DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from '../inspect/archive/limits';

/** One refused entry: what is wrong and the entry's name. */
export interface HostileEntry {
  kind: 'dotdot' | 'absolute' | 'symlink' | 'hardlink' | 'device' | 'fifo' | 'setuid';
  path: string;
  /** Link target, when the entry is a link. */
  target?: string;
}

function hostileKinds(entry: ReadEntry): HostileEntry['kind'][] {
  const kinds: HostileEntry['kind'][] = [];
  const name = entry.path.replace(/\\/g, '/');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) kinds.push('absolute');
  if (name.split('/').includes('..')) kinds.push('dotdot');
  switch (entry.type) {
    case 'SymbolicLink': kinds.push('symlink'); break;
    case 'Link': kinds.push('hardlink'); break;
    case 'CharacterDevice':
    case 'BlockDevice': kinds.push('device'); break;
    case 'FIFO': kinds.push('fifo'); break;
    default: break;
  }
  if (((entry.mode ?? 0) & 0o6000) !== 0) kinds.push('setuid');
  return kinds;
}

/** The hostile entries of a gzipped tarball (empty for a clean one). Rejects for input that is not a tarball or breaks the limits. */
export async function hostileTarballEntries(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<HostileEntry[]> {
  const budget = new ArchiveBudget(limits, bytes.length);
  const plain = await gunzipCapped(bytes, budget, 'tarball');
  return new Promise((resolve, reject) => {
    const found: HostileEntry[] = [];
    // node-tar's parser in strict mode: a malformed header is an error, never a silent skip.
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        try {
          budget.addEntry(entry.path);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
        for (const kind of hostileKinds(entry)) found.push({ kind, path: entry.path, ...(entry.linkpath ? { target: entry.linkpath } : {}) });
        entry.resume();
      },
    });
    parser.on('error', (error: Error) => reject(error));
    parser.on('end', () => resolve(found));
    parser.end(plain);
  });
}

const WORDS: Record<HostileEntry['kind'], string> = {
  dotdot: 'path escaping with ..',
  absolute: 'absolute path',
  symlink: 'symlink',
  hardlink: 'hardlink',
  device: 'device node',
  fifo: 'FIFO',
  setuid: 'setuid/setgid bit',
};

/** Short human text: `symlink package/x -> /home/…, FIFO package/f`. */
export function describeHostileEntries(entries: readonly HostileEntry[], max = 5): string {
  const parts = entries.slice(0, max).map((e) => `${WORDS[e.kind]} ${e.path}${e.target ? ` -> ${e.target}` : ''}`);
  return `${parts.join(', ')}${entries.length > max ? `, … (${entries.length} in all)` : ''}`;
}
