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
