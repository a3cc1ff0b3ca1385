import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextFileReader } from '../../../shared/src/io';
import { uriToFilePath } from './uris';

/**
 * Reads files as the user sees them: text the server just wrote through workspace/applyEdit (until
 * the client reports the file), else an open editor's unsaved text, else the disk.
 */
export class OverlayReader implements TextFileReader {
  private readonly justWritten = new Map<string, string>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly disk: TextFileReader,
  ) {}

  /** Remembers text the server asked the client to write, until `forget(filePath)`. */
  remember(filePath: string, text: string): void {
    this.justWritten.set(filePath, text);
  }

  /** The client now reports this file itself (opened, changed, or watched on disk). */
  forget(filePath: string): void {
    this.justWritten.delete(filePath);
  }

  async readText(filePath: string): Promise<string> {
    const written = this.justWritten.get(filePath);
    if (written !== undefined) return written;
    for (const doc of this.documents.all()) {
      if (uriToFilePath(doc.uri) === filePath) return doc.getText();
    }
    return this.disk.readText(filePath);
  }
}
