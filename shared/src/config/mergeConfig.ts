import { ECOSYSTEMS, type Range } from '../model';
import { DEFAULT_THRESHOLDS } from '../registry/defaults';
import type { ConfigLayer } from './configFile';
import { CONFIG_RULES, type ConfigFinding } from './configFinding';
import { cpuCount, DEFAULT_DISK_LIMIT, diskLimitBytes, memoryBytes } from './limits';
import { DEFAULT_CONFIG, type IntelligenceConfig, type SafeInstallConfig } from './schema';

/** The effective config and what the project file was refused. */
export interface MergeResult {
  config: SafeInstallConfig;
  /** `config-refused` warnings, positioned in the project file. */
  projectFindings: ConfigFinding[];
}

/** A deep copy, so callers may change the result without touching the defaults. */
export function cloneConfig(config: SafeInstallConfig): SafeInstallConfig {
  return {
    sandbox: {
      ...config.sandbox,
      ...(config.sandbox.allowScripts ? { allowScripts: [...config.sandbox.allowScripts] } : {}),
      ...(config.sandbox.images ? { images: { ...config.sandbox.images } } : {}),
    },
    vault: { extraPaths: [...config.vault.extraPaths], extraEnvVars: [...config.vault.extraEnvVars] },
    network: { allowedHosts: [...config.network.allowedHosts] },
    typosquat: { enabled: config.typosquat.enabled, allow: [...config.typosquat.allow] },
    ...(config.registries ? { registries: { ...config.registries } } : {}),
    ...(config.intelligence ? { intelligence: structuredClone(config.intelligence) } : {}),
  };
}

/** The user's own file is trusted: every key it sets replaces the value below it. */
export function applyUserLayer(base: SafeInstallConfig, layer: ConfigLayer): SafeInstallConfig {
  const config = cloneConfig(base);
  if (layer['sandbox.enabled']) config.sandbox.enabled = layer['sandbox.enabled'].value;
  if (layer['sandbox.memory_limit']) config.sandbox.memoryLimit = layer['sandbox.memory_limit'].value;
  if (layer['sandbox.cpu_limit']) config.sandbox.cpuLimit = layer['sandbox.cpu_limit'].value;
  if (layer['sandbox.timeout']) config.sandbox.timeoutSeconds = layer['sandbox.timeout'].value;
  if (layer['sandbox.network_mode']) config.sandbox.networkMode = layer['sandbox.network_mode'].value;
  if (layer['sandbox.allow_scripts']) config.sandbox.allowScripts = [...layer['sandbox.allow_scripts'].value];
  if (layer['sandbox.disk_limit']) config.sandbox.diskLimit = layer['sandbox.disk_limit'].value;
  if (layer['sandbox.images']) config.sandbox.images = { ...config.sandbox.images, ...layer['sandbox.images'].value };
  if (layer['vault.extra_paths']) config.vault.extraPaths = [...layer['vault.extra_paths'].value];
  if (layer['vault.extra_env_vars']) config.vault.extraEnvVars = [...layer['vault.extra_env_vars'].value];
  if (layer['network.allowed_hosts']) config.network.allowedHosts = [...layer['network.allowed_hosts'].value];
  if (layer['typosquat.enabled']) config.typosquat.enabled = layer['typosquat.enabled'].value;
  if (layer['typosquat.allow']) config.typosquat.allow = [...layer['typosquat.allow'].value];
  if (layer.registries) config.registries = { ...config.registries, ...layer.registries.value };
  if (layer.intelligence) config.intelligence = { ...config.intelligence, ...layer.intelligence.value };
  return config;
}

const PROJECT_HINT = 'set it in your user config if you mean it';

/**
 * A project file (`safe-install.toml`, which arrives with any cloned repository) may only tighten:
 * turn checks on, lower limits, hide more credentials, narrow allowed hosts, and add ignores
 * (`typosquat.allow`). Anything that would weaken the user's settings is dropped with a warning at the key.
 */
export function applyProjectLayer(base: SafeInstallConfig, layer: ConfigLayer): MergeResult {
  const config = cloneConfig(base);
  const findings: ConfigFinding[] = [];
  const refuse = (key: string, range: Range, why: string): void => {
    findings.push({
      rule: CONFIG_RULES.refused,
      severity: 'warning',
      message: `'${key}' is ignored: ${why}; ${PROJECT_HINT}`,
      range,
      key,
    });
  };

  const sandboxEnabled = layer['sandbox.enabled'];
  if (sandboxEnabled) {
    if (sandboxEnabled.value) config.sandbox.enabled = true;
    else if (config.sandbox.enabled) {
      refuse('sandbox.enabled', sandboxEnabled.range, 'a project file cannot turn the install sandbox off (install scripts would run with your credentials in reach)');
    }
  }

  // Limits a project may lower but not raise; a value that cannot be measured counts as unlimited.
  const lowerOnly = <T extends string | number>(
    key: string,
    setting: { value: T; range: Range } | undefined,
    current: T,
    size: (value: T) => number,
    what: string,
    apply: (value: T) => void,
    unit = '',
  ): void => {
    if (!setting) return;
    if (size(setting.value) <= size(current)) apply(setting.value);
    else refuse(key, setting.range, `a project file may ${what} but not raise it above ${current}${unit}`);
  };
  const sandbox = config.sandbox;
  lowerOnly('sandbox.memory_limit', layer['sandbox.memory_limit'], sandbox.memoryLimit, (v) => memoryBytes(v) ?? Infinity, 'lower the memory limit', (v) => (sandbox.memoryLimit = v));
  lowerOnly('sandbox.cpu_limit', layer['sandbox.cpu_limit'], sandbox.cpuLimit, (v) => cpuCount(v) ?? Infinity, 'lower the CPU limit', (v) => (sandbox.cpuLimit = v));
  lowerOnly('sandbox.timeout', layer['sandbox.timeout'], sandbox.timeoutSeconds, (v) => v, 'shorten the timeout', (v) => (sandbox.timeoutSeconds = v), ' seconds');
  // A smaller build area only stops a build sooner; "0" (no cap) is the largest.
  const diskSize = (v: string): number => diskLimitBytes(v) || Infinity;
  lowerOnly('sandbox.disk_limit', layer['sandbox.disk_limit'], sandbox.diskLimit ?? DEFAULT_DISK_LIMIT, diskSize, "lower the build area's size cap", (v) => (sandbox.diskLimit = v));

  // The image, the fetch network and which packages may run install scripts decide what install code can
  // do at all; a cloned repository choosing them would choose its own sandbox.
  const userOnly: Array<[string, Range | undefined, string]> = [
    ['sandbox.images', layer['sandbox.images']?.range, 'a project file cannot choose the sandbox image'],
    ['sandbox.network_mode', layer['sandbox.network_mode']?.range, 'a project file cannot choose the network install code reaches'],
    ['sandbox.allow_scripts', layer['sandbox.allow_scripts']?.range, "a project file cannot let packages run install scripts (package.json's allowScripts is read for that)"],
  ];
  for (const [key, range, why] of userOnly) if (range) refuse(key, range, why);

  // Hiding more credentials only adds protection, so project entries are added to the user's.
  const extraPaths = layer['vault.extra_paths'];
  if (extraPaths) config.vault.extraPaths = union(config.vault.extraPaths, extraPaths.value);
  const extraEnvVars = layer['vault.extra_env_vars'];
  if (extraEnvVars) config.vault.extraEnvVars = union(config.vault.extraEnvVars, extraEnvVars.value);

  // A project may narrow egress to hosts the user already allows, never add one.
  const hosts = layer['network.allowed_hosts'];
  if (hosts) {
    const userHosts = new Set(config.network.allowedHosts.map((host) => host.toLowerCase()));
    const kept = hosts.value.filter((host) => userHosts.has(host.toLowerCase()));
    const added = hosts.value.filter((host) => !userHosts.has(host.toLowerCase()));
    config.network.allowedHosts = kept;
    if (added.length > 0) {
      refuse(
        'network.allowed_hosts',
        hosts.range,
        `a project file cannot allow hosts your user config does not (${added.map((host) => `'${host}'`).join(', ')}): that would widen where install code may connect`,
      );
    }
  }

  const typosquatEnabled = layer['typosquat.enabled'];
  if (typosquatEnabled) {
    if (typosquatEnabled.value) config.typosquat.enabled = true;
    else if (config.typosquat.enabled) refuse('typosquat.enabled', typosquatEnabled.range, 'a project file cannot turn typosquat checks off (ignore single names with typosquat.allow instead)');
  }

  // Ignores are the one relaxation a project may make: they name single packages and show up in review.
  const allow = layer['typosquat.allow'];
  if (allow) config.typosquat.allow = union(config.typosquat.allow, allow.value);

  // Registry endpoints decide who vouches for packages (and who hears their names): a cloned repository
  // pointing them at its own server could make its malware look clean. Private registries belong in the
  // user config or the package managers' own config, which the registry module reads.
  if (layer.registries) {
    for (const [key, range] of Object.entries(layer.registries.keyRanges)) {
      refuse(`registries.${key}`, range, 'a project file cannot redirect registry lookups (a repository could point them at a server that vouches for its own packages)');
    }
  }

  if (layer.intelligence) applyProjectIntelligence(config, layer.intelligence.value, layer.intelligence.keyRanges, refuse);

  return { config, projectFindings: findings };
}

type Refuse = (key: string, range: Range, why: string) => void;

/** Registry-intelligence settings from a project: switches only on, thresholds only stricter, prefixes added. */
function applyProjectIntelligence(config: SafeInstallConfig, project: IntelligenceConfig, ranges: Record<string, Range>, refuse: Refuse): void {
  const current: IntelligenceConfig = { ...config.intelligence };
  const next: IntelligenceConfig = { ...current };
  const at = (key: string): Range => ranges[key] ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (project.enabled === true) next.enabled = true;
  else if (project.enabled === false && current.enabled !== false) refuse('intelligence.enabled', at('enabled'), 'a project file cannot turn registry checks off');
  if (project.offline === false) next.offline = false;
  else if (project.offline === true && current.offline !== true) refuse('intelligence.offline', at('offline'), 'a project file cannot make registry checks offline-only');
  if (project.disabledRules && project.disabledRules.length > 0) {
    refuse('intelligence.disabled_rules', at('disabled_rules'), 'a project file cannot disable whole rules (ignore single packages with typosquat.allow instead)');
  }
  if (project.internalPrefixes) next.internalPrefixes = union(current.internalPrefixes ?? [], project.internalPrefixes);

  // Higher means stricter for these (more packages count as new, young or rarely downloaded) …
  const raise = (field: 'newPackageDays' | 'newPackageWeakDays' | 'minReleaseAgeHours' | 'timeoutSeconds', key: string): void => {
    const value = project[field];
    if (value === undefined) return;
    const base = current[field] ?? DEFAULT_THRESHOLDS[field];
    if (value >= base) next[field] = value;
    else refuse(`intelligence.${key}`, at(key), `a project file may raise this threshold but not lower it below ${base}`);
  };
  raise('newPackageDays', 'new_package_days');
  raise('newPackageWeakDays', 'new_package_weak_days');
  raise('minReleaseAgeHours', 'min_release_age_hours');
  raise('timeoutSeconds', 'timeout_seconds');
  // … and lower is stricter here (a shorter quiet spell already counts as dormant).
  if (project.dormantDays !== undefined) {
    const base = current.dormantDays ?? DEFAULT_THRESHOLDS.dormantDays;
    if (project.dormantDays <= base) next.dormantDays = project.dormantDays;
    else refuse('intelligence.dormant_days', at('dormant_days'), `a project file may lower this threshold but not raise it above ${base}`);
  }
  if (project.lowDownloads) {
    const merged = { ...current.lowDownloads };
    const lowered: string[] = [];
    for (const ecosystem of ECOSYSTEMS) {
      const value = project.lowDownloads[ecosystem];
      if (value === undefined) continue;
      const base = current.lowDownloads?.[ecosystem] ?? DEFAULT_THRESHOLDS.lowDownloads[ecosystem];
      if (value >= base) merged[ecosystem] = value;
      else lowered.push(`${ecosystem} below ${base}`);
    }
    next.lowDownloads = merged;
    if (lowered.length > 0) refuse('intelligence.low_downloads', at('low_downloads'), `a project file may raise download thresholds but not lower them (${lowered.join(', ')})`);
  }
  config.intelligence = next;
}

/** defaults ← user ← project, with the project's weakening keys refused. */
export function mergeConfigLayers(user: ConfigLayer, project: ConfigLayer): MergeResult {
  return applyProjectLayer(applyUserLayer(DEFAULT_CONFIG, user), project);
}

function union(base: readonly string[], extra: readonly string[]): string[] {
  return [...new Set([...base, ...extra])];
}
