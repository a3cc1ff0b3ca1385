/** Reading the `safeInstall.*` settings the client itself uses, and reacting to restart-class changes. */
import { workspace, type ConfigurationChangeEvent } from 'vscode';
import type { InstallSettings } from './install/installArgs';
import { SETTING_CLASSES } from './settingClasses';

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
    memoryLimit: config.get<string>('sandbox.memoryLimit', ''),
    cpuLimit: config.get<string>('sandbox.cpuLimit', ''),
    timeoutSeconds: config.get<number>('sandbox.timeoutSeconds', 0),
  };
}

/** Node options for the server process (`--max-old-space-size` when set). */
export function serverExecArgv(): string[] {
  const mb = workspace.getConfiguration('safeInstall').get<number>('server.maxMemoryMb', 0);
  return Number.isInteger(mb) && mb >= 128 ? [`--max-old-space-size=${mb}`] : [];
}
