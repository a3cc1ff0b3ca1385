/**
 * Messages between the extension (client) and the language server beyond standard LSP.
 * Method names are prefixed `safeInstall/`. Each message says who sends it.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** Arguments of the `safeInstall.ignorePackage` command the server executes. */
export interface IgnorePackageArgs {
  /** URI of the document whose workspace gets the ignore. */
  uri: string;
  ecosystem: string;
  name: string;
}

export const IGNORE_PACKAGE_COMMAND = 'safeInstall.ignorePackage';

/** Client → server: re-check every open document (after a settings or trust change). */
export namespace RecheckAllNotification {
  export const method = 'safeInstall/recheckAll';
  export const type = new NotificationType<Record<string, never>>(method);
}

/** Client → server: the findings for a document, as the engine reports them. */
export namespace DocumentFindingsRequest {
  export const method = 'safeInstall/documentFindings';
  export const type = new RequestType<{ uri: string }, unknown[], void>(method);
}

/** Arguments of the `safeInstall.auditPackage` command the server executes. */
export interface AuditPackageArgs {
  /** URI of the document the package is in (its workspace decides registries and config). */
  uri: string;
  ecosystem: string;
  name: string;
  /** The version spec as written on the line; omitted: the latest version. */
  spec?: string;
}

export const AUDIT_PACKAGE_COMMAND = 'safeInstall.auditPackage';

/** What `safeInstall.auditPackage` returns and `ShowAuditReportNotification` carries. */
export interface AuditReportParams {
  ecosystem: string;
  name: string;
  /** allow | warn | block. */
  verdict: string;
  /** The whole report as Markdown. */
  markdown: string;
}

/**
 * Client capability (under `experimental`) saying the client shows audit reports itself; a client
 * without it gets the verdict through `window/showMessage` instead.
 */
export const AUDIT_REPORT_CAPABILITY = 'safeInstallAuditReport';

/** Server → client: show an audit report (the extension opens it as a Markdown preview). */
export namespace ShowAuditReportNotification {
  export const method = 'safeInstall/showAuditReport';
  export const type = new NotificationType<AuditReportParams>(method);
}

/**
 * Install progress, sent from the engine (the CLI's `install --progress json`, one event per line) to whoever
 * renders it: the CLI's own display, the editor's install terminal and Installs view.
 */
export type {
  SandboxPhase,
  PhaseNetwork,
  PhaseEvent,
  PackageEvent,
  BytesEvent,
  LogEvent,
  FindingEvent,
  VerdictEvent,
  SandboxEvent,
  ProgressSink,
} from './sandbox/progress';
