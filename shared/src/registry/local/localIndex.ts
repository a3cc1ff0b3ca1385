/**
 * pip indexes and find-links locations that live on disk: a `file://` URL or a plain path naming a
 * PEP 503 tree (`<root>/<normalized-name>/` holding an `index.html` or the files themselves), or a
 * find-links folder of wheels and sdists (or one HTML page listing them). Everything is read through
 * `LocalFs`; a missing folder is a clear failure reason, never a network error.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pep440 from '@renovatebot/pep440';
import { normalizeName } from '../../normalize';
import type { VersionInfo } from '../types';
import { filesOfProject, linksByCandidateProject, type DistFile, type IndexLink } from './distFilename';
import { linksOfIndexHtml } from './indexHtml';
import { describeFsError, nodeLocalFs, type LocalFs, type PathKind } from './localFs';

/** Where an index or find-links entry points. */
export type IndexLocation =
  | { kind: 'http'; url: string }
  | { kind: 'local'; path: string }
  | { kind: 'unsupported'; reason: string };

/**
 * Classifies one configured entry: http(s) URLs go to the HTTP client, `file://` URLs and plain paths
 * are read from disk, anything else (ftp://, s3://, a file URL on another host) is unsupported.
 */
export function indexLocation(entry: string): IndexLocation {
  if (/^https?:\/\//i.test(entry)) return { kind: 'http', url: entry };
  if (/^file:/i.test(entry)) {
    try {
      return { kind: 'local', path: fileURLToPath(entry) };
    } catch (error) {
      return { kind: 'unsupported', reason: `index ${entry} cannot be read: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  // A scheme of two or more letters, so a Windows drive (`C:\wheels`) still reads as a path.
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(entry);
  if (scheme) return { kind: 'unsupported', reason: `index ${entry} uses the unsupported scheme '${scheme[1]?.toLowerCase()}:' (only http(s):// URLs, file:// URLs and folders are read)` };
  return { kind: 'local', path: entry };
}

/** Outcome of looking one project up in one local location (files on disk carry their size). */
export type LocalLookup =
  | { status: 'found'; files: DistFile[] }
  | { status: 'absent' }
  | { status: 'failed'; reason: string };

// Index pages of large projects run to a few MB; anything far beyond is not an index page.
const MAX_PAGE_BYTES = 32 * 1024 * 1024;
const ARCHIVE = /\.(whl|egg|zip|tar|tgz|tbz|txz|tlz|tar\.(gz|bz2|xz|lz|lzma))$/i;

/** Reads local indexes and find-links folders, remembering folder listings briefly (one scan asks about many packages). */
export class LocalIndexReader {
  private readonly memo = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly fs: LocalFs = nodeLocalFs,
    private readonly now: () => number = Date.now,
    /** How long a folder listing or existence check is reused. */
    private readonly memoMs = 5_000,
  ) {}

  private remember<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.memo.get(key);
    const now = this.now();
    if (hit && now - hit.at < this.memoMs && now >= hit.at) return hit.value as Promise<T>;
    const value = load();
    this.memo.set(key, { at: now, value });
    return value;
  }

  private kind(path: string): Promise<PathKind | undefined> {
    return this.remember(`kind:${path}`, () => this.fs.kind(path));
  }

  /** A find-links folder's files grouped by candidate project, built once per listing. */
  private folderLinks(dir: string): Promise<Map<string, IndexLink[]>> {
    return this.remember(`folder:${dir}`, async () => linksByCandidateProject((await this.fs.list(dir)).map((filename) => ({ filename }))));
  }

  /** An HTML find-links page's links grouped by candidate project, built once per read. */
  private pageLinks(file: string): Promise<Map<string, IndexLink[]>> {
    return this.remember(`page:${file}`, async () => linksByCandidateProject(linksOfIndexHtml(await this.fs.readText(file, MAX_PAGE_BYTES))));
  }

  /** Adds each file's size (one project's files only): lets a local copy be matched to the public record. */
  private async withSizes(folder: string, files: DistFile[]): Promise<DistFile[]> {
    await Promise.all(
      files.map(async (file) => {
        const size = await this.fs.size(path.join(folder, file.filename));
        if (size !== undefined) file.size = size;
      }),
    );
    return files;
  }

  /** Looks `project` up in a PEP 503 tree on disk, as pip does with a `file://` index URL. */
  async simpleIndex(root: string, project: string): Promise<LocalLookup> {
    try {
      const rootKind = await this.kind(root);
      if (rootKind === undefined) return { status: 'failed', reason: `local index ${root} does not exist` };
      if (rootKind !== 'dir') return { status: 'failed', reason: `local index ${root} is not a folder` };
      const projectDir = path.join(root, normalizeName('PyPI', project));
      if ((await this.kind(projectDir)) !== 'dir') return { status: 'absent' };
      const names = await this.fs.list(projectDir);
      const page = names.find((n) => n.toLowerCase() === 'index.html');
      if (page) return { status: 'found', files: filesOfProject(project, linksOfIndexHtml(await this.fs.readText(path.join(projectDir, page), MAX_PAGE_BYTES))) };
      // The project has its own folder: it exists there even if no file parses.
      return { status: 'found', files: await this.withSizes(projectDir, filesOfProject(project, names.map((filename) => ({ filename })))) };
    } catch (error) {
      return { status: 'failed', reason: `cannot read local index ${root}: ${describeFsError(error)}` };
    }
  }

  /** Looks `project` up in a find-links location on disk: a folder of files, an HTML page, or one archive. */
  async findLinks(location: string, project: string): Promise<LocalLookup> {
    try {
      const kind = await this.kind(location);
      if (kind === undefined) return { status: 'failed', reason: `local index ${location} does not exist` };
      const wanted = normalizeName('PyPI', project);
      let links: IndexLink[];
      let folder: string | undefined;
      if (kind === 'dir') {
        folder = location;
        links = (await this.folderLinks(location)).get(wanted) ?? [];
      } else if (ARCHIVE.test(location)) {
        folder = path.dirname(location);
        links = [{ filename: path.basename(location) }];
      } else links = (await this.pageLinks(location)).get(wanted) ?? [];
      const matching = filesOfProject(project, links);
      const files = folder === undefined ? matching : await this.withSizes(folder, matching);
      return files.length > 0 ? { status: 'found', files } : { status: 'absent' };
    } catch (error) {
      return { status: 'failed', reason: `cannot read local index ${location}: ${describeFsError(error)}` };
    }
  }
}

/**
 * One record per version offered by `files`: yanked when every file is, and, like the PyPI JSON
 * client, marked as building from source when no wheel exists (setup.py / the build backend runs).
 */
export function versionsOfFiles(files: readonly DistFile[]): VersionInfo[] {
  const byVersion = new Map<string, DistFile[]>();
  for (const file of files) byVersion.set(file.version, [...(byVersion.get(file.version) ?? []), file]);
  const out: VersionInfo[] = [];
  for (const [version, list] of byVersion) {
    const info: VersionInfo = { version, hasWheel: list.some((f) => f.kind === 'wheel') };
    if (!info.hasWheel) info.installScripts = ['sdist build (setup.py / build backend)'];
    if (list.every((f) => f.yanked)) {
      info.yanked = true;
      const reason = list.map((f) => f.yankedReason).find(Boolean);
      if (reason) info.yankedReason = reason;
    }
    out.push(info);
  }
  return out.sort((a, b) => pep440.compare(a.version, b.version));
}

/** The newest non-yanked final release (pip's default choice), else the newest non-yanked version. */
export function latestOf(versions: readonly VersionInfo[]): string | undefined {
  const usable = versions.filter((v) => !v.yanked).map((v) => v.version);
  const finals = usable.filter((v) => pep440.explain(v)?.is_prerelease === false);
  const pick = (list: string[]): string | undefined => [...list].sort(pep440.compare).at(-1);
  return pick(finals) ?? pick(usable);
}
