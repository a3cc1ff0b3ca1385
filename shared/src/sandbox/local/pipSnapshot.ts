/**
 * All-or-nothing for the local pip install: before pip touches the environment, every file it may
 * overwrite or remove is copied aside — the files listed in the RECORD of each installed distribution a
 * wheel replaces, and any existing file at a path a wheel writes — and the folders it may create are
 * noted. If pip fails halfway (a later wheel breaks after earlier ones were upgraded), the caller
 * uninstalls what pip put in, and `restore()` puts every saved file back with its mode and removes the
 * folders that were not there before, so the environment is byte-identical to what it was.
 */
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { pathExists } from '../pathExists';

/** PEP 503 name normalisation. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Distribution name of a wheel file (`name-version(-build)?-py-abi-plat.whl`). */
export function wheelDistribution(file: string): string {
  return normalize(path.basename(file).split('-')[0] ?? '');
}

/** An installed distribution's `name-version.dist-info` folder in one site-packages folder. */
export interface DistInfoFolder {
  /** The folder's own name, e.g. `Foo_Bar-1.0.dist-info`. */
  folder: string;
  /** PEP 503 normalised distribution name. */
  name: string;
  version: string;
}

/** The `*.dist-info` folders of one site-packages folder; none when it cannot be listed. */
export async function distInfoFolders(sitePackages: string): Promise<DistInfoFolder[]> {
  let entries: string[];
  try {
    entries = await readdir(sitePackages);
  } catch {
    return [];
  }
  const found: DistInfoFolder[] = [];
  for (const folder of entries) {
    const m = /^(.+)-([^-]+)\.dist-info$/.exec(folder);
    if (m?.[1] && m[2]) found.push({ folder, name: normalize(m[1]), version: m[2] });
  }
  return found;
}

/** Entry names of a wheel (its zip central directory; no content is read). */
export function wheelEntryNames(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error(`cannot open ${file}`));
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('/')) names.push(entry.fileName);
        zip.readEntry();
      });
      zip.once('end', () => resolve(names));
      zip.once('error', reject);
      zip.readEntry();
    });
  });
}

/** Where a wheel entry lands in site-packages (`.data/purelib|platlib` unpacked; other `.data` parts are skipped). */
function entryTarget(sitePackages: string, name: string): string | undefined {
  const parts = name.split('/');
  if (parts.some((p) => p === '..' || p === '') || path.isAbsolute(name)) return undefined;
  const data = /^[^/]+\.data$/.test(parts[0] ?? '');
  if (!data) return path.join(sitePackages, ...parts);
  if (parts[1] === 'purelib' || parts[1] === 'platlib') return path.join(sitePackages, ...parts.slice(2));
  return undefined;
}

/** Paths in a RECORD file (first CSV field, which may be quoted). */
export function recordPaths(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const m = line.startsWith('"') ? /^"((?:[^"]|"")*)"/.exec(line) : /^([^,]*)/.exec(line);
    if (m?.[1]) out.push(m[1].replace(/""/g, '"'));
  }
  return out;
}

interface SavedFile {
  target: string;
  copy: string;
  mode: number;
}

/** What was saved before the install; call `restore()` after a failure, `discard()` in every case. */
export interface PipSnapshot {
  /** Installed distributions (normalised names) that the wheels replace. */
  replaced: string[];
  /** Number of files saved. */
  saved: number;
  restore(): Promise<string[]>;
  discard(): Promise<void>;
}

/** Saves every file the wheels may overwrite or whose distribution they replace. */
export async function snapshotForWheels(sitePackages: readonly string[], wheels: readonly string[]): Promise<PipSnapshot> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'safe-install-pip-snapshot-'));
  const saved = new Map<string, SavedFile>();
  const newFiles = new Set<string>();
  const newDirs = new Set<string>();
  const replaced: string[] = [];
  const save = async (target: string): Promise<void> => {
    if (saved.has(target)) return;
    let st;
    try {
      st = await stat(target);
    } catch {
      return;
    }
    if (!st.isFile()) return;
    const copy = path.join(dir, String(saved.size));
    await copyFile(target, copy);
    saved.set(target, { target, copy, mode: st.mode & 0o7777 });
  };
  try {
    const names = new Set(wheels.map(wheelDistribution));
    for (const sp of sitePackages) {
      for (const dist of await distInfoFolders(sp)) {
        if (!names.has(dist.name)) continue;
        replaced.push(dist.name);
        const record = await readFile(path.join(sp, dist.folder, 'RECORD'), 'utf8').catch(() => '');
        for (const rel of recordPaths(record)) await save(path.resolve(sp, rel));
      }
      for (const wheel of wheels) {
        // An unreadable wheel makes pip fail before it installs anything; nothing to save for it.
        for (const name of await wheelEntryNames(wheel).catch(() => [] as string[])) {
          const target = entryTarget(sp, name);
          if (target === undefined) continue;
          if (await pathExists(target)) {
            await save(target);
            continue;
          }
          newFiles.add(target);
          // Folders the install may create, up to site-packages.
          for (let d = path.dirname(target); d.startsWith(sp + path.sep); d = path.dirname(d)) {
            if (await pathExists(d)) break;
            newDirs.add(d);
          }
        }
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    replaced: [...new Set(replaced)],
    saved: saved.size,
    async restore(): Promise<string[]> {
      const problems: string[] = [];
      for (const file of newFiles) {
        if (saved.has(file)) continue;
        await rm(file, { force: true }).catch((e: Error) => problems.push(`${file}: ${e.message}`));
      }
      for (const s of saved.values()) {
        try {
          await mkdir(path.dirname(s.target), { recursive: true });
          await copyFile(s.copy, s.target);
          await chmod(s.target, s.mode);
        } catch (error) {
          problems.push(`${s.target}: ${(error as Error).message}`);
        }
      }
      // Deepest first; a folder that still holds something (e.g. the user's) stays.
      for (const d of [...newDirs].sort((a, b) => b.length - a.length)) {
        await rm(path.join(d, '__pycache__'), { recursive: true, force: true }).catch(() => undefined);
        await rmdir(d).catch(() => undefined);
      }
      return problems;
    },
    async discard(): Promise<void> {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
