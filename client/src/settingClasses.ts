/**
 * The `safeInstall.*` settings, each classified by how a change applies and who may set it. `live`
 * settings are read at the moment they are used (the server re-reads its settings on every change and
 * re-checks open documents; installs read theirs when they start); `restart` settings shape the
 * language server process, and changing one restarts it. None needs a window reload.
 * No `vscode` import, so tests can check package.json and docs/settings.md against this table.
 */

/** How a setting change takes effect. */
export type SettingClass = 'live' | 'restart';

/**
 * Who may set a setting. `user`: only the user's own settings count (a workspace value is ignored);
 * `tighten`: workspace and folder settings count only where they are stricter than the user's, like
 * `safe-install.toml`; `any`: a display preference, no security meaning.
 */
export type SettingAuthority = 'user' | 'tighten' | 'any';

/** One contributed setting. */
export interface SettingInfo {
  class: SettingClass;
  /** The `safe-install.toml` key it mirrors, if any. */
  toml?: string;
  who: SettingAuthority;
}

/** Every setting the extension contributes. */
export const SETTINGS: Readonly<Record<string, SettingInfo>> = {
  'safeInstall.typosquat.enabled': { class: 'live', toml: 'typosquat.enabled', who: 'tighten' },
  'safeInstall.typosquat.allow': { class: 'live', toml: 'typosquat.allow', who: 'tighten' },
  'safeInstall.intelligence.enabled': { class: 'live', toml: 'intelligence.enabled', who: 'tighten' },
  'safeInstall.offline': { class: 'live', toml: 'intelligence.offline', who: 'tighten' },
  'safeInstall.intelligence.minReleaseAgeHours': { class: 'live', toml: 'intelligence.min_release_age_hours', who: 'tighten' },
  'safeInstall.intelligence.newPackageDays': { class: 'live', toml: 'intelligence.new_package_days', who: 'tighten' },
  'safeInstall.intelligence.newPackageWeakDays': { class: 'live', toml: 'intelligence.new_package_weak_days', who: 'tighten' },
  'safeInstall.intelligence.dormantDays': { class: 'live', toml: 'intelligence.dormant_days', who: 'tighten' },
  'safeInstall.intelligence.lowDownloads': { class: 'live', toml: 'intelligence.low_downloads', who: 'tighten' },
  'safeInstall.intelligence.internalPrefixes': { class: 'live', toml: 'intelligence.internal_prefixes', who: 'tighten' },
  'safeInstall.intelligence.timeoutSeconds': { class: 'live', toml: 'intelligence.timeout_seconds', who: 'tighten' },
  'safeInstall.intelligence.disabledRules': { class: 'live', toml: 'intelligence.disabled_rules', who: 'user' },
  'safeInstall.sandbox.enabled': { class: 'live', toml: 'sandbox.enabled', who: 'tighten' },
  'safeInstall.sandbox.binaryOnly': { class: 'live', who: 'tighten' },
  'safeInstall.sandbox.memoryLimit': { class: 'live', toml: 'sandbox.memory_limit', who: 'tighten' },
  'safeInstall.sandbox.cpuLimit': { class: 'live', toml: 'sandbox.cpu_limit', who: 'tighten' },
  'safeInstall.sandbox.timeoutSeconds': { class: 'live', toml: 'sandbox.timeout', who: 'tighten' },
  'safeInstall.vault.extraPaths': { class: 'live', toml: 'vault.extra_paths', who: 'tighten' },
  'safeInstall.vault.extraEnvVars': { class: 'live', toml: 'vault.extra_env_vars', who: 'tighten' },
  'safeInstall.network.allowedHosts': { class: 'live', toml: 'network.allowed_hosts', who: 'tighten' },
  'safeInstall.trace.server': { class: 'live', who: 'any' },
  'safeInstall.server.maxMemoryMb': { class: 'restart', who: 'user' },
};

/** Every setting with its class. */
export const SETTING_CLASSES: Readonly<Record<string, SettingClass>> = Object.fromEntries(
  Object.entries(SETTINGS).map(([key, info]) => [key, info.class]),
);

/** The `safeInstall` section's keys (without the prefix) that the language server reads. */
export const SERVER_SETTING_KEYS: readonly string[] = Object.keys(SETTINGS)
  .filter((key) => key.startsWith('safeInstall.typosquat.') || key.startsWith('safeInstall.intelligence.') || key === 'safeInstall.offline')
  .map((key) => key.slice('safeInstall.'.length));
