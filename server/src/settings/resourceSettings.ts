/** The `safeInstall.*` editor settings the server reads per resource. */
export interface ResourceSettings {
  typosquat: {
    enabled: boolean;
    /** Merged with the `[typosquat] allow` lists of the config files. */
    allow: string[];
  };
  intelligence: {
    /** Registry and OSV look-ups (malware, unknown packages, ...); off also when the config turns them off. */
    enabled: boolean;
  };
  /** Use only cached registry answers, never the network. */
  offline: boolean;
}

/** The settings section the server asks for. */
export const SETTINGS_SECTION = 'safeInstall';

/** Defaults when the client sends nothing (or garbage). */
export const DEFAULT_SETTINGS: ResourceSettings = { typosquat: { enabled: true, allow: [] }, intelligence: { enabled: true }, offline: false };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the `safeInstall` section as a client returns it. Clients differ (VS Code nests dotted keys,
 * others may send them flat), so both shapes are accepted and anything ill-typed falls back to defaults.
 */
export function readResourceSettings(raw: unknown): ResourceSettings {
  if (!isRecord(raw)) return structuredClone(DEFAULT_SETTINGS);
  const nested = isRecord(raw.typosquat) ? raw.typosquat : {};
  const enabled = nested.enabled ?? raw['typosquat.enabled'];
  const allow = nested.allow ?? raw['typosquat.allow'];
  const intelligence = isRecord(raw.intelligence) ? raw.intelligence : {};
  const intelligenceEnabled = intelligence.enabled ?? raw['intelligence.enabled'];
  return {
    typosquat: {
      enabled: typeof enabled === 'boolean' ? enabled : DEFAULT_SETTINGS.typosquat.enabled,
      allow: Array.isArray(allow) ? allow.filter((a): a is string => typeof a === 'string' && a.trim() !== '').map((a) => a.trim()) : [],
    },
    intelligence: { enabled: typeof intelligenceEnabled === 'boolean' ? intelligenceEnabled : DEFAULT_SETTINGS.intelligence.enabled },
    offline: typeof raw.offline === 'boolean' ? raw.offline : DEFAULT_SETTINGS.offline,
  };
}
