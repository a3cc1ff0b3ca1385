/**
 * npm: the full packument (`GET /<name>`, scoped names as `@scope%2fname`) for versions, times,
 * `_npmUser`, `scripts`, `deprecated` and maintainers; the download-counts API
 * (`/downloads/point/last-month/<name>`) on the public registry only. Scoped registries from npmrc win
 * for their scope.
 */
import { CACHE_TTL_MS, PAGE_URLS } from '../defaults';
import type { Endpoints } from '../endpoints';
import { HttpError, type HttpClient } from '../http';
import { arr, date, num, obj, repositoryUrl, str } from '../json';
import type { LookupOptions, LookupResult, PackageInfo, RegistryClient, VersionInfo } from '../types';

/** Lifecycle scripts npm runs when a package is installed from the registry. */
export const NPM_INSTALL_HOOKS = ['preinstall', 'install', 'postinstall'] as const;
/** Scripts that run only for git/local installs or publishing; reported more gently. */
export const NPM_OTHER_HOOKS = ['prepare', 'prepack'] as const;

/** The packument URL path of a package name (`@scope/name` → `@scope%2fname`). */
export function npmPackumentPath(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

/** Converts a packument to the normalised record. */
export function packumentToInfo(name: string, registry: string, doc: Record<string, unknown>): PackageInfo {
  const times = obj(doc.time) ?? {};
  const distTags: Record<string, string> = {};
  for (const [tag, v] of Object.entries(obj(doc['dist-tags']) ?? {})) if (typeof v === 'string') distTags[tag] = v;
  const versions: VersionInfo[] = [];
  for (const [version, raw] of Object.entries(obj(doc.versions) ?? {})) {
    const meta = obj(raw) ?? {};
    const info: VersionInfo = { version };
    const published = date(times[version]);
    if (published) info.publishedAt = published;
    const deprecated = str(meta.deprecated);
    if (deprecated) info.deprecated = deprecated;
    const publisher = str(obj(meta._npmUser)?.name);
    if (publisher) info.publisher = publisher;
    const scripts = obj(meta.scripts) ?? {};
    const hooks: string[] = [...NPM_INSTALL_HOOKS, ...NPM_OTHER_HOOKS].filter((h) => typeof scripts[h] === 'string' && (scripts[h] as string).trim() !== '');
    // A binding.gyp makes npm run `node-gyp rebuild` even without an install script.
    if (meta.gypfile === true && !hooks.includes('install')) hooks.push('binding.gyp');
    if (hooks.length > 0) info.installScripts = hooks;
    versions.push(info);
  }
  const latestMeta = obj(obj(doc.versions)?.[distTags.latest ?? '']);
  const info: PackageInfo = {
    ecosystem: 'npm',
    name: str(doc.name) ?? name,
    registry,
    foundIn: [registry],
    versions,
    distTags,
    maintainers: arr(doc.maintainers).map((m) => str(obj(m)?.name)).filter((m): m is string => Boolean(m)),
    pageUrl: PAGE_URLS.npm(name),
  };
  if (distTags.latest) info.latest = distTags.latest;
  // Mirrors sometimes drop `time.created`; the oldest version date is the same fact.
  const created = date(times.created) ?? versions.map((v) => v.publishedAt).filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
  if (created) info.createdAt = created;
  const repo = repositoryUrl(latestMeta?.repository ?? doc.repository);
  if (repo) info.repository = repo;
  const homepage = str(latestMeta?.homepage ?? doc.homepage);
  if (homepage) info.homepage = homepage;
  return info;
}

/** npm registry client. */
export class NpmClient implements RegistryClient {
  readonly ecosystem = 'npm' as const;
  constructor(
    private readonly http: HttpClient,
    private readonly endpoints: Endpoints['npm'],
  ) {}

  /** The registry npm would use for this name (scoped registries first). */
  registryFor(name: string): string {
    const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')).toLowerCase() : undefined;
    return (scope && this.endpoints.scopes[scope]) || this.endpoints.registry;
  }

  describeIndexes(name: string): string[] {
    return [this.registryFor(name)];
  }

  async lookup(name: string, options: LookupOptions): Promise<LookupResult> {
    const registry = this.registryFor(name);
    let response;
    try {
      response = await this.http.fetch(`${registry}/${npmPackumentPath(name)}`, { signal: options.signal, expect: 'json', accept: 'application/json', ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
    } catch (error) {
      return { status: 'unavailable', reason: error instanceof HttpError ? error.message : String(error) };
    }
    if (response.status !== 200) return { status: 'not-found', checked: [registry] };
    const doc = obj(response.json);
    const versions = obj(doc?.versions);
    if (!doc || !versions || Object.keys(versions).length === 0) {
      // A packument without versions is an unpublished package: npm cannot install it. npm's security team
      // leaves a stub with empty `versions` and `dist-tags` where it removed malware (flatmap-stream).
      if (doc && (obj(doc.time)?.unpublished || versions)) return { status: 'not-found', checked: [registry] };
      return { status: 'unavailable', reason: `${new URL(registry).host} answered JSON that is not a packument` };
    }
    const info = packumentToInfo(name, registry, doc);
    await this.addDownloads(info, registry, options);
    return { status: 'found', info };
  }

  private async addDownloads(info: PackageInfo, registry: string, options: LookupOptions): Promise<void> {
    if (registry !== this.endpoints.publicRegistry) {
      info.downloadsUnavailable = 'private registries publish no download counts';
      return;
    }
    try {
      const response = await this.http.fetch(`${this.endpoints.downloads}/downloads/point/last-month/${info.name}`, { signal: options.signal, expect: 'json', ttlMs: CACHE_TTL_MS.downloads, notFoundTtlMs: CACHE_TTL_MS.notFound });
      const count = num(obj(response.json)?.downloads);
      if (response.status === 200 && count !== undefined) info.downloads = { count, period: 'last month' };
      else info.downloadsUnavailable = 'the download-counts API has no figure for this package';
    } catch (error) {
      info.downloadsUnavailable = `download counts unavailable: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  async existsPublicly(name: string, options: LookupOptions): Promise<boolean | undefined> {
    try {
      // The abbreviated document is enough to tell existence and much smaller.
      const response = await this.http.fetch(`${this.endpoints.publicRegistry}/${npmPackumentPath(name)}`, { signal: options.signal, expect: 'json', accept: 'application/vnd.npm.install-v1+json', ttlMs: CACHE_TTL_MS.metadata, notFoundTtlMs: CACHE_TTL_MS.notFound });
      return response.status === 200;
    } catch {
      return undefined;
    }
  }
}
