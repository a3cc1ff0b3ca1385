import { classifyFile, needsShebang } from '../fileKind';

/** Files read out of an archive: posix path → bytes. Only files worth scanning are kept. */
export type ArchiveFiles = Map<string, Uint8Array>;

/** Keep an entry's bytes only when the scanner would look at it; everything else is counted and dropped. */
export function isWorthKeeping(name: string): boolean {
  return classifyFile(name) !== undefined || needsShebang(name);
}

/** Entry names normalised to posix, never absolute, never escaping the root; undefined for unsafe names. */
export function safeEntryName(raw: string): string | undefined {
  const parts: string[] = [];
  for (const part of raw.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  if (parts.length === 0 || /^[A-Za-z]:$/.test(parts[0] ?? '')) return undefined;
  return parts.join('/');
}

/** Removes a top folder every entry shares (`package/`, `name-1.0/`), so manifests sit at the root. */
export function stripCommonTop(files: ArchiveFiles): ArchiveFiles {
  let top: string | undefined;
  for (const name of files.keys()) {
    const slash = name.indexOf('/');
    if (slash < 0) return files;
    const head = name.slice(0, slash);
    if (top === undefined) top = head;
    else if (top !== head) return files;
  }
  if (top === undefined) return files;
  const out: ArchiveFiles = new Map();
  for (const [name, bytes] of files) out.set(name.slice(top.length + 1), bytes);
  return out;
}
