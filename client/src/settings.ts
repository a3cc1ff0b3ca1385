/** Reading the `safeInstall.*` settings the client itself uses, and reacting to restart-class changes. */
import { Uri, workspace, type ConfigurationChangeEvent } from 'vscode';
import { pythonInterpreterFromSetting, type InstallSettings } from './install/installArgs';
import { INSTALL_SETTING_KEYS, installSettingsFromScopes } from './install/installPolicy';
import { SETTING_CLASSES } from './settingClasses';
import { scopedSettings } from './settingsScopes';

/** The settings of a change that need a server restart. */
export function restartSettingsChanged(event: Pick<ConfigurationChangeEvent, 'affectsConfiguration'>): string[] {
  return Object.entries(SETTING_CLASSES).filter(([key, cls]) => cls === 'restart' && event.affectsConfiguration(key)).map(([key]) => key);
}

/** True when a change touches a setting installs read. */
export function installSettingsChanged(event: Pick<ConfigurationChangeEvent, 'affectsConfiguration'>): boolean {
  return INSTALL_SETTING_KEYS.some((key) => event.affectsConfiguration(`safeInstall.${key}`));
}

/**
 * Install settings as they are right now for an install into `folder` (folder settings count), with
 * the workspace values the policy ignored; `report` gets those messages.
 */
export function readInstallSettings(folder: string | undefined, report: (message: string) => void): InstallSettings {
  const config = workspace.getConfiguration('safeInstall', folder ? Uri.file(folder) : undefined);
  const { settings, ignored } = installSettingsFromScopes(scopedSettings(INSTALL_SETTING_KEYS, (key) => config.inspect(key)));
  for (const message of ignored) report(message);
  // pip installs go into the interpreter the Python extension uses for this folder, when one is set.
  const python = pythonInterpreterFromSetting(workspace.getConfiguration('python', folder ? Uri.file(folder) : undefined).get<string>('defaultInterpreterPath'), folder);
  return python === undefined ? settings : { ...settings, pythonInterpreter: python };
}

/** Node options for the server process (`--max-old-space-size` when set). Only the user's value counts. */
export function serverExecArgv(): string[] {
  const mb = workspace.getConfiguration('safeInstall').inspect<number>('server.maxMemoryMb')?.globalValue ?? 0;
  return Number.isInteger(mb) && mb >= 128 ? [`--max-old-space-size=${mb}`] : [];
}
