import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { hasSkipMarker, isSkippedSubdirectory } from '../engine/skipRules';
import type { FileSource } from './inspectSource';

// One skip rule for the manifest walk and for source inspection of a project (see engine/skipRules.ts).
export { SKIPPED_DIRECTORIES } from '../engine/skipRules';

/** Options for walking a directory. */
export interface DirectorySourceOptions {
  /** Directory names to skip (default: the shared rule: SKIPPED_DIRECTORIES, skip markers, `target/` beside Cargo.toml). */
  skip?: ReadonlySet<string>;
  /** Stop listing after this many files. */
  maxFiles?: number;
  maxDepth?: number;
}

/** A directory tree on disk, walked without following symbolic links; reads are capped per file. */
export class DirectorySource implements FileSource {
  constructor(
    private readonly root: string,
    private readonly options: DirectorySourceOptions = {},
  ) {}

  async list(): Promise<string[]> {
    const custom = this.options.skip;
    const maxFiles = this.options.maxFiles ?? 100_000;
    const maxDepth = this.options.maxDepth ?? 40;
    const out: string[] = [];
    const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
      if (depth > maxDepth || out.length >= maxFiles) return;
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return; // unreadable folders are skipped, not fatal
      }
      const siblings = new Set(entries.map((entry) => entry.name));
      if (custom === undefined && depth > 0 && hasSkipMarker(siblings)) return;
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        if (out.length >= maxFiles) return;
        const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
        if (entry.isDirectory()) {
          const skipped = custom ? custom.has(entry.name) : isSkippedSubdirectory(entry.name, siblings);
          if (!skipped) await walk(path.join(dir, entry.name), childRel, depth + 1);
        } else if (entry.isFile()) {
          out.push(childRel);
        }
      }
    };
    await walk(this.root, '', 0);
    return out;
  }

  async read(relPath: string, maxBytes: number): Promise<Uint8Array | undefined> {
    let handle;
    try {
      handle = await open(path.join(this.root, ...relPath.split('/')), 'r');
      const size = (await handle.stat()).size;
      const length = Math.min(size, maxBytes);
      const buffer = Buffer.alloc(length);
      let offset = 0;
      while (offset < length) {
        const { bytesRead } = await handle.read(buffer, offset, length - offset, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      return buffer.subarray(0, offset);
    } catch {
      return undefined;
    } finally {
      await handle?.close();
    }
  }
}
