/**
 * The `safeInstall.*` settings, each classified by how a change applies: `live` settings are read at
 * the moment they are used (the server re-reads its settings on every change; installs read theirs
 * when they start), `restart` settings shape the language server process and restart it. None needs
 * a window reload.
 */
import { workspace, type ConfigurationChangeEvent } from 'vscode';
import type { InstallSettings } from './install/installArgs';

/** How a setting change takes effect. */
export type SettingClass = 'live' | 'restart';

/** Every setting the extension contributes, with its class. Unknown `safeInstall.*` keys count as live. */
export const SETTING_CLASSES: Readonly<Record<string, SettingClass>> = {
  'safeInstall.typosquat.enabled': 'live',
  'safeInstall.typosquat.allow': 'live',
  'safeInstall.sandbox.enabled': 'live',
  'safeInstall.sandbox.binaryOnly': 'live',
  'safeInstall.trace.server': 'live',
  'safeInstall.server.maxMemoryMb': 'restart',
};

/** The settings of a change that need a server restart. */
export function restartSettingsChanged(event: Pick<ConfigurationChangeEvent, 'affectsConfiguration'>): string[] {
  return Object.entries(SETTING_CLASSES).filter(([key, cls]) => cls === 'restart' && event.affectsConfiguration(key)).map(([key]) => key);
}

/** Install settings as they are right now. */
export function readInstallSettings(): InstallSettings {
  const config = workspace.getConfiguration('safeInstall');
  return {
    sandboxEnabled: config.get<boolean>('sandbox.enabled', true),
    binaryOnly: config.get<boolean>('sandbox.binaryOnly', false),
  };
}

/** Node options for the server process (`--max-old-space-size` when set). */
export function serverExecArgv(): string[] {
  const mb = workspace.getConfiguration('safeInstall').get<number>('server.maxMemoryMb', 0);
  return Number.isInteger(mb) && mb >= 128 ? [`--max-old-space-size=${mb}`] : [];
}
