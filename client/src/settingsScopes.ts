/**
 * Setting values split by who wrote them, from `WorkspaceConfiguration.inspect()`: the user's own
 * settings are trusted like the user config file; workspace and folder settings arrive with a clone and,
 * like safe-install.toml, may only tighten. No `vscode` import (tested in plain Node).
 */

/** The parts of an `inspect()` result used here. */
export interface InspectedValue {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** Explicitly set values per scope, keyed without the `safeInstall.` prefix (`intelligence.dormantDays`). */
export interface ScopedSettings {
  user: Record<string, unknown>;
  workspace: Record<string, unknown>;
}

/** What the extension answers the server's `workspace/configuration` for `safeInstall` with. */
export interface ScopedSection {
  scopes: ScopedSettings;
}

/**
 * The explicitly set values of `keys` per scope (defaults and nulls are "not set"). The folder value
 * wins over the workspace value, as VS Code itself merges them; both are project-level.
 */
export function scopedSettings(keys: readonly string[], inspect: (key: string) => InspectedValue | undefined): ScopedSettings {
  const scoped: ScopedSettings = { user: {}, workspace: {} };
  for (const key of keys) {
    const values = inspect(key);
    if (!values) continue;
    if (values.globalValue !== undefined && values.globalValue !== null) scoped.user[key] = values.globalValue;
    const project = values.workspaceFolderValue ?? values.workspaceValue;
    if (project !== undefined && project !== null) scoped.workspace[key] = project;
  }
  return scoped;
}
