/**
 * Answers the server's `workspace/configuration` requests for the `safeInstall` section with the values
 * per scope (see settingsScopes.ts): the server cannot call `inspect()`, and VS Code's merged value
 * hides whether a workspace's settings.json or the user wrote it.
 */
import { Uri, workspace } from 'vscode';
import type { ConfigurationRequest } from 'vscode-languageclient/node';
import { SERVER_SETTING_KEYS } from './settingClasses';
import { scopedSettings, type ScopedSection } from './settingsScopes';

/** The settings section the server asks for. */
const SECTION = 'safeInstall';

/** The `safeInstall` values of one resource (a document URI; none: the window's). */
export function scopedSection(scopeUri: string | undefined): ScopedSection {
  const config = workspace.getConfiguration(SECTION, scopeUri ? Uri.parse(scopeUri) : undefined);
  return { scopes: scopedSettings(SERVER_SETTING_KEYS, (key) => config.inspect(key)) };
}

/** Middleware for `workspace/configuration`: other sections are answered as usual. */
export const scopedConfiguration: ConfigurationRequest.MiddlewareSignature = async (params, token, next) => {
  const answers = await next(params, token);
  if (!Array.isArray(answers)) return answers;
  return params.items.map((item, index): unknown => (item.section === SECTION ? scopedSection(item.scopeUri) : answers[index]));
};
