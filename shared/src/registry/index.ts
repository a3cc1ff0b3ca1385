/** Wires the HTTP layer, the cache and one client per registry from resolved endpoints. */
import type { Ecosystem } from '../model';
import { FileCacheStore, defaultCacheDir, type CacheStore } from './cache';
import { CratesClient } from './clients/crates';
import { GoProxyClient } from './clients/goproxy';
import { NpmClient } from './clients/npm';
import { OsvClient } from './clients/osv';
import { PypiClient } from './clients/pypi';
import { RubyGemsClient } from './clients/rubygems';
import type { Endpoints } from './endpoints';
import { LocalIndexReader } from './local/localIndex';
import type { LocalFs } from './local/localFs';
import { HttpClient, systemClock, type Clock, type HttpSettings, type Transport } from './http';
import { createUndiciTransport } from './transport';
import type { RegistryClient } from './types';

/** Every client the intelligence engine uses. */
export interface RegistryClients {
  registries: Record<Ecosystem, RegistryClient>;
  osv: OsvClient;
  http: HttpClient;
  clock: Clock;
}

/** Options for building the clients; everything but `endpoints` has a production default. */
export interface RegistryClientOptions {
  endpoints: Endpoints;
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  transport?: Transport;
  /** `null` disables caching; undefined uses the per-user file cache. */
  cache?: CacheStore | null;
  clock?: Clock;
  http?: Partial<HttpSettings>;
  /** Indexes named in the manifest itself (requirements `--index-url`, Gemfile `source`). */
  manifestIndexes?: { pypi?: string[]; rubygems?: string[] };
  /** Reads `file://` pip indexes and find-links folders; the real file system by default. */
  localFs?: LocalFs;
}

/** Builds the HTTP layer and one client per registry. */
export function createRegistryClients(options: RegistryClientOptions): RegistryClients {
  const clock = options.clock ?? systemClock;
  const cache = options.cache === null ? undefined : (options.cache ?? new FileCacheStore(defaultCacheDir(options.env, options.homeDir)));
  const transport = options.transport ?? createUndiciTransport({ env: options.env, extraCaPem: options.endpoints.extraCaPem });
  const http = new HttpClient(transport, cache, clock, options.http);
  const e = options.endpoints;
  return {
    registries: {
      npm: new NpmClient(http, e.npm),
      PyPI: new PypiClient(http, e.pypi, options.manifestIndexes?.pypi ?? [], new LocalIndexReader(options.localFs, () => clock.now())),
      'crates.io': new CratesClient(http, e.crates),
      Go: new GoProxyClient(http, e.go),
      RubyGems: new RubyGemsClient(http, e.rubygems, options.manifestIndexes?.rubygems ?? []),
    },
    osv: new OsvClient(http, e.osv, cache, clock),
    http,
    clock,
  };
}
