/**
 * The few file-system reads local package indexes need, behind an interface so tests can inject
 * failures. Asynchronous only: the language server must never block on a slow or network-mounted disk.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { errorCode } from '../../io';

/** What is at a path. */
export type PathKind = 'dir' | 'file';

/** Reads local index folders; rejects only on errors other than "nothing there" (e.g. permission). */
export interface LocalFs {
  /** A folder, a file, or undefined when nothing is at `path`. */
  kind(path: string): Promise<PathKind | undefined>;
  /** A file's size in bytes, or undefined when it cannot be told. */
  size(file: string): Promise<number | undefined>;
  /** The entry names of a folder. */
  list(dir: string): Promise<string[]>;
  /** A file's text; rejects when it is larger than `maxBytes`. */
  readText(file: string, maxBytes: number): Promise<string>;
}

const MISSING = new Set(['ENOENT', 'ENOTDIR']);

/** The real file system (node:fs/promises). */
export const nodeLocalFs: LocalFs = {
  async kind(path) {
    try {
      const info = await stat(path);
      return info.isDirectory() ? 'dir' : 'file';
    } catch (error) {
      if (MISSING.has(errorCode(error) ?? '')) return undefined;
      throw error;
    }
  },
  async size(file) {
    try {
      return (await stat(file)).size;
    } catch {
      return undefined;
    }
  },
  list: (dir) => readdir(dir),
  async readText(file, maxBytes) {
    const info = await stat(file);
    if (info.size > maxBytes) throw new Error(`${file} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
    return readFile(file, 'utf8');
  },
};

/** A short, user-readable reason for a file-system error (`EACCES` rather than a stack). */
export function describeFsError(error: unknown): string {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code) return code;
  return error instanceof Error ? error.message : String(error);
}
