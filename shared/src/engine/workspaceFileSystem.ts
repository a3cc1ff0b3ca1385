import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TextFileReader } from '../io';

/** What a directory entry is, without following symlinks. */
export type WorkspaceEntryKind = 'file' | 'directory' | 'symlink' | 'other';

/** One directory entry. */
export interface WorkspaceEntry {
  name: string;
  kind: WorkspaceEntryKind;
}

/** The file-system calls a workspace scan needs; tests can hand in a fake. */
export interface WorkspaceFileSystem extends TextFileReader {
  /** Entries of a directory (symlinks reported as `symlink`, not followed). */
  readDirectory(dirPath: string): Promise<WorkspaceEntry[]>;
  /** The canonical path with every symlink resolved. */
  realPath(filePath: string): Promise<string>;
  /** Kind and size of what the path points at (follows symlinks). */
  stat(filePath: string): Promise<{ kind: WorkspaceEntryKind; size: number }>;
}

/** The real file system, asynchronous throughout (the language server may use it too). */
export const nodeWorkspaceFileSystem: WorkspaceFileSystem = {
  readText: (filePath) => readFile(filePath, 'utf8'),
  async readDirectory(dirPath) {
    const entries = await readdir(dirPath, { withFileTypes: true });
    return entries.map((entry) => ({
      name: entry.name,
      kind: entry.isSymbolicLink() ? 'symlink' : entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : 'other',
    }));
  },
  realPath: (filePath) => realpath(filePath),
  async stat(filePath) {
    const info = await stat(filePath);
    return { kind: info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other', size: info.size };
  },
};

/** True when `child` is `parent` or lies below it (both absolute, already resolved). */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

