/**
 * Install settings from the values per scope (pure, tested). The user's own settings count as set;
 * workspace and folder settings count only where they tighten: the sandbox or wheels-only switched on,
 * lower limits, more credential paths and variables hidden. A weakening workspace value is ignored
 * with a message. The CLI flags these become can themselves only tighten the config files' values.
 */
import { cpuCount, memoryBytes } from '../../../shared/src/config/limits';
import type { ScopedSettings } from '../settingsScopes';
import type { InstallSettings } from './installArgs';

/** The settings keys (without `safeInstall.`) an install reads. */
export const INSTALL_SETTING_KEYS = [
  'sandbox.enabled',
  'sandbox.binaryOnly',
  'sandbox.memoryLimit',
  'sandbox.cpuLimit',
  'sandbox.timeoutSeconds',
  'vault.extraPaths',
  'vault.extraEnvVars',
  'network.allowedHosts',
] as const;

/** Install settings and the workspace values that were ignored (one message each). */
export interface InstallPolicyResult {
  settings: InstallSettings;
  ignored: string[];
}

/** Environment variable names the vault may strip. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const ignoredText = (key: string, why: string): string => `Workspace setting 'safeInstall.${key}' is ignored: ${why}; set it in your user settings if you mean it.`;
const invalidText = (scope: string, key: string, value: unknown, expected: string): string =>
  `${scope} setting 'safeInstall.${key}' is ignored: ${JSON.stringify(value)} is not ${expected}.`;

/** Applies the policy; `scoped` holds only explicitly set values. */
export function installSettingsFromScopes(scoped: ScopedSettings): InstallPolicyResult {
  const ignored: string[] = [];
  const { user, workspace } = scoped;

  // Switches whose "on" is the safe side: a workspace may turn them on, never off.
  const safeSwitch = (key: string, fallback: boolean, why: string): boolean => {
    let value = typeof user[key] === 'boolean' ? (user[key] as boolean) : fallback;
    const project = workspace[key];
    if (project === true) value = true;
    else if (project === false && value) ignored.push(ignoredText(key, why));
    return value;
  };
  const sandboxEnabled = safeSwitch('sandbox.enabled', true, 'a workspace setting cannot turn the install sandbox off (install scripts would run with your credentials in reach)');
  const binaryOnly = safeSwitch('sandbox.binaryOnly', false, 'a workspace setting cannot allow source builds your user settings refuse');

  // Limits: the smaller counts; a workspace value above the user's is ignored.
  const limit = <T>(key: string, read: (raw: unknown) => T | undefined, size: (value: T) => number, expected: string, what: string): T | undefined => {
    const valid = (scope: 'User' | 'Workspace', raw: unknown): T | undefined => {
      if (raw === undefined || raw === '' || raw === 0) return undefined;
      const value = read(raw);
      if (value === undefined) ignored.push(invalidText(scope, key, raw, expected));
      return value;
    };
    const mine = valid('User', user[key]);
    const project = valid('Workspace', workspace[key]);
    if (project === undefined) return mine;
    if (mine === undefined || size(project) <= size(mine)) return project;
    ignored.push(ignoredText(key, `a workspace setting may lower ${what} but not raise it above your ${String(mine)}`));
    return mine;
  };
  const text = (raw: unknown): string | undefined => (typeof raw === 'string' ? raw.trim() : undefined);
  const memoryLimit = limit('sandbox.memoryLimit', (raw) => { const t = text(raw); return t !== undefined && memoryBytes(t) !== undefined ? t : undefined; }, (t) => memoryBytes(t) ?? Infinity, 'a size such as 512m or 2g', 'the memory limit');
  const cpuLimit = limit('sandbox.cpuLimit', (raw) => { const t = text(raw); return t !== undefined && cpuCount(t) !== undefined ? t : undefined; }, (t) => cpuCount(t) ?? Infinity, 'a positive number of CPUs', 'the CPU limit');
  const timeoutSeconds = limit('sandbox.timeoutSeconds', (raw) => (typeof raw === 'number' && Number.isInteger(raw) && raw > 0 ? raw : undefined), (n) => n, 'a positive whole number of seconds', 'the timeout');

  // Hiding more only adds protection, so both scopes' entries count (as with safe-install.toml).
  const list = (key: string, accept: (item: string) => boolean, expected: string): string[] => {
    const out = new Set<string>();
    for (const [scope, raw] of [['User', user[key]], ['Workspace', workspace[key]]] as const) {
      if (raw === undefined) continue;
      if (!Array.isArray(raw)) {
        ignored.push(invalidText(scope, key, raw, 'a list'));
        continue;
      }
      for (const item of raw) {
        const value = typeof item === 'string' ? item.trim() : '';
        if (value !== '' && accept(value)) out.add(value);
        else ignored.push(invalidText(scope, key, item, expected));
      }
    }
    return [...out];
  };
  const vaultPaths = list('vault.extraPaths', (p) => !p.includes('\0'), 'a path');
  const vaultEnvVars = list('vault.extraEnvVars', (name) => ENV_NAME.test(name), 'an environment variable name');

  // Hosts the fetch phase may reach: yours count; a workspace may only narrow them (as in safe-install.toml).
  const hostList = (raw: unknown, scope: 'User' | 'Workspace'): string[] | undefined => {
    if (raw === undefined) return undefined;
    if (!Array.isArray(raw)) {
      ignored.push(invalidText(scope, 'network.allowedHosts', raw, 'a list'));
      return undefined;
    }
    return raw.filter((item): item is string => typeof item === 'string' && /^[^\s\0]+$/.test(item.trim())).map((item) => item.trim());
  };
  let allowedHosts = hostList(user['network.allowedHosts'], 'User') ?? [];
  const projectHosts = hostList(workspace['network.allowedHosts'], 'Workspace');
  if (projectHosts !== undefined) {
    const mine = new Set(allowedHosts.map((h) => h.toLowerCase()));
    const added = projectHosts.filter((h) => !mine.has(h.toLowerCase()));
    if (added.length > 0) ignored.push(ignoredText('network.allowedHosts', `a workspace setting may narrow the hosts installs reach, not add ${added.map((h) => `'${h}'`).join(', ')}`));
    const kept = new Set(projectHosts.map((h) => h.toLowerCase()));
    allowedHosts = allowedHosts.filter((h) => kept.has(h.toLowerCase()));
  }

  return {
    settings: {
      sandboxEnabled,
      binaryOnly,
      ...(memoryLimit !== undefined ? { memoryLimit } : {}),
      ...(cpuLimit !== undefined ? { cpuLimit } : {}),
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      ...(vaultPaths.length > 0 ? { vaultPaths } : {}),
      ...(vaultEnvVars.length > 0 ? { vaultEnvVars } : {}),
      ...(allowedHosts.length > 0 ? { allowedHosts } : {}),
    },
    ignored,
  };
}
