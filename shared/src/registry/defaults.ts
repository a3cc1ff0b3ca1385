/**
 * Every built-in registry address and default threshold, in one place. Used only when neither the
 * user's package-manager configuration nor `safe-install.toml` names something else.
 */
import type { Ecosystem } from '../model';

/** Public endpoints of each registry's API. */
export const DEFAULT_ENDPOINTS = {
  npmRegistry: 'https://registry.npmjs.org',
  npmDownloads: 'https://api.npmjs.org',
  pypiSimple: 'https://pypi.org/simple',
  pypiJson: 'https://pypi.org/pypi',
  crates: 'https://crates.io',
  goProxy: 'https://proxy.golang.org',
  rubygems: 'https://rubygems.org',
  osv: 'https://api.osv.dev',
} as const;

/**
 * Hosts a public registry sends its clients on to (files, indexes, checksums) besides its own: the
 * sandbox's registry-only fetch network lets these through when the registry itself is allowed.
 */
export const RELATED_HOSTS: Readonly<Record<string, readonly string[]>> = {
  'pypi.org': ['files.pythonhosted.org'],
  'crates.io': ['index.crates.io', 'static.crates.io'],
  'index.crates.io': ['static.crates.io'],
  'proxy.golang.org': ['sum.golang.org'],
  'rubygems.org': ['index.rubygems.org'],
};

/** Web pages for package cards and messages. */
export const PAGE_URLS: Record<Ecosystem, (name: string) => string> = {
  npm: (name) => `https://www.npmjs.com/package/${name}`,
  PyPI: (name) => `https://pypi.org/project/${name}/`,
  'crates.io': (name) => `https://crates.io/crates/${name}`,
  Go: (name) => `https://pkg.go.dev/${name}`,
  RubyGems: (name) => `https://rubygems.org/gems/${name}`,
};

/** OSV's page for one advisory. */
export const osvPage = (id: string): string => `https://osv.dev/vulnerability/${id}`;

/** How long cached answers stay fresh. */
export const CACHE_TTL_MS = {
  metadata: 60 * 60 * 1000,
  notFound: 10 * 60 * 1000,
  downloads: 24 * 60 * 60 * 1000,
  osvQuery: 60 * 60 * 1000,
  osvRecord: 24 * 60 * 60 * 1000,
} as const;

/** Thresholds of the signals (overridable in `[intelligence]`). */
export const DEFAULT_THRESHOLDS = {
  newPackageDays: 30,
  newPackageWeakDays: 90,
  minReleaseAgeHours: 72,
  dormantDays: 365,
  /** How recent a release after a dormant gap must be to count as a reactivation. */
  reactivationWindowDays: 90,
  /** Below these counts (over the registry's own window) `low-downloads` fires. Go has no download data. */
  lowDownloads: { npm: 500, 'crates.io': 1_000, RubyGems: 2_000, PyPI: 0, Go: 0 } as Record<Ecosystem, number>,
  timeoutSeconds: 10,
  /** Dependencies looked up at once (each client also limits requests per host). */
  lookupConcurrency: 16,
} as const;

/** GOPROXY when the environment sets none (Go's own default). */
export const DEFAULT_GOPROXY = `${DEFAULT_ENDPOINTS.goProxy},direct`;
