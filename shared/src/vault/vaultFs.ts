/**
 * The file operations the vault uses, behind an interface so tests can inject faults (EXDEV, EACCES) while
 * everything else stays real. All async; durability (fsync of files and folders) is explicit.
 */
import { constants as fsConstants } from 'node:fs';
import { chmod, link, lstat, mkdir, open, readdir, readFile, rename, rmdir, unlink } from 'node:fs/promises';

/** The facts the vault compares: device (same file system?), inode (same file?), mode and owner. */
export interface VaultStat {
  dev: number;
  ino: number;
  mode: number;
  uid: number;
  kind: 'file' | 'directory' | 'symlink' | 'other';
}

/** File operations with vault semantics: reads resolve to undefined when the path is missing. */
export interface VaultFileSystem {
  lstat(p: string): Promise<VaultStat | undefined>;
  rename(from: string, to: string): Promise<void>;
  /** Hard link; fails with EEXIST when `to` exists (the no-clobber restore relies on that). */
  link(from: string, to: string): Promise<void>;
  unlink(p: string): Promise<void>;
  rmdir(p: string): Promise<void>;
  /** mkdir -p with the mode applied to every folder it creates. */
  mkdirs(p: string, mode: number): Promise<void>;
  chmod(p: string, mode: number): Promise<void>;
  readDir(p: string): Promise<string[] | undefined>;
  readText(p: string): Promise<string | undefined>;
  /** Creates `p` (failing with EEXIST when it exists), writes, fsyncs and closes it. */
  writeNewDurable(p: string, text: string, mode: number): Promise<void>;
  /** fsync a folder so renames and creations inside it survive a power cut. */
  fsyncDir(p: string): Promise<void>;
}

function kindOf(s: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): VaultStat['kind'] {
  return s.isFile() ? 'file' : s.isDirectory() ? 'directory' : s.isSymbolicLink() ? 'symlink' : 'other';
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The real file system. */
export const nodeVaultFileSystem: VaultFileSystem = {
  async lstat(p) {
    try {
      const s = await lstat(p);
      return { dev: Number(s.dev), ino: Number(s.ino), mode: Number(s.mode) & 0o7777, uid: Number(s.uid), kind: kindOf(s) };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },
  rename: (from, to) => rename(from, to),
  link: (from, to) => link(from, to),
  unlink: (p) => unlink(p),
  rmdir: (p) => rmdir(p),
  async mkdirs(p, mode) {
    await mkdir(p, { recursive: true, mode });
  },
  chmod: (p, mode) => chmod(p, mode),
  async readDir(p) {
    try {
      return await readdir(p);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },
  async readText(p) {
    try {
      return await readFile(p, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },
  async writeNewDurable(p, text, mode) {
    const handle = await open(p, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async fsyncDir(p) {
    // Windows cannot open folders for fsync; there the rename itself is as durable as it gets.
    if (process.platform === 'win32') return;
    const handle = await open(p, fsConstants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
