import type { WorkspaceFolder } from 'vscode-languageserver';
import { parentUri } from './uris';

/**
 * Which project a document belongs to: the innermost workspace folder containing it, or, outside
 * any folder (a single file opened in the editor), the document's own directory.
 */
export class ProjectRoots {
  private folders: string[] = [];

  /** Replaces the known workspace folders. */
  set(folders: readonly WorkspaceFolder[] | null | undefined): void {
    this.folders = (folders ?? []).map((f) => f.uri.replace(/\/+$/, ''));
  }

  /** Applies a didChangeWorkspaceFolders event. */
  change(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): void {
    const gone = new Set(removed.map((f) => f.uri.replace(/\/+$/, '')));
    this.folders = [...this.folders.filter((f) => !gone.has(f)), ...added.map((f) => f.uri.replace(/\/+$/, ''))];
  }

  /** The root URI for a document. */
  rootFor(uri: string): string {
    let best: string | undefined;
    for (const folder of this.folders) {
      if (uri.startsWith(`${folder}/`) && (best === undefined || folder.length > best.length)) best = folder;
    }
    return best ?? parentUri(uri);
  }
}
