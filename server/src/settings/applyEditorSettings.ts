/**
 * Editor settings on top of the config files, with the no-weaken policy of safe-install.toml:
 * defaults ← user config file ← user settings ← safe-install.toml ← workspace settings, where the
 * last two may only tighten (mergeConfig's applyProjectLayer decides what "tighter" means per key).
 */
import type { ConfigLayer } from '../../../shared/src/config/configFile';
import type { ConfigFinding } from '../../../shared/src/config/configFinding';
import { applyProjectLayer, applyUserLayer } from '../../../shared/src/config/mergeConfig';
import type { SafeInstallConfig } from '../../../shared/src/config/schema';
import { SERVER_SETTING_TOML, type ResourceSettings } from './resourceSettings';

/** The effective config of one document and the workspace settings that were ignored, as messages. */
export interface EditorSettingsResult {
  config: SafeInstallConfig;
  /** One line per ignored workspace setting, naming the setting and why. */
  ignored: string[];
}

/**
 * `fileConfig` is the project's merged config files; `projectLayer` the project's safe-install.toml as
 * read (undefined when it is not read, e.g. untrusted), re-applied after the user settings so a user
 * setting replaces the user config file's value but not a project's tightening of it.
 */
export function applyEditorSettings(fileConfig: SafeInstallConfig, settings: ResourceSettings, projectLayer?: ConfigLayer): EditorSettingsResult {
  let config = fileConfig;
  if (Object.keys(settings.user).length > 0) {
    const user: ConfigLayer = { ...settings.user };
    // The allow setting adds to the config files' lists (documented so), it does not replace them.
    const allow = user['typosquat.allow'];
    if (allow) user['typosquat.allow'] = { ...allow, value: [...new Set([...fileConfig.typosquat.allow, ...allow.value])] };
    config = applyUserLayer(config, user);
    if (projectLayer) config = applyProjectLayer(config, projectLayer).config;
  }
  if (Object.keys(settings.workspace).length === 0) return { config, ignored: [] };
  const merged = applyProjectLayer(config, settings.workspace);
  return { config: merged.config, ignored: merged.projectFindings.map(ignoredMessage) };
}

const TOML_TO_SETTING: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SERVER_SETTING_TOML).map(([setting, key]) => [key, `safeInstall.${setting}`]),
);

/** A project-file refusal reworded for a workspace setting (falls back to the message as it is). */
function ignoredMessage(finding: ConfigFinding): string {
  const setting = (finding.key && TOML_TO_SETTING[finding.key]) ?? finding.key ?? 'a setting';
  const why = /^'[^']*' is ignored: (.*?)(?:; set it in your user config if you mean it)?$/s.exec(finding.message)?.[1] ?? finding.message;
  return `Workspace setting '${setting}' is ignored: ${why.replace(/\ba project file\b/g, 'a workspace setting')}; set it in your user settings if you mean it.`;
}
