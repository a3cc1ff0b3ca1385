/**
 * The HTTP response cache shared by the language server and the CLI: one JSON file per request under
 * the user's cache directory. Writes go to a temporary file first and are renamed into place, so two
 * processes using the cache at once never see half a file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One stored response. */
export interface CacheEntry {
  key: string;
  url: string;
  status: number;
  /** Only the headers revalidation and validation need (etag, last-modified, content-type). */
  headers: Record<string, string>;
  body: string;
  /** Epoch milliseconds when the entry was stored or last revalidated. */
  storedAt: number;
}

/** Where cached responses live; the file store and an in-memory map both implement it. */
export interface CacheStore {
  get(key: string): Promise<CacheEntry | undefined>;
  set(entry: CacheEntry): Promise<void>;
}

/** Stable cache key: SHA-256 of method, URL and body, so equal requests share one entry. */
export function cacheKey(method: string, url: string, body?: string): string {
  return createHash('sha256')
    .update(method.toUpperCase())
    .update('\n')
    .update(url)
    .update('\n')
    .update(body ?? '')
    .digest('hex');
}

/** `$XDG_CACHE_HOME/safe-install/http`, else `~/.cache/safe-install/http` (LOCALAPPDATA on Windows). */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>>, homeDir: string, platform: string = process.platform): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'safe-install', 'http');
  if (platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'safe-install', 'http');
  return path.join(homeDir, '.cache', 'safe-install', 'http');
}

function isCacheEntry(value: unknown): value is CacheEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.key === 'string' && typeof v.url === 'string' && typeof v.status === 'number' && typeof v.body === 'string' && typeof v.storedAt === 'number' && typeof v.headers === 'object' && v.headers !== null;
}

/** A cache kept in memory (tests, and a per-process layer in front of the file store). */
export class MemoryCacheStore implements CacheStore {
  readonly entries = new Map<string, CacheEntry>();
  async get(key: string): Promise<CacheEntry | undefined> {
    return this.entries.get(key);
  }
  async set(entry: CacheEntry): Promise<void> {
    this.entries.set(entry.key, entry);
  }
}

/** Files under `dir/<first two hex digits>/<key>.json`; unreadable or corrupt files count as misses. */
export class FileCacheStore implements CacheStore {
  constructor(readonly dir: string) {}

  private fileFor(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.fileFor(key), 'utf8'));
      return isCacheEntry(parsed) && parsed.key === key ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  async set(entry: CacheEntry): Promise<void> {
    const file = this.fileFor(entry.key);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // A unique temporary name per writer, then an atomic rename: concurrent writers each replace
    // the whole file, and readers see either the old or the new entry.
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify(entry), { mode: 0o600 });
      await rename(tmp, file);
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw error;
    }
  }
}
