import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { IGNORE_PACKAGE_COMMAND } from '../../../shared/src/protocol';
import type { ServerEngine } from '../engine/serverEngine';
import type { OverlayReader } from '../workspace/overlayReader';
import { PROJECT_CONFIG_FILE, ProjectConfigs } from '../workspace/projectConfigs';
import type { ProjectRoots } from '../workspace/projectRoots';
import { filePathToUri, uriToFilePath } from '../workspace/uris';
import { readIgnoreArgs } from './codeActions';
import { allowEntry, configFileEdit } from './ignorePackage';

/** What the ignore command needs from the server. */
export interface IgnoreCommandDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  engine: ServerEngine;
  reader: OverlayReader;
  roots: ProjectRoots;
  /** Reload configs and re-check everything. */
  configChanged: () => void;
  log: (message: string, error?: unknown) => void;
}

function isMissingFile(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'ENOENT';
}

/**
 * `safeInstall.ignorePackage`: adds the package to `[typosquat] allow` of the workspace's safe-install.toml
 * (creating it when missing) through workspace/applyEdit, so the edit is the editor's and can be undone.
 */
export async function runIgnoreCommand(deps: IgnoreCommandDeps, rawArgs: unknown): Promise<void> {
  const { connection, documents, engine, reader, roots, log } = deps;
  const args = readIgnoreArgs(rawArgs);
  if (!args) {
    log(`safe-install: ${IGNORE_PACKAGE_COMMAND} needs {uri, ecosystem, name}`);
    return;
  }
  try {
    const rootUri = roots.rootFor(args.uri);
    const configPath = ProjectConfigs.projectConfigPath(rootUri);
    const onDisk = uriToFilePath(rootUri) !== undefined;
    const configUri = onDisk ? filePathToUri(configPath) : `${rootUri}/${PROJECT_CONFIG_FILE}`;
    // Only a missing file is created; any other read failure must not turn into an overwrite.
    const text = await reader.readText(configPath).catch((error: unknown) => {
      if (isMissingFile(error) || !onDisk) return undefined;
      throw error;
    });
    const newText = engine.addTyposquatAllow(text ?? '', allowEntry(args.ecosystem, args.name));
    const result = await connection.workspace.applyEdit({
      label: `Ignore '${args.name}' in this workspace`,
      edit: configFileEdit({ uri: configUri, text, version: documents.get(configUri)?.version }, newText),
    });
    if (!result.applied) {
      log(`safe-install: the editor did not apply the edit to ${PROJECT_CONFIG_FILE}${result.failureReason ? `: ${result.failureReason}` : ''}`);
      return;
    }
    // The client may report the new text later (or, for a closed file, only on save): use it now.
    if (onDisk) reader.remember(configPath, newText);
    deps.configChanged();
  } catch (error) {
    log(`safe-install: ignoring '${args.name}' failed`, error);
    void connection.window.showErrorMessage(
      `safe-install: could not add '${args.name}' to ${PROJECT_CONFIG_FILE}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
