/**
 * PyPI: the JSON API (`/pypi/<name>/json`, and `/pypi/<name>/<version>/json` in deep mode) for release
 * dates, yanks, files and project links; the simple API (PEP 691 JSON, HTML accepted) on every
 * configured index for existence, so a package that lives only in a private index is found there.
 * The JSON API publishes no download counts and no owner list; we say so instead of guessing.
 */
import { normalizeName } from '../../normalize';
import { CACHE_TTL_MS, PAGE_URLS } from '../defaults';
import type { Endpoints } from '../endpoints';
import { HttpError, type HttpClient } from '../http';
import { arr, date, obj, str } from '../json';
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

/** PyPI client: JSON API for metadata, every configured simple index for existence. */
export class PypiClient implements RegistryClient {
  readonly ecosystem = 'PyPI' as const;
  constructor(
    private readonly http: HttpClient,
    private readonly endpoints: Endpoints['pypi'],
    /** Extra indexes named in the manifest itself (`--index-url`, `--extra-index-url`). */
    private readonly manifestIndexes: string[] = [],
  ) {}

  private indexes(): string[] {
    return [...new Set([...this.manifestIndexes, ...this.endpoints.indexes])];
  }

  describeIndexes(): string[] {
    return this.indexes();
  }

  /** A client that also consults `indexes` (named in the manifest), ahead of the configured ones. */
  withIndexes(indexes: string[]): PypiClient {
    return new PypiClient(this.http, this.endpoints, [...indexes, ...this.manifestIndexes]);
  }

  async lookup(name: string, options: LookupOptions): Promise<LookupResult> {
    const normalized = normalizeName('PyPI', name);
    const failures: string[] = [];
    let info: PackageInfo | undefined;
    try {
      const response = await this.http.fetch(`${this.endpoints.json}/${normalized}/json`, { signal: options.signal, expect: 'json', accept: 'application/json', ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
      const doc = obj(response.json);
      if (response.status === 200) {
        if (!doc || !obj(doc.info)) failures.push(`${host(this.endpoints.json)} answered JSON that is not a project record`);
        else info = pypiProjectToInfo(name, this.endpoints.json, doc);
      }
    } catch (error) {
      failures.push(error instanceof HttpError ? error.message : String(error));
    }
    // Ask every configured index; the public index is only skipped when the JSON API (same host) already answered.
    const foundIn: string[] = [];
    const checked: string[] = [this.endpoints.json];
    let privateVersions: string[] | undefined;
    let privateIndex: string | undefined;
    for (const index of this.indexes()) {
      if (info && host(index) === host(this.endpoints.json) && index === this.endpoints.publicSimple) {
        foundIn.push(index);
        continue;
      }
      checked.push(index);
      try {
        const response = await this.http.fetch(`${index}/${normalized}/`, { signal: options.signal, expect: 'text', accept: SIMPLE_ACCEPT, ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
        if (response.status !== 200) continue;
        foundIn.push(index);
        if (!info && privateVersions === undefined) {
          privateIndex = index;
          let json: unknown;
          try {
            json = JSON.parse(response.text);
          } catch {
            json = undefined;
          }
          privateVersions = simpleVersions(name, { text: response.text, json }) ?? [];
        }
      } catch (error) {
        failures.push(error instanceof HttpError ? error.message : String(error));
      }
    }
    if (info) {
      info.foundIn = foundIn.length > 0 ? foundIn : [this.endpoints.json];
      if (options.deep && info.latest) await this.addReleaseDetails(info, info.latest, options);
      return { status: 'found', info };
    }
    if (privateIndex !== undefined) {
      const limited: PackageInfo = {
        ecosystem: 'PyPI',
        name,
        registry: privateIndex,
        foundIn,
        versions: (privateVersions ?? []).map((version) => ({ version })),
        maintainers: [],
        metadataLimited: `found on ${host(privateIndex)}, which offers only an index listing (no dates, owners or links)`,
        downloadsUnavailable: 'private indexes publish no download counts',
      };
      return { status: 'found', info: limited };
    }
    // Never conclude "unknown" while some index could not be asked.
    if (failures.length > 0) return { status: 'unavailable', reason: failures.join('; ') };
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
