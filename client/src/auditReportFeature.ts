/**
 * Shows the language server's audit reports (`safeInstall/showAuditReport`) as an untitled Markdown
 * document in preview. As a client feature it also tells the server, through an experimental
 * capability, that this client shows reports itself (plain LSP clients get a message instead).
 */
import { commands, window, workspace, type Disposable } from 'vscode';
import type { BaseLanguageClient, ClientCapabilities, FeatureState, StaticFeature } from 'vscode-languageclient';
import { AUDIT_REPORT_CAPABILITY, ShowAuditReportNotification, type AuditReportParams } from '../../shared/src/protocol';

/** Opens one report: an untitled Markdown document, shown as its rendered preview. */
export async function showAuditReport(report: AuditReportParams): Promise<void> {
  const document = await workspace.openTextDocument({ language: 'markdown', content: report.markdown });
  try {
    await commands.executeCommand('markdown.showPreview', document.uri);
  } catch {
    // Without the built-in Markdown extension the source still says everything.
    await window.showTextDocument(document, { preview: true });
  }
}

/** The client side of the audit report notification; register with `client.registerFeature`. */
export class AuditReportFeature implements StaticFeature {
  private handler: Disposable | undefined;

  constructor(private readonly client: BaseLanguageClient) {}

  fillClientCapabilities(capabilities: ClientCapabilities): void {
    capabilities.experimental = { ...capabilities.experimental, [AUDIT_REPORT_CAPABILITY]: true };
  }

  initialize(): void {
    this.handler?.dispose();
    this.handler = this.client.onNotification(ShowAuditReportNotification.type, (report) => {
      showAuditReport(report).catch((error: unknown) => void window.showErrorMessage(`Safe Install: could not show the audit report: ${String(error)}`));
    });
  }

  getState(): FeatureState {
    return { kind: 'static' };
  }

  clear(): void {
    this.handler?.dispose();
    this.handler = undefined;
  }
}
