/** Which workspace folder a command acts on: the one of the given file, else the active editor's, else the first. */
import { Uri, window, workspace, type WorkspaceFolder } from 'vscode';

/** The folder, or undefined when no folder is open. */
export function targetFolder(uri?: string): WorkspaceFolder | undefined {
  const candidates = [uri !== undefined ? Uri.parse(uri) : undefined, window.activeTextEditor?.document.uri];
  for (const candidate of candidates) {
    const folder = candidate ? workspace.getWorkspaceFolder(candidate) : undefined;
    if (folder) return folder;
  }
  return workspace.workspaceFolders?.[0];
}
