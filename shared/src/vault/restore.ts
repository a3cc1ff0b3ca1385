/**
 * Puts vault entries back. Never overwrites: a path that exists again (the user or a tool created it meanwhile)
 * keeps its new content; for a folder the originals are merged back entry by entry, and a clashing file is restored
 * beside it as `<path>.safe-install-restored-<timestamp>`. Every step is a rename or a link+unlink, so running it
 * again after a crash at any point finishes the job (idempotent).
 */
import path from 'node:path';
import { errorCode } from '../io';
import type { VaultFileSystem } from './vaultFs';

/** What happened to one vault entry. */
export interface RestoreOutcome {
  original: string;
  /** restored: back in place; merged: folder merged into one created meanwhile; aside: kept beside the new file. */
  result: 'restored' | 'merged' | 'aside' | 'absent';
  /** Where the original went when it could not go back in place. */
  asidePaths: string[];
}

/** The suffix for originals kept beside a file created meanwhile. */
export function asideName(original: string, now: Date): string {
  return `${original}.safe-install-restored-${now.toISOString().replace(/[:.]/g, '-')}`;
}

/** Moves `stored` to `target` without replacing anything at `target`; false when `target` exists. */
async function moveNoClobber(fs: VaultFileSystem, stored: string, target: string, kind: string): Promise<boolean> {
  if (kind !== 'directory') {
    try {
      // link() fails with EEXIST instead of replacing: the atomic no-clobber rename POSIX lacks.
      await fs.link(stored, target);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK') throw error;
      // Hard links not allowed here: fall back to a checked rename (a narrow window, documented).
      if ((await fs.lstat(target)) !== undefined) return false;
      await fs.rename(stored, target);
      return true;
    }
    await fs.unlink(stored);
    return true;
  }
  if ((await fs.lstat(target)) !== undefined) return false;
  // rename() onto a missing path; a folder created in the instant between the check and here makes it fail
  // with ENOTEMPTY/EEXIST unless that folder is empty (then the empty folder is replaced, nothing is lost).
  await fs.rename(stored, target);
  return true;
}

async function restoreAside(fs: VaultFileSystem, stored: string, original: string, kind: string, now: Date): Promise<string> {
  for (let n = 0; ; n++) {
    const target = n === 0 ? asideName(original, now) : `${asideName(original, now)}-${n}`;
    if (await moveNoClobber(fs, stored, target, kind)) return target;
  }
}

/** Restores one vault entry to `original`; see the module comment for the rules. */
export async function restoreEntry(fs: VaultFileSystem, stored: string, original: string, now: Date): Promise<RestoreOutcome> {
  const storedStat = await fs.lstat(stored);
  if (storedStat === undefined) return { original, result: 'absent', asidePaths: [] };
  const current = await fs.lstat(original);
  if (current !== undefined && current.dev === storedStat.dev && current.ino === storedStat.ino) {
    // A crash between link() and unlink(): the original is already back; drop the second name.
    await fs.unlink(stored);
    return { original, result: 'restored', asidePaths: [] };
  }
  if (current === undefined && (await moveNoClobber(fs, stored, original, storedStat.kind))) {
    await fs.fsyncDir(path.dirname(original));
    return { original, result: 'restored', asidePaths: [] };
  }
  const now2 = await fs.lstat(original);
  if (storedStat.kind === 'directory' && now2?.kind === 'directory') {
    // Something created the folder again (ssh writing known_hosts, gpg creating ~/.gnupg): merge the originals in.
    const asidePaths: string[] = [];
    for (const name of (await fs.readDir(stored)) ?? []) {
      const outcome = await restoreEntry(fs, path.join(stored, name), path.join(original, name), now);
      asidePaths.push(...outcome.asidePaths);
    }
    await fs.chmod(original, storedStat.mode);
    await fs.rmdir(stored);
    await fs.fsyncDir(original);
    return { original, result: 'merged', asidePaths };
  }
  const aside = await restoreAside(fs, stored, original, storedStat.kind, now);
  await fs.fsyncDir(path.dirname(original));
  return { original, result: 'aside', asidePaths: [aside] };
}
