/**
 * The `safeInstall.*` settings, each classified by how a change applies: `live` settings are read at
 * the moment they are used (the server re-reads its settings on every change; installs read theirs
 * when they start), `restart` settings shape the language server process and restart it. None needs
 * a window reload. No `vscode` import, so a test can check package.json against it.
 */

/** How a setting change takes effect. */
export type SettingClass = 'live' | 'restart';

/** Every setting the extension contributes, with its class. Unknown `safeInstall.*` keys count as live. */
export const SETTING_CLASSES: Readonly<Record<string, SettingClass>> = {
  'safeInstall.typosquat.enabled': 'live',
  'safeInstall.typosquat.allow': 'live',
  'safeInstall.sandbox.enabled': 'live',
  'safeInstall.sandbox.binaryOnly': 'live',
  'safeInstall.sandbox.memoryLimit': 'live',
  'safeInstall.sandbox.cpuLimit': 'live',
  'safeInstall.sandbox.timeoutSeconds': 'live',
  'safeInstall.intelligence.enabled': 'live',
  'safeInstall.offline': 'live',
  'safeInstall.trace.server': 'live',
  'safeInstall.server.maxMemoryMb': 'restart',
};

