/**
 * The Go module proxy protocol: `/<module>/@v/list` (plain text, one version a line),
 * `/<module>/@v/<version>.info` and `/<module>/@latest` (`{"Version","Time"}`), with capitals escaped as
 * `!x`. GOPROXY lists are honoured (`,` falls through on 404/410 only, `|` on any error, `direct` and
 * `off` end the list), and modules matching GOPRIVATE/GONOPROXY are never sent to a proxy.
 * The proxy publishes no download counts and no owners: we say so.
 */
import { matchesGoPrivate, type Endpoints } from '../endpoints';
import { CACHE_TTL_MS, PAGE_URLS } from '../defaults';
import { HttpError, type HttpClient } from '../http';
import { date, obj, str } from '../json';
import type { LookupOptions, LookupResult, PackageInfo, RegistryClient, VersionInfo } from '../types';
import { compareGoVersions, goPseudoVersionTime } from '../versions';

/** Module path or version with capitals escaped (`Azure` → `!azure`), as the proxy protocol requires. */
export function escapeModulePath(value: string): string {
  return value.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

const NO_DOWNLOADS = 'the Go module proxy publishes no download counts';

/** Go module proxy client. */
export class GoProxyClient implements RegistryClient {
  readonly ecosystem = 'Go' as const;
  constructor(
    private readonly http: HttpClient,
    private readonly endpoints: Endpoints['go'],
  ) {}

  describeIndexes(): string[] {
    return this.endpoints.proxies.map((p) => p.url);
  }

  async lookup(module: string, options: LookupOptions): Promise<LookupResult> {
    if (matchesGoPrivate(this.endpoints.privatePatterns, module)) {
      return { status: 'unavailable', reason: 'the module matches GOPRIVATE/GONOPROXY, so it is not sent to any proxy' };
    }
    const checked: string[] = [];
    for (const proxy of this.endpoints.proxies) {
      if (proxy.url === 'off') return { status: 'unavailable', reason: 'GOPROXY=off forbids module downloads' };
      if (proxy.url === 'direct') {
        // `direct` fetches from version control, which we do not do: absence from earlier proxies is not proof.
        return checked.length > 0
          ? { status: 'unavailable', reason: `not on ${checked.join(', ')}; GOPROXY falls back to direct version-control access, which is not checked` }
          : { status: 'unavailable', reason: 'GOPROXY=direct: modules come straight from version control, no proxy to ask' };
      }
      checked.push(proxy.url);
      try {
        const result = await this.lookupOn(proxy.url, module, options);
        if (result) return { status: 'found', info: result };
      } catch (error) {
        if (!proxy.fallThroughOnError) return { status: 'unavailable', reason: error instanceof HttpError ? error.message : String(error) };
      }
    }
    return { status: 'not-found', checked };
  }

  /** The module on one proxy, or undefined when that proxy answers 404/410. */
  private async lookupOn(proxy: string, module: string, options: LookupOptions): Promise<PackageInfo | undefined> {
    const base = `${proxy}/${escapeModulePath(module)}/@`;
    const list = await this.http.fetch(`${base}v/list`, { signal: options.signal, expect: 'text', ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
    if (list.status !== 200) return undefined;
    const listed = list.text.split('\n').map((l) => l.trim()).filter(Boolean).sort(compareGoVersions);
    const versions: VersionInfo[] = listed.map((version) => ({ version }));
    let latest: string | undefined;
    // @latest also covers modules that only have pseudo-versions (an empty list).
    let latestInfo: VersionInfo | undefined;
    try {
      latestInfo = await this.info(`${base}latest`, options);
    } catch (error) {
      // The list already proves the module exists; @latest only adds a date.
      if (listed.length === 0) throw error;
    }
    if (latestInfo) {
      latest = latestInfo.version;
      if (!versions.some((v) => v.version === latestInfo.version)) versions.push(latestInfo);
      else Object.assign(versions.find((v) => v.version === latestInfo.version) ?? {}, latestInfo);
    } else if (listed.length === 0) {
      return undefined;
    }
    // Dates for the first version (package age) and the versions the manifest requires.
    const wanted = new Set([listed[0], options.wantedVersion].filter((v): v is string => Boolean(v)));
    for (const version of wanted) {
      const entry = versions.find((v) => v.version === version);
      if (entry?.publishedAt) continue;
      const pseudo = goPseudoVersionTime(version);
      const info = pseudo ? { version, publishedAt: pseudo } : await this.info(`${base}v/${escapeModulePath(version)}.info`, options).catch(() => undefined);
      if (!info) continue;
      if (entry) Object.assign(entry, info);
      else versions.push(info);
    }
    const info: PackageInfo = {
      ecosystem: 'Go',
      name: module,
      registry: proxy,
      foundIn: [proxy],
      versions,
      maintainers: [],
      pageUrl: PAGE_URLS.Go(module),
      downloadsUnavailable: NO_DOWNLOADS,
    };
    if (latest) info.latest = latest;
    const first = listed[0] ? versions.find((v) => v.version === listed[0])?.publishedAt : latestInfo?.publishedAt;
    if (first) info.createdAt = first;
    // Module paths on the big forges are their repositories.
    if (/^(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)\/[^/]+\/[^/]+/.test(module)) info.repository = `https://${module.split('/').slice(0, 3).join('/')}`;
    return info;
  }

  private async info(url: string, options: LookupOptions): Promise<VersionInfo | undefined> {
    const response = await this.http.fetch(url, { signal: options.signal, expect: 'json', ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
    const doc = obj(response.json);
    const version = str(doc?.Version);
    if (response.status !== 200 || !version) return undefined;
    const published = date(doc?.Time);
    return published ? { version, publishedAt: published } : { version };
  }

  async existsPublicly(module: string, options: LookupOptions): Promise<boolean | undefined> {
    try {
      const response = await this.http.fetch(`${this.endpoints.publicProxy}/${escapeModulePath(module)}/@v/list`, { signal: options.signal, expect: 'text', ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
      return response.status === 200;
    } catch {
      return undefined;
    }
  }
}
