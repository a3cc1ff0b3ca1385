import { MessageType, type CancellationToken, type Connection } from 'vscode-languageserver';
import { AUDIT_REPORT_CAPABILITY, ShowAuditReportNotification, type AuditReportParams } from '../../../shared/src/protocol';
import type { RegistryIntelligence } from '../engine/serverEngine';
import { abortSignalFor } from '../intelligence/registryStage';
import { readAuditArgs } from './auditActions';
import { auditMarkdown, auditSummary } from './auditMarkdown';

/** What running the audit command needs from the server. */
export interface AuditCommandContext {
  connection: Connection;
  /** Whether the client shows reports itself (declared under `experimental`). */
  clientShowsReports: boolean;
  /** The intelligence for the document's project and settings. */
  intelligenceFor(uri: string): Promise<RegistryIntelligence>;
  log(message: string, error?: unknown): void;
}

const MESSAGE_TYPE: Record<string, MessageType> = { block: MessageType.Error, warn: MessageType.Warning, allow: MessageType.Info };

/**
 * `safeInstall.auditPackage`: audits one package and shows the report — as a document through
 * `safeInstall/showAuditReport` when the client declared it can, else as a `window/showMessage` verdict.
 * Returns the report (for clients that want to show it their own way); undefined when it could not run.
 */
export async function runAuditCommand(ctx: AuditCommandContext, raw: unknown, token: CancellationToken): Promise<AuditReportParams | undefined> {
  const args = readAuditArgs(raw);
  if (!args) {
    void ctx.connection.window.showErrorMessage('safe-install: the audit command needs { uri, ecosystem, name[, spec] }.');
    return undefined;
  }
  const { signal, dispose } = abortSignalFor(token);
  try {
    const intelligence = await ctx.intelligenceFor(args.uri);
    const report = await intelligence.audit(args.ecosystem, args.name, args.spec, signal);
    const result: AuditReportParams = { ecosystem: report.ecosystem, name: report.name, verdict: report.verdict, markdown: auditMarkdown(report) };
    if (ctx.clientShowsReports) void ctx.connection.sendNotification(ShowAuditReportNotification.type, result);
    else void ctx.connection.sendNotification('window/showMessage', { type: MESSAGE_TYPE[report.verdict] ?? MessageType.Info, message: auditSummary(report) });
    return result;
  } catch (error) {
    if (token.isCancellationRequested) return undefined;
    ctx.log(`safe-install: auditing ${args.name} failed`, error);
    void ctx.connection.window.showErrorMessage(`safe-install: auditing ${args.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  } finally {
    dispose();
  }
}

/** The experimental client capability, read defensively. */
export function clientShowsAuditReports(experimental: unknown): boolean {
  return typeof experimental === 'object' && experimental !== null && (experimental as Record<string, unknown>)[AUDIT_REPORT_CAPABILITY] === true;
}
