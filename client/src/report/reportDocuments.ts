/** Read-only report documents (`safe-install-report:` URIs) for install runs, audits and scans. */
import { EventEmitter, Uri, window, workspace, type Disposable, type TextDocumentContentProvider } from 'vscode';

/** The URI scheme of report documents. */
export const REPORT_SCHEME = 'safe-install-report';

/** Holds report texts and serves them as read-only documents. */
export class ReportDocuments implements TextDocumentContentProvider, Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: Disposable;

  constructor() {
    this.registration = workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this);
  }

  provideTextDocumentContent(uri: Uri): string {
    return this.texts.get(uri.path) ?? 'This report is no longer available.';
  }

  /** Stores `text` under `name` (e.g. `install-run-1.md`) and opens it beside the editor. */
  async show(name: string, text: string): Promise<void> {
    const uri = Uri.from({ scheme: REPORT_SCHEME, path: `/${name}` });
    this.texts.set(uri.path, text);
    this.changed.fire(uri);
    const document = await workspace.openTextDocument(uri);
    await window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
