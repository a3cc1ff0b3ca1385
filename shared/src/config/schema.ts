import type { Ecosystem } from '../model';

/**
 * Effective settings after merging built-in defaults, the user's config file and the project's
 * `safe-install.toml` (which may tighten but never weaken user-level security settings).
 */
export interface SafeInstallConfig {
  sandbox: {
    enabled: boolean;
    memoryLimit: string;
    cpuLimit: string;
    timeoutSeconds: number;
    /** `network_mode` of the fetch phase (user config only; the build phase never has a network). */
    networkMode?: string;
    /** `allow_scripts`: npm packages whose install scripts may run, offline (user config only). */
    allowScripts?: string[];
    /** `disk_limit`: size cap of the build area as written (`"2g"`; `"0"` = none); a project may only lower it. */
    diskLimit?: string;
    /** `[sandbox.images]`: image per ecosystem (user config only: untrusted input must never choose the image). */
    images?: Partial<Record<Ecosystem, string>>;
  };
  vault: {
    extraPaths: string[];
    extraEnvVars: string[];
  };
  network: {
    allowedHosts: string[];
  };
  typosquat: {
    enabled: boolean;
    /** Names never reported as typosquats: `name` (any ecosystem) or `ecosystem:name` (e.g. `npm:colour`). */
    allow: string[];
  };
  /** `[registries]`: endpoints used when the package manager's own config names none. */
  registries?: RegistriesConfig;
  /** `[intelligence]`: registry-intelligence switches and thresholds (defaults in registry/defaults.ts). */
  intelligence?: IntelligenceConfig;
}

/** Registry endpoints from `safe-install.toml` `[registries]`; every field optional. */
export interface RegistriesConfig {
  npm?: string;
  npmDownloads?: string;
  pypiIndex?: string;
  pypiExtraIndexes?: string[];
  pypiJson?: string;
  crates?: string;
  goProxy?: string;
  rubygems?: string;
  osv?: string;
}

/** Thresholds and switches from `safe-install.toml` `[intelligence]`; every field optional. */
export interface IntelligenceConfig {
  enabled?: boolean;
  /** Use only cached registry answers. */
  offline?: boolean;
  /** Name prefixes of the organisation's private packages (dependency-confusion check). */
  internalPrefixes?: string[];
  newPackageDays?: number;
  newPackageWeakDays?: number;
  minReleaseAgeHours?: number;
  dormantDays?: number;
  /** Download counts below which `low-downloads` fires, per ecosystem, over the registry's own window. */
  lowDownloads?: Partial<Record<Ecosystem, number>>;
  timeoutSeconds?: number;
  /** Rule ids never reported (e.g. `low-downloads`). */
  disabledRules?: string[];
}

export const DEFAULT_CONFIG: SafeInstallConfig = {
  sandbox: { enabled: true, memoryLimit: '2g', cpuLimit: '2', timeoutSeconds: 600 },
  vault: { extraPaths: [], extraEnvVars: [] },
  network: { allowedHosts: [] },
  typosquat: { enabled: true, allow: [] },
};

/** True when `allow` lists this package for this ecosystem. */
export function isAllowed(allow: readonly string[], ecosystem: Ecosystem, normalizedName: string): boolean {
  for (const entry of allow) {
    const colon = entry.indexOf(':');
    const prefix = colon > 0 ? entry.slice(0, colon) : undefined;
    if (prefix !== undefined && ['PyPI', 'npm', 'crates.io', 'Go', 'RubyGems'].some((e) => e.toLowerCase() === prefix.toLowerCase())) {
      if (prefix.toLowerCase() === ecosystem.toLowerCase() && entry.slice(colon + 1).toLowerCase() === normalizedName.toLowerCase()) return true;
    } else if (entry.toLowerCase() === normalizedName.toLowerCase()) {
      return true;
    }
  }
  return false;
}
