/**
 * Looks at an installed tree the way a hostile archive would want it to look: links leading outside,
 * hardlinks, device nodes, FIFOs, sockets, setuid/setgid bits. Used on both halves of the matrix: the
 * control shows what the plain package manager let through, the sandbox half must show nothing.
 */
import { lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';

/** One thing in the tree a safe copy-out would have refused. */
export interface TreeViolation {
  path: string;
  what: 'symlink-outside' | 'symlink-absolute' | 'hardlink' | 'device' | 'fifo' | 'socket' | 'setuid';
  detail?: string;
}

/** Walks `root` (not following links) and lists violations; a missing root has none. */
export async function auditTree(root: string): Promise<TreeViolation[]> {
  const out: TreeViolation[] = [];
  async function walk(dir: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full);
      const st = await lstat(full);
      if (st.isSymbolicLink()) {
        const target = await readlink(full);
        if (path.isAbsolute(target)) out.push({ path: rel, what: 'symlink-absolute', detail: target });
        else {
          const resolved = path.resolve(path.dirname(full), target);
          if (resolved !== root && !resolved.startsWith(root + path.sep)) out.push({ path: rel, what: 'symlink-outside', detail: target });
        }
        continue;
      }
      if (st.isCharacterDevice() || st.isBlockDevice()) out.push({ path: rel, what: 'device' });
      else if (st.isFIFO()) out.push({ path: rel, what: 'fifo' });
      else if (st.isSocket()) out.push({ path: rel, what: 'socket' });
      if ((st.mode & 0o6000) !== 0) out.push({ path: rel, what: 'setuid', detail: (st.mode & 0o7777).toString(8) });
      if (st.isFile() && st.nlink > 1) out.push({ path: rel, what: 'hardlink', detail: `${st.nlink} links` });
      if (st.isDirectory()) await walk(full);
    }
  }
  await walk(root);
  return out;
}

/** Paths under `root` (links not followed) whose base name is one of `names`. */
export async function findNamed(root: string, names: ReadonlySet<string>, skip: ReadonlySet<string> = new Set()): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (skip.has(full)) continue;
      if (names.has(e.name)) found.push(full);
      if (e.isDirectory()) await walk(full);
    }
  }
  await walk(root);
  return found;
}
