/**
 * Copy-out validator (SECURITY.md §4). The container is hostile by the time its build finishes, so
 * the tar stream Docker hands us is parsed with node-tar's Parser (never extracted by a tool that
 * follows links) and every entry is checked before one byte is written: regular files and
 * directories only; no absolute paths, `..`, symlinks, hardlinks, devices, FIFOs, setuid/setgid or
 * sticky bits; capped file count, total size and depth. Any violation rejects the whole archive and
 * removes what was written, so a partial result never reaches the installer.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Parser, type ReadEntry } from 'tar';

/** Caps for one copy-out (GuardDog's numbers: 2 GB, 100,000 files). */
export interface CopyOutLimits {
  maxFiles: number;
  maxTotalBytes: number;
  maxDepth: number;
  maxPathLength: number;
}

/** Default caps. */
export const DEFAULT_COPY_OUT_LIMITS: CopyOutLimits = {
  maxFiles: 100_000,
  maxTotalBytes: 2 * 1024 ** 3,
  maxDepth: 64,
  maxPathLength: 4096,
};

/** Why an archive was rejected. */
export type CopyOutViolation =
  | 'absolute-path'
  | 'path-escape'
  | 'bad-path'
  | 'symlink'
  | 'hardlink'
  | 'device'
  | 'fifo'
  | 'unsupported-type'
  | 'setuid'
  | 'duplicate'
  | 'too-many-files'
  | 'too-big'
  | 'too-deep'
  | 'corrupt';

/** A hostile or oversized archive; nothing of it is left on disk. */
export class CopyOutError extends Error {
  override readonly name = 'CopyOutError';
  constructor(readonly violation: CopyOutViolation, readonly entry: string, message: string) {
    super(message);
  }
}

/** One file written to the destination. */
export interface CopiedFile {
  /** Path relative to the destination, `/`-separated. */
  path: string;
  size: number;
  sha256: string;
  executable: boolean;
}

/** What a successful copy-out produced. */
export interface CopyOutResult {
  dir: string;
  files: CopiedFile[];
  directories: string[];
  totalBytes: number;
}

/** Options: how many leading path components to drop (Docker prefixes the copied directory's name). */
export interface CopyOutOptions {
  stripComponents?: number;
  limits?: Partial<CopyOutLimits>;
  /** Parent of the fresh destination directory (default: the OS temp dir). */
  tempParent?: string;
  signal?: AbortSignal;
}

const REGULAR = new Set(['File', 'OldFile', 'ContiguousFile']);

/** Checks one entry's path and returns the relative path to write, '' for the stripped root, or throws. */
export function checkEntryPath(raw: string, stripComponents: number, limits: CopyOutLimits): string {
  if (raw.length > limits.maxPathLength) throw new CopyOutError('bad-path', raw.slice(0, 80), `path longer than ${limits.maxPathLength} characters`);
  if (raw.includes('\0') || raw.includes('\\')) throw new CopyOutError('bad-path', raw, `path '${raw}' contains a NUL or backslash`);
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw new CopyOutError('absolute-path', raw, `absolute path '${raw}'`);
  const parts = raw.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new CopyOutError('path-escape', raw, `path '${raw}' climbs out with '..'`);
  if (parts.some((part) => part.includes(':'))) throw new CopyOutError('bad-path', raw, `path '${raw}' contains ':' (alternate data streams on Windows)`);
  const kept = parts.slice(stripComponents);
  if (kept.length > limits.maxDepth) throw new CopyOutError('too-deep', raw, `path '${raw}' is nested deeper than ${limits.maxDepth}`);
  return kept.join('/');
}

function checkEntryType(entry: ReadEntry): 'file' | 'directory' {
  if (REGULAR.has(entry.type)) return 'file';
  if (entry.type === 'Directory') return 'directory';
  const name = entry.path;
  switch (entry.type) {
    case 'SymbolicLink': throw new CopyOutError('symlink', name, `symlink '${name}' -> '${entry.linkpath ?? ''}'`);
    case 'Link': throw new CopyOutError('hardlink', name, `hardlink '${name}' -> '${entry.linkpath ?? ''}'`);
    case 'CharacterDevice':
    case 'BlockDevice': throw new CopyOutError('device', name, `device node '${name}'`);
    case 'FIFO': throw new CopyOutError('fifo', name, `FIFO '${name}'`);
    default: throw new CopyOutError('unsupported-type', name, `entry '${name}' has unsupported type ${entry.type}`);
  }
}

/**
 * Streams a tar (as Docker's getArchive returns it) into a fresh temporary directory, validating every
 * entry. Resolves with the files written and their SHA-256; rejects with CopyOutError and leaves nothing.
 */
export async function copyOutValidated(source: NodeJS.ReadableStream | AsyncIterable<Uint8Array>, options: CopyOutOptions = {}): Promise<CopyOutResult> {
  const limits = { ...DEFAULT_COPY_OUT_LIMITS, ...options.limits };
  const strip = options.stripComponents ?? 0;
  const dir = await mkdtemp(path.join(options.tempParent ?? os.tmpdir(), 'safe-install-out-'));
  const files: CopiedFile[] = [];
  const directories: string[] = [];
  const seen = new Set<string>();
  const writes: Array<Promise<void>> = [];
  let totalBytes = 0;
  let failure: Error | undefined;
  const parser = new Parser({ strict: true });

  const fail = (error: Error): void => {
    if (failure) return;
    failure = error;
    parser.abort(error);
  };

  const ensureDir = async (relative: string): Promise<void> => {
    // mkdir never follows anything we did not create ourselves: only directories are ever written here.
    await mkdir(path.join(dir, ...relative.split('/')), { recursive: true, mode: 0o755 });
  };

  parser.on('entry', (entry: ReadEntry) => {
    if (failure) { entry.resume(); return; }
    try {
      const kind = checkEntryType(entry);
      const relative = checkEntryPath(entry.path, strip, limits);
      const mode = entry.mode ?? 0o644;
      if ((mode & 0o7000) !== 0) throw new CopyOutError('setuid', entry.path, `'${entry.path}' has setuid/setgid/sticky bits (mode ${mode.toString(8)})`);
      if (relative === '') { entry.resume(); return; }
      if (seen.has(relative)) throw new CopyOutError('duplicate', entry.path, `'${entry.path}' appears twice in the archive`);
      seen.add(relative);
      if (seen.size > limits.maxFiles) throw new CopyOutError('too-many-files', entry.path, `more than ${limits.maxFiles} entries`);
      if (kind === 'directory') {
        directories.push(relative);
        writes.push(ensureDir(relative));
        entry.resume();
        return;
      }
      totalBytes += entry.size;
      if (totalBytes > limits.maxTotalBytes) throw new CopyOutError('too-big', entry.path, `more than ${limits.maxTotalBytes} bytes in total`);
      const executable = (mode & 0o111) !== 0;
      const target = path.join(dir, ...relative.split('/'));
      // The resolved target must stay inside the destination even after normalisation.
      if (!target.startsWith(dir + path.sep)) throw new CopyOutError('path-escape', entry.path, `'${entry.path}' resolves outside the destination`);
      writes.push(writeEntry(entry, target, relative, executable).then((file) => { files.push(file); }, (error: unknown) => {
        fail(error instanceof Error ? error : new Error(String(error)));
      }));
    } catch (error) {
      entry.resume();
      fail(error instanceof Error ? error : new Error(String(error)));
    }
  });

  const onAbort = (): void => fail(new CopyOutError('corrupt', '', 'copy-out cancelled'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('error', (error: Error) => reject(failure ?? error));
      parser.on('abort', (error: Error) => reject(failure ?? error));
      parser.on('end', () => resolve());
      void (async () => {
        try {
          for await (const chunk of source as AsyncIterable<Uint8Array>) {
            if (failure) break;
            if (!parser.write(Buffer.from(chunk))) await new Promise<void>((r) => parser.once('drain', () => r()));
          }
          if (!failure) parser.end();
        } catch (error) {
          fail(new CopyOutError('corrupt', '', `reading the archive failed: ${error instanceof Error ? error.message : String(error)}`));
        }
      })();
    });
    await Promise.all(writes);
    if (failure) throw failure;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (error instanceof CopyOutError) throw error;
    throw new CopyOutError('corrupt', '', `not a valid tar archive: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  directories.sort();
  return { dir, files, directories, totalBytes };
}

async function writeEntry(entry: ReadEntry, target: string, relative: string, executable: boolean): Promise<CopiedFile> {
  await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  const hash = createHash('sha256');
  let size = 0;
  // O_EXCL + O_NOFOLLOW: never write through something that already exists, least of all a link.
  const handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, executable ? 0o755 : 0o644);
  const out = handle.createWriteStream();
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    entry.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
      if (!out.write(chunk)) {
        entry.pause();
        out.once('drain', () => entry.resume());
      }
    });
    entry.once('end', () => out.end(() => resolve()));
    entry.once('error', reject);
  });
  return { path: relative, size, sha256: hash.digest('hex'), executable };
}
