import path from 'node:path';
import { errorCode, type TextFileReader } from '../io';
import { readConfigText, type ConfigLayer } from './configFile';
import { CONFIG_RULES, type ConfigFinding } from './configFinding';
import { mergeConfigLayers, type MergeResult } from './mergeConfig';
import type { SafeInstallConfig } from './schema';

/** The project config's file name, at the workspace root. */
export const PROJECT_CONFIG_FILE = 'safe-install.toml';

/** Which of the two config files a result is about. */
export type ConfigFileRole = 'user' | 'project';

/** What reading one config file produced. */
export interface ConfigFileReport {
  role: ConfigFileRole;
  path: string;
  /** False when the file does not exist (not an error: both files are optional). */
  exists: boolean;
  findings: ConfigFinding[];
}

/** The effective config and, per file, what was wrong with it. */
export interface EffectiveConfig {
  config: SafeInstallConfig;
  files: ConfigFileReport[];
}

/** Where the config files are and how to read them. */
export interface LoadConfigOptions {
  /** Omitted: no user file (e.g. the home directory is unknown). */
  userConfigPath?: string;
  /** Omitted: no project file (e.g. no workspace folder is open). */
  projectConfigPath?: string;
  reader: TextFileReader;
}

/** `$XDG_CONFIG_HOME/safe-install/config.toml`, falling back to `~/.config/safe-install/config.toml`. */
export function defaultUserConfigPath(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const xdg = env['XDG_CONFIG_HOME'];
  // The XDG spec says a relative value is invalid and must be ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homeDir, '.config');
  return path.join(base, 'safe-install', 'config.toml');
}

/** The project config path for a workspace root. */
export function projectConfigPath(workspaceRoot: string): string {
  return path.join(workspaceRoot, PROJECT_CONFIG_FILE);
}

/**
 * Reads both files and merges defaults ← user ← project (see applyProjectLayer for what a project may not do).
 * Never rejects: a missing file counts as empty, an unreadable or broken one as empty plus a `config-error`.
 */
export async function loadEffectiveConfig(options: LoadConfigOptions): Promise<EffectiveConfig> {
  const [user, project] = await Promise.all([
    readLayer('user', options.userConfigPath, options.reader),
    readLayer('project', options.projectConfigPath, options.reader),
  ]);
  const merged = mergeConfigLayers(user.layer, project.layer);
  const files: ConfigFileReport[] = [];
  if (user.report) files.push(user.report);
  if (project.report) {
    project.report.findings.push(...merged.projectFindings);
    files.push(project.report);
  }
  return { config: merged.config, files };
}

/**
 * The same merge from texts already in hand (undefined: no such file), for callers that read the files
 * themselves; config-file problems other than refusals are left out.
 */
export function configFromTexts(userText: string | undefined, projectText: string | undefined): MergeResult {
  const layer = (text: string | undefined): ConfigLayer => (text === undefined ? {} : readConfigText(text).layer);
  return mergeConfigLayers(layer(userText), layer(projectText));
}

async function readLayer(
  role: ConfigFileRole,
  filePath: string | undefined,
  reader: TextFileReader,
): Promise<{ layer: ConfigLayer; report?: ConfigFileReport }> {
  if (filePath === undefined) return { layer: {} };
  let text: string;
  try {
    text = await reader.readText(filePath);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') {
      return { layer: {}, report: { role, path: filePath, exists: false, findings: [] } };
    }
    const finding: ConfigFinding = {
      rule: CONFIG_RULES.error,
      severity: 'error',
      message: `Cannot read the ${role} config file: ${error instanceof Error ? error.message : String(error)}`,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    };
    return { layer: {}, report: { role, path: filePath, exists: true, findings: [finding] } };
  }
  const contents = readConfigText(text);
  return { layer: contents.layer, report: { role, path: filePath, exists: true, findings: contents.findings } };
}
