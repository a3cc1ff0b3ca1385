/**
 * RubyGems: `/api/v1/gems/<name>.json` (latest version, total downloads, links), `/api/v1/versions/<name>.json`
 * (every listed version with `created_at`; yanked versions are not listed) and
 * `/api/v1/gems/<name>/owners.json`. Every source from gemrc or the Gemfile is asked before "unknown".
 */
import { CACHE_TTL_MS, PAGE_URLS } from '../defaults';
import type { Endpoints } from '../endpoints';
import { HttpError, type HttpClient } from '../http';
import { arr, date, num, obj, str } from '../json';
import type { LookupOptions, LookupResult, PackageInfo, RegistryClient, VersionInfo } from '../types';

/** Converts the gem and versions answers to the normalised record. */
export function gemToInfo(name: string, source: string, gem: Record<string, unknown>, versionsDoc: unknown): PackageInfo {
  const seen = new Set<string>();
  const versions: VersionInfo[] = [];
  for (const raw of arr(versionsDoc)) {
    const v = obj(raw) ?? {};
    const number = str(v.number);
    // Platform builds (java, x86_64-linux) share a number; one entry per number is enough here.
    if (!number || seen.has(number)) continue;
    seen.add(number);
    const info: VersionInfo = { version: number };
    const published = date(v.created_at);
    if (published) info.publishedAt = published;
    versions.push(info);
  }
  const meta = obj(gem.metadata) ?? {};
  const info: PackageInfo = {
    ecosystem: 'RubyGems',
    name: str(gem.name) ?? name,
    registry: source,
    foundIn: [source],
    versions,
    maintainers: [],
    pageUrl: PAGE_URLS.RubyGems(str(gem.name) ?? name),
  };
  const latest = str(gem.version);
  if (latest) info.latest = latest;
  const created = versions.map((v) => v.publishedAt).filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
  if (created) info.createdAt = created;
  const downloads = num(gem.downloads);
  if (downloads !== undefined) info.downloads = { count: downloads, period: 'all time' };
  else info.downloadsUnavailable = 'the gem record has no download counts';
  const repo = str(gem.source_code_uri) ?? str(meta.source_code_uri) ?? (/github\.com|gitlab\.com/.test(str(gem.homepage_uri) ?? '') ? str(gem.homepage_uri) : undefined);
  if (repo) info.repository = repo;
  const homepage = str(gem.homepage_uri);
  if (homepage) info.homepage = homepage;
  return info;
}

/** RubyGems client. */
export class RubyGemsClient implements RegistryClient {
  readonly ecosystem = 'RubyGems' as const;
  constructor(
    private readonly http: HttpClient,
    private readonly endpoints: Endpoints['rubygems'],
    /** Sources named in the Gemfile itself. */
    private readonly manifestSources: string[] = [],
  ) {}

  private sources(): string[] {
    return [...new Set([...this.manifestSources, ...this.endpoints.sources])];
  }

  describeIndexes(): string[] {
    return this.sources();
  }

  /** A client that also consults `sources` (named in the Gemfile), ahead of the configured ones. */
  withSources(sources: string[]): RubyGemsClient {
    return new RubyGemsClient(this.http, this.endpoints, [...sources, ...this.manifestSources]);
  }

  async lookup(name: string, options: LookupOptions): Promise<LookupResult> {
    const failures: string[] = [];
    for (const source of this.sources()) {
      try {
        const gem = await this.http.fetch(`${source}/api/v1/gems/${encodeURIComponent(name)}.json`, { signal: options.signal, expect: 'json', accept: 'application/json', ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
        if (gem.status !== 200) continue;
        const doc = obj(gem.json);
        if (!doc) {
          failures.push(`${new URL(source).host} answered JSON that is not a gem record`);
          continue;
        }
        let versionsDoc: unknown = [];
        try {
          const versions = await this.http.fetch(`${source}/api/v1/versions/${encodeURIComponent(name)}.json`, { signal: options.signal, expect: 'json', ttlMs: CACHE_TTL_MS.metadata });
          versionsDoc = versions.json;
        } catch {
          // Dates then come from the gem record alone.
        }
        const info = gemToInfo(name, source, doc, versionsDoc);
        if (info.versions.length === 0 && info.latest) info.versions.push({ version: info.latest });
        await this.addOwners(info, source, options);
        return { status: 'found', info };
      } catch (error) {
        failures.push(error instanceof HttpError ? error.message : String(error));
      }
    }
    if (failures.length > 0) return { status: 'unavailable', reason: failures.join('; ') };
    return { status: 'not-found', checked: this.sources() };
  }

  private async addOwners(info: PackageInfo, source: string, options: LookupOptions): Promise<void> {
    try {
      const response = await this.http.fetch(`${source}/api/v1/gems/${encodeURIComponent(info.name)}/owners.json`, { signal: options.signal, expect: 'json', ttlMs: CACHE_TTL_MS.metadata });
      info.maintainers = arr(response.json).map((o) => str(obj(o)?.handle)).filter((h): h is string => Boolean(h));
    } catch {
      // Owners only decorate the card.
    }
  }

  async existsPublicly(name: string, options: LookupOptions): Promise<boolean | undefined> {
    try {
      const response = await this.http.fetch(`${this.endpoints.publicSource}/api/v1/gems/${encodeURIComponent(name)}.json`, { signal: options.signal, expect: 'json', ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
      return response.status === 200;
    } catch {
      return undefined;
    }
  }
}
