/**
 * The `safeInstall.*` editor settings the server reads per resource, turned into the same config
 * layers `safe-install.toml` files become, so one merge policy covers both (see applyEditorSettings.ts).
 */
import type { ConfigLayer } from '../../../shared/src/config/configFile';
import type { IntelligenceConfig } from '../../../shared/src/config/schema';
import { intelligenceFromToml } from '../../../shared/src/intelligence/settings';
import type { Range } from '../../../shared/src/model';

/** A document's editor settings, split by who wrote them. */
export interface ResourceSettings {
  /** The user's own settings: trusted like the user config file. */
  user: ConfigLayer;
  /** Workspace and folder settings (they arrive with a clone): applied like `safe-install.toml`, tighten only. */
  workspace: ConfigLayer;
}

/** The settings section the server asks for. */
export const SETTINGS_SECTION = 'safeInstall';

/**
 * Where the extension puts the per-scope values in its answer to `workspace/configuration`
 * (`{ scopes: { user: {...}, workspace: {...} } }`, keys as `intelligence.minReleaseAgeHours`).
 */
export const SCOPES_FIELD = 'scopes';

/** Defaults when the client sends nothing (or garbage): nothing set, the config files decide. */
export const DEFAULT_SETTINGS: ResourceSettings = { user: {}, workspace: {} };

const NO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Setting key (without `safeInstall.`) → `[intelligence]` key of safe-install.toml. */
export const INTELLIGENCE_SETTING_TOML: Readonly<Record<string, string>> = {
  'intelligence.enabled': 'enabled',
  offline: 'offline',
  'intelligence.minReleaseAgeHours': 'min_release_age_hours',
  'intelligence.newPackageDays': 'new_package_days',
  'intelligence.newPackageWeakDays': 'new_package_weak_days',
  'intelligence.dormantDays': 'dormant_days',
  'intelligence.lowDownloads': 'low_downloads',
  'intelligence.internalPrefixes': 'internal_prefixes',
  'intelligence.timeoutSeconds': 'timeout_seconds',
  'intelligence.disabledRules': 'disabled_rules',
};

/** Every setting the server reads, with the config key it maps to (for messages). */
export const SERVER_SETTING_TOML: Readonly<Record<string, string>> = {
  'typosquat.enabled': 'typosquat.enabled',
  'typosquat.allow': 'typosquat.allow',
  ...Object.fromEntries(Object.entries(INTELLIGENCE_SETTING_TOML).map(([setting, key]) => [setting, `intelligence.${key}`])),
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A dotted setting from a section, flat (`"a.b"`) or nested (`{ a: { b } }`) as clients differ. */
function lookup(section: Record<string, unknown>, key: string): unknown {
  if (key in section) return section[key];
  const [head, ...rest] = key.split('.');
  const inner = head === undefined ? undefined : section[head];
  return rest.length > 0 && isRecord(inner) ? lookup(inner, rest.join('.')) : undefined;
}

/**
 * The config layer the given settings amount to; ill-typed values and nulls count as not set.
 * Threshold values go through the same reader as `[intelligence]` in safe-install.toml.
 */
export function layerFromSettings(section: unknown): ConfigLayer {
  if (!isRecord(section)) return {};
  const layer: ConfigLayer = {};
  const enabled = lookup(section, 'typosquat.enabled');
  if (typeof enabled === 'boolean') layer['typosquat.enabled'] = { value: enabled, range: NO_RANGE };
  const allow = lookup(section, 'typosquat.allow');
  if (Array.isArray(allow)) {
    const names = allow.filter((a): a is string => typeof a === 'string' && a.trim() !== '').map((a) => a.trim());
    layer['typosquat.allow'] = { value: names, range: NO_RANGE };
  }
  const table: Record<string, unknown> = {};
  for (const [setting, tomlKey] of Object.entries(INTELLIGENCE_SETTING_TOML)) {
    const value = lookup(section, setting);
    if (value !== undefined && value !== null) table[tomlKey] = value;
  }
  const intelligence: IntelligenceConfig = intelligenceFromToml(table);
  if (Object.keys(intelligence).length > 0) {
    const keyRanges = Object.fromEntries(Object.keys(table).map((key) => [key, NO_RANGE]));
    layer.intelligence = { value: intelligence, range: NO_RANGE, keyRanges };
  }
  return layer;
}

/**
 * Reads the `safeInstall` section as a client returns it. The extension sends the values per scope
 * (user / workspace, from `inspect()`); any other client sends one merged section, which is the user's
 * own editor talking and counts as the user scope, except that switches at their defaults
 * (`enabled: true`, `offline: false`) and empty lists count as not set, so a plain default never
 * overrides a config file.
 */
export function readResourceSettings(raw: unknown): ResourceSettings {
  if (!isRecord(raw)) return structuredClone(DEFAULT_SETTINGS);
  const scopes = raw[SCOPES_FIELD];
  if (isRecord(scopes)) return { user: layerFromSettings(scopes.user), workspace: layerFromSettings(scopes.workspace) };
  const user = layerFromSettings(raw);
  if (user['typosquat.enabled']?.value === true) delete user['typosquat.enabled'];
  const intelligence = user.intelligence?.value;
  if (intelligence) {
    if (intelligence.enabled === true) delete intelligence.enabled;
    if (intelligence.offline === false) delete intelligence.offline;
    // Empty lists and tables are what such a client sends for settings nobody set.
    for (const key of Object.keys(intelligence) as Array<keyof IntelligenceConfig>) {
      const value = intelligence[key];
      if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) delete intelligence[key];
    }
    if (Object.keys(intelligence).length === 0) delete user.intelligence;
  }
  return { user, workspace: {} };
}
