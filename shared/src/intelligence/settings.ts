/** `[intelligence]` settings: the config's optional fields merged over the defaults in registry/defaults.ts. */
import type { IntelligenceConfig } from '../config/schema';
import { ECOSYSTEMS, type Ecosystem } from '../model';
import { DEFAULT_THRESHOLDS } from '../registry/defaults';

/** Effective intelligence settings. */
export interface IntelligenceSettings {
  enabled: boolean;
  offline: boolean;
  internalPrefixes: string[];
  newPackageDays: number;
  newPackageWeakDays: number;
  minReleaseAgeHours: number;
  dormantDays: number;
  reactivationWindowDays: number;
  lowDownloads: Record<Ecosystem, number>;
  timeoutSeconds: number;
  disabledRules: Set<string>;
}

/** Merges optional config over the defaults. */
export function intelligenceSettings(config: IntelligenceConfig = {}): IntelligenceSettings {
  return {
    enabled: config.enabled ?? true,
    offline: config.offline ?? false,
    internalPrefixes: config.internalPrefixes ?? [],
    newPackageDays: config.newPackageDays ?? DEFAULT_THRESHOLDS.newPackageDays,
    newPackageWeakDays: config.newPackageWeakDays ?? DEFAULT_THRESHOLDS.newPackageWeakDays,
    minReleaseAgeHours: config.minReleaseAgeHours ?? DEFAULT_THRESHOLDS.minReleaseAgeHours,
    dormantDays: config.dormantDays ?? DEFAULT_THRESHOLDS.dormantDays,
    reactivationWindowDays: DEFAULT_THRESHOLDS.reactivationWindowDays,
    lowDownloads: { ...DEFAULT_THRESHOLDS.lowDownloads, ...config.lowDownloads },
    timeoutSeconds: config.timeoutSeconds ?? DEFAULT_THRESHOLDS.timeoutSeconds,
    disabledRules: new Set(config.disabledRules ?? []),
  };
}

/** `[intelligence]` of safe-install.toml, from its parsed TOML table (snake_case keys; unknown keys ignored). */
export function intelligenceFromToml(table: unknown): IntelligenceConfig {
  if (typeof table !== 'object' || table === null) return {};
  const t = table as Record<string, unknown>;
  const out: IntelligenceConfig = {};
  const bool = (k: string): boolean | undefined => (typeof t[k] === 'boolean' ? (t[k] as boolean) : undefined);
  const n = (k: string): number | undefined => (typeof t[k] === 'number' && Number.isFinite(t[k]) && (t[k] as number) >= 0 ? (t[k] as number) : undefined);
  const strings = (k: string): string[] | undefined => (Array.isArray(t[k]) ? (t[k] as unknown[]).filter((s): s is string => typeof s === 'string') : undefined);
  const assign = <K extends keyof IntelligenceConfig>(key: K, value: IntelligenceConfig[K] | undefined): void => {
    if (value !== undefined) out[key] = value;
  };
  assign('enabled', bool('enabled'));
  assign('offline', bool('offline'));
  assign('internalPrefixes', strings('internal_prefixes'));
  assign('newPackageDays', n('new_package_days'));
  assign('newPackageWeakDays', n('new_package_weak_days'));
  assign('minReleaseAgeHours', n('min_release_age_hours'));
  assign('dormantDays', n('dormant_days'));
  assign('timeoutSeconds', n('timeout_seconds'));
  assign('disabledRules', strings('disabled_rules'));
  const low = t.low_downloads;
  if (typeof low === 'object' && low !== null) {
    const table2 = low as Record<string, unknown>;
    const parsed: Partial<Record<Ecosystem, number>> = {};
    for (const eco of ECOSYSTEMS) {
      const key = Object.keys(table2).find((k) => k.toLowerCase() === eco.toLowerCase());
      const value = key === undefined ? undefined : table2[key];
      if (typeof value === 'number' && value >= 0) parsed[eco] = value;
    }
    out.lowDownloads = parsed;
  } else if (typeof low === 'number' && low >= 0) {
    out.lowDownloads = Object.fromEntries(ECOSYSTEMS.map((e) => [e, low])) as Record<Ecosystem, number>;
  }
  return out;
}
