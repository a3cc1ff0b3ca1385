/**
 * PyPI: the JSON API (`/pypi/<name>/json`, and `/pypi/<name>/<version>/json` in deep mode) for release
 * dates, yanks, files and project links; the simple API (PEP 691 JSON, HTML accepted) on every
 * configured index for existence, so a package that lives only in a private index is found there.
 * `file://` indexes and pip's find-links folders are read from disk (see `local/`): a package found
 * only there exists, with the versions its file names give.
 * The JSON API publishes no download counts and no owner list; we say so instead of guessing.
 */
import { normalizeName } from '../../normalize';
import { CACHE_TTL_MS, PAGE_URLS } from '../defaults';
import type { Endpoints } from '../endpoints';
import { HttpError, type HttpClient } from '../http';
import { arr, date, obj, str } from '../json';
import { filesOfProject, type DistFile, type IndexLink } from '../local/distFilename';
import { linksOfIndexHtml } from '../local/indexHtml';
import { indexLocation, latestOf, LocalIndexReader, versionsOfFiles } from '../local/localIndex';
import type { LookupOptions, LookupResult, PackageInfo, RegistryClient, VersionInfo } from '../types';

/** PEP 691 JSON first, HTML as a fallback (older private indexes). */
export const SIMPLE_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.latest+json;q=0.9, text/html;q=0.1';

const host = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** Converts a JSON-API project document to the normalised record. */
export function pypiProjectToInfo(name: string, registry: string, doc: Record<string, unknown>): PackageInfo {
  const meta = obj(doc.info) ?? {};
  const versions: VersionInfo[] = [];
  for (const [version, files] of Object.entries(obj(doc.releases) ?? {})) {
    const list = arr(files).map((f) => obj(f) ?? {});
    const info: VersionInfo = { version };
    const times = list.map((f) => date(f.upload_time_iso_8601 ?? f.upload_time)).filter((d): d is Date => d !== undefined);
    if (times.length > 0) info.publishedAt = new Date(Math.min(...times.map((d) => d.getTime())));
    if (list.length > 0 && list.every((f) => f.yanked === true)) {
      info.yanked = true;
      const reason = list.map((f) => str(f.yanked_reason)).find(Boolean);
      if (reason) info.yankedReason = reason;
    }
    if (list.length > 0) {
      info.hasWheel = list.some((f) => f.packagetype === 'bdist_wheel');
      // Without a wheel pip builds the sdist: setup.py or the build backend runs on the user's machine.
      if (!info.hasWheel) info.installScripts = ['sdist build (setup.py / build backend)'];
    }
    // Releases with no files cannot be installed; keep them for history but they never resolve.
    if (list.length === 0) info.yanked = true;
    versions.push(info);
  }
  const urls = obj(meta.project_urls) ?? {};
  const urlValues = Object.entries(urls).filter((e): e is [string, string] => typeof e[1] === 'string');
  const repo = urlValues.find(([k, v]) => /source|repo|code|github|gitlab/i.test(k) || /github\.com|gitlab\.com|bitbucket\.org|codeberg\.org/.test(v))?.[1] ?? (/github\.com|gitlab\.com/.test(str(meta.home_page) ?? '') ? str(meta.home_page) : undefined);
  const people = [str(meta.maintainer), str(meta.author)].filter((p): p is string => Boolean(p && p.trim()));
  const info: PackageInfo = {
    ecosystem: 'PyPI',
    name: str(meta.name) ?? name,
    registry,
    foundIn: [],
    versions,
    maintainers: [...new Set(people)],
    pageUrl: PAGE_URLS.PyPI(normalizeName('PyPI', name)),
    downloadsUnavailable: 'PyPI publishes no download counts in its API',
  };
  const latest = str(meta.version);
  if (latest) info.latest = latest;
  const created = versions.map((v) => v.publishedAt).filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
  if (created) info.createdAt = created;
  if (repo) info.repository = repo;
  const homepage = str(meta.home_page) ?? str(urls.Homepage) ?? str(urls.homepage);
  if (homepage) info.homepage = homepage;
  return info;
}

/** Versions listed by a simple-API answer (PEP 700 `versions`, else parsed from file names). */
export function simpleVersions(name: string, response: { text: string; json?: unknown }): string[] | undefined {
  const doc = obj(response.json);
  if (!doc) return undefined;
  const listed = arr(doc.versions).filter((v): v is string => typeof v === 'string');
  if (listed.length > 0) return listed;
  const prefix = normalizeName('PyPI', name).replace(/-/g, '_');
  const found = new Set<string>();
  for (const file of arr(doc.files)) {
    const filename = str(obj(file)?.filename);
    if (!filename) continue;
    const base = filename.replace(/\.(tar\.gz|zip|whl|tar\.bz2|egg)$/, '');
    const normalized = base.toLowerCase().replace(/[-_.]+/g, '_');
    if (!normalized.startsWith(`${prefix}_`)) continue;
    const rest = base.slice(base.length - (normalized.length - prefix.length - 1));
    const version = rest.split('-')[0];
    if (version) found.add(version);
  }
  return [...found];
}

/** What one index or find-links location says about a package; `files` when it names them. */
type Listing = { status: 'found'; versions: VersionInfo[]; files: DistFile[] } | { status: 'absent' } | { status: 'failed'; reason: string };

/** A simple-API answer: PEP 691 JSON when it parses, else the links of a PEP 503 HTML page. */
function listingOfSimpleAnswer(name: string, text: string): Extract<Listing, { status: 'found' }> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const files = filesOfProject(name, linksOfIndexHtml(text));
    return { status: 'found', versions: versionsOfFiles(files), files };
  }
  const links = arr(obj(json)?.files).map((f) => obj(f) ?? {}).flatMap((f): IndexLink[] => {
    const filename = str(f.filename);
    const sha256 = str(obj(f.hashes)?.sha256);
    return filename ? [sha256 ? { filename, sha256 } : { filename }] : [];
  });
  return { status: 'found', versions: (simpleVersions(name, { text, json }) ?? []).map((version) => ({ version })), files: filesOfProject(name, links) };
}

/** A public file's identity: SHA-256 and size, by file name (PyPI never reuses a file name). */
type PublicFiles = Map<string, { sha256?: string; size?: number }>;

/** The files of every release of a JSON-API project document. */
export function publicFilesOf(doc: Record<string, unknown>): PublicFiles {
  const out: PublicFiles = new Map();
  for (const files of Object.values(obj(doc.releases) ?? {})) {
    for (const file of arr(files).map((f) => obj(f) ?? {})) {
      const filename = str(file.filename);
      if (!filename) continue;
      const entry: { sha256?: string; size?: number } = {};
      const sha256 = str(obj(file.digests)?.sha256);
      if (sha256) entry.sha256 = sha256.toLowerCase();
      if (typeof file.size === 'number') entry.size = file.size;
      out.set(filename, entry);
    }
  }
  return out;
}

/**
 * Whether a listing holds only copies of public files (same name and SHA-256, or same size where no
 * hash is known): a mirror or wheelhouse of the public package, not a second package that could be swapped.
 */
export function isMirrorOf(files: readonly DistFile[], publicFiles: PublicFiles): boolean {
  return (
    files.length > 0 &&
    files.every((file) => {
      const copy = publicFiles.get(file.filename);
      if (!copy) return false;
      if (file.sha256 && copy.sha256) return file.sha256 === copy.sha256;
      return file.size !== undefined && file.size === copy.size;
    })
  );
}

/** Several listings of one package as one version list (a version is yanked only where every listing yanks it). */
function mergeVersions(lists: readonly VersionInfo[][]): VersionInfo[] {
  const merged = new Map<string, VersionInfo>();
  for (const list of lists) {
    for (const entry of list) {
      const seen = merged.get(entry.version);
      if (!seen) merged.set(entry.version, { ...entry });
      else {
        if (!entry.yanked) {
          delete seen.yanked;
          delete seen.yankedReason;
        }
        if (entry.hasWheel) {
          seen.hasWheel = true;
          delete seen.installScripts;
        }
      }
    }
  }
  return [...merged.values()];
}

/** PyPI client: JSON API for metadata, every configured simple index and find-links location for existence. */
export class PypiClient implements RegistryClient {
  readonly ecosystem = 'PyPI' as const;
  constructor(
    private readonly http: HttpClient,
    private readonly endpoints: Endpoints['pypi'],
    /** Extra indexes named in the manifest itself (`--index-url`, `--extra-index-url`). */
    private readonly manifestIndexes: string[] = [],
    /** Reads `file://` indexes and find-links folders. */
    private readonly local: LocalIndexReader = new LocalIndexReader(),
    /** find-links locations named in the manifest itself (`--find-links`, `-f`). */
    private readonly manifestFindLinks: string[] = [],
  ) {}

  private indexes(): string[] {
    return [...new Set([...this.manifestIndexes, ...this.endpoints.indexes])];
  }

  private findLinks(): string[] {
    return [...new Set([...this.manifestFindLinks, ...(this.endpoints.findLinks ?? [])])];
  }

  describeIndexes(): string[] {
    return [...this.indexes(), ...this.findLinks()];
  }

  /** A client that also consults `indexes` and `findLinks` (named in the manifest), ahead of the configured ones. */
  withIndexes(indexes: string[], findLinks: string[] = []): PypiClient {
    return new PypiClient(this.http, this.endpoints, [...indexes, ...this.manifestIndexes], this.local, [...findLinks, ...this.manifestFindLinks]);
  }

  /** Asks one simple index (http(s) or on disk) about a package. */
  private async listIndex(index: string, name: string, options: LookupOptions): Promise<Listing> {
    const location = indexLocation(index);
    if (location.kind === 'unsupported') return { status: 'failed', reason: location.reason };
    if (location.kind === 'local') {
      const found = await this.local.simpleIndex(location.path, name);
      return found.status === 'found' ? { status: 'found', versions: versionsOfFiles(found.files), files: found.files } : found;
    }
    try {
      const response = await this.http.fetch(`${index}/${normalizeName('PyPI', name)}/`, { signal: options.signal, expect: 'text', accept: SIMPLE_ACCEPT, ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
      return response.status === 200 ? listingOfSimpleAnswer(name, response.text) : { status: 'absent' };
    } catch (error) {
      return { status: 'failed', reason: error instanceof HttpError ? error.message : String(error) };
    }
  }

  /** Asks one find-links location (a folder, a file:// URL or an http(s) page) about a package. */
  private async listFindLinks(entry: string, name: string, options: LookupOptions): Promise<Listing> {
    const location = indexLocation(entry);
    if (location.kind === 'unsupported') return { status: 'failed', reason: location.reason.replace(/^index /, 'find-links ') };
    if (location.kind === 'local') {
      const found = await this.local.findLinks(location.path, name);
      return found.status === 'found' ? { status: 'found', versions: versionsOfFiles(found.files), files: found.files } : found;
    }
    try {
      const response = await this.http.fetch(entry, { signal: options.signal, expect: 'text', accept: 'text/html', ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
      // A find-links page lists many projects: a 404 is a broken setting, not an absent package.
      if (response.status !== 200) return { status: 'failed', reason: `find-links page ${entry} answered HTTP ${response.status}` };
      const files = filesOfProject(name, linksOfIndexHtml(response.text));
      return files.length > 0 ? { status: 'found', versions: versionsOfFiles(files), files } : { status: 'absent' };
    } catch (error) {
      return { status: 'failed', reason: error instanceof HttpError ? error.message : String(error) };
    }
  }

  async lookup(name: string, options: LookupOptions): Promise<LookupResult> {
    const normalized = normalizeName('PyPI', name);
    // Sets: the JSON API and the simple index on an unreachable host fail with the same words.
    const failures = new Set<string>();
    const listingFailures = new Set<string>();
    let info: PackageInfo | undefined;
    let publicFiles: PublicFiles = new Map();
    try {
      const response = await this.http.fetch(`${this.endpoints.json}/${normalized}/json`, { signal: options.signal, expect: 'json', accept: 'application/json', ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
      const doc = obj(response.json);
      if (response.status === 200) {
        if (!doc || !obj(doc.info)) failures.add(`${host(this.endpoints.json)} answered JSON that is not a project record`);
        else {
          info = pypiProjectToInfo(name, this.endpoints.json, doc);
          publicFiles = publicFilesOf(doc);
        }
      }
    } catch (error) {
      failures.add(error instanceof HttpError ? error.message : String(error));
    }
    // Ask every configured index and find-links location; the public index is only skipped when the
    // JSON API (same host) already answered. Local entries are named by their path in messages.
    const foundIn: string[] = [];
    const checked: string[] = [this.endpoints.json];
    const listed: Array<{ where: string; local: boolean; versions: VersionInfo[]; files: DistFile[] }> = [];
    const sources = [...this.indexes().map((entry) => ({ entry, findLinks: false })), ...this.findLinks().map((entry) => ({ entry, findLinks: true }))];
    for (const { entry, findLinks } of sources) {
      if (!findLinks && info && host(entry) === host(this.endpoints.json) && entry === this.endpoints.publicSimple) {
        foundIn.push(entry);
        continue;
      }
      const location = indexLocation(entry);
      const where = location.kind === 'local' ? location.path : entry;
      const listing = findLinks ? await this.listFindLinks(entry, name, options) : await this.listIndex(entry, name, options);
      if (listing.status === 'failed') {
        failures.add(listing.reason);
        listingFailures.add(listing.reason);
        continue;
      }
      checked.push(where);
      if (listing.status === 'found') {
        foundIn.push(where);
        listed.push({ where, local: location.kind === 'local', versions: listing.versions, files: listing.files });
      }
    }
    const localIndexes = listed.filter((l) => l.local).map((l) => l.where);
    if (info) {
      info.foundIn = foundIn.length > 0 ? foundIn : [this.endpoints.json];
      if (localIndexes.length > 0) info.localIndexes = localIndexes;
      const mirrors = listed.filter((l) => isMirrorOf(l.files, publicFiles)).map((l) => l.where);
      if (mirrors.length > 0) info.mirrorIndexes = mirrors;
      if (listingFailures.size > 0) info.unverified = [...listingFailures];
      if (options.deep && info.latest) await this.addReleaseDetails(info, info.latest, options);
      return { status: 'found', info };
    }
    const first = listed[0];
    if (first) {
      const versions = mergeVersions(listed.map((l) => l.versions));
      const remoteOnes = listed.filter((l) => !l.local).map((l) => host(l.where));
      const limited: PackageInfo = {
        ecosystem: 'PyPI',
        name,
        registry: first.where,
        foundIn,
        versions,
        maintainers: [],
        metadataLimited: [
          localIndexes.length > 0 ? `found in local index ${localIndexes.join(', ')}, which holds package files only (no dates, owners or links)` : '',
          remoteOnes.length > 0 ? `found on ${remoteOnes.join(', ')}, which offer${remoteOnes.length === 1 ? 's' : ''} only an index listing (no dates, owners or links)` : '',
        ].filter(Boolean).join('; '),
        downloadsUnavailable: localIndexes.length === listed.length ? 'local indexes publish no download counts' : 'private indexes publish no download counts',
      };
      if (localIndexes.length > 0) limited.localIndexes = localIndexes;
      const latest = latestOf(versions);
      if (latest) limited.latest = latest;
      if (listingFailures.size > 0) limited.unverified = [...listingFailures];
      return { status: 'found', info: limited };
    }
    // Never conclude "unknown" while some index could not be asked.
    if (failures.size > 0) return { status: 'unavailable', reason: [...failures].join('; ') };
    return { status: 'not-found', checked };
  }

  /** Deep mode: the per-release record (yank reason, files) of one version. */
  private async addReleaseDetails(info: PackageInfo, version: string, options: LookupOptions): Promise<void> {
    try {
      const response = await this.http.fetch(`${this.endpoints.json}/${normalizeName('PyPI', info.name)}/${encodeURIComponent(version)}/json`, { signal: options.signal, expect: 'json', ttlMs: CACHE_TTL_MS.metadata });
      const meta = obj(obj(response.json)?.info);
      const entry = info.versions.find((v) => v.version === version);
      if (meta && entry && meta.yanked === true) {
        entry.yanked = true;
        const reason = str(meta.yanked_reason);
        if (reason) entry.yankedReason = reason;
      }
    } catch {
      // The project record already gave the essentials.
    }
  }

  async existsPublicly(name: string, options: LookupOptions): Promise<boolean | undefined> {
    try {
      const response = await this.http.fetch(`${this.endpoints.publicJson}/${normalizeName('PyPI', name)}/json`, { signal: options.signal, expect: 'json', ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
      return response.status === 200;
    } catch {
      return undefined;
    }
  }
}
