/**
 * crates.io: `/api/v1/crates/<name>` (crate record and every version with `yanked`, `published_by`,
 * dates) and `/api/v1/crates/<name>/owners`. When cargo replaces crates.io with a sparse registry, that
 * index (`config.json` layout, newline-delimited version records) is asked for existence and yanks too.
 */
import { CACHE_TTL_MS, PAGE_URLS } from '../defaults';
import type { Endpoints } from '../endpoints';
import { HttpError, type HttpClient } from '../http';
import { arr, date, num, obj, str } from '../json';
import type { LookupOptions, LookupResult, PackageInfo, RegistryClient, VersionInfo } from '../types';

/** Sparse-index path of a crate: `1/a`, `2/ab`, `3/a/abc`, `ab/cd/abcd…`. */
export function sparseIndexPath(name: string): string {
  const n = name.toLowerCase();
  if (n.length === 1) return `1/${n}`;
  if (n.length === 2) return `2/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

/** Converts the crate API answer to the normalised record. */
export function crateToInfo(name: string, registry: string, doc: Record<string, unknown>): PackageInfo {
  const crate = obj(doc.crate) ?? {};
  const versions: VersionInfo[] = arr(doc.versions).map((raw) => {
    const v = obj(raw) ?? {};
    const info: VersionInfo = { version: str(v.num) ?? '' };
    const published = date(v.created_at);
    if (published) info.publishedAt = published;
    if (v.yanked === true) info.yanked = true;
    const publisher = str(obj(v.published_by)?.login);
    if (publisher) info.publisher = publisher;
    return info;
  }).filter((v) => v.version !== '');
  const info: PackageInfo = {
    ecosystem: 'crates.io',
    name: str(crate.name) ?? name,
    registry,
    foundIn: [registry],
    versions,
    maintainers: [],
    pageUrl: PAGE_URLS['crates.io'](str(crate.name) ?? name),
  };
  const latest = str(crate.max_stable_version) ?? str(crate.newest_version) ?? str(crate.max_version);
  if (latest) info.latest = latest;
  const created = date(crate.created_at);
  if (created) info.createdAt = created;
  const recent = num(crate.recent_downloads);
  const total = num(crate.downloads);
  if (recent !== undefined) info.downloads = { count: recent, period: 'last 90 days' };
  else if (total !== undefined) info.downloads = { count: total, period: 'all time' };
  else info.downloadsUnavailable = 'the crate record has no download counts';
  const repo = str(crate.repository);
  if (repo) info.repository = repo;
  const homepage = str(crate.homepage);
  if (homepage) info.homepage = homepage;
  return info;
}

/** crates.io client. */
export class CratesClient implements RegistryClient {
  readonly ecosystem = 'crates.io' as const;
  constructor(
    private readonly http: HttpClient,
    private readonly endpoints: Endpoints['crates'],
  ) {}

  describeIndexes(): string[] {
    const r = this.endpoints.replacement;
    return r ? [r.location, this.endpoints.api] : [this.endpoints.api];
  }

  async lookup(name: string, options: LookupOptions): Promise<LookupResult> {
    const replacement = this.endpoints.replacement;
    let mirrorVersions: VersionInfo[] | undefined;
    let mirrorFailure: string | undefined;
    if (replacement?.kind === 'sparse') {
      try {
        mirrorVersions = await this.sparseVersions(replacement.location, name, options);
      } catch (error) {
        mirrorFailure = error instanceof HttpError ? error.message : String(error);
      }
    }
    let response;
    try {
      response = await this.http.fetch(`${this.endpoints.api}/api/v1/crates/${encodeURIComponent(name)}`, { signal: options.signal, expect: 'json', accept: 'application/json', ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
    } catch (error) {
      return { status: 'unavailable', reason: error instanceof HttpError ? error.message : String(error) };
    }
    const doc = obj(response.json);
    if (response.status === 200 && doc && obj(doc.crate)) {
      const info = crateToInfo(name, this.endpoints.api, doc);
      if (replacement && mirrorVersions) info.foundIn.push(replacement.location);
      await this.addOwners(info, options);
      return { status: 'found', info };
    }
    if (response.status === 200) return { status: 'unavailable', reason: `${new URL(this.endpoints.api).host} answered JSON that is not a crate record` };
    if (mirrorVersions && mirrorVersions.length > 0 && replacement) {
      return {
        status: 'found',
        info: { ecosystem: 'crates.io', name, registry: replacement.location, foundIn: [replacement.location], versions: mirrorVersions, maintainers: [], metadataLimited: `found only on the replacement source ${replacement.name}, whose index has no dates or owners`, downloadsUnavailable: 'private registries publish no download counts' },
      };
    }
    if (replacement && replacement.kind !== 'sparse') return { status: 'unavailable', reason: `not on ${new URL(this.endpoints.api).host}, and the replacement source ${replacement.name} (${replacement.kind}) cannot be asked over HTTP` };
    if (mirrorFailure) return { status: 'unavailable', reason: mirrorFailure };
    return { status: 'not-found', checked: this.describeIndexes() };
  }

  private async sparseVersions(index: string, name: string, options: LookupOptions): Promise<VersionInfo[]> {
    const response = await this.http.fetch(`${index}/${sparseIndexPath(name)}`, { signal: options.signal, expect: 'text', ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
    if (response.status !== 200) return [];
    const versions: VersionInfo[] = [];
    for (const line of response.text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const record = obj(JSON.parse(line));
        const vers = str(record?.vers);
        if (vers) versions.push(record?.yanked === true ? { version: vers, yanked: true } : { version: vers });
      } catch {
        // One bad line does not spoil the others.
      }
    }
    return versions;
  }

  private async addOwners(info: PackageInfo, options: LookupOptions): Promise<void> {
    try {
      const response = await this.http.fetch(`${this.endpoints.api}/api/v1/crates/${encodeURIComponent(info.name)}/owners`, { signal: options.signal, expect: 'json', ttlMs: CACHE_TTL_MS.metadata });
      info.maintainers = arr(obj(response.json)?.users).map((u) => str(obj(u)?.login)).filter((u): u is string => Boolean(u));
    } catch {
      // Owners only decorate the card.
    }
  }

  async existsPublicly(name: string, options: LookupOptions): Promise<boolean | undefined> {
    try {
      const response = await this.http.fetch(`${this.endpoints.publicApi}/api/v1/crates/${encodeURIComponent(name)}`, { signal: options.signal, expect: 'json', ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
      return response.status === 200;
    } catch {
      return undefined;
    }
  }
}
